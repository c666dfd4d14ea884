/**
 * The row-list filter paths (rows, refine, statistics verdicts, block skipping
 * over file segments with small blocks) against each filter's mask, and
 * expression inputs evaluated at selected rows only against the whole-segment
 * evaluation. Random data and filters (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../query/expression/index.ts';
import { compileFilter, countMatching, MIXED, selectRows, selectRowsOrMask } from '../../query/filter/compiled-filter.ts';
import { TRUE } from '../../query/filter/tri.ts';
import { SegmentView } from '../../query/engine/segment-view.ts';
import { expressionInput, expressionInputAtRows } from '../../query/aggregation/numeric-input.ts';
import { numericAggregator } from '../../query/aggregation/numeric-aggregators.ts';
import type { Filter } from '../../query/model/filter.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import type { DataSchema } from '../../storage/schema.ts';
import type { Segment } from '../../storage/segment.ts';

const T0 = Date.UTC(2020, 0, 1);

const schema: DataSchema = {
  dataSource: 't',
  dimensionsSpec: { dimensions: [{ name: 's', type: 'string' }, { name: 'l', type: 'long' }, { name: 'd', type: 'double' }, { name: 'f', type: 'float' }] },
  metricsSpec: [],
  queryGranularity: 'none', segmentGranularity: 'all', rollup: false,
};

type Row = { __time: number; s: string | null; l: number | null; d: number | null; f: number | null };

// Values drift with time (as SSB's date columns do), so small blocks have distinct min/max.
const rowArb: fc.Arbitrary<Row> = fc.record({
  __time: fc.integer({ min: 0, max: 40 }).map((h) => T0 + h * 3_600_000),
  s: fc.option(fc.constantFrom('a', 'b', 'c', 'ab', ''), { nil: null }),
  l: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 8 }),
  d: fc.option(fc.integer({ min: -8, max: 8 }).map((x) => x / 2), { nil: null, freq: 8 }),
  f: fc.option(fc.integer({ min: 0, max: 6 }).map((x) => x / 4), { nil: null, freq: 8 }),
});

/** Makes l and d follow time (hour / 3 plus the random part as small noise), so blocks hold narrow ranges. */
const withTimeTrend = (rows: Row[]): Row[] => rows.map((r) => {
  const hour = (r.__time - T0) / 3_600_000;
  return { ...r, l: r.l === null ? null : Math.floor(hour / 3) + (r.l % 2), d: r.d === null ? null : hour / 4 + (r.d % 1) };
});

const leafArb: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ type: fc.constant('equals' as const), column: fc.constantFrom('l', 'd'), matchValueType: fc.constant('LONG'), matchValue: fc.constantFrom(0, 1, 3, 7) }),
  fc.record({
    type: fc.constant('range' as const), column: fc.constantFrom('l', 'd', 'f', '__time'), matchValueType: fc.constant('DOUBLE'),
    lower: fc.constantFrom(-2, 0, 1.5, 3, 6, null), upper: fc.constantFrom(0.5, 2, 5, 9, 100, null),
    lowerOpen: fc.boolean(), upperOpen: fc.boolean(),
  }).map((f) => (f.column === '__time' ? { ...f, lower: f.lower === null ? null : T0 + f.lower * 3_600_000 * 5, upper: f.upper === null ? null : T0 + f.upper * 3_600_000 * 5 } : f)),
  fc.record({ type: fc.constant('bound' as const), dimension: fc.constantFrom('l', 's'), lower: fc.constantFrom('1', 'a', null), upper: fc.constantFrom('4', 'b', null), lowerStrict: fc.boolean(), upperStrict: fc.boolean(), ordering: fc.constantFrom('numeric' as const, 'lexicographic' as const) }),
  fc.record({ type: fc.constant('selector' as const), dimension: fc.constantFrom('s', 'l', 'missing'), value: fc.constantFrom('a', 'ab', '', '3', null) }),
  fc.record({ type: fc.constant('in' as const), dimension: fc.constantFrom('s', 'l'), values: fc.subarray(['a', 'c', '2', '5', null]) }),
  fc.record({ type: fc.constant('null' as const), column: fc.constantFrom('s', 'l', 'd') }),
  fc.constantFrom<Filter>({ type: 'true' }, { type: 'false' }),
);

const nestedArb: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({ type: fc.constant('and' as const), fields: fc.array(tie('f'), { minLength: 2, maxLength: 4 }) }),
    fc.record({ type: fc.constant('or' as const), fields: fc.array(tie('f'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), field: tie('f') }),
  ),
})).f;

