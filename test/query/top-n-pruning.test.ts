/**
 * topN's per-segment pruning (Druid's minTopNThreshold): exact when K covers
 * every value, the documented approximation when it does not, exact for
 * dimension orderings, per time bucket; the bounded selection kernel agrees
 * with a full sort.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createQueryExecutor } from '../../query/index.ts';
import { selectBest } from '../../query/engines/group-pruning.ts';
import { DEFAULT_MIN_TOPN_THRESHOLD, topNKeepCount } from '../../query/engines/top-n-pruning.ts';
import { arraySegment, listSource } from './fixtures/array-segment.ts';
import type { Segment } from '../../storage/segment.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);
const COLS = [{ name: 'page', type: 'STRING' as const }, { name: 'n', type: 'LONG' as const }];

/** One segment per entry; each row is [page, n] at the segment's day (plus `hourOf(i)` hours when given). */
function segments(perSegment: readonly (readonly [string | null, number | null])[][], hourOf?: (i: number) => number): Segment[] {
  return perSegment.map((rows, s) => arraySegment('t', { start: T0 + s * DAY, end: T0 + (s + 1) * DAY },
    COLS, rows.map(([page, n], i) => ({ __time: T0 + s * DAY + (hourOf === undefined ? 0 : hourOf(i) * 3_600_000), page, n })), s));
}

function topN(segs: Segment[], extra: Record<string, unknown>): Promise<any[]> {
  const ex = createQueryExecutor({ segments: listSource(segs), workers: 0 });
  return ex.run({ queryType: 'topN', dataSource: 't', intervals: ['2019-01-01/2021-01-01'], granularity: 'all', dimension: 'page',
    aggregations: [{ type: 'longSum', name: 'n', fieldName: 'n' }, { type: 'count', name: 'c' }], ...extra }) as Promise<any[]>;
}

test('K is max(threshold, minTopNThreshold), 1000 by default', () => {
  const q = (threshold: number, context?: Record<string, unknown>) => ({ queryType: 'topN', threshold, context }) as never;
  assert.equal(topNKeepCount(q(5)), DEFAULT_MIN_TOPN_THRESHOLD);
  assert.equal(topNKeepCount(q(5, { minTopNThreshold: 3 })), 5);
  assert.equal(topNKeepCount(q(5, { minTopNThreshold: 50 })), 50);
  assert.equal(topNKeepCount(q(5, { minTopNThreshold: '7' })), 7);
  assert.equal(topNKeepCount(q(2000)), 2000);
});

test('a segment keeps only its best K values: a value second everywhere loses to values first in one segment', async () => {
  // Exact totals: B = 18, A = 10, C = 10. With K = 1 each segment keeps only its leader.
  const segs = segments([[['A', 10], ['B', 9]], [['C', 10], ['B', 9]]]);
  const exact = await topN(segs, { metric: 'n', threshold: 1 });
  assert.deepEqual(exact[0].result, [{ page: 'B', n: 18, c: 2 }]);
  const approx = await topN(segs, { metric: 'n', threshold: 1, context: { minTopNThreshold: 1 } });
  assert.deepEqual(approx[0].result, [{ page: 'A', n: 10, c: 1 }]);
  // With K = 2 every value survives and the answer is exact again.
  const k2 = await topN(segs, { metric: 'n', threshold: 1, context: { minTopNThreshold: 2 } });
  assert.deepEqual(k2, exact);
});

test('a value cut in one segment keeps only the other segments\' contribution', async () => {
  // Segment 0: A 5, B 4, C 3; segment 1: C 100. K = 2 drops C from segment 0, so C shows 100, not 103.
  const segs = segments([[['A', 5], ['B', 4], ['C', 3]], [['C', 100]]]);
  const res = await topN(segs, { metric: 'n', threshold: 2, context: { minTopNThreshold: 2 } });
  assert.deepEqual(res[0].result.map((r: any) => [r.page, r.n]), [['C', 100], ['A', 5]]);
  const exact = await topN(segs, { metric: 'n', threshold: 2 });
  assert.deepEqual(exact[0].result.map((r: any) => [r.page, r.n]), [['C', 103], ['A', 5]]);
  // K is never below the threshold: threshold 3 keeps all three values of segment 0.
  const wide = await topN(segs, { metric: 'n', threshold: 3, context: { minTopNThreshold: 2 } });
  assert.deepEqual(wide[0].result.map((r: any) => [r.page, r.n]), [['C', 103], ['A', 5], ['B', 4]]);
});

