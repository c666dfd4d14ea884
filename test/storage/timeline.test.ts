import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VersionedIntervalTimeline } from '../../storage/timeline.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';

const iv = (start: number, end: number) => ({ start, end });
const view = <T>(t: VersionedIntervalTimeline<T>, s: number, e: number) =>
  t.lookup(iv(s, e)).map((h) => [h.interval.start, h.interval.end, h.version, h.chunks.map((c) => c.object)]);

test('newer version overshadows older only where it overlaps', () => {
  const t = new VersionedIntervalTimeline<string>();
  t.add(iv(0, 10), 'v1', { partitionNum: 0, numPartitions: 1, object: 'old' });
  t.add(iv(3, 6), 'v2', { partitionNum: 0, numPartitions: 1, object: 'new' });
  assert.deepEqual(view(t, 0, 10), [[0, 3, 'v1', ['old']], [3, 6, 'v2', ['new']], [6, 10, 'v1', ['old']]]);
  assert.deepEqual(view(t, 4, 8), [[4, 6, 'v2', ['new']], [6, 8, 'v1', ['old']]]);
  assert.deepEqual(view(t, 20, 30), []);
});

test('only complete partition sets are visible', () => {
  const t = new VersionedIntervalTimeline<string>();
  t.add(iv(0, 10), 'v1', { partitionNum: 0, numPartitions: 1, object: 'old' });
  t.add(iv(0, 10), 'v2', { partitionNum: 0, numPartitions: 2, object: 'p0' });
  assert.deepEqual(view(t, 0, 10), [[0, 10, 'v1', ['old']]], 'incomplete v2 does not overshadow');
  assert.deepEqual(t.findFullyOvershadowed(), []);
  t.add(iv(0, 10), 'v2', { partitionNum: 1, numPartitions: 2, object: 'p1' });
  assert.deepEqual(view(t, 0, 10), [[0, 10, 'v2', ['p0', 'p1']]]);
  assert.deepEqual(t.findFullyOvershadowed().map((h) => [h.version, h.chunks.map((c) => c.object)]), [['v1', ['old']]]);
  assert.equal(t.remove(iv(0, 10), 'v2', 1), 'p1');
  assert.deepEqual(view(t, 0, 10), [[0, 10, 'v1', ['old']]], 'removing a partition makes the old version visible again');
  assert.equal(t.remove(iv(0, 10), 'v9', 0), undefined);
});

test('partial overshadowing is not full; two newer pieces covering an interval are', () => {
  const t = new VersionedIntervalTimeline<string>();
  t.add(iv(0, 10), 'v1', { partitionNum: 0, numPartitions: 0, object: 'a' });
  t.add(iv(0, 5), 'v2', { partitionNum: 0, numPartitions: 0, object: 'b' });
  assert.equal(t.isOvershadowed(iv(0, 10), 'v1'), false);
  assert.deepEqual(t.findFullyOvershadowed(), []);
  t.add(iv(5, 12), 'v3', { partitionNum: 0, numPartitions: 0, object: 'c' });
  assert.equal(t.isOvershadowed(iv(0, 10), 'v1'), true);
  assert.deepEqual(t.findFullyOvershadowed().map((h) => h.version), ['v1']);
  assert.deepEqual(view(t, 0, 12), [[0, 5, 'v2', ['b']], [5, 12, 'v3', ['c']]]);
});

test('LocalSegmentSource serves the timeline plus fresh incremental rows', () => {
  const schema = { dataSource: 'ds', dimensionsSpec: { dimensions: [] }, metricsSpec: [{ type: 'count' as const, name: 'cnt' }], queryGranularity: 'none' as const, segmentGranularity: 'day' as const, rollup: true };
  const src = new LocalSegmentSource();
  const v1 = buildSegments([{ __time: 1000, a: 'x' }], schema, { segmentVersion: 'v1' })[0];
  const v2 = buildSegments([{ __time: 2000, a: 'y' }], schema, { segmentVersion: 'v2' })[0];
  const s1 = openSegment(v1.bytes, v1.id);
  const s2 = openSegment(v2.bytes, v2.id);
  src.addSegment(v1.id, s1);
  assert.deepEqual(src.segmentsFor('ds', [iv(0, 86400000)]), [s1]);
  src.addSegment(v2.id, s2);
  assert.deepEqual(src.segmentsFor('ds', [iv(0, 86400000)]), [s2]);
  assert.deepEqual(src.segmentsFor('ds', [iv(86400000, 2 * 86400000)]), []);
  const idx = new IncrementalIndex(schema);
  src.addIncremental('fresh', idx);
  assert.deepEqual(src.dataSources(), ['ds', 'fresh']);
  assert.deepEqual(src.segmentsFor('fresh', [iv(0, 10)]), []);
  idx.add({ __time: 5, a: 'z' });
  assert.equal(src.segmentsFor('fresh', [iv(0, 10)])[0].numRows, 1);
  assert.equal(src.remove(v2.id), s2);
  assert.deepEqual(src.segmentsFor('ds', [iv(0, 86400000)]), [s1]);
  assert.deepEqual(src.segmentsFor('nope', [iv(0, 1)]), []);
});
