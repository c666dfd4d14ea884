/** The performance rewrites keep results: branchless range scans, typed virtual columns, min/max pruning, lazy inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allFalse, FALSE, numericRangeScan, TRUE } from '../../query/filter/tri.ts';
import { numericColumnFromTyped, numericColumnFromValues } from '../../query/engine/materialized-columns.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { arraySegment, listSource } from '../query/fixtures/array-segment.ts';

function naiveRange(values: ArrayLike<number>, start: number, n: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    out.push((loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi) ? TRUE : FALSE);
  }
  return out;
}

test('numericRangeScan equals the plain comparison for open/closed/infinite bounds, NaN and float32', () => {
  const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NaN), fc.double({ min: -6, max: 6, noNaN: true }));
  const bound = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.NEGATIVE_INFINITY), fc.constant(Number.POSITIVE_INFINITY));
  fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), bound, fc.boolean(), bound, fc.boolean(), fc.boolean(), (vals, lo, loOpen, hi, hiOpen, f32) => {
    const arr = f32 ? Float32Array.from(vals) : Float64Array.from(vals);
    const start = vals.length > 2 ? 1 : 0;
    const out = new Uint8Array(arr.length - start);
    numericRangeScan(arr, start, lo, loOpen, hi, hiOpen, out);
    assert.deepEqual([...out], naiveRange(arr, start, out.length, lo, loOpen, hi, hiOpen));
  }), { numRuns: 300 });
});

test('allFalse', () => {
  assert.equal(allFalse(new Uint8Array(5)), true);
  assert.equal(allFalse(Uint8Array.of(0, 0, 1)), false);
  assert.equal(allFalse(new Uint8Array(0)), true);
});

test('numericColumnFromTyped matches numericColumnFromValues (nulls, NaN, LONG truncation, FLOAT)', () => {
  const src = Float64Array.of(1.7, -2.5, 0, Number.NaN, 42, 3.25);
  const nulls = Uint8Array.of(0, 0, 1, 0, 0, 0);
  const boxed = [...src].map((v, i) => (nulls[i] === 1 ? null : v));
  for (const type of ['LONG', 'DOUBLE', 'FLOAT'] as const) {
    const a = numericColumnFromTyped(src, nulls, type);
    const b = numericColumnFromValues(boxed, type);
    assert.deepEqual([...a.values()], [...b.values()], type);
    assert.deepEqual(a.nulls()?.toArray(), b.nulls()?.toArray(), type);
    assert.equal(a.min, b.min);
    assert.equal(a.max, b.max);
  }
  const plain = numericColumnFromTyped(Float64Array.of(3, 1, 2), null, 'LONG');
  assert.equal(plain.nulls(), null);
  assert.deepEqual([plain.min, plain.max], [1, 3]);
});

const DAY = 86_400_000;
const COLS = [{ name: 'y', type: 'LONG' as const }, { name: 'd', type: 'DOUBLE' as const }, { name: 'q', type: 'LONG' as const }];
function segments() {
  // Two segments whose LONG column y has disjoint ranges, with a null in each, so min/max decide whole segments.
  const mk = (day: number, ys: (number | null)[]) => arraySegment('t', { start: day * DAY, end: (day + 1) * DAY }, COLS,
    ys.map((y, i) => ({ __time: day * DAY + i * 1000, y, d: y === null ? null : y + 0.5, q: i })));
  return [mk(0, [1990, 1990, null, 1990]), mk(1, [1993, null, 1993, 1994])];
}

test('numeric equals/range filters: whole-segment decisions by min/max keep SQL null semantics', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments()), workers: 0 });
  const count = async (filter: unknown) => ((await ex.run({ queryType: 'timeseries', dataSource: 't', intervals: ['1970-01-01/1970-01-03'], granularity: 'all', filter, aggregations: [{ type: 'count', name: 'c' }] })) as { result: { c: number } }[])[0].result.c;
  assert.equal(await count({ type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 1993 }), 2);
  assert.equal(await count({ type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 1990 }), 3);
  assert.equal(await count({ type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 2000 }), 0);
  // Every non-null y of segment 0 is in range: null rows stay out (and NOT of them stays out too).
  assert.equal(await count({ type: 'range', column: 'y', matchValueType: 'LONG', lower: 1980, upper: 1991 }), 3);
  assert.equal(await count({ type: 'not', field: { type: 'range', column: 'y', matchValueType: 'LONG', lower: 1980, upper: 1991 } }), 3);
  assert.equal(await count({ type: 'range', column: 'y', matchValueType: 'LONG', lower: 1993, lowerOpen: true }), 1);
  assert.equal(await count({ type: 'range', column: 'd', matchValueType: 'DOUBLE', lower: 1990.5, upper: 1993.5 }), 5);
  // AND stops early when no row passes, with the same answer.
  assert.equal(await count({ type: 'and', fields: [{ type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 1990 }, { type: 'range', column: 'q', matchValueType: 'LONG', upper: 1 }] }), 2);
  await ex.close();
});

test('expression aggregators over typed expression values: filtered rows only, no rows gives null', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments()), workers: 0 });
  const [row] = (await ex.run({
    queryType: 'timeseries', dataSource: 't', intervals: ['1970-01-01/1970-01-03'], granularity: 'all',
    filter: { type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 1993 },
    aggregations: [{ type: 'longSum', name: 's', expression: 'y * 2' }, { type: 'doubleSum', name: 'ds', expression: 'd * 2' }, { type: 'doubleMax', name: 'm', expression: 'd / 0' }],
  })) as { result: Record<string, unknown> }[];
  assert.deepEqual(row.result, { s: 1993 * 4, ds: 1993.5 * 4, m: Number.POSITIVE_INFINITY });
  const [none] = (await ex.run({
    queryType: 'timeseries', dataSource: 't', intervals: ['1970-01-01/1970-01-03'], granularity: 'all',
    filter: { type: 'equals', column: 'y', matchValueType: 'LONG', matchValue: 1 },
    aggregations: [{ type: 'longSum', name: 's', expression: 'y * 2' }],
  })) as { result: Record<string, unknown> }[];
  assert.deepEqual(none.result, { s: null });
  await ex.close();
});

test('groupBy on a time-floor virtual column (typed path) groups like the boxed path', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments()), workers: 0 });
  const res = (await ex.run({
    queryType: 'groupBy', dataSource: 't', intervals: ['1970-01-01/1970-01-03'], granularity: 'all',
    virtualColumns: [{ type: 'expression', name: 'v0', expression: "timestamp_floor(__time, 'P1D')", outputType: 'LONG' }],
    dimensions: [{ type: 'default', dimension: 'v0', outputName: 'day', outputType: 'LONG' }],
    aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 'y', fieldName: 'y' }],
  })) as { event: Record<string, unknown> }[];
  assert.deepEqual(res.map((r) => r.event), [{ day: 0, c: 4, y: 1990 * 3 }, { day: DAY, c: 4, y: 1993 * 2 + 1994 }]);
  await ex.close();
});
