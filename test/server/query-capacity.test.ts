/** Query capacity through both front doors of a real node: a full lane is HTTP 429 (native and SQL) and SQLSTATE 53300 over pgwire. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseLanesFlag, resolveConfig } from '../../server/config.ts';
import { startNode } from '../../server/node.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

const DAY = Date.UTC(2020, 0, 1);
const schema: DataSchema = {
  dataSource: 'w', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }] }, metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }],
};

test('config: lanes and limits validate; --query-lanes parses', () => {
  const c = resolveConfig({ queryLanes: { reports: 2 } }, { maxConcurrentQueries: 4 });
  assert.equal(c.maxConcurrentQueries, 4);
  assert.equal(c.maxQueuedQueries, 256);
  assert.deepEqual(c.queryLanes, { reports: 2 });
  assert.throws(() => resolveConfig({ maxQueuedQueries: -1 }, {}), /maxQueuedQueries/);
  assert.throws(() => resolveConfig({ queryLanes: [] }, {}), /queryLanes/);
  assert.deepEqual(parseLanesFlag('low=2, reports=5'), { low: 2, reports: 5 });
  assert.throws(() => parseLanesFlag('reports'), /name=limit/);
});

test('a full lane: HTTP 429 with Druid error JSON on /druid/v2 and /druid/v2/sql, SQLSTATE 53300 over pgwire', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-capacity-'));
  const node = await startNode(resolveConfig({}, { dataDir: dir, pgPort: 0, httpPort: 0, logLevel: 'error', queryLanes: { closed: 0 } }));
  const client = new pg.Client({ host: '127.0.0.1', port: node.pgPort, user: 'admin', database: 'nemeton' });
  try {
    const rows: InputRow[] = Array.from({ length: 50 }, (_, i) => ({ __time: DAY + i * 60_000, channel: `#c${i % 3}`, added: i }));
    await node.ingestion.ingestRows(schema, rows, {});
    node.markReady();
    const base = `http://127.0.0.1:${node.httpPort}`;
    const native = { queryType: 'timeseries', dataSource: 'w', intervals: ['2020-01-01/2020-01-02'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }] };
    const post = (path: string, body: unknown) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const ok = await post('/druid/v2', native);
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { result: unknown }[])[0].result, { c: 50 });
    for (const [path, body] of [['/druid/v2', { ...native, context: { lane: 'closed' } }], ['/druid/v2/sql', { query: 'SELECT COUNT(*) FROM w', context: { lane: 'closed' } }]] as const) {
      const res = await post(path, body);
      assert.equal(res.status, 429, path);
      const err = (await res.json()) as Record<string, unknown>;
      assert.equal(err.error, 'Query capacity exceeded', path);
      assert.equal(err.errorClass, 'org.apache.druid.query.QueryCapacityExceededException');
      assert.match(String(err.errorMessage), /closed/);
    }

    await client.connect();
    assert.equal(Number((await client.query('SELECT COUNT(*) AS c FROM w')).rows[0].c), 50);
    await client.query(`SET lane = 'closed'`);
    await assert.rejects(client.query('SELECT COUNT(*) AS c FROM w'), (e: unknown) => (e as { code?: string }).code === '53300' && /closed/.test((e as Error).message));
    // The session survives the refusal.
    await client.query('RESET lane');
    assert.equal(Number((await client.query('SELECT COUNT(*) AS c FROM w')).rows[0].c), 50);
  } finally {
    await client.end().catch(() => {});
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
