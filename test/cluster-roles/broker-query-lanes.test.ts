/**
 * Query admission in a cluster (in-process roles): a full broker refuses with
 * Query capacity exceeded (HTTP 429 on native and SQL, SQLSTATE 53300 over
 * pgwire), a historical at capacity makes the broker answer 429 too, lanes
 * refuse their overflow while other queries still get in, the wait queue
 * admits by priority, and the historical receives the query id, priority,
 * lane and the broker's cost estimate in the context.
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
import { ESTIMATED_COST_CONTEXT_KEY, estimateQueryCost } from '../../query/executor/task-order.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { startClusterNode, type ClusterNodeOptions, type RunningClusterNode } from '../../server/cluster-node.ts';
import { waitFor } from './fixtures/cluster-process.ts';

const T0 = Date.UTC(2024, 0, 1);
const rows: InputRow[] = Array.from({ length: 400 }, (_, i) => ({ __time: T0 + Math.floor(i / 200) * 86_400_000 + i * 1000, page: `p${i % 5}`, n: i }));
const schema: DataSchema = {
  dataSource: 'lanes', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'page', type: 'string' }] }, metricsSpec: [{ type: 'longSum', name: 'n', fieldName: 'n' }],
};
const count = (context: Record<string, unknown> = {}, intervals = ['2024-01-01/2024-01-03']) => ({
  queryType: 'timeseries', dataSource: 'lanes', intervals, granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }], context,
});
const ALL_ROWS = [{ timestamp: '2024-01-01T00:00:00.000Z', result: { rows: 400 } }];

let tmp = '';
/** The historical: one partial query at a time, one waiting. */
let historical: RunningClusterNode;
/** One query at a time and no wait queue; pgwire. */
let strict: RunningClusterNode;
/** One query at a time, four waiting, a `low` lane of one. */
let laned: RunningClusterNode;
/** The contexts of the partial requests the historical received, in arrival order. */
const received: Record<string, unknown>[] = [];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-lanes-'));
  const dbPath = join(tmp, 'metadata.db');
  const store = new SqliteMetadataStore(dbPath);
  const built = buildSegments(rows, schema, { segmentVersion: '2024-02-01T00:00:00.000Z' });
  await new SegmentPublisher(new LocalDeepStorage(join(tmp, 'deep')), store).publish(built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: 200 })));
  await store.close();
  const base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'> = {
    metadata: { type: 'sqlite', path: dbPath }, deepStorage: { type: 'local', dir: join(tmp, 'deep') }, host: '127.0.0.1', httpPort: 0, workers: 0,
    brokerPollMs: 600_000, brokerCacheBytes: 0,
  };
  historical = await startClusterNode({ ...base, roles: ['historical'], dataDir: join(tmp, 'h'), maxConcurrentQueries: 1, maxQueuedQueries: 1 });
  strict = await startClusterNode({ ...base, roles: ['broker'], dataDir: join(tmp, 'b1'), pgPort: 0, maxConcurrentQueries: 1, maxQueuedQueries: 0 });
  laned = await startClusterNode({ ...base, roles: ['broker'], dataDir: join(tmp, 'b2'), maxConcurrentQueries: 1, maxQueuedQueries: 4, queryLanes: { low: 1 } });
  await historical.historical!.load(await historical.metadata.usedSegments('lanes'));
  await strict.brokerView!.refresh();
  await laned.brokerView!.refresh();
  const h = historical.historical!;
  const partial = h.partial.bind(h);
  h.partial = (query, ...rest) => {
    received.push({ ...((query as { context?: Record<string, unknown> }).context ?? {}) });
    return partial(query, ...rest);
  };
});