/** Mostly leaves and ANDs of leaves (the paths statistics and row lists serve), sometimes any nesting. */
const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  { arbitrary: leafArb, weight: 3 },
  { arbitrary: fc.record({ type: fc.constant('and' as const), fields: fc.array(leafArb, { minLength: 2, maxLength: 4 }) }), weight: 3 },
  { arbitrary: nestedArb, weight: 2 },
);

function fileSegment(rows: Row[], blockRows: number): Segment | null {
  const built = buildSegments(rows, schema, { blockRows, segmentVersion: 'v1' } as never);
  return built.length === 0 ? null : openSegment(built[0].bytes, built[0].id);
}

/** The same segment with numeric statistics hidden (no min/max, no block ranges): a reference that reads every value. */
function withoutStatistics(seg: Segment): Segment {
  return {
    ...seg,
    columns: () => seg.columns(), column: (n) => seg.column(n), time: () => seg.time(),
    stringColumn: (n) => seg.stringColumn(n), complexColumn: (n) => seg.complexColumn(n),
    numericColumn: (n) => {
      const c = seg.numericColumn(n);
      if (c === undefined) return undefined;
      return { type: c.type, values: () => c.values(), valuesInRange: (s, e) => c.valuesInRange(s, e), exactLongs: () => c.exactLongs(), nulls: () => c.nulls(), min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
    },
  };
}

function trueRowsOf(mask: Uint8Array, start: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === TRUE) out.push(start + i);
  return out;
}

test('row lists, refinement and verdicts agree with the mask, with block skipping over small blocks', () => {
  fc.assert(fc.property(fc.array(rowArb, { minLength: 10, maxLength: 80 }), fc.integer({ min: 1, max: 9 }), filterArb, fc.nat(), fc.nat(), fc.array(fc.boolean(), { maxLength: 80 }), (raw, blockRows, filter, a, b, pick) => {
    const seg = fileSegment(withTimeTrend(raw), blockRows);
    if (seg === null) return;
    const view = new SegmentView(seg);
    const f = compileFilter(filter);
    const n = seg.numRows;
    const start = a % n;
    const end = start + 1 + (b % (n - start));
    const mask = f.mask(view, start, end);
    const expected = trueRowsOf(mask, start);
    const reference = f.mask(new SegmentView(withoutStatistics(seg)), start, end);
    assert.deepEqual(Array.from(mask), Array.from(reference), 'mask with statistics equals the mask reading every value');
    assert.deepEqual(Array.from(f.rows(view, start, end)), expected, 'rows');
    assert.deepEqual(Array.from(selectRows(f, view, start, end).rows ?? Array.from({ length: end - start }, (_, i) => start + i)), expected, 'selectRows');
    assert.equal(countMatching(f, view, start, end), expected.length, 'countMatching');
    const rm = selectRowsOrMask(f, view, start, end);
    const viaRm = rm.rows !== null ? Array.from(rm.rows) : rm.mask !== null ? trueRowsOf(rm.mask, start) : Array.from({ length: end - start }, (_, i) => start + i);
    assert.deepEqual(viaRm, expected, 'selectRowsOrMask');
    const v = f.verdict(view, start, end);
    if (v !== MIXED) for (let i = 0; i < mask.length; i++) assert.equal(mask[i], v, `verdict ${v} but row ${start + i} is ${mask[i]}`);
    // refine: a random ascending subset of [start, end)
    const subset: number[] = [];
    for (let r = start; r < end; r++) if (pick[r - start] ?? true) subset.push(r);
    const buf = Int32Array.from(subset);
    const kept = f.refine(view, buf, buf.length);
    const set = new Set(expected);
    assert.deepEqual(Array.from(buf.subarray(0, kept)), subset.filter((r) => set.has(r)), 'refine');
  }), { numRuns: 400 });
});

const EXPRESSIONS = ['"l" * 2', '"d" + "l"', '"f" * "l"', "concat(\"s\", '1')", '"__time" / 1000', 'nvl("l", 0) - "d"', 'strlen("s")'];

test('expression inputs at selected rows equal the whole-segment input at those rows', () => {
  fc.assert(fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...EXPRESSIONS), fc.array(fc.boolean(), { maxLength: 60 }), (raw, blockRows, expr, pick) => {
    const seg = fileSegment(raw, blockRows);
    if (seg === null) return;
    const view = new SegmentView(seg);
    const rows: number[] = [];
    for (let r = 0; r < seg.numRows; r++) if (pick[r] ?? false) rows.push(r);
    const whole = expressionInput(view, expr);
    const some = expressionInputAtRows(view, expr, Int32Array.from(rows));
    rows.forEach((r, k) => {
      const wn = whole.nullFlags !== null && whole.nullFlags[r] === 1;
      const sn = some.nullFlags !== null && some.nullFlags[k] === 1;
      assert.equal(sn, wn, `null at row ${r} (${expr})`);
      if (!wn) assert.equal(some.values[k], whole.values[r], `value at row ${r} (${expr})`);
    });
  }), { numRuns: 300 });
});

