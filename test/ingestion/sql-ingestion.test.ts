/**
 * SQL INSERT/REPLACE end to end through a real node (temp dir, ports 0):
 * statements run as recorded tasks and answer their id (column TASK), the
 * rows are visible to the next query, REPLACE overshadows only its
 * intervals, bad statements change nothing, and the shared Wikipedia sample
 * loaded through SQL EXTERN and through a batch task answers identically.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../server/config.ts';
import { startNode, type RunningNode } from '../../server/node.ts';

const WIKI = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'wikiticker-2015-09-12-sampled.json.gz');
const haveWiki = existsSync(WIKI);
let node: RunningNode;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nemeton-sqlingest-'));
  node = await startNode(resolveConfig({}, { dataDir: dir, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
  node.markReady();
});

after(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function http(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text) };
}

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const r = await http('/druid/v2/sql', { query });
  assert.equal(r.status, 200, `${query}\n-> ${JSON.stringify(r.json)}`);
  return r.json as Record<string, unknown>[];
}

async function sqlError(query: string): Promise<string> {
  const r = await http('/druid/v2/sql', { query });
  assert.ok(r.status >= 400, `expected an error for ${query}`);
  return JSON.stringify(r.json);
}

async function taskOf(rows: Record<string, unknown>[]): Promise<string> {
  assert.equal(rows.length, 1);
  const id = rows[0].TASK as string;
  assert.match(id, /^query-/);
  const st = await http(`/druid/indexer/v1/task/${encodeURIComponent(id)}/status`);
  assert.equal((st.json as { status: { status: string } }).status.status, 'SUCCESS');
  return id;
}

const count = async (ds: string, where = ''): Promise<number> => Number((await sql(`SELECT COUNT(*) AS c FROM ${ds} ${where}`))[0].c);

test('INSERT creates a data source, returns a task id, and the rows are visible at once; new columns appear', async () => {
  const id = await taskOf(await sql(`INSERT INTO ev SELECT TIME_PARSE(ts) AS __time, k, v FROM TABLE(EXTERN('{"type":"inline","data":"{\\"ts\\":\\"2024-01-01T10:00:00Z\\",\\"k\\":\\"a\\",\\"v\\":1}\\n{\\"ts\\":\\"2024-01-02T11:00:00Z\\",\\"k\\":\\"b\\",\\"v\\":2}"}', '{"type":"json"}', '[{"name":"ts","type":"string"},{"name":"k","type":"string"},{"name":"v","type":"long"}]')) PARTITIONED BY DAY`));
  assert.equal(await count('ev'), 2);
  const tasks = await sql(`SELECT task_id, status, type FROM sys.tasks WHERE task_id = '${id}'`);
  assert.deepEqual(tasks, [{ task_id: id, status: 'SUCCESS', type: 'query_controller' }]);
  await taskOf(await sql(`INSERT INTO ev SELECT TIME_PARSE('2024-01-02T12:00:00Z') AS __time, 'c' AS k, 5 AS v, 'new' AS extra PARTITIONED BY DAY`));
  assert.deepEqual(await sql('SELECT k, v, extra FROM ev ORDER BY __time'), [
    { k: 'a', v: 1, extra: null }, { k: 'b', v: 2, extra: null }, { k: 'c', v: 5, extra: 'new' },
  ]);
});

test('REPLACE OVERWRITE WHERE replaces only its interval; OVERWRITE ALL replaces everything', async () => {
  await taskOf(await sql(`REPLACE INTO ev OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' AND __time < TIMESTAMP '2024-01-03 00:00:00'
    SELECT TIME_PARSE('2024-01-02T08:00:00Z') AS __time, 'z' AS k, 9 AS v PARTITIONED BY DAY`));
  assert.deepEqual(await sql('SELECT k, v FROM ev ORDER BY __time'), [{ k: 'a', v: 1 }, { k: 'z', v: 9 }]);
  await taskOf(await sql(`REPLACE INTO ev OVERWRITE ALL SELECT TIME_PARSE('2023-05-05T00:00:00Z') AS __time, 'only' AS k, 1 AS v PARTITIONED BY DAY`));
  assert.deepEqual(await sql('SELECT k FROM ev'), [{ k: 'only' }]);
});

test('bad statements give clear errors and leave the data untouched', async () => {
  const before = await sql('SELECT k, v FROM ev');
  assert.match(await sqlError(`REPLACE INTO ev OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' AND __time < TIMESTAMP '2024-01-03 00:00:00'
    SELECT TIME_PARSE('2024-02-02T08:00:00Z') AS __time, 'x' AS k, 1 AS v PARTITIONED BY DAY`), /outside the OVERWRITE intervals/);
  assert.match(await sqlError(`REPLACE INTO ev OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 05:00:00' AND __time < TIMESTAMP '2024-01-03 00:00:00'
    SELECT TIME_PARSE('2024-01-02T08:00:00Z') AS __time, 'x' AS k, 1 AS v PARTITIONED BY DAY`), /not aligned/);
  assert.match(await sqlError(`INSERT INTO ev SELECT 'x' AS k PARTITIONED BY DAY`), /__time/);
  assert.match(await sqlError(`INSERT INTO ev SELECT TIME_PARSE('2024-01-02T08:00:00Z') AS __time, 'x' AS k PARTITIONED BY 'fortnight'`), /PARTITIONED BY/);
  assert.deepEqual(await sql('SELECT k, v FROM ev'), before);
});

const WIKI_COLUMNS = '[{"name":"time","type":"string"},{"name":"channel","type":"string"},{"name":"page","type":"string"},{"name":"user","type":"string"},{"name":"added","type":"long"},{"name":"deleted","type":"long"},{"name":"delta","type":"long"}]';
const BY_CHANNEL = (ds: string) => `SELECT channel, COUNT(*) AS n, SUM(added) AS added, SUM(delta) AS delta, COUNT(DISTINCT "user") AS users FROM ${ds} GROUP BY channel ORDER BY channel`;

test('the Wikipedia sample through SQL EXTERN and through a batch task answers identically', { skip: haveWiki ? false : 'shared Wikipedia sample not present' }, async () => {
  await taskOf(await sql(`INSERT INTO wiki_sql SELECT TIME_PARSE("time") AS __time, channel, page, "user", added, deleted, delta
    FROM TABLE(EXTERN('{"type":"local","files":["${WIKI}"]}', '{"type":"json"}', '${WIKI_COLUMNS}')) PARTITIONED BY DAY CLUSTERED BY channel`));
  const submit = await http('/druid/indexer/v1/task', {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: 'wiki_task', timestampSpec: { column: 'time', format: 'iso' },
        dimensionsSpec: { dimensions: ['channel', 'page', 'user', { type: 'long', name: 'added' }, { type: 'long', name: 'deleted' }, { type: 'long', name: 'delta' }] },
        metricsSpec: [], granularitySpec: { segmentGranularity: 'day', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { type: 'index_parallel', inputSource: { type: 'local', files: [WIKI] }, inputFormat: { type: 'json' } },
    },
  });
  const taskId = (submit.json as { task: string }).task;
  await node.ingestion.waitForTask(taskId);
  assert.equal(await count('wiki_sql'), 39244);
  assert.deepEqual(await sql(BY_CHANNEL('wiki_sql')), await sql(BY_CHANNEL('wiki_task')));

  // INSERT ... SELECT from another data source, then REPLACE one hour of it.
  await taskOf(await sql(`INSERT INTO wiki_en SELECT __time, page, added FROM wiki_sql WHERE channel = '#en.wikipedia' PARTITIONED BY DAY`));
  const enRows = await count('wiki_sql', "WHERE channel = '#en.wikipedia'");
  assert.equal(await count('wiki_en'), enRows);
  const hour0 = await count('wiki_en', "WHERE __time < TIMESTAMP '2015-09-12 01:00:00'");
  const totalBefore = Number((await sql('SELECT SUM(added) AS s FROM wiki_en'))[0].s);
  const hour0Added = Number((await sql("SELECT SUM(added) AS s FROM wiki_en WHERE __time < TIMESTAMP '2015-09-12 01:00:00'"))[0].s);
  await taskOf(await sql(`REPLACE INTO wiki_en OVERWRITE WHERE __time >= TIMESTAMP '2015-09-12 00:00:00' AND __time < TIMESTAMP '2015-09-12 01:00:00'
    SELECT __time, page, 1000 AS added FROM wiki_sql WHERE channel = '#en.wikipedia' AND __time < TIMESTAMP '2015-09-12 01:00:00' PARTITIONED BY HOUR`));
  // The older DAY segment is overshadowed only in hour 0: the other hours are untouched.
  assert.equal(await count('wiki_en'), enRows);
  assert.equal(Number((await sql('SELECT SUM(added) AS s FROM wiki_en'))[0].s), totalBefore - hour0Added + 1000 * hour0);
});

test('INSERT ... VALUES without PARTITIONED BY streams into fresh data, visible at once, persisted at hand-off', async () => {
  await sql("INSERT INTO clicks (__time, page, n) VALUES (TIMESTAMP '2024-05-01 10:00:00', 'home', 1), (TIMESTAMP '2024-05-01 11:00:00', 'cart', 2)");
  assert.deepEqual(await sql('SELECT COUNT(*) AS c, SUM(n) AS s FROM clicks'), [{ c: 2, s: 3 }]);
  assert.equal((await node.metadata.usedSegments('clicks')).length, 0, 'no segment per insert: rows sit in the incremental index');
  await sql("INSERT INTO clicks (__time, page, n) VALUES (TIMESTAMP '2024-05-02 09:00:00', 'home', 4)");
  assert.deepEqual(await sql("SELECT page, SUM(n) AS s FROM clicks GROUP BY page ORDER BY page"), [{ page: 'cart', s: 2 }, { page: 'home', s: 5 }]);
  await node.ingestion.handoff('clicks');
  assert.ok((await node.metadata.usedSegments('clicks')).length > 0);
  assert.deepEqual(await sql('SELECT COUNT(*) AS c, SUM(n) AS s FROM clicks'), [{ c: 3, s: 7 }]);
  const r = await http('/druid/v2/sql', { query: 'INSERT INTO clicks SELECT __time, page, n FROM clicks' });
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.json), /PARTITIONED BY/);
});

test('stopping the node persists streamed inserts; a restart on the same data dir serves them', async () => {
  const dir2 = mkdtempSync(join(tmpdir(), 'nemeton-restart-'));
  try {
    const first = await startNode(resolveConfig({}, { dataDir: dir2, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
    await first.sql.execute("INSERT INTO kept (__time, n) VALUES (TIMESTAMP '2024-01-01 00:00:00', 1), (TIMESTAMP '2024-01-02 00:00:00', 2)", [], { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map() });
    await first.stop();
    const second = await startNode(resolveConfig({}, { dataDir: dir2, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
    try {
      const r = await second.sql.execute('SELECT COUNT(*) AS c, SUM(n) AS s FROM kept', [], { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map() });
      const rows: unknown[][] = [];
      for await (const row of r.rows) rows.push([...row]);
      assert.deepEqual(rows, [[2, 3]]);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir2, { recursive: true, force: true });
  }
});
