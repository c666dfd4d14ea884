/**
 * The dense grouping path (keys per row from a filter mask) and the ordered
 * merge of grouped partials, each checked against the generic path (row
 * lists, hash-map merge) on random segments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileAggregators } from '../../query/aggregation/compile-aggregator.ts';
import { SegmentView } from '../../query/engine/segment-view.ts';
import { planDimension, readDimension } from '../../query/dimension/dimension-reader.ts';
import { compileFilter } from '../../query/filter/compiled-filter.ts';
import { trueRows } from '../../query/filter/tri.ts';
import type { Filter } from '../../query/model/filter.ts';
import { denseGroupRange } from '../../query/engines/dense-grouping.ts';
import { groupSegment, regroup, type GroupedPartial } from '../../query/engines/grouping.ts';
import { compareGroups, isOrderedGrouped, mergeOrdered } from '../../query/engines/sorted-merge.ts';
import { parseQueryGranularity } from '../../query/time/query-granularity.ts';
import { arraySegment } from './fixtures/array-segment.ts';

const DAY = Date.UTC(2020, 0, 1);
const HOUR = 3600000;
const COLS = [
  { name: 'd1', type: 'STRING' as const },
  { name: 'd2', type: 'STRING' as const },
  { name: 'm1', type: 'LONG' as const },
  { name: 'm2', type: 'DOUBLE' as const },
];
type Row = { __time: number; d1: string | null; d2: string | null; m1: number | null; m2: number | null };

const rowArb: fc.Arbitrary<Row> = fc.record({
  __time: fc.integer({ min: 0, max: 5 }).map((h) => DAY + h * HOUR),
  d1: fc.constantFrom('a', 'b', 'c', 'ab', '', null),
  d2: fc.constantFrom('x', 'y', '10', '9', null),
  m1: fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }),
  m2: fc.option(fc.double({ min: -10, max: 10, noNaN: true }).map((x) => Math.round(x * 4) / 4), { nil: null }),
});

const filterArb: fc.Arbitrary<Filter | null> = fc.oneof(
  fc.constant(null),
  fc.record({ type: fc.constant('selector' as const), dimension: fc.constantFrom('d1', 'd2'), value: fc.constantFrom('a', 'b', 'x', '10', null) }),
  fc.record({ type: fc.constant('in' as const), dimension: fc.constantFrom('d1', 'd2'), values: fc.subarray(['a', 'ab', 'x', '9', null]) }),
  fc.record({ type: fc.constant('range' as const), column: fc.constantFrom('m1', 'm2'), matchValueType: fc.constant('DOUBLE'), lower: fc.constantFrom(-2, 0, 3), upper: fc.constantFrom(5, 8) }),
);

const AGGS = [
  { type: 'count', name: 'c' },
  { type: 'longSum', name: 's1', fieldName: 'm1' },
  { type: 'doubleSum', name: 's2', fieldName: 'm2' },
  { type: 'doubleMin', name: 'mn', fieldName: 'm2' },
  { type: 'longMax', name: 'mx', fieldName: 'm1' },
] as const;

/** Group key text → [key, partials], for comparing partials regardless of group order. */
function byKey(p: GroupedPartial): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (let g = 0; g < p.size; g++) out.set(JSON.stringify([p.times[g], ...p.dims.map((d) => d[g] ?? null)]), p.aggs.map((a) => a[g]));
  return out;
}

function segmentOf(rows: Row[]) {
  const sorted = rows.slice().sort((a, b) => a.__time - b.__time);
  return arraySegment('t', { start: DAY, end: DAY + 86400000 }, COLS, sorted);
}

