/**
 * topN's approximation, as Druid defines it: every segment (and every merge
 * of segment results below the final one) keeps only its best
 * K = max(threshold, minTopNThreshold) values per time bucket, ranked the
 * way the query's metric spec ranks them; the final cut to `threshold`
 * happens after the merge. A value that is outside a segment's top K there
 * loses that segment's contribution, so metric-ordered results can differ
 * from exact ones when a dimension has more than K values in a segment.
 * Dimension orderings stay exact: the K first values overall are among the
 * K first of every segment that holds them.
 */
import type { TopNMetricSpec, TopNQuery } from '../model/query.ts';
import { orderingName, stringComparator } from '../filter/string-orderings.ts';
import { compareNullableUtf8 } from '../../storage/dictionary-order.ts';
import type { GroupCandidates, GroupPruner } from './group-pruning.ts';
import { selectBest } from './group-pruning.ts';
import { finalizeRow, type QueryParts } from './query-parts.ts';

/** Druid's default for the `minTopNThreshold` query context key. */
export const DEFAULT_MIN_TOPN_THRESHOLD = 1000;

/** K: how many values per bucket a segment keeps, max(threshold, context minTopNThreshold or 1000). */
export function topNKeepCount(q: TopNQuery): number {
  const raw = q.context?.minTopNThreshold;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  const min = Number.isFinite(n) && n >= 0 ? Math.floor(n) : DEFAULT_MIN_TOPN_THRESHOLD;
  return Math.max(q.threshold, min);
}

/** Dimension value as text for tie-breaks and orderings (null stays null). */
function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** The metric spec with `inverted` wrappers removed, and whether an odd number of them flips the order. */
type PlainMetricSpec = Exclude<TopNMetricSpec, string | { readonly type: 'inverted' }>;

function unwrap(spec: TopNMetricSpec): { spec: PlainMetricSpec; inverted: boolean } {
  let inverted = false;
  let s: TopNMetricSpec = spec;
  for (;;) {
    if (typeof s === 'string') return { spec: { type: 'numeric', metric: s }, inverted };
    if (s.type !== 'inverted') return { spec: s, inverted };
    inverted = !inverted;
    s = s.metric;
  }
}

/** Default comparison of finalized metric values (post-aggregators): nulls first, then numeric order. */
function compareValues(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null || y === undefined) return 1;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/**
 * The pruner that keeps, per bucket, the best `keep` candidates under the
 * query's metric spec (ties by dimension value, lexicographic), dropping
 * values at or before `previousStop` for dimension orderings. Metric values
 * are finalized only when some bucket holds more than `keep` candidates.
 */
export function topNPruner(q: TopNQuery, parts: QueryParts, dimName: string, keep: number): GroupPruner {
  const { spec, inverted } = unwrap(q.metric);
  const lex = compareNullableUtf8;
  const sign = inverted ? -1 : 1;
  return (c: GroupCandidates): Int32Array | null => {
    const stop = spec.type === 'numeric' ? null : spec.previousStop ?? null;
    if (c.size <= keep && stop === null) return null;
    const buckets = bucketLists(c);
    if (stop === null && buckets.every((b) => b.length <= keep)) return null;
    // Candidates already in dimension order tie-break by index (no string comparison).
    const tie = c.textOrdered ? (a: number, b: number): number => a - b : (a: number, b: number): number => lex(text(c.dim(0, a)), text(c.dim(0, b)));
    let better: (a: number, b: number) => boolean;
    let admit: ((i: number) => boolean) | null = null;
    if (spec.type === 'numeric') {
      better = numericRanking(c, parts, spec.metric, dimName, sign, tie);
    } else {
      const ordering = orderingName(spec.type === 'dimension' ? spec.ordering ?? 'lexicographic' : spec.type);
      const sc = stringComparator(ordering);
      const order = ordering === 'lexicographic' ? (a: number, b: number): number => sign * tie(a, b) : (a: number, b: number): number => sign * sc(text(c.dim(0, a)), text(c.dim(0, b)));
      better = (a, b) => {
        const o = order(a, b);
        return o < 0 || (o === 0 && tie(a, b) < 0);
      };
      if (stop !== null) admit = (i) => sign * sc(text(c.dim(0, i)), stop) > 0;
    }
    let total = 0;
    const kept: Int32Array[] = [];
    for (let items of buckets) {
      if (admit !== null) items = items.filter(admit);
      const best = selectBest(items, keep, better);
      kept.push(best);
      total += best.length;
    }
    if (total === c.size) return null;
    const out = new Int32Array(total);
    let at = 0;
    for (const k of kept) {
      out.set(k, at);
      at += k.length;
    }
    return out.sort();
  };
}

/** Candidate indices per distinct bucket time (one list when all share it). */
function bucketLists(c: GroupCandidates): Int32Array[] {
  if (c.oneBucket) {
    const all = new Int32Array(c.size);
    for (let i = 0; i < c.size; i++) all[i] = i;
    return [all];
  }
  const lists = new Map<number | null, number[]>();
  for (let i = 0; i < c.size; i++) {
    const t = c.time(i);
    let l = lists.get(t);
    if (l === undefined) lists.set(t, (l = []));
    l.push(i);
  }
  return [...lists.values()].map((l) => Int32Array.from(l));
}

/**
 * Ranking by an aggregator's or post-aggregator's finalized value: larger
 * first and nulls last (sign 1), or smaller first and nulls first when
 * inverted (sign -1); equal values by `tie`.
 */
function numericRanking(c: GroupCandidates, parts: QueryParts, metric: string, dimName: string, sign: number,
  tie: (a: number, b: number) => number): (a: number, b: number) => boolean {
  const aggAt = parts.aggregators.findIndex((a) => a.name === metric);
  const values = new Array<unknown>(c.size);
  if (aggAt >= 0) {
    const agg = parts.aggregators[aggAt];
    for (let i = 0; i < c.size; i++) values[i] = agg.finalize(c.partial(aggAt, i));
  } else {
    const partials = new Array<unknown>(parts.aggregators.length);
    for (let i = 0; i < c.size; i++) {
      for (let a = 0; a < partials.length; a++) partials[a] = c.partial(a, i);
      values[i] = finalizeRow(parts, partials, { [dimName]: c.dim(0, i) })[metric] ?? null;
    }
  }
  let numeric = true;
  for (let i = 0; i < c.size && numeric; i++) numeric = values[i] === null || typeof values[i] === 'number';
  if (numeric) {
    const vals = new Float64Array(c.size);
    const isNull = new Uint8Array(c.size);
    for (let i = 0; i < c.size; i++) {
      if (values[i] === null) isNull[i] = 1;
      else vals[i] = sign * (values[i] as number);
    }
    const nullWins = sign < 0;
    return (a, b) => {
      const na = isNull[a];
      if (na !== isNull[b]) return (na === 1) === nullWins;
      if (na === 0) {
        const x = vals[a];
        const y = vals[b];
        if (x > y) return true;
        if (x < y) return false;
      }
      return tie(a, b) < 0;
    };
  }
  const cmp = aggAt >= 0 ? parts.aggregators[aggAt].compare.bind(parts.aggregators[aggAt]) : compareValues;
  return (a, b) => {
    const o = -sign * cmp(values[a], values[b]);
    return o < 0 || (o === 0 && tie(a, b) < 0);
  };
}