test('inverted metric keeps the smallest values per segment, nulls first', async () => {
  const segs = segments([[['A', 1], ['B', 2], ['N', null]], [['A', 50], ['C', 3]]]);
  const res = await topN(segs, { metric: { type: 'inverted', metric: 'n' }, threshold: 2, context: { minTopNThreshold: 2 } });
  // Segment 0 keeps N (null) and A; segment 1 keeps C and A: N null first, then C 3 (A = 51).
  assert.deepEqual(res[0].result.map((r: any) => [r.page, r.n]), [['N', null], ['C', 3]]);
});

test('dimension orderings stay exact under pruning, with previousStop and inverted', async () => {
  const pages = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const segs = segments([0, 1, 2].map((s) => pages.filter((_, i) => (i + s) % 3 !== 0).map((p, i) => [p, i] as const)));
  for (const metric of [{ type: 'dimension', ordering: 'lexicographic' }, { type: 'dimension', ordering: 'lexicographic', previousStop: 'p07' },
    { type: 'inverted', metric: { type: 'dimension', ordering: 'lexicographic' } }, { type: 'dimension', ordering: 'alphanumeric' }]) {
    const exact = await topN(segs, { metric, threshold: 5, context: { minTopNThreshold: 10_000 } });
    const pruned = await topN(segs, { metric, threshold: 5, context: { minTopNThreshold: 1 } });
    assert.deepEqual(pruned, exact, JSON.stringify(metric));
    assert.equal(exact[0].result.length, 5);
  }
});

test('lexicographic ordering over a numeric dimension stays exact under pruning (text order, not numeric)', async () => {
  // Values ascend within each segment, so segment partials arrive ordered (numerically) and merge in order;
  // numeric and text order disagree across segments (2..6 against 100..104).
  const segs = segments([[2, 3, 4, 5, 6], [100, 101, 102, 103, 104], [7, 50]].map((vals) => vals.map((n) => ['x', n] as const)));
  for (const metric of [{ type: 'dimension', ordering: 'lexicographic' }, { type: 'inverted', metric: { type: 'dimension', ordering: 'lexicographic' } }]) {
    const q = { dimension: { type: 'default', dimension: 'n', outputName: 'v' }, metric, threshold: 4 };
    const exact = await topN(segs, { ...q, context: { minTopNThreshold: 10_000 } });
    const pruned = await topN(segs, { ...q, context: { minTopNThreshold: 1 } });
    assert.deepEqual(pruned, exact);
  }
  const asc = await topN(segs, { dimension: { type: 'default', dimension: 'n', outputName: 'v' }, metric: { type: 'dimension', ordering: 'lexicographic' }, threshold: 4, context: { minTopNThreshold: 1 } });
  assert.deepEqual(asc[0].result.map((r: any) => r.v), [100, 101, 102, 103]);
});

test('with K at least the number of values, pruned results equal the exact ones (random data, several buckets)', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.array(fc.tuple(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { nil: null }), fc.option(fc.integer({ min: -5, max: 20 }), { nil: null })), { maxLength: 30 }), { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom<unknown>('n', 'c', { type: 'inverted', metric: 'n' }, 'ratio'),
    fc.constantFrom('all', 'hour'),
    async (data, threshold, metric, granularity) => {
      const segs = segments(data, (i) => i % 3);
      const post = [{ type: 'arithmetic', name: 'ratio', fn: '/', fields: [{ type: 'fieldAccess', fieldName: 'n' }, { type: 'fieldAccess', fieldName: 'c' }] }];
      const q = { metric, threshold, granularity, postAggregations: post };
      const exact = await topN(segs, { ...q, context: { minTopNThreshold: 100_000 } });
      const covered = await topN(segs, { ...q, context: { minTopNThreshold: 9 } });
      assert.deepEqual(covered, exact);
      // A smaller K never returns more rows per bucket than the threshold, nor values that do not exist.
      const small = await topN(segs, { ...q, context: { minTopNThreshold: 1 } });
      assert.equal(small.length, exact.length);
      for (let b = 0; b < small.length; b++) {
        assert.equal(small[b].timestamp, exact[b].timestamp);
        assert.ok(small[b].result.length <= threshold);
      }
    },
  ), { numRuns: 150 });
});

