/**
 * A real multi-process cluster on loopback: PostgreSQL metadata, MinIO deep
 * storage, a coordinator, a broker and three historicals as child processes.
 * Results through the broker equal the one-process executor on the same
 * segments; a historical killed with SIGKILL mid-stream fails no query
 * (replication 2); a restarted historical serves its cache before any
 * coordinator speaks; with PostgreSQL stopped the broker keeps answering;
 * the broker process applies its configured query lanes (a full lane is 429).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresMetadataStore } from '../../cluster/metadata/postgres-metadata-store.ts';
import { S3DeepStorage } from '../../cluster/deep-storage/s3-deep-storage.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { createQueryExecutor, type QueryExecutor } from '../../query/executor/query-executor.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { toShared } from '../../storage/shared-bytes.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import type { ClusterNodeOptions } from '../../server/cluster-node.ts';
import { skipUnlessInstalled, startMinio, startPostgres, type MinioServer, type PostgresServer } from '../support/index.ts';
import { getJson, spawnClusterNode, waitFor, type NodeProcess } from './fixtures/cluster-process.ts';

const skip = skipUnlessInstalled('postgres') || skipUnlessInstalled('minio');
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

let pg: PostgresServer | undefined;
let minio: MinioServer | undefined;
let tmp = '';
let base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'>;
let coordinator: NodeProcess | undefined;
let broker: NodeProcess;
const historicals: NodeProcess[] = [];
let local: QueryExecutor;

const rows: InputRow[] = Array.from({ length: 6000 }, (_, i) => ({
  __time: T0 + Math.floor(i / 1000) * DAY + (i % 1000) * 60_000,
  channel: `#ch${i % 7}`, page: `page-${i % 37}`, user: `u${(i * 13) % 101}`, added: (i * 7) % 500, deleted: i % 11,
}));
const schema: DataSchema = {
  dataSource: 'edits', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'page', type: 'string' }, { name: 'user', type: 'string' }] },
  metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }],
};
const intervals = ['2024-01-01/2024-01-08'];
const queries: Record<string, unknown>[] = [
  { queryType: 'timeseries', dataSource: 'edits', intervals, granularity: 'day',
    aggregations: [{ type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'count', name: 'rows' }] },
  { queryType: 'groupBy', dataSource: 'edits', intervals, granularity: 'all', dimensions: ['channel'],
    aggregations: [{ type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'cardinality', name: 'users', fields: ['user'] }],
    limitSpec: { type: 'default', columns: [{ dimension: 'added', direction: 'descending' }], limit: 5 } },
  { queryType: 'topN', dataSource: 'edits', intervals: ['2024-01-02/2024-01-05'], granularity: 'all', dimension: 'page', metric: 'deleted',
    threshold: 4, aggregations: [{ type: 'longSum', name: 'deleted', fieldName: 'deleted' }] },
  { queryType: 'scan', dataSource: 'edits', intervals, columns: ['__time', 'channel', 'added'], limit: 7, order: 'ascending' },
  { queryType: 'timeBoundary', dataSource: 'edits' },
];

async function brokerQuery(query: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${broker.url}/druid/v2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
  return { status: res.status, body: await res.json() };
}



function nodeOptions(roles: ClusterNodeOptions['roles'], dataDir: string): ClusterNodeOptions {
  return { ...base, roles, dataDir };
}

before(async () => {
  if (skip) return;
  [pg, minio] = await Promise.all([startPostgres(), startMinio()]);
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-cluster-'));
  base = {
    metadata: { type: 'postgres', url: pg.url },
    deepStorage: { type: 's3', endPoint: minio.endPoint, port: minio.port, accessKey: minio.accessKey, secretKey: minio.secretKey, bucket: 'deep', useSSL: false },
    host: '127.0.0.1', httpPort: 0, heartbeatMs: 200, heartbeatTtlMs: 1200, brokerPollMs: 150, coordinatorLeaseMs: 600, workers: 0,
  };
  // Publish first (the store migrates here), then start the processes.
  const store = await PostgresMetadataStore.open({ url: pg.url });
  const deep = new S3DeepStorage({ ...minio, bucket: 'deep' });
  const built = buildSegments(rows, schema, { segmentVersion: '2024-02-01T00:00:00.000Z' });
  assert.equal(built.length, 6);
  await new SegmentPublisher(deep, store).publish(built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: 1000 })));
  await store.close();
  const source = new LocalSegmentSource();
  for (const b of built) source.addSegment(b.id, openSegment(toShared(b.bytes), b.id));
  local = createQueryExecutor({ segments: source, workers: 0 });

  const started = await Promise.all([
    spawnClusterNode('coordinator', nodeOptions(['coordinator'], join(tmp, 'coordinator'))),
    spawnClusterNode('broker', { ...nodeOptions(['broker'], join(tmp, 'broker')), queryLanes: { closed: 0 } }),
    ...[0, 1, 2].map((i) => spawnClusterNode(`historical-${i}`, nodeOptions(['historical'], join(tmp, `historical-${i}`)))),
  ]);
  [coordinator, broker] = started;
  historicals.push(...started.slice(2));
  // Every segment on two historicals (the default rule) and visible to the broker.
  await waitFor('two replicas of every segment', async () => {
    const counts = await Promise.all(historicals.map(async (h) => ((await getJson(`${h.url}/druid/historical/v1/segments`)) as string[]).length));
    return counts.reduce((a, b) => a + b, 0) === 12;
  });
  await waitFor('the broker to see all segments', async () => {
    const r = await brokerQuery(queries[0]);
    return r.status === 200 && JSON.stringify(r.body) === JSON.stringify(await local.run(queries[0]));
  });
});

after(async () => {
  const procs = [coordinator, broker, ...historicals].filter((p) => p !== undefined).map((p) => p!.process.stop(3000));
  await Promise.all(procs);
  await local?.close();
  await Promise.all([pg?.stop(), minio?.stop()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('coordinator loadstatus and rules endpoints', { skip, timeout: 20_000 }, async () => {
  assert.deepEqual(await getJson(`${coordinator!.url}/druid/coordinator/v1/loadstatus`), { edits: 100 });
  assert.deepEqual(await getJson(`${coordinator!.url}/druid/coordinator/v1/rules/_default`), [{ type: 'loadForever', tieredReplicants: { _default_tier: 2 } }]);
  const bad = await fetch(`${coordinator!.url}/druid/coordinator/v1/rules/edits`, { method: 'POST', body: '[{"type":"loadSometimes"}]' });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(await bad.json()), /unknown type \[loadSometimes\]/);
  const servers = await getJson(`${coordinator!.url}/druid/coordinator/v1/servers?simple`) as { name: string; segments: string[] }[];
  assert.equal(servers.length, 5);
  // Balanced: 12 replicas over 3 historicals.
  await waitFor('balanced historicals', async () => {
    const view = await getJson(`${coordinator!.url}/druid/coordinator/v1/servers?simple`) as { roles: string[]; segments: string[] }[];
    return view.filter((s) => s.roles.includes('historical')).every((s) => s.segments.length === 4);
  }, 15_000);
});

test('queries through the broker equal the one-process executor', { skip, timeout: 20_000 }, async () => {
  for (const q of queries) {
    const r = await brokerQuery(q);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, await local.run(q), `queryType ${String(q.queryType)}`);
  }
  const bad = await brokerQuery({ queryType: 'timeseries', dataSource: 'edits' });
  assert.equal(bad.status, 400);
});

test('the broker process refuses a query in a full lane with Query capacity exceeded (HTTP 429)', { skip, timeout: 20_000 }, async () => {
  const r = await brokerQuery({ ...queries[0], context: { lane: 'closed' } });
  assert.equal(r.status, 429, JSON.stringify(r.body));
  const body = r.body as Record<string, unknown>;
  assert.equal(body.error, 'Query capacity exceeded');
  assert.equal(body.errorClass, 'org.apache.druid.query.QueryCapacityExceededException');
  assert.match(String(body.errorMessage), /lane 'closed'/);
  assert.equal((await brokerQuery({ ...queries[0], context: { priority: -1 } })).status, 200, 'no low lane configured: negative priorities run');
});

test('the broker caches per-segment partials and serves repeats from the cache', { skip, timeout: 20_000 }, async () => {
  const q = { ...queries[1], context: { marker: 'cache-test' } };
  const before = await getJson(`${broker.url}/druid/broker/v1/cache`) as { hits: number; partialRequests: number };
  const first = await brokerQuery(q);
  const second = await brokerQuery(q);
  const afterStats = await getJson(`${broker.url}/druid/broker/v1/cache`) as { hits: number; partialRequests: number };
  assert.deepEqual(second.body, first.body);
  assert.ok(afterStats.hits - before.hits >= 6, `hits ${afterStats.hits - before.hits}`);
  const noCache = await brokerQuery({ ...queries[1], context: { useCache: false, populateCache: false } });
  assert.deepEqual(noCache.body, first.body);
});

test('SIGKILL of a historical during a query stream fails no query (replication 2)', { skip, timeout: 30_000 }, async () => {
  const expected = await Promise.all(queries.map((q) => local.run({ ...q, context: { useCache: false } })));
  let failures = 0;
  let done = 0;
  const victim = historicals[0];
  const stream = async (worker: number) => {
    for (let i = 0; i < 30; i++) {
      const k = (i + worker) % queries.length;
      const r = await brokerQuery({ ...queries[k], context: { useCache: false, populateCache: false } });
      if (r.status !== 200 || JSON.stringify(r.body) !== JSON.stringify(expected[k])) failures++;
      done++;
      if (done === 20) victim.process.child.kill('SIGKILL');
    }
  };
  await Promise.all([0, 1, 2, 3].map(stream));
  assert.equal(victim.process.exited(), true);
  assert.equal(failures, 0);
  // The coordinator re-replicates the victim's segments onto the survivors once its heartbeat expires.
  await waitFor('re-replication onto the two survivors', async () => {
    const lists = await Promise.all(historicals.slice(1).map(async (h) => (await getJson(`${h.url}/druid/historical/v1/segments`)) as string[]));
    return lists.every((l) => l.length === 6);
  });
});

test('a restarted historical serves its cache before the coordinator speaks', { skip, timeout: 30_000 }, async () => {
  // No coordinator from here on: whatever the restarted historical serves comes from its own cache.
  await coordinator!.process.stop(3000);
  coordinator = undefined;
  const victimDir = join(tmp, 'historical-0');
  const restarted = await spawnClusterNode('historical-0b', nodeOptions(['historical'], victimDir));
  historicals[0] = restarted;
  const served = await getJson(`${restarted.url}/druid/historical/v1/segments`) as string[];
  assert.ok(served.length >= 3, `served ${served.length}`);
  // The broker sees its announcement and can query it alone for those segments.
  await waitFor('the broker to route to the restarted historical', async () => {
    const cache = await getJson(`${broker.url}/druid/broker/v1/cache`) as { partialRequests: number };
    const r = await brokerQuery({ ...queries[0], context: { useCache: false } });
    return r.status === 200 && cache.partialRequests > 0;
  });
});

test('with PostgreSQL stopped the broker keeps answering from its last view', { skip, timeout: 30_000 }, async () => {
  await pg!.stop();
  await new Promise((r) => setTimeout(r, 600)); // several failed polls and heartbeats
  const status = await getJson(`${broker.url}/druid/broker/v1/loadstatus`) as { storeError: string | null };
  assert.notEqual(status.storeError, null);
  for (const q of queries) {
    const r = await brokerQuery({ ...q, context: { useCache: false } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, await local.run(q));
  }
});
