/**
 * topN: one dimension, per time bucket the `threshold` best values by a
 * metric (numeric, inverted, or dimension ordering). Approximate the way
 * Druid's is: each segment, and each merge, keeps only its best
 * max(threshold, minTopNThreshold) values per bucket (top-n-pruning.ts);
 * the cut to `threshold` happens after the final merge.
 */
import { errors } from '../../common/errors.ts';
import type { AggregatorFactory } from '../aggregation/aggregator-factory.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { planDimension, type DimensionPlan } from '../dimension/dimension-reader.ts';
import { orderingName, stringComparator } from '../filter/string-orderings.ts';
import type { TopNMetricSpec, TopNQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';
import { groupPartials, groupSelectedRows, mergeGrouped, type GroupedPartial } from './grouping.ts';
import { finalizeRow, queryParts } from './query-parts.ts';
import { intervalRowRanges } from './segment-rows.ts';
import { pruneGrouped, type GroupPruner } from './group-pruning.ts';
import { topNKeepCount, topNPruner } from './top-n-pruning.ts';

export interface TopNPartial extends GroupedPartial {
  /** For 'all' granularity: the earliest cursor start among segments. */
  readonly allTime: number | null;
}

interface MetricOrder {
  readonly compare: (a: Record<string, unknown>, b: Record<string, unknown>) => number;
  readonly previousStop: string | null;
}

function metricOrder(spec: TopNMetricSpec, dimName: string, q: TopNQuery): MetricOrder {
  const parts = queryParts(q);
  if (typeof spec === 'string') spec = { type: 'numeric', metric: spec };
  if (spec.type === 'inverted') {
    const inner = metricOrder(spec.metric, dimName, q);
    return { compare: (a, b) => -inner.compare(a, b), previousStop: inner.previousStop };
  }
  if (spec.type === 'numeric') {
    const name = spec.metric;
    const agg = parts.aggregators.find((a) => a.name === name);
    const isPost = parts.postAggregators.some((p) => p.name === name);
    if (agg === undefined && !isPost) throw errors.invalidInput(`topN: metric [${name}] is not an aggregator or post-aggregator`);
    const cmp = agg?.compare ?? ((x: unknown, y: unknown) => (x === y ? 0 : x === null ? -1 : y === null ? 1 : (x as number) - (y as number)));
    return { compare: (a, b) => -cmp(a[name] ?? null, b[name] ?? null), previousStop: null };
  }
  const ordering = orderingName(spec.type === 'dimension' ? spec.ordering ?? 'lexicographic' : spec.type);
  const sc = stringComparator(ordering);
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return { compare: (a, b) => sc(str(a[dimName]), str(b[dimName])), previousStop: spec.previousStop ?? null };
}

const dimCache = new WeakMap<object, DimensionPlan>();
function topNDimension(q: TopNQuery): DimensionPlan {
  let d = dimCache.get(q);
  if (d === undefined) dimCache.set(q, (d = planDimension(q.dimension)));
  return d;
}

const prunerCache = new WeakMap<object, GroupPruner>();
/** The query's per-segment and per-merge pruner (compiled once per query object). */
function pruner(q: TopNQuery): GroupPruner {
  let p = prunerCache.get(q);
  if (p === undefined) prunerCache.set(q, (p = topNPruner(q, queryParts(q), topNDimension(q).outputName, topNKeepCount(q))));
  return p;
}

export const topNEngine: QueryEngine<TopNQuery, TopNPartial> = {
  processSegment(q, view: SegmentView): TopNPartial {
    const parts = queryParts(q);
    const g = groupSelectedRows(view, parts.intervals, parts.filter, parts.granularity, [topNDimension(q)], parts.aggregators, pruner(q));
    let allTime: number | null = null;
    if (parts.granularity.kind === 'all') {
      const ranges = intervalRowRanges(view, parts.intervals);
      if (ranges.length > 0) {
        const t = view.time()[ranges[0].start];
        const iv = parts.intervals.find((i) => i.end > t)!;
        allTime = Math.max(iv.start, view.time()[0]);
      }
    }
    return { ...g, allTime };
  },

  merge(q, partials): TopNPartial {
    const merged = pruneGrouped(mergeGrouped(partials, queryParts(q).aggregators), pruner(q));
    const times = partials.map((p) => p.allTime).filter((t): t is number => t !== null);
    return { ...merged, allTime: times.length === 0 ? null : Math.min(...times) };
  },

  finalize(q, merged): unknown[] {
    const parts = queryParts(q);
    const dim = topNDimension(q);
    const order = metricOrder(q.metric, dim.outputName, q);
    // Finalize only the ordering metric for every group, keep the best `threshold` per bucket, then build those rows.
    const metricName = typeof q.metric === 'string' ? q.metric : q.metric.type === 'numeric' ? q.metric.metric : null;
    const metricAgg = metricName === null ? -1 : parts.aggregators.findIndex((a) => a.name === metricName);
    const dimValues = merged.dims[0] ?? [];
    const rowOf = (g: number): Record<string, unknown> => finalizeRow(parts, groupPartials(merged, g), { [dim.outputName]: dimValues[g] });
    const plainNumeric = metricAgg >= 0 && (typeof q.metric === 'string' || q.metric.type === 'numeric');
    if (plainNumeric && sharesOneBucket(merged)) {
      // One bucket ordered by one aggregator, descending: keep the best `threshold` in one pass, finalize only those.
      const t = merged.times[0] ?? merged.allTime ?? parts.intervals[0].start;
      const best = topByMetric(merged.aggs[metricAgg], parts.aggregators[metricAgg], dimValues, merged.size, q.threshold);
      return merged.size === 0 ? [] : [{ timestamp: toIsoString(t), result: best.map(rowOf) }];
    }
    const metricCol = metricAgg >= 0 ? merged.aggs[metricAgg].map((p) => parts.aggregators[metricAgg].finalize(p)) : null;
    const probe = (g: number): Record<string, unknown> =>
      metricCol !== null ? { [dim.outputName]: dimValues[g], [metricName!]: metricCol[g] } : rowOf(g);
    const byBucket = groupsByBucket(merged, merged.allTime ?? parts.intervals[0].start);
    const sc = stringComparator('lexicographic');
    const dimStr = (g: number) => (dimValues[g] === null || dimValues[g] === undefined ? null : String(dimValues[g]));
    const probes = new Map<number, Record<string, unknown>>();
    const probed = (g: number) => {
      let p = probes.get(g);
      if (p === undefined) probes.set(g, (p = probe(g)));
      return p;
    };
    // Plain numeric descending order compares the metric column directly.
    const simpleNumeric = metricCol !== null && (typeof q.metric === 'string' || q.metric.type === 'numeric');
    const cmp = simpleNumeric
      ? (a: number, b: number) => {
        const x = metricCol![a] as number | null;
        const y = metricCol![b] as number | null;
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          if (x > y) return -1;
          if (x < y) return 1;
        }
        return sc(dimStr(a), dimStr(b));
      }
      : (a: number, b: number) => order.compare(probed(a), probed(b)) || sc(dimStr(a), dimStr(b));
    const out: unknown[] = [];
    for (const t of [...byBucket.keys()].sort((a, b) => a - b)) {
      let items = byBucket.get(t)!;
      if (order.previousStop !== null) {
        const stop = { [dim.outputName]: order.previousStop };
        items = items.filter((g) => order.compare(probed(g), stop) > 0);
      }
      const best = selectTop(items, q.threshold, cmp);
      out.push({ timestamp: toIsoString(t), result: best.map(rowOf) });
    }
    return out;
  },
};

