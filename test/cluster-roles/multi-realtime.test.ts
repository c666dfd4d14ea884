/**
 * Two realtime processes in one cluster (SQLite metadata, local deep storage,
 * a broker): a Kafka supervisor runs on exactly one of them and either
 * realtime answers its API; the broker's sys.supervisors and sys.tasks come
 * from the metadata store; a realtime killed with SIGKILL loses its
 * supervisor to the other once its heartbeat expires, and the survivor's
 * restart leaves tasks of live realtimes alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { SqliteClusterStore } from '../../cluster/roles/sqlite-cluster-store.ts';
import { supervisorLease } from '../../cluster/roles/supervisor-assigner.ts';
import type { ClusterNodeOptions } from '../../server/cluster-node.ts';
import { getJson, spawnClusterNode, waitFor, type NodeProcess } from './fixtures/cluster-process.ts';

let tmp = '';
let dbPath = '';
let base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'>;
const nodes: Record<string, NodeProcess> = {};
let cluster: SqliteClusterStore;
/** A port where nothing listens: the supervisor's Kafka is unreachable, so it stays unhealthy but assigned. */
let deadPort = 0;

function nodeOptions(roles: ClusterNodeOptions['roles'], name: string): ClusterNodeOptions {
  return { ...base, roles, dataDir: join(tmp, name) };
}

function spec(dataSource: string): Record<string, unknown> {
  return {
    type: 'kafka',
    spec: {
      dataSchema: {
        dataSource, timestampSpec: { column: 'ts', format: 'millis' }, dimensionsSpec: { dimensions: ['page'] },
        granularitySpec: { segmentGranularity: 'hour', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { topic: `${dataSource}-topic`, consumerProperties: { 'bootstrap.servers': `127.0.0.1:${deadPort}` }, taskCount: 1, useEarliestOffset: true },
      tuningConfig: { type: 'kafka' },
    },
  };
}

async function brokerSql(query: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${nodes.broker.url}/druid/v2/sql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, resultFormat: 'array', context: { useCache: false } }),
  });
  return { status: res.status, body: await res.json() };
}

async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-multi-rt-'));
  dbPath = join(tmp, 'metadata.db');
  deadPort = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => resolve(p)); });
  });
  base = {
    metadata: { type: 'sqlite', path: dbPath }, deepStorage: { type: 'local', dir: join(tmp, 'deep') },
    host: '127.0.0.1', httpPort: 0, heartbeatMs: 200, heartbeatTtlMs: 3000, brokerPollMs: 150, coordinatorLeaseMs: 600, workers: 0,
    realtimeHandoffGraceMs: 300, realtimeHandoffPeriodMs: 0, realtimeStopWaitMs: 500,
  };
  await new SqliteMetadataStore(dbPath).close(); // migrate once before the processes race to
  cluster = new SqliteClusterStore(dbPath);
  const started = await Promise.all([
    spawnClusterNode('broker', nodeOptions(['broker'], 'broker')),
    spawnClusterNode('realtime-a', nodeOptions(['realtime'], 'realtime-a')),
    spawnClusterNode('realtime-b', nodeOptions(['realtime'], 'realtime-b')),
  ]);
  for (const n of started) nodes[n.process.name] = n;
});

