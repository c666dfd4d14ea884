/**
 * A multi-process cluster with the realtime role and SQL on the broker:
 * SQLite metadata, local deep storage, a coordinator, a broker (HTTP SQL and
 * pgwire), a historical and a realtime as child processes. SQL through the
 * broker equals the one-process engine on the same segments; rows inserted
 * through the broker's SQL are visible at once, and the row count stays exact
 * while the realtime hands them off to the historical and after.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { createQueryExecutor, type QueryExecutor } from '../../query/executor/query-executor.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { toShared } from '../../storage/shared-bytes.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { staticCatalog } from '../../planner/catalog.ts';
import { createSqlEngine } from '../../planner/engine/create-sql-engine.ts';
import type { SqlEngine } from '../../planner/sql-engine.ts';
import { dataSourceColumns } from '../../server/catalog.ts';
import { jsonValue } from '../../server/http/sql-result-writer.ts';
import type { ClusterNodeOptions } from '../../server/cluster-node.ts';
import { getJson, spawnClusterNode, waitFor, type NodeProcess } from './fixtures/cluster-process.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

let tmp = '';
let base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'>;
const nodes: Record<string, NodeProcess> = {};
let local: QueryExecutor;
let localSql: SqlEngine;
let client: pg.Client;

const rows: InputRow[] = Array.from({ length: 3000 }, (_, i) => ({
  __time: T0 + Math.floor(i / 1000) * DAY + (i % 1000) * 60_000,
  channel: `#ch${i % 7}`, page: `page-${i % 37}`, user: `u${(i * 13) % 101}`, added: (i * 7) % 500, deleted: i % 11,
}));
const schema: DataSchema = {
  dataSource: 'edits', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'page', type: 'string' }, { name: 'user', type: 'string' }] },
  metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }],
};

const sqlQueries = [
  'SELECT COUNT(*) AS c, SUM(added) AS a, MIN(__time) AS t0, MAX(__time) AS t1 FROM edits',
  'SELECT channel, SUM(added) AS a, COUNT(DISTINCT "user") AS u FROM edits GROUP BY channel ORDER BY a DESC LIMIT 5',
  "SELECT FLOOR(__time TO DAY) AS d, COUNT(*) AS c, SUM(deleted) AS del FROM edits WHERE channel IN ('#ch1', '#ch2') GROUP BY 1 ORDER BY 1",
  "SELECT page, SUM(deleted) AS del FROM edits WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' GROUP BY page ORDER BY del DESC, page LIMIT 4",
  'SELECT * FROM edits ORDER BY __time LIMIT 3',
  'SELECT channel, AVG(added) AS avg_added FROM (SELECT channel, added FROM edits WHERE deleted > 5) GROUP BY channel ORDER BY channel',
];

async function brokerSql(query: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${nodes.broker.url}/druid/v2/sql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, resultFormat: 'array', ...extra }),
  });
  return { status: res.status, body: await res.json() };
}

async function localSqlRows(query: string): Promise<unknown[][]> {
  const r = await localSql.execute(query, [], { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map() });
  const out: unknown[][] = [];
  for await (const row of r.rows) out.push(row.map((v, i) => jsonValue(r.columns[i], v)));
  return JSON.parse(JSON.stringify(out)) as unknown[][];
}



function nodeOptions(roles: ClusterNodeOptions['roles'], name: string, extra: Partial<ClusterNodeOptions> = {}): ClusterNodeOptions {
  return { ...base, roles, dataDir: join(tmp, name), ...extra };
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-rt-cluster-'));
  const dbPath = join(tmp, 'metadata.db');
  base = {
    metadata: { type: 'sqlite', path: dbPath }, deepStorage: { type: 'local', dir: join(tmp, 'deep') },
    host: '127.0.0.1', httpPort: 0, heartbeatMs: 200, heartbeatTtlMs: 1500, brokerPollMs: 150, coordinatorLeaseMs: 600, workers: 0,
    realtimeHandoffGraceMs: 600, realtimeHandoffPeriodMs: 0,
  };
  // Migrate and publish before the processes start.
  const store = new SqliteMetadataStore(dbPath);
  const built = buildSegments(rows, schema, { segmentVersion: '2024-02-01T00:00:00.000Z' });
  await new SegmentPublisher(new LocalDeepStorage(join(tmp, 'deep')), store).publish(built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: 1000 })));
  await store.close();
  const source = new LocalSegmentSource();
  const opened = built.map((b) => openSegment(toShared(b.bytes), b.id));
  for (const s of opened) source.addSegment(s.id, s);
  local = createQueryExecutor({ segments: source, workers: 0 });
  localSql = createSqlEngine({ runner: local, catalog: staticCatalog([{ schema: 'druid', name: 'edits', kind: 'datasource', columns: dataSourceColumns(opened) }]) });

  const started = await Promise.all([
    spawnClusterNode('coordinator', nodeOptions(['coordinator'], 'coordinator')),
    spawnClusterNode('broker', nodeOptions(['broker'], 'broker', { pgPort: 0 })),
    spawnClusterNode('historical', nodeOptions(['historical'], 'historical')),
    spawnClusterNode('realtime', nodeOptions(['realtime'], 'realtime')),
  ]);
  for (const n of started) nodes[n.process.name] = n;
  console.log(`start-up (spawn to ready / in-process): ${started.map((n) => `${n.process.name} ${n.spawnMs}/${n.startupMs} ms`).join(', ')}`);
  await waitFor('the broker to see every published segment', async () => {
    const r = await brokerSql('SELECT COUNT(*) FROM edits');
    return r.status === 200 && JSON.stringify(r.body) === '[[3000]]';
  });
  client = new pg.Client({ host: '127.0.0.1', port: nodes.broker.pgPort, user: 'admin', database: 'nemeton' });
  await client.connect();
});

after(async () => {
  await client?.end().catch(() => {});
  await Promise.all(Object.values(nodes).map((n) => n.process.stop(5000)));
  await local?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('SQL over HTTP on the broker equals the one-process engine', { timeout: 20_000 }, async () => {
  for (const q of sqlQueries) {
    const r = await brokerSql(q);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(r.body, await localSqlRows(q), q);
  }
  const bad = await brokerSql('SELECT nope FROM edits');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /nope/);
  const missing = await brokerSql('SELECT COUNT(*) FROM no_such_table');
  assert.equal(missing.status, 400);
});

test('pgwire on the broker: queries, parameters, INFORMATION_SCHEMA and sys tables from cluster state', { timeout: 20_000 }, async () => {
  const grouped = await client.query('SELECT channel, SUM(added) AS a FROM edits WHERE deleted > $1 GROUP BY channel ORDER BY channel', [3]);
  const expected = await localSqlRows('SELECT channel, SUM(added) AS a FROM edits WHERE deleted > 3 GROUP BY channel ORDER BY channel');
  assert.deepEqual(grouped.rows.map((r) => [r.channel, Number(r.a)]), expected);
  const cols = await client.query("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'edits' ORDER BY ORDINAL_POSITION");
  assert.deepEqual(cols.rows.map((r) => r.COLUMN_NAME ?? r.column_name), ['__time', 'channel', 'page', 'user', 'added', 'deleted']);
  const servers = await client.query('SELECT server_type, COUNT(*) AS n FROM sys.servers GROUP BY server_type ORDER BY server_type');
  assert.deepEqual(servers.rows.map((r) => [r.server_type, Number(r.n)]), [['broker', 1], ['coordinator', 1], ['historical', 1], ['indexer', 1]]);
  const segs = await client.query("SELECT COUNT(*) AS n, SUM(num_rows) AS r, SUM(is_available) AS a FROM sys.segments WHERE datasource = 'edits'");
  assert.deepEqual([Number(segs.rows[0].n), Number(segs.rows[0].r), Number(segs.rows[0].a)], [3, 3000, 3]);
  const served = await client.query(`SELECT COUNT(*) AS n FROM sys.server_segments WHERE server = '${nodes.historical.name}'`);
  assert.equal(Number(served.rows[0].n), 3);
  const leader = await client.query("SELECT server FROM sys.servers WHERE server_type = 'coordinator' AND is_leader = 1");
  assert.deepEqual(leader.rows.map((r) => r.server), [nodes.coordinator.name]);
});

test('rows inserted through the broker are visible at once and stay exact through hand-off to the historical', { timeout: 40_000 }, async () => {
  const values = (from: number, count: number) => Array.from({ length: count }, (_, i) =>
    `(TIMESTAMP '2024-03-0${1 + ((from + i) % 3)} 10:${String((from + i) % 60).padStart(2, '0')}:00', 'p${(from + i) % 5}', ${from + i})`).join(', ');
  const sum = (n: number) => (n * (n - 1)) / 2;
  let inserted = 0;
  for (let b = 0; b < 3; b++) {
    const r = await client.query(`INSERT INTO fresh (__time, page, n) VALUES ${values(inserted, 40)}`);
    assert.equal(r.rowCount, 40);
    inserted += 40;
    const c = await client.query('SELECT COUNT(*) AS c, SUM(n) AS s FROM fresh');
    assert.deepEqual([Number(c.rows[0].c), Number(c.rows[0].s)], [inserted, sum(inserted)], `after batch ${b}`);
  }
  const realtimeRows = await client.query("SELECT num_rows FROM sys.segments WHERE datasource = 'fresh' AND is_realtime = 1");
  assert.deepEqual(realtimeRows.rows.map((r) => Number(r.num_rows)), [120]);

  // Hammer the broker while the realtime publishes, the historical loads and the realtime lets go.
  let stop = false;
  let queries = 0;
  const wrong: string[] = [];
  const hammer = async () => {
    while (!stop) {
      const r = await brokerSql('SELECT COUNT(*) AS c, SUM(n) AS s FROM fresh', { context: { useCache: false } });
      queries++;
      if (r.status !== 200 || JSON.stringify(r.body) !== JSON.stringify([[120, sum(120)]])) wrong.push(JSON.stringify(r.body));
    }
  };
  const hammers = [hammer(), hammer(), hammer()];
  const handoff = await fetch(`${nodes.realtime.url}/druid/realtime/v1/handoff`, { method: 'POST', body: '{"dataSource":"fresh"}' });
  assert.equal(handoff.status, 200);
  await handoff.text();
  await waitFor('the historical to take over and the realtime to let go', async () => {
    const s = await getJson(`${nodes.realtime.url}/druid/realtime/v1/status`) as { handedOff: number; dataSources: unknown[] };
    return s.handedOff > 0 && s.dataSources.length === 0;
  });
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await Promise.all(hammers);
  assert.deepEqual(wrong, []);
  assert.ok(queries >= 10, `queries ${queries}`);
  const onHistorical = await getJson(`${nodes.historical.url}/druid/historical/v1/segments`) as string[];
  assert.ok(onHistorical.some((id) => id.startsWith('fresh_')), JSON.stringify(onHistorical));
  const published = await client.query("SELECT SUM(num_rows) AS r, SUM(is_realtime) AS rt FROM sys.segments WHERE datasource = 'fresh'");
  assert.deepEqual([Number(published.rows[0].r), Number(published.rows[0].rt)], [120, 0]);

  // Fresh rows after the hand-off add to the historical's.
  await client.query(`INSERT INTO fresh (__time, page, n) VALUES ${values(inserted, 40)}`);
  inserted += 40;
  const c = await client.query('SELECT page, COUNT(*) AS c FROM fresh GROUP BY page ORDER BY page');
  assert.deepEqual(c.rows.map((r) => [r.page, Number(r.c)]), [['p0', 32], ['p1', 32], ['p2', 32], ['p3', 32], ['p4', 32]]);
  const native = await getJson(`${nodes.broker.url}/druid/v2`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queryType: 'timeseries', dataSource: 'fresh', intervals: ['2024-03-01/2024-03-04'], granularity: 'day', aggregations: [{ type: 'longSum', name: 's', fieldName: 'n' }, { type: 'count', name: 'c' }] }),
  }) as { result: { s: number; c: number } }[];
  assert.equal(native.reduce((n, r) => n + r.result.c, 0), 160);
  assert.equal(native.reduce((n, r) => n + r.result.s, 0), sum(160));
});

test('INSERT ... SELECT and REPLACE through the broker run as tasks on the realtime, recorded in sys.tasks', { timeout: 30_000 }, async () => {
  const inserted = await client.query("INSERT INTO copied SELECT __time, channel, added FROM edits WHERE channel = '#ch1' PARTITIONED BY DAY");
  const insertTask = String(inserted.rows[0].TASK ?? inserted.rows[0].task);
  assert.match(insertTask, /^query-/);
  const expected = await localSqlRows("SELECT COUNT(*), SUM(added) FROM edits WHERE channel = '#ch1'");
  const copied = await client.query('SELECT COUNT(*) AS c, SUM(added) AS a FROM copied');
  assert.deepEqual([[Number(copied.rows[0].c), Number(copied.rows[0].a)]], expected);
  // Overwrite one day: that day's rows are replaced, the other days stay.
  const replaced = await client.query(`REPLACE INTO copied OVERWRITE WHERE __time >= TIMESTAMP '2024-01-02 00:00:00' AND __time < TIMESTAMP '2024-01-03 00:00:00'
    SELECT TIMESTAMP '2024-01-02 12:00:00' AS __time, 'x' AS channel, 5 AS added PARTITIONED BY DAY`);
  const replaceTask = String(replaced.rows[0].TASK ?? replaced.rows[0].task);
  const otherDays = await localSqlRows("SELECT COUNT(*), SUM(added) FROM edits WHERE channel = '#ch1' AND __time < TIMESTAMP '2024-01-02 00:00:00' OR channel = '#ch1' AND __time >= TIMESTAMP '2024-01-03 00:00:00'");
  await waitFor('the broker to serve the new version of the day', async () => {
    const r = await client.query('SELECT COUNT(*) AS c, SUM(added) AS a FROM copied');
    return Number(r.rows[0].c) === Number(otherDays[0][0]) + 1 && Number(r.rows[0].a) === Number(otherDays[0][1]) + 5;
  }, 15_000);
  const tasks = await client.query(`SELECT task_id, type, datasource, status, location FROM sys.tasks WHERE task_id IN ('${insertTask}', '${replaceTask}') ORDER BY created_time`);
  assert.deepEqual(tasks.rows.map((r) => [r.task_id, r.type, r.datasource, r.status, r.location]), [
    [insertTask, 'query_controller', 'copied', 'SUCCESS', nodes.realtime.name],
    [replaceTask, 'query_controller', 'copied', 'SUCCESS', nodes.realtime.name],
  ]);
  const c = await client.query('SELECT COUNT(*) AS c FROM fresh');
  assert.equal(Number(c.rows[0].c), 160);
});

test('a stopping realtime hands off its fresh rows; queries stay exact throughout; then INSERT is a clear 503', { timeout: 40_000 }, async () => {
  let stop = false;
  const wrong: string[] = [];
  let queries = 0;
  const hammer = async () => {
    while (!stop) {
      const r = await brokerSql('SELECT COUNT(*) AS c FROM fresh', { context: { useCache: false } });
      queries++;
      if (r.status !== 200 || JSON.stringify(r.body) !== '[[160]]') wrong.push(JSON.stringify(r.body));
    }
  };
  const hammers = [hammer(), hammer()];
  const t0 = performance.now();
  await nodes.realtime.process.stop(30_000);
  const stopMs = Math.round(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await Promise.all(hammers);
  console.log(`realtime stop with 40 fresh rows: ${stopMs} ms; ${queries} queries during it`);
  assert.deepEqual(wrong, []);
  const onHistorical = await getJson(`${nodes.historical.url}/druid/historical/v1/segments`) as string[];
  assert.equal(onHistorical.filter((id) => id.startsWith('fresh_')).length, 6);
  await assert.rejects(client.query("INSERT INTO fresh (__time, page, n) VALUES (TIMESTAMP '2024-03-01 00:00:00', 'x', 1)"), /No live realtime process/);
  const c = await client.query('SELECT COUNT(*) AS c FROM fresh');
  assert.equal(Number(c.rows[0].c), 160);
});