/** Druid's algorithm spelled out: per segment and hour bucket keep the best K, merge, keep the best `threshold`. */
function modelTopN(data: readonly (readonly [string | null, number | null])[][], metric: 'n' | 'c', inverted: boolean, hourly: boolean, k: number, threshold: number): [string, (string | null)[]][] {
  type G = { page: string | null; n: number | null; c: number };
  const better = (a: G, b: G): number => {
    const x = a[metric], y = b[metric];
    if (x !== y) {
      if (x === null) return inverted ? -1 : 1;
      if (y === null) return inverted ? 1 : -1;
      return inverted ? x - y : y - x;
    }
    return a.page === b.page ? 0 : a.page === null ? -1 : b.page === null ? 1 : a.page < b.page ? -1 : 1;
  };
  const merged = new Map<string, Map<string | null, G>>();
  data.forEach((rows, s) => {
    const buckets = new Map<string, Map<string | null, G>>();
    rows.forEach(([page, n], i) => {
      const t = new Date(T0 + s * DAY + (hourly ? (i % 3) * 3_600_000 : 0)).toISOString();
      const key = hourly ? t : 'all';
      let b = buckets.get(key);
      if (b === undefined) buckets.set(key, (b = new Map()));
      const g = b.get(page) ?? { page, n: null, c: 0 };
      g.c++;
      if (n !== null) g.n = (g.n ?? 0) + n;
      b.set(page, g);
    });
    for (const [t, b] of buckets) {
      let m = merged.get(t);
      if (m === undefined) merged.set(t, (m = new Map()));
      for (const g of [...b.values()].sort(better).slice(0, k)) {
        const prev = m.get(g.page);
        m.set(g.page, prev === undefined ? { ...g } : { page: g.page, c: prev.c + g.c, n: prev.n === null ? g.n : g.n === null ? prev.n : prev.n + g.n });
      }
    }
  });
  return [...merged.keys()].sort().map((t) => [t, [...merged.get(t)!.values()].sort(better).slice(0, threshold).map((g) => g.page)]);
}

test('with a small K, results follow Druid\'s per-segment algorithm (reference model)', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.array(fc.tuple(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: null }), fc.option(fc.integer({ min: -5, max: 20 }), { nil: null })), { maxLength: 25 }), { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<'n' | 'c'>('n', 'c'), fc.boolean(), fc.boolean(),
    async (data, threshold, minK, metric, inverted, hourly) => {
      const segs = segments(data, (i) => i % 3);
      const res = await topN(segs, { metric: inverted ? { type: 'inverted', metric } : metric, threshold, granularity: hourly ? 'hour' : 'all', context: { minTopNThreshold: minK } });
      const expected = modelTopN(data, metric, inverted, hourly, Math.max(threshold, minK), threshold);
      const got = res.filter((r: any) => r.result.length > 0).map((r: any) => [hourly ? r.timestamp : 'all', r.result.map((x: any) => x.page)]);
      assert.deepEqual(got, expected);
    },
  ), { numRuns: 200 });
});

test('pruning is per time bucket: each hour keeps its own best K', async () => {
  // Hour 0: A 9, B 1; hour 1: B 9, A 1 (one segment). K = 1 per bucket keeps A in hour 0 and B in hour 1.
  const segs = [arraySegment('t', { start: T0, end: T0 + DAY }, COLS, [
    { __time: T0, page: 'A', n: 9 }, { __time: T0, page: 'B', n: 1 },
    { __time: T0 + 3_600_000, page: 'B', n: 9 }, { __time: T0 + 3_600_000, page: 'A', n: 1 }])];
  const res = await topN(segs, { metric: 'n', threshold: 1, granularity: 'hour', context: { minTopNThreshold: 1 } });
  assert.deepEqual(res.map((r: any) => [r.timestamp.slice(11, 13), r.result[0].page, r.result[0].n]), [['00', 'A', 9], ['01', 'B', 9]]);
});

test('selectBest keeps the k best under a ranking (same set as a full sort)', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (vals, k) => {
    const items = Int32Array.from(vals.map((_, i) => i));
    // Rank by value descending, then index ascending (a strict total order).
    const better = (a: number, b: number) => vals[a] > vals[b] || (vals[a] === vals[b] && a < b);
    const got = [...selectBest(items, k, better)].sort((a, b) => a - b);
    const expected = [...items].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, k).sort((a, b) => a - b);
    assert.deepEqual(got, expected);
  }), { numRuns: 500 });
});