/** True when every group has the same bucket time (null counts as one time). */
function sharesOneBucket(merged: GroupedPartial): boolean {
  const t0 = merged.times[0];
  for (let g = 1; g < merged.size; g++) if (merged.times[g] !== t0) return false;
  return true;
}

/** Dimension value as text for tie-breaking (null stays null). */
function dimText(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * The k best groups by an aggregator's finalized value, descending, nulls
 * last, ties by dimension value (lexicographic): one pass with a bounded
 * sorted buffer; a group is compared only when it can enter the buffer.
 */
export function topByMetric(partials: readonly unknown[], agg: AggregatorFactory, dimValues: readonly unknown[], size: number, k: number): number[] {
  if (k <= 0) return [];
  const sc = stringComparator('lexicographic');
  const ids: number[] = [];
  const vals: (number | null)[] = [];
  // a before b: larger value first, null last, then dimension order.
  const before = (va: number | null, ga: number, vb: number | null, gb: number): boolean => {
    if (va !== vb) {
      if (va === null) return false;
      if (vb === null) return true;
      if (va > vb) return true;
      if (va < vb) return false;
    }
    return sc(dimText(dimValues[ga]), dimText(dimValues[gb])) < 0;
  };
  for (let g = 0; g < size; g++) {
    const v = agg.finalize(partials[g]) as number | null;
    if (ids.length === k) {
      const lv = vals[k - 1];
      // Quick reject: strictly worse than the last kept value.
      if (v === null ? lv !== null : lv !== null && v < lv) continue;
      if (!before(v, g, lv, ids[k - 1])) continue;
      ids.pop();
      vals.pop();
    }
    let i = ids.length;
    ids.push(g);
    vals.push(v);
    while (i > 0 && before(v, g, vals[i - 1], ids[i - 1])) {
      ids[i] = ids[i - 1];
      vals[i] = vals[i - 1];
      i--;
    }
    ids[i] = g;
    vals[i] = v;
  }
  return ids;
}

/** The k smallest items under cmp, sorted (bounded insertion; k is small). */
function selectTop<T>(items: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  if (items.length <= k * 4) return items.slice().sort(cmp).slice(0, k);
  const best: T[] = [];
  for (const it of items) {
    if (best.length === k && cmp(it, best[k - 1]) >= 0) continue;
    let i = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(it);
    while (i > 0 && cmp(it, best[i - 1]) < 0) { best[i] = best[i - 1]; i--; }
    best[i] = it;
  }
  return best;
}

/** Group indices per bucket start (null times are `allTime`); one bucket without a map when every group shares it. */
function groupsByBucket(merged: GroupedPartial, allTime: number): Map<number, number[]> {
  const timeOf = (g: number) => (merged.times[g] === null ? allTime : (merged.times[g] as number));
  const byBucket = new Map<number, number[]>();
  if (merged.size === 0) return byBucket;
  const t0 = timeOf(0);
  let single = true;
  for (let g = 1; g < merged.size && single; g++) single = timeOf(g) === t0;
  if (single) {
    const all = new Array<number>(merged.size);
    for (let g = 0; g < merged.size; g++) all[g] = g;
    byBucket.set(t0, all);
    return byBucket;
  }
  for (let g = 0; g < merged.size; g++) {
    const t = timeOf(g);
    let list = byBucket.get(t);
    if (list === undefined) byBucket.set(t, (list = []));
    list.push(g);
  }
  return byBucket;
}
