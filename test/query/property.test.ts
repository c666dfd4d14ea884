/**
 * Property tests: random data, random filters/aggregators/granularities; the
 * engine's results must equal a naive row-by-row evaluator written here, and
 * the bitmap and mask evaluation paths of every filter must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileFilter } from '../../query/filter/compiled-filter.ts';
import { SegmentView } from '../../query/engine/segment-view.ts';
import type { Filter } from '../../query/model/filter.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { arraySegment, listSource } from './fixtures/array-segment.ts';

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
  __time: fc.integer({ min: 0, max: 2 * 24 - 1 }).map((h) => DAY + h * HOUR),
  d1: fc.constantFrom('a', 'b', 'c', 'ab', '', null),
  d2: fc.constantFrom('x', 'y', '10', '9', null),
  m1: fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }),
  m2: fc.option(fc.double({ min: -10, max: 10, noNaN: true }).map((x) => Math.round(x * 4) / 4), { nil: null }),
});

const leafArb: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ type: fc.constant('selector' as const), dimension: fc.constantFrom('d1', 'd2', 'm1'), value: fc.constantFrom('a', 'b', '', 'x', '10', '3', null) }),
  fc.record({ type: fc.constant('in' as const), dimension: fc.constantFrom('d1', 'd2'), values: fc.subarray(['a', 'ab', 'x', '9', '', null]) }),
  fc.record({
    type: fc.constant('bound' as const), dimension: fc.constantFrom('d1', 'd2', 'm1', 'm2'),
    lower: fc.constantFrom('a', '0', '5', null), upper: fc.constantFrom('b', '10', null),
    lowerStrict: fc.boolean(), upperStrict: fc.boolean(), ordering: fc.constantFrom('lexicographic' as const, 'numeric' as const),
  }),
  fc.record({ type: fc.constant('like' as const), dimension: fc.constantFrom('d1', 'd2'), pattern: fc.constantFrom('a%', '_', '%b%', '1_') }),
  fc.record({ type: fc.constant('null' as const), column: fc.constantFrom('d1', 'd2', 'm1', 'missing') }),
  fc.record({ type: fc.constant('range' as const), column: fc.constantFrom('m1', 'm2'), matchValueType: fc.constant('DOUBLE'), lower: fc.constantFrom(-2, 0, 3), upper: fc.constantFrom(5, 8), lowerOpen: fc.boolean(), upperOpen: fc.boolean() }),
);

const filterArb: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({ type: fc.constant('and' as const), fields: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ type: fc.constant('or' as const), fields: fc.array(tie('f'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), field: tie('f') }),
  ),
})).f;

// ---- naive evaluator (three-valued: 0 false, 1 unknown, 2 true) ----
function cmpLex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  if (s.trim() === '') return null;
  const x = Number(s);
  return Number.isNaN(x) ? null : x;
}
function naive(f: Filter, r: Row): number {
  const get = (c: string): unknown => (r as Record<string, unknown>)[c] ?? null;
  const asStr = (v: unknown) => (v === null ? null : String(v));
  switch (f.type) {
    case 'selector': {
      const v = asStr(get(f.dimension));
      if (f.value === null) return v === null ? 2 : 0;
      if (v === null) return 1;
      if (typeof get(f.dimension) === 'number') return num(f.value) === get(f.dimension) ? 2 : 0;
      return v === f.value ? 2 : 0;
    }
    case 'in': {
      const v = asStr(get(f.dimension));
      if (v === null) return f.values.includes(null) ? 2 : 1;
      return f.values.includes(v) ? 2 : 0;
    }
    case 'bound': {
      const raw = get(f.dimension);
      if (raw === null) return 1;
      if (f.ordering === 'numeric') {
        const x = num(raw);
        if (x === null) return 0;
        const lo = num(f.lower ?? null);
        const hi = num(f.upper ?? null);
        if (lo !== null && (f.lowerStrict ? !(x > lo) : !(x >= lo))) return 0;
        if (hi !== null && (f.upperStrict ? !(x < hi) : !(x <= hi))) return 0;
        return 2;
      }
      const s = String(raw);
      if (f.lower != null) { const c = cmpLex(s, f.lower); if (f.lowerStrict ? c <= 0 : c < 0) return 0; }
      if (f.upper != null) { const c = cmpLex(s, f.upper); if (f.upperStrict ? c >= 0 : c > 0) return 0; }
      return 2;
    }
    case 'like': {
      const v = asStr(get(f.dimension));
      if (v === null) return 1;
      const re = new RegExp('^' + f.pattern.replace(/%/g, '.*').replace(/_/g, '.') + '$', 's');
      return re.test(v) ? 2 : 0;
    }
    case 'null':
      return get(f.column) === null ? 2 : 0;
    case 'range': {
      const x = num(get(f.column));
      if (x === null) return 1;
      const lo = f.lower as number;
      const hi = f.upper as number;
      if (f.lowerOpen ? !(x > lo) : !(x >= lo)) return 0;
      if (f.upperOpen ? !(x < hi) : !(x <= hi)) return 0;
      return 2;
    }
    case 'and': return Math.min(...f.fields.map((g) => naive(g, r)));
    case 'or': return Math.max(...f.fields.map((g) => naive(g, r)));
    case 'not': return 2 - naive(f.field, r);
    default: throw new Error(`naive: ${f.type}`);
  }
}

function splitSegments(rows: Row[], cuts: number): ReturnType<typeof arraySegment>[] {
  // Split by day, then each day into `cuts` partitions round-robin.
  const segs = [];
  for (let d = 0; d < 2; d++) {
    const start = DAY + d * 24 * HOUR;
    const dayRows = rows.filter((r) => r.__time >= start && r.__time < start + 24 * HOUR);
    for (let p = 0; p < cuts; p++) {
      const part = dayRows.filter((_, i) => i % cuts === p);
      if (part.length > 0) segs.push(arraySegment('t', { start, end: start + 24 * HOUR }, COLS, part, p));
    }
  }
  return segs;
}

test('bitmap and mask filter paths agree, and match the naive evaluator', () => {
  fc.assert(fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), filterArb, (rows, filter) => {
    const sorted = rows.slice().sort((a, b) => a.__time - b.__time);
    const seg = arraySegment('t', { start: DAY, end: DAY + 48 * HOUR }, COLS, sorted);
    const view = new SegmentView(seg);
    const f = compileFilter(filter);
    const mask = f.mask(view, 0, seg.numRows);
    const times = seg.time();
    // Segment rows are stably sorted by time, as `sorted` is.
    for (let r = 0; r < seg.numRows; r++) {
      assert.equal(times[r], sorted[r].__time);
      assert.equal(mask[r], naive(filter, sorted[r]), `row ${r} ${JSON.stringify(sorted[r])} filter ${JSON.stringify(filter)}`);
    }
    // Any sub-range gives the same answers as the whole segment.
    const s0 = Math.floor(seg.numRows / 3);
    const e0 = Math.max(s0, seg.numRows - 1);
    const sub = compileFilter(filter).mask(view, s0, e0);
    for (let r = s0; r < e0; r++) assert.equal(sub[r - s0], mask[r], `sub-range row ${r} filter ${JSON.stringify(filter)}`);
    const b = f.bitmaps(view);
    if (b !== null) {
      for (let r = 0; r < seg.numRows; r++) {
        const tri: number = b.t.has(r) ? 2 : b.u.has(r) ? 1 : 0;
        assert.equal(tri, mask[r], `bitmap path row ${r} filter ${JSON.stringify(filter)}`);
      }
    }
  }), { numRuns: 300, seed: 42 });
});

const aggsArb = fc.constantFrom(
  [{ type: 'count', name: 'c' }],
  [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'm1' }],
  [{ type: 'doubleMin', name: 'mn', fieldName: 'm2' }, { type: 'doubleMax', name: 'mx', fieldName: 'm2' }, { type: 'longMax', name: 'lm', fieldName: 'm1' }],
  [{ type: 'doubleSum', name: 'ds', fieldName: 'm2' }, { type: 'filtered', filter: { type: 'selector', dimension: 'd1', value: 'a' }, aggregator: { type: 'count', name: 'fc' } }],
);

type Agg = { type: string; name?: string; fieldName?: string; filter?: Filter; aggregator?: Agg };
function naiveAggs(aggs: Agg[], rows: Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of aggs) {
    if (a.type === 'filtered') {
      Object.assign(out, naiveAggs([a.aggregator!], rows.filter((r) => naive(a.filter!, r) === 2)));
      continue;
    }
    const vals = rows.map((r) => (r as Record<string, unknown>)[a.fieldName ?? ''] as number | null).filter((v): v is number => v !== null);
    if (a.type === 'count') out[a.name!] = rows.length;
    else if (vals.length === 0) out[a.name!] = null;
    else if (a.type.endsWith('Sum')) out[a.name!] = vals.reduce((x, y) => x + y, 0);
    else if (a.type.endsWith('Min')) out[a.name!] = Math.min(...vals);
    else out[a.name!] = Math.max(...vals);
  }
  return out;
}

test('groupBy and timeseries equal the naive evaluator over random segments', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(rowArb, { minLength: 0, maxLength: 80 }), fc.option(filterArb, { nil: null }), aggsArb,
    fc.constantFrom('all', 'hour', 'day', 'six_hour'), fc.integer({ min: 1, max: 3 }), fc.constantFrom(['d1'], ['d2'], ['d1', 'd2'], []),
    async (rows, filter, aggs, gran, cuts, dims) => {
      const ex = createQueryExecutor({ segments: listSource(splitSegments(rows, cuts)) });
      const interval = ['2020-01-01/2020-01-03'];
      const matching = rows.filter((r) => filter === null || naive(filter, r) === 2);
      const bucket = (t: number) => (gran === 'all' ? 0 : gran === 'hour' ? Math.floor(t / HOUR) * HOUR : gran === 'day' ? Math.floor(t / (24 * HOUR)) * 24 * HOUR : Math.floor(t / (6 * HOUR)) * 6 * HOUR);
      // groupBy
      const gb = (await ex.run({ queryType: 'groupBy', dataSource: 't', intervals: interval, granularity: gran, dimensions: dims, filter, aggregations: aggs })) as { timestamp: string; event: Record<string, unknown> }[];
      const groups = new Map<string, Row[]>();
      for (const r of matching) {
        const key = JSON.stringify([bucket(r.__time), ...dims.map((d) => (r as Record<string, unknown>)[d])]);
        const list = groups.get(key) ?? [];
        list.push(r);
        groups.set(key, list);
      }
      const expected = [...groups.entries()].map(([k, rs]) => {
        const [t, ...dv] = JSON.parse(k) as [number, ...(string | null)[]];
        const event: Record<string, unknown> = {};
        dims.forEach((d, i) => { event[d] = dv[i]; });
        return { t: gran === 'all' ? DAY : t, dv, event: { ...event, ...naiveAggs(aggs as unknown as Agg[], rs) } };
      }).sort((a, b) => a.t - b.t || cmpRows(a.dv, b.dv));
      assert.equal(gb.length, expected.length, 'group count');
      gb.forEach((row, i) => {
        assert.equal(Date.parse(row.timestamp), expected[i].t);
        assertClose(row.event, expected[i].event);
      });
      // timeseries with skipEmptyBuckets
      if (gran !== 'all') {
        const ts = (await ex.run({ queryType: 'timeseries', dataSource: 't', intervals: interval, granularity: gran, filter, aggregations: aggs, context: { skipEmptyBuckets: true } })) as { timestamp: string; result: Record<string, unknown> }[];
        const byBucket = new Map<number, Row[]>();
        for (const r of matching) byBucket.set(bucket(r.__time), [...(byBucket.get(bucket(r.__time)) ?? []), r]);
        const exp = [...byBucket.entries()].sort((a, b) => a[0] - b[0]);
        assert.equal(ts.length, exp.length, 'bucket count');
        ts.forEach((row, i) => {
          assert.equal(Date.parse(row.timestamp), exp[i][0]);
          assertClose(row.result, naiveAggs(aggs as unknown as Agg[], exp[i][1]));
        });
      }
    }), { numRuns: 150, seed: 7 });
});

function cmpRows(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === null) return -1;
    if (b[i] === null) return 1;
    return cmpLex(a[i]!, b[i]!);
  }
  return 0;
}

function assertClose(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const k of Object.keys(expected)) {
    const e = expected[k];
    const a = actual[k];
    if (typeof e === 'number' && typeof a === 'number') assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${k}: ${a} != ${e}`);
    else assert.equal(a, e, k);
  }
}