test('dense grouping from a filter mask equals grouping the listed rows', () => {
  fc.assert(fc.property(
    fc.array(rowArb, { minLength: 1, maxLength: 80 }), filterArb,
    fc.subarray(['d1', 'd2']), fc.constantFrom('all', 'hour'), fc.subarray([...AGGS], { minLength: 1 }),
    fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }),
    (rows, filter, dimNames, granName, aggSpecs, cutStart, cutEnd) => {
      const seg = segmentOf(rows);
      const view = new SegmentView(seg, []);
      const start = Math.min(cutStart, seg.numRows - 1);
      const end = Math.max(start + 1, seg.numRows - cutEnd);
      const gran = parseQueryGranularity(granName as never);
      const plans = dimNames.map((d) => planDimension(d));
      const aggs = compileAggregators(aggSpecs as never);
      const mask = filter === null ? null : compileFilter(filter).mask(view, start, end);
      const dims = plans.map((p) => readDimension(p, view));
      const dense = denseGroupRange(view, start, end, mask, gran, dims, aggs, 1 << 16);
      assert.ok(dense !== null, 'dense path applies to single-valued dimensions and numeric aggregators');
      const rowsSel = mask === null ? Int32Array.from({ length: end - start }, (_, i) => start + i) : trueRows(mask, start);
      const generic = groupSegment(view, { start, end, rows: rowsSel }, gran, plans, aggs);
      assert.deepEqual(byKey(dense), byKey(generic));
      assert.equal(dense.size, generic.size);
    },
  ), { numRuns: 300 });
});

test('dense grouping declines key spaces above the limit', () => {
  const seg = segmentOf([{ __time: DAY, d1: 'a', d2: 'x', m1: 1, m2: 1 }, { __time: DAY, d1: 'b', d2: 'y', m1: 2, m2: 2 }]);
  const view = new SegmentView(seg, []);
  const dims = ['d1', 'd2'].map((d) => readDimension(planDimension(d), view));
  assert.equal(denseGroupRange(view, 0, 2, null, parseQueryGranularity('all' as never), dims, compileAggregators([{ type: 'count', name: 'c' }]), 3), null);
});

test('ordered merge equals the hash merge and keeps groups ordered', () => {
  fc.assert(fc.property(
    fc.array(fc.array(rowArb, { minLength: 1, maxLength: 40 }), { minLength: 2, maxLength: 4 }),
    fc.subarray(['d1', 'd2']), fc.constantFrom('all', 'hour'),
    (segRows, dimNames, granName) => {
      const gran = parseQueryGranularity(granName as never);
      const plans = dimNames.map((d) => planDimension(d));
      const aggs = compileAggregators([{ type: 'count', name: 'c' }, { type: 'doubleSum', name: 's', fieldName: 'm2' }]);
      const parts = segRows.map((rows) => {
        const seg = segmentOf(rows);
        return groupSegment(new SegmentView(seg, []), { start: 0, end: seg.numRows, rows: null }, gran, plans, aggs);
      });
      const ordered = parts.every(isOrderedGrouped) ? mergeOrdered(parts, aggs) : null;
      const hashed = regroup(parts, aggs);
      if (ordered === null) return;
      assert.ok(isOrderedGrouped(ordered));
      assert.deepEqual(byKey(ordered), byKey(hashed));
      assert.equal(ordered.size, hashed.size);
    },
  ), { numRuns: 200 });
});

test('ordered merge declines keys it cannot order (a number against a string)', () => {
  const aggs = compileAggregators([{ type: 'count', name: 'c' }]);
  const a: GroupedPartial = { size: 1, times: [null], dims: [['1']], aggs: [[1]] };
  const b: GroupedPartial = { size: 1, times: [null], dims: [[1]], aggs: [[2]] };
  assert.equal(mergeOrdered([a, b], aggs), null);
  assert.equal(compareGroups(a, 0, a, 0), 0);
  const c: GroupedPartial = { size: 2, times: [null, null], dims: [['b', 'a']], aggs: [[1, 1]] };
  assert.equal(isOrderedGrouped(c), false);
  assert.equal(mergeOrdered([a, c], aggs), null);
  const d: GroupedPartial = { size: 2, times: [null, null], dims: [[null, 'a']], aggs: [[1, 1]] };
  const e: GroupedPartial = { size: 2, times: [null, null], dims: [['a', 'b']], aggs: [[2, 2]] };
  const m = mergeOrdered([d, e], aggs)!;
  assert.deepEqual(m.dims[0], [null, 'a', 'b']);
  assert.deepEqual(m.aggs[0], [1, 3, 2]);
});
