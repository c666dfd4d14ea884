/**
 * The realtime role in one process: the realtime segment source never holds
 * a hand-off's rows twice, the realtime's partials leave out what the broker
 * reads from historicals, and finished hand-offs stop being served (a broker
 * whose view is older than the drop gets a 503, never a short answer).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NemetonError } from '../../common/errors.ts';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { SqliteClusterStore } from '../../cluster/roles/sqlite-cluster-store.ts';
import { RealtimeSegmentSource } from '../../cluster/roles/realtime-segment-source.ts';
import { Realtime } from '../../cluster/roles/realtime.ts';
import { parseRealtimeSegmentId, realtimeSegmentId } from '../../cluster/roles/wire-format.ts';
import type { SegmentRecord } from '../../cluster/metadata/metadata-store.ts';
import { createQueryExecutor, type QueryExecutor } from '../../query/executor/query-executor.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { segmentIdToString, type Segment } from '../../storage/segment.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

const T0 = Date.UTC(2024, 0, 1);
const schema: DataSchema = {
  dataSource: 'clicks', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'page', type: 'string' }] },
  metricsSpec: [{ type: 'longSum', name: 'n', fieldName: 'n' }],
};
const rows = (from: number, count: number): InputRow[] =>
  Array.from({ length: count }, (_, i) => ({ __time: T0 + (from + i) * 60_000, page: `p${(from + i) % 3}`, n: from + i }));
const countQuery = { queryType: 'timeseries', dataSource: 'clicks', intervals: ['2024-01-01/2024-01-03'], granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }, { type: 'longSum', name: 'n', fieldName: 'n' }] };

let tmp = '';
let metadata: SqliteMetadataStore;
let cluster: SqliteClusterStore;
let executor: QueryExecutor;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-realtime-'));
  metadata = new SqliteMetadataStore(join(tmp, 'metadata.db'));
  cluster = new SqliteClusterStore(join(tmp, 'metadata.db'));
});

after(async () => {
  await executor?.close();
  cluster.close();
  await metadata.close();
  rmSync(tmp, { recursive: true, force: true });
});

function total(source: RealtimeSegmentSource): number {
  const snap = source.snapshot('clicks');
  return [...snap.fresh, ...snap.published.values()].reduce((n, s) => n + s.numRows, 0);
}

/**
 * Runs the same steps as a hand-off: stand-in, publish, load (yielding to the
 * event loop between segments, as loading from deep storage does), stand-in
 * gone. Returns the published segments.
 */
async function handOff(source: RealtimeSegmentSource, index: IncrementalIndex, version: string, observe: () => void): Promise<Segment[]> {
  const frozen = index.segments();
  const standIn = { segments: () => frozen };
  source.addIncremental('clicks', standIn);
  source.removeIncremental('clicks', index);
  observe();
  const built = index.handoff(version);
  const opened = built.map((b) => openSegment(b.bytes, b.id));
  for (const s of opened) {
    source.addSegment(s.id, s);
    observe();
    await new Promise((r) => setImmediate(r));
    observe();
  }
  source.removeIncremental('clicks', standIn);
  observe();
  return opened;
}

test('a hand-off never shows its rows twice or not at all', async () => {
  const source = new RealtimeSegmentSource();
  const index = new IncrementalIndex(schema);
  source.addIncremental('clicks', index);
  for (const r of [...rows(0, 150), ...rows(1440, 50)]) index.add(r);
  assert.equal(total(source), 200);
  const seen: number[] = [];
  const published = await handOff(source, index, '2024-02-01T00:00:00.000Z', () => seen.push(total(source)));
  assert.equal(published.length, 2); // two days
  assert.deepEqual(seen, seen.map(() => 200));
  assert.equal(source.snapshot('clicks').fresh.length, 0);
  assert.equal(source.publishedIds('clicks').length, published.length);
  assert.deepEqual(source.dataSources(), ['clicks']);
});