after(async () => {
  await Promise.all(Object.values(nodes).map((n) => n.process.stop(5000)));
  cluster?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The realtime holding the supervisor's lease (the one running it), and the other one. */
async function runnerAndOther(id: string): Promise<[NodeProcess, NodeProcess]> {
  const holder = await cluster.leaseHolder(supervisorLease(id), Date.now());
  const [a, b] = [nodes['realtime-a'], nodes['realtime-b']];
  assert.ok(holder === a.name || holder === b.name, `lease holder ${holder}`);
  return holder === a.name ? [a, b] : [b, a];
}

test('a supervisor runs on exactly one realtime; both realtimes and the broker report it', { timeout: 60_000 }, async () => {
  const submitted = await post(`${nodes['realtime-a'].url}/druid/indexer/v1/supervisor`, spec('clicks'));
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.deepEqual(submitted.body, { id: 'clicks' });
  // The receiving realtime claims it; on a loaded machine its lease may have passed to the other meanwhile.
  const [a, b] = await runnerAndOther('clicks');
  // Either realtime answers for it (b forwards to a), with the same supervisor behind both answers.
  for (const n of [a, b]) {
    const status = await getJson(`${n.url}/druid/indexer/v1/supervisor/clicks/status`) as { id: string; payload: { dataSource: string; stream: string } };
    assert.equal(status.id, 'clicks');
    assert.equal(status.payload.dataSource, 'clicks');
    assert.equal(status.payload.stream, 'clicks-topic');
    assert.deepEqual(await getJson(`${n.url}/druid/indexer/v1/supervisor`), ['clicks']);
  }
  // Suspended through the other realtime: the runner suspends it.
  const suspended = await post(`${b.url}/druid/indexer/v1/supervisor/clicks/suspend`, {});
  assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
  assert.equal((suspended.body as { suspended: boolean }).suspended, true);
  await runnerAndOther('clicks');
  const rows = await brokerSql('SELECT supervisor_id, state, type, source, suspended FROM sys.supervisors');
  assert.equal(rows.status, 200, JSON.stringify(rows.body));
  assert.deepEqual(rows.body, [['clicks', 'SUSPENDED', 'kafka', 'clicks-topic', 1]]);
  const resumed = await post(`${b.url}/druid/indexer/v1/supervisor/clicks/resume`, {});
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  const missing = await fetch(`${b.url}/druid/indexer/v1/supervisor/nope/status`);
  assert.equal(missing.status, 404);
  await missing.text();
});

test('INSERT ... SELECT through the broker runs as a task on a realtime; sys.tasks shows it there', { timeout: 30_000 }, async () => {
  const insert = await brokerSql("INSERT INTO pages SELECT TIMESTAMP '2024-05-01 10:00:00' AS __time, 'home' AS page, 3 AS n PARTITIONED BY DAY");
  assert.equal(insert.status, 200, JSON.stringify(insert.body));
  const taskId = (insert.body as string[][])[0][0];
  assert.match(taskId, /^query-/);
  const tasks = await brokerSql(`SELECT task_id, type, datasource, status, location, host, plaintext_port FROM sys.tasks WHERE task_id = '${taskId}'`);
  assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
  const [row] = tasks.body as unknown[][];
  assert.deepEqual(row.slice(0, 4), [taskId, 'query_controller', 'pages', 'SUCCESS']);
  const runner = [nodes['realtime-a'], nodes['realtime-b']].find((n) => n.name === row[4]);
  assert.ok(runner !== undefined, `location ${String(row[4])}`);
  assert.deepEqual(row.slice(5), ['127.0.0.1', runner.httpPort]);
  await waitFor('the broker to count the inserted row', async () => JSON.stringify((await brokerSql('SELECT SUM(n) FROM pages')).body) === '[[3]]', 10_000);
});

test('SIGKILL of the realtime running a supervisor: the other takes it over once the heartbeat expires', { timeout: 30_000 }, async () => {
  const [a, b] = await runnerAndOther('clicks');
  a.process.child.kill('SIGKILL');
  await waitFor('realtime-b to hold the supervisor', async () => (await cluster.leaseHolder(supervisorLease('clicks'), Date.now())) === b.name, 15_000);
  const status = await getJson(`${b.url}/druid/indexer/v1/supervisor/clicks/status`) as { payload: { dataSource: string; suspended: boolean } };
  assert.equal(status.payload.dataSource, 'clicks');
  assert.equal(status.payload.suspended, false);
  await waitFor('sys.supervisors to show b\'s supervisor', async () => {
    const r = await brokerSql('SELECT supervisor_id, suspended FROM sys.supervisors');
    return JSON.stringify(r.body) === '[["clicks",0]]';
  }, 10_000);
  const terminated = await post(`${b.url}/druid/indexer/v1/supervisor/clicks/terminate`, {});
  assert.equal(terminated.status, 200, JSON.stringify(terminated.body));
  assert.deepEqual(await getJson(`${b.url}/druid/indexer/v1/supervisor`), []);
  const rows = await brokerSql('SELECT COUNT(*) FROM sys.supervisors');
  assert.deepEqual(rows.body, [[0]]);
});
