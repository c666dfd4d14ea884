/** Numeric and converted dimensions are resolved once per column data on immutable segments, afresh on mutable ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SegmentView } from '../../query/engine/segment-view.ts';
import { planDimension, readDimension } from '../../query/dimension/dimension-reader.ts';
import { arraySegment } from './fixtures/array-segment.ts';

const T0 = Date.UTC(2020, 0, 1);
const rows = [3, null, 3, 7, 1.5].map((n, i) => ({ __time: T0 + i, n, s: i % 2 === 0 ? '10' : 'x' }));
const cols = [{ name: 'n', type: 'DOUBLE' as const }, { name: 's', type: 'STRING' as const }];

test('a numeric dimension read twice (two queries) is the same resolved object, with the same ids and values', () => {
  const seg = arraySegment('t', { start: T0, end: T0 + 1000 }, cols, rows);
  const plan = planDimension('n');
  const a = readDimension(plan, new SegmentView(seg));
  const b = readDimension(planDimension('n'), new SegmentView(seg));
  assert.equal(a, b);
  assert.deepEqual(Array.from(a.rowIds!, (id) => a.values[id]), [3, null, 3, 7, 1.5]);
  // Another output type is resolved separately.
  const asLong = readDimension(planDimension({ type: 'default', dimension: 'n', outputType: 'LONG' }), new SegmentView(seg));
  assert.notEqual(asLong, a);
  assert.deepEqual(Array.from(asLong.rowIds!, (id) => asLong.values[id]), [3, null, 3, 7, 1]);
  const strAsLong = readDimension(planDimension({ type: 'default', dimension: 's', outputType: 'LONG' }), new SegmentView(seg));
  assert.deepEqual(Array.from(strAsLong.rowIds!, (id) => strAsLong.values[id]), [10, null, 10, null, 10]);
});

test('mutable segments are read afresh every time', () => {
  const seg = { ...arraySegment('t', { start: T0, end: T0 + 1000 }, cols, rows), isMutable: true };
  const a = readDimension(planDimension('n'), new SegmentView(seg));
  const b = readDimension(planDimension('n'), new SegmentView(seg));
  assert.notEqual(a, b);
  assert.deepEqual(a, b);
});