test('segments loaded without a hand-off become visible after the current burst of work', async () => {
  const source = new RealtimeSegmentSource();
  const index = new IncrementalIndex(schema);
  for (const r of rows(0, 10)) index.add(r);
  const [seg] = index.handoff('2024-02-01T00:00:00.000Z').map((b) => openSegment(b.bytes, b.id));
  source.addSegment(seg.id, seg);
  assert.equal(total(source), 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(total(source), 10);
  assert.equal(source.segmentsFor('clicks', [{ start: T0, end: T0 + 86_400_000 }]).length, 1);
  assert.equal(source.remove(seg.id), seg);
  assert.deepEqual(source.dataSources(), []);
});

test('realtime ids round-trip and reject other ids', () => {
  assert.deepEqual(parseRealtimeSegmentId(realtimeSegmentId('127.0.0.1:8100', 'a|b')), { server: '127.0.0.1:8100', dataSource: 'a|b' });
  assert.equal(parseRealtimeSegmentId('clicks_2024-01-01T00:00:00.000Z_2024-01-02T00:00:00.000Z_v1'), null);
});

test('partials leave out handed-off segments; finished hand-offs are dropped and a stale broker gets a 503', async () => {
  const source = new RealtimeSegmentSource();
  executor = createQueryExecutor({ segments: source, workers: 0 });
  const dropped: string[] = [];
  const records: SegmentRecord[] = [];
  const realtime = new Realtime({
    source, executor, cluster, servedRecords: () => records, dropCached: async (r) => { dropped.push(r.id); }, handoffGraceMs: 0,
  });
  const me = '127.0.0.1:1';
  realtime.setName(me);
  const id = realtimeSegmentId(me, 'clicks');
  const index = new IncrementalIndex(schema);
  source.addIncremental('clicks', index);
  for (const r of rows(0, 100)) index.add(r);
  const published = await handOff(source, index, '2024-02-01T00:00:00.000Z', () => {});
  const fresh = new IncrementalIndex(schema);
  source.addIncremental('clicks', fresh);
  for (const r of rows(100, 20)) fresh.add(r);
  const pid = segmentIdToString(published[0].id);
  for (const p of published) {
    records.push({ id: segmentIdToString(p.id), dataSource: 'clicks', interval: p.id.interval, version: p.id.version, partitionNum: p.id.partitionNum,
      numPartitions: 0, numRows: p.numRows, sizeBytes: 1, loadSpec: {}, payload: {}, used: true, createdAt: '' });
  }

  const run = async (handedOff: string[]) => {
    const r = await realtime.partial(countQuery, [id, realtimeSegmentId('127.0.0.1:2', 'clicks')], handedOff);
    assert.deepEqual(r.missing, [realtimeSegmentId('127.0.0.1:2', 'clicks')]);
    assert.deepEqual(r.uncacheable, [id]);
    return executor.mergeAndFinalize(countQuery as never, Object.values(r.partials)) as { result: { rows: number; n: number } }[];
  };
  const all = await run([]);
  assert.equal(all[0].result.rows, 120);
  assert.equal(all[0].result.n, (119 * 120) / 2);
  const onlyFresh = await run(published.map((p) => segmentIdToString(p.id)));
  assert.equal(onlyFresh[0].result.rows, 20);

  // A historical serves the published segment: with no grace the realtime lets go of it.
  const now = Date.now();
  await cluster.announceServer({ name: '127.0.0.1:9', host: '127.0.0.1', httpPort: 9, roles: ['historical'], tier: '_default_tier', maxSize: 1e9, heartbeatAt: now, expiresAt: now + 60_000 });
  await cluster.setServedSegments('127.0.0.1:9', published.map((p) => segmentIdToString(p.id)));
  assert.deepEqual(await realtime.checkHandoffs(), published.map((p) => segmentIdToString(p.id)).sort());
  assert.deepEqual(dropped.sort(), published.map((p) => segmentIdToString(p.id)).sort());
  assert.equal(realtime.handedOff, published.length);
  assert.deepEqual(realtime.state().dataSources.map((d) => [d.dataSource, d.freshRows, d.publishedIds.length]), [['clicks', 20, 0]]);

  const after = await run([pid, ...published.slice(1).map((p) => segmentIdToString(p.id))]);
  assert.equal(after[0].result.rows, 20);
  await assert.rejects(realtime.partial(countQuery, [id], []), (e: unknown) => e instanceof NemetonError && e.httpStatus === 503 && /handed segment/.test(e.message));
  // A query whose intervals miss the dropped segment is not affected.
  const later = { ...countQuery, intervals: ['2030-01-01/2030-01-02'] };
  const r = await realtime.partial(later, [id], []);
  assert.deepEqual(r.missing, []);
});