test('sum/min/max aggregators over a sparse selection equal those over the same rows evaluated densely', () => {
  fc.assert(fc.property(fc.array(rowArb, { minLength: 8, maxLength: 80 }), fc.constantFrom(...EXPRESSIONS), fc.constantFrom('sum' as const, 'min' as const, 'max' as const), fc.constantFrom('long' as const, 'double' as const), fc.array(fc.nat(3), { maxLength: 80 }), (raw, expr, kind, type, groupOf) => {
    const seg = fileSegment(raw, 4);
    if (seg === null) return;
    const n = seg.numRows;
    // Every 5th row: under a quarter of the segment, so the sparse path runs.
    const rows = Int32Array.from({ length: Math.floor((n - 1) / 5) + 1 }, (_, k) => k * 5);
    const groups = Int32Array.from(rows, (_, k) => groupOf[k] ?? 0);
    const agg = numericAggregator('a', kind, type, undefined, expr);
    const sparse = agg.forSegment(new SegmentView(seg));
    sparse.aggregate({ start: 0, end: n, rows }, groups, 4);
    // Dense reference: the same rows through the whole-segment input.
    const inp = expressionInput(new SegmentView(seg), expr);
    for (let g = 0; g < 4; g++) {
      let acc: number | null = null;
      rows.forEach((r, k) => {
        if (groups[k] !== g || (inp.nullFlags !== null && inp.nullFlags[r] === 1)) return;
        const x = type === 'long' && !Number.isInteger(inp.values[r]) ? Math.trunc(inp.values[r]) : inp.values[r];
        acc = acc === null ? (kind === 'sum' ? 0 + x : x) : kind === 'sum' ? acc + x : kind === 'min' ? Math.min(acc, x) : Math.max(acc, x);
      });
      // min/max may keep either of 0 and -0 (they compare equal): compare them as one value.
      const zeroAsOne = (v: unknown) => (v === 0 ? 0 : v);
      assert.equal(zeroAsOne(sparse.partial(g)), zeroAsOne(acc), `group ${g}`);
    }
  }), { numRuns: 300 });
});

test('every interval over trending columns with small blocks: statistics-driven mask, rows and refine equal the value-by-value mask', () => {
  const rows: Row[] = Array.from({ length: 41 }, (_, i) => ({
    __time: T0 + i * 3_600_000, s: 'a',
    l: i % 11 === 5 ? null : Math.floor(i / 3) + (i % 2), d: i % 13 === 7 ? null : i / 4, f: (i % 8) / 4,
  }));
  for (const blockRows of [1, 3, 4, 7]) {
    const seg = fileSegment(rows, blockRows)!;
    const view = new SegmentView(seg);
    const plain = new SegmentView(withoutStatistics(seg));
    const n = seg.numRows;
    for (const column of ['l', 'd', 'f']) {
      for (let lo = -1; lo <= 15; lo += 0.5) {
        for (let hi = lo; hi <= 15; hi += 1.5) {
          for (const [lowerOpen, upperOpen] of [[false, false], [true, false], [false, true], [true, true]]) {
            const f = compileFilter({ type: 'range', column, matchValueType: 'DOUBLE', lower: lo, upper: hi, lowerOpen, upperOpen } as Filter);
            const what = `${column} ${lowerOpen ? '(' : '['}${lo}, ${hi}${upperOpen ? ')' : ']'} blockRows ${blockRows}`;
            const start = blockRows % n;
            const expected = f.mask(plain, start, n);
            assert.deepEqual(Array.from(f.mask(view, start, n)), Array.from(expected), `mask ${what}`);
            const want = trueRowsOf(expected, start);
            assert.deepEqual(Array.from(f.rows(view, start, n)), want, `rows ${what}`);
            const all = Int32Array.from({ length: n - start }, (_, i) => start + i);
            assert.deepEqual(Array.from(all.subarray(0, f.refine(view, all, all.length))), want, `refine ${what}`);
            const v = f.verdict(view, start, n);
            if (v !== MIXED) for (let i = 0; i < expected.length; i++) assert.equal(expected[i], v, `verdict ${what}`);
          }
        }
      }
    }
  }
});
