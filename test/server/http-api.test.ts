import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpServer } from '../../server/http/http-server.ts';
import { QueryRegistry } from '../../server/http/query-registry.ts';
import { errors } from '../../common/errors.ts';
import type { SqlEngine, SqlResult } from '../../planner/sql-engine.ts';

async function* rowsOf(rows: unknown[][]): AsyncIterable<unknown[]> {
  for (const r of rows) yield r;
}

const fakeSql: SqlEngine = {
  async execute(sql, params): Promise<SqlResult> {
    if (sql.includes('missing')) throw errors.tableNotFound('missing');
    if (sql.includes('bad syntax')) throw errors.syntax("Incorrect syntax near 'syntax'", 5);
    return {
      columns: [{ name: 'channel', sqlType: 'VARCHAR' }, { name: 'edits', sqlType: 'BIGINT' }, { name: 't', sqlType: 'TIMESTAMP' }],
      rows: rowsOf([['#en', 3, 0], ['a,"b"', params.length, 86_400_000]]),
      command: 'SELECT',
      queryId: 'q-1',
    };
  },
  async describe() { throw new Error('unused'); },
  splitStatements: (s) => [s],
};

async function withServer(fn: (base: string, queries: QueryRegistry) => Promise<void>) {
  const queries = new QueryRegistry();
  let release: () => void = () => {};
  const server = createHttpServer({
    sql: fakeSql,
    queries,
    version: 'test',
    isReady: () => true,
    dataSources: () => ['wikipedia'],
    runNative: async (q, signal) => {
      if ((q as { queryType?: string }).queryType === 'slow') {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal.addEventListener('abort', () => reject(errors.cancelled('slow')));
        });
      }
      return [{ timestamp: '2015-09-12T00:00:00.000Z', result: { rows: 1 } }];
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  try {
    await fn(`http://127.0.0.1:${port}`, queries);
  } finally {
    release();
    await server.close();
  }
}

test('health, status and data sources', async () => {
  await withServer(async (base) => {
    assert.equal(await (await fetch(`${base}/status/health`)).json(), true);
    assert.deepEqual(await (await fetch(`${base}/druid/v2/datasources`)).json(), ['wikipedia']);
    const console = await fetch(`${base}/`);
    assert.match(String(console.headers.get('content-type')), /text\/html/);
    assert.match(await console.text(), /Nemeton console/);
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
  });
});

test('native queries: results, pretty printing and malformed JSON', async () => {
  await withServer(async (base) => {
    const ok = await fetch(`${base}/druid/v2?pretty`, { method: 'POST', body: '{"queryType":"timeseries"}' });
    assert.equal(ok.status, 200);
    const text = await ok.text();
    assert.match(text, /\n {2}\{/);
    assert.deepEqual(JSON.parse(text), [{ timestamp: '2015-09-12T00:00:00.000Z', result: { rows: 1 } }]);
    const bad = await fetch(`${base}/druid/v2`, { method: 'POST', body: '{"queryType":' });
    assert.equal(bad.status, 400);
    const err = await bad.json() as Record<string, unknown>;
    assert.equal(err.error, 'Invalid input');
    assert.match(String(err.errorMessage), /Malformed JSON/);
    assert.ok('errorClass' in err && 'host' in err);
  });
});

test('DELETE /druid/v2/{id} cancels a running native query', async () => {
  await withServer(async (base) => {
    const pending = fetch(`${base}/druid/v2`, { method: 'POST', body: JSON.stringify({ queryType: 'slow', context: { queryId: 'abc' } }) });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await fetch(`${base}/druid/v2/abc`, { method: 'DELETE' })).status, 202);
    const res = await pending;
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'Query cancelled');
  });
});

test('SQL result formats with headers', async () => {
  await withServer(async (base) => {
    const post = (body: unknown) => fetch(`${base}/druid/v2/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const obj = await post({ query: 'SELECT 1' });
    assert.equal(obj.headers.get('x-druid-sql-query-id'), 'q-1');
    assert.deepEqual(await obj.json(), [
      { channel: '#en', edits: 3, t: '1970-01-01T00:00:00.000Z' },
      { channel: 'a,"b"', edits: 0, t: '1970-01-02T00:00:00.000Z' },
    ]);
    const arr = await post({ query: 'SELECT 1', resultFormat: 'array', header: true, typesHeader: true, sqlTypesHeader: true, parameters: [{ type: 'VARCHAR', value: 'x' }] });
    assert.deepEqual(await arr.json(), [
      ['channel', 'edits', 't'], ['STRING', 'LONG', 'LONG'], ['VARCHAR', 'BIGINT', 'TIMESTAMP'],
      ['#en', 3, '1970-01-01T00:00:00.000Z'], ['a,"b"', 1, '1970-01-02T00:00:00.000Z'],
    ]);
    const csv = await (await post({ query: 'SELECT 1', resultFormat: 'csv', header: true })).text();
    assert.equal(csv, 'channel,edits,t\n#en,3,1970-01-01T00:00:00.000Z\n"a,""b""",0,1970-01-02T00:00:00.000Z\n\n');
    const lines = await (await post({ query: 'SELECT 1', resultFormat: 'arrayLines' })).text();
    assert.equal(lines.split('\n').length, 4);
    const objHeader = await (await post({ query: 'SELECT 1', header: true, typesHeader: true })).json() as unknown[];
    assert.deepEqual(objHeader[0], { channel: { type: 'STRING' }, edits: { type: 'LONG' }, t: { type: 'LONG' } });
  });
});

test('SQL errors come back as Druid error JSON with HTTP 400', async () => {
  await withServer(async (base) => {
    const post = (body: unknown) => fetch(`${base}/druid/v2/sql`, { method: 'POST', body: JSON.stringify(body) });
    const missing = await post({ query: 'SELECT * FROM missing' });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { errorMessage: string }).errorMessage, /missing/);
    const syntax = await post({ query: 'bad syntax' });
    const body = await syntax.json() as { error: string; position: number };
    assert.equal(body.error, 'SQL parse failed');
    assert.equal(body.position, 5);
    assert.equal((await post({ nope: 1 })).status, 400);
    assert.equal((await post({ query: 'x', resultFormat: 'yaml' })).status, 400);
    // The server still serves after errors.
    assert.equal((await post({ query: 'SELECT 1' })).status, 200);
  });
});