after(async () => {
  for (const n of [laned, strict, historical]) await n?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function post(node: RunningClusterNode, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> & unknown[] }> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
}

function assertCapacityJson(r: { status: number; body: Record<string, unknown> }, message: RegExp, what: string): void {
  assert.equal(r.status, 429, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error, 'Query capacity exceeded', what);
  assert.equal(r.body.errorClass, 'org.apache.druid.query.QueryCapacityExceededException', what);
  assert.match(String(r.body.errorMessage), message, what);
}

test('a full broker refuses at once: 429 on native and SQL, 53300 over pgwire; a historical at capacity is a 429 through the broker', async () => {
  const hAdmission = historical.historicalAdmission!;
  // The gate: the historical's only slot is taken, so the first query through the strict broker waits there.
  const gate = await hAdmission.acquire({ queryId: 'gate', priority: 0 });
  const first = post(strict, '/druid/v2', count({ useCache: false }));
  await waitFor('the first query queued at the historical', async () => hAdmission.stats().queued === 1, 10_000, 10);
  assert.equal(strict.broker!.admission.stats().running, 1);

  assertCapacityJson(await post(strict, '/druid/v2', count()), /query slots are taken/, 'native');
  assertCapacityJson(await post(strict, '/druid/v2/sql', { query: 'SELECT COUNT(*) AS c FROM lanes' }), /query slots are taken/, 'sql');
  const client = new pg.Client({ host: '127.0.0.1', port: strict.pgPort, user: 'admin', database: 'nemeton' });
  await client.connect();
  try {
    await assert.rejects(client.query('SELECT COUNT(*) AS c FROM lanes'), (e: unknown) => (e as { code?: string }).code === '53300');
    // The other broker has room, but the historical's slot and its wait queue are taken: its 429 comes through.
    assertCapacityJson(await post(laned, '/druid/v2', count()), new RegExp(`${historical.name}.*capacity`), 'historical full');

    gate();
    const answered = await first;
    assert.equal(answered.status, 200);
    assert.deepEqual(answered.body, ALL_ROWS);
    assert.equal(Number((await client.query('SELECT COUNT(*) AS c FROM lanes')).rows[0].c), 400, 'the session survives the refusal');
  } finally {
    await client.end();
  }
  assert.deepEqual(strict.broker!.admission.stats(), { running: 0, queued: 0, lanes: {} });
  assert.deepEqual(hAdmission.stats(), { running: 0, queued: 0, lanes: {} });
});

test('lanes: a second low-priority query is refused while an interactive one is admitted; the queue admits by priority', async () => {
  const admission = laned.broker!.admission;
  const gate = await admission.acquire({ queryId: 'gate', priority: 0 });
  received.length = 0;
  const low = post(laned, '/druid/v2', count({ priority: -1, queryId: 'low-1' }));
  await waitFor('the low query queued at the broker', async () => admission.stats().queued === 1, 10_000, 10);
  assert.deepEqual(admission.stats().lanes, { low: 1 });

  assertCapacityJson(await post(laned, '/druid/v2', count({ priority: -5 })), /lane 'low'/, 'second low query');
  const sqlLow = await post(laned, '/druid/v2/sql', { query: 'SELECT COUNT(*) AS c FROM lanes', context: { lane: 'low' } });
  assertCapacityJson(sqlLow, /lane 'low'/, 'SQL in the low lane');
  assert.equal((await post(laned, '/druid/v2', count({ lane: 'nope' }))).status, 400, 'an unknown lane is bad input');

  // Not refused: it waits outside the low lane, and the freed slot goes to it before the earlier low query.
  const interactive = post(laned, '/druid/v2', count({ priority: 5, queryId: 'interactive-1' }));
  await waitFor('the interactive query queued', async () => admission.stats().queued === 2, 10_000, 10);
  gate();
  const [l, i] = await Promise.all([low, interactive]);
  assert.deepEqual([l.status, i.status], [200, 200]);
  assert.deepEqual(l.body, ALL_ROWS);
  assert.deepEqual(i.body, ALL_ROWS);
  assert.deepEqual(received.map((c) => c.queryId), ['interactive-1', 'low-1']);
  assert.deepEqual(admission.stats(), { running: 0, queued: 0, lanes: {} });
});

test('a query waiting at the broker gives its place up on timeout and on cancel', async () => {
  const admission = laned.broker!.admission;
  const gate = await admission.acquire({ queryId: 'gate', priority: 0 });
  try {
    const timedOut = await post(laned, '/druid/v2', count({ timeout: 50 }));
    assert.equal(timedOut.status, 504, JSON.stringify(timedOut.body));
    assert.equal(timedOut.body.error, 'Query timeout');
    assert.equal(admission.stats().queued, 0);
    const waiting = post(laned, '/druid/v2', count({ queryId: 'to-cancel' }));
    await waitFor('the query queued', async () => admission.stats().queued === 1, 10_000, 10);
    const cancel = await fetch(`http://127.0.0.1:${laned.httpPort}/druid/v2/to-cancel`, { method: 'DELETE' });
    assert.equal(cancel.status, 202);
    const cancelled = await waiting;
    assert.equal(cancelled.body.error, 'Query cancelled', JSON.stringify(cancelled.body));
    assert.equal(admission.stats().queued, 0);
  } finally {
    gate();
  }
  assert.deepEqual(admission.stats(), { running: 0, queued: 0, lanes: {} });
});

test('the historical receives the query id, priority, lane and the broker\'s cost estimate of the whole query', async () => {
  received.length = 0;
  assert.equal((await post(laned, '/druid/v2', count({ priority: -2 }))).status, 200);
  assert.equal((await post(laned, '/druid/v2', count({ priority: 3, queryId: 'given' }, ['2024-01-02/2024-01-03']))).status, 200);
  const groupBy = {
    queryType: 'groupBy', dataSource: 'lanes', intervals: ['2024-01-01T00:00:00Z/2024-01-01T12:00:00Z'], granularity: 'all',
    dimensions: ['page'], aggregations: [{ type: 'count', name: 'rows' }],
  };
  const grouped = await post(laned, '/druid/v2', groupBy);
  assert.equal(grouped.status, 200);
  assert.equal(received.length, 3);
  const [first, second, third] = received;
  assert.match(String(first.queryId), /^[0-9a-f-]{36}$/, 'the broker gives a query without an id one');
  assert.equal(first.priority, -2);
  assert.equal(first.lane, 'low', 'negative priority takes the low lane at the broker, and the historical hears of it');
  assert.equal(first[ESTIMATED_COST_CONTEXT_KEY], estimateQueryCost('timeseries', 400));
  assert.deepEqual([second.queryId, second.priority, second.lane], ['given', 3, undefined]);
  assert.equal(second[ESTIMATED_COST_CONTEXT_KEY], estimateQueryCost('timeseries', 200), 'one of the two days');
  assert.equal(third[ESTIMATED_COST_CONTEXT_KEY], estimateQueryCost('groupBy', 100), 'half a day of one segment, grouped');
});
