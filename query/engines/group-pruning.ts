/**
 * Pruning of candidate groups before their aggregator partials are built:
 * an engine that only needs some groups (topN keeps the best K per time
 * bucket) ranks the candidates from their keys and, where it must, from a
 * few partials read on demand; only the kept groups then get materialised.
 */
import type { GroupedPartial } from './grouped-partial.ts';

/** Candidate groups of one segment (or of a merge); keys and partials are read on demand. */
export interface GroupCandidates {
  readonly size: number;
  /** Bucket start of candidate i (null for granularity 'all'). */
  time(i: number): number | null;
  /** Value of dimension d for candidate i. */
  dim(d: number, i: number): unknown;
  /** Aggregator `agg`'s partial of candidate i. */
  partial(agg: number, i: number): unknown;
  /** Set when every candidate has the same bucket time. */
  readonly oneBucket: boolean;
  /** Set when candidates ascend by (bucket time, dimension values) as GroupedPartial.ordered describes. */
  readonly ordered: boolean;
  /** Set when, within one bucket, index order is the code point order of the values' text (nulls first). */
  readonly textOrdered: boolean;
}

/**
 * Chooses which candidates survive: strictly ascending candidate indices
 * (so an ordered partial stays ordered), or null to keep every candidate.
 */
export type GroupPruner = (c: GroupCandidates) => Int32Array | null;

/**
 * Builds a grouped partial from candidates: with no pruner (or when it keeps
 * all), every candidate; otherwise only the kept ones. `ordered` says the
 * candidates ascend by (time, dimension values), as GroupedPartial.ordered.
 */
export function assembleGroups(c: GroupCandidates, numDims: number, numAggs: number, prune: GroupPruner | null | undefined): GroupedPartial {
  const keep = prune === null || prune === undefined ? null : prune(c);
  const n = keep === null ? c.size : keep.length;
  const times = new Array<number | null>(n);
  const dims: unknown[][] = [];
  const aggs: unknown[][] = [];
  if (keep === null) {
    for (let k = 0; k < n; k++) times[k] = c.time(k);
    for (let d = 0; d < numDims; d++) {
      const col = new Array<unknown>(n);
      for (let k = 0; k < n; k++) col[k] = c.dim(d, k);
      dims.push(col);
    }
    for (let a = 0; a < numAggs; a++) {
      const col = new Array<unknown>(n);
      for (let k = 0; k < n; k++) col[k] = c.partial(a, k);
      aggs.push(col);
    }
  } else {
    for (let k = 0; k < n; k++) times[k] = c.time(keep[k]);
    for (let d = 0; d < numDims; d++) {
      const col = new Array<unknown>(n);
      for (let k = 0; k < n; k++) col[k] = c.dim(d, keep[k]);
      dims.push(col);
    }
    for (let a = 0; a < numAggs; a++) {
      const col = new Array<unknown>(n);
      for (let k = 0; k < n; k++) col[k] = c.partial(a, keep[k]);
      aggs.push(col);
    }
  }
  return c.ordered ? { size: n, times, dims, aggs, ordered: true } : { size: n, times, dims, aggs };
}

/** True when every entry of `times` is the same. */
function allSame(times: readonly (number | null)[]): boolean {
  const t0 = times[0];
  for (let i = 1; i < times.length; i++) if (times[i] !== t0) return false;
  return true;
}

/** True when every value of col[0..n) is a string or null. */
function allText(col: readonly unknown[], n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (v !== null && v !== undefined && typeof v !== 'string') return false;
  }
  return true;
}

/** Prunes an existing grouped partial (e.g. after a merge); returns it unchanged when the pruner keeps all. */
export function pruneGrouped(p: GroupedPartial, prune: GroupPruner): GroupedPartial {
  const c: GroupCandidates = {
    size: p.size, time: (i) => p.times[i], dim: (d, i) => p.dims[d][i], partial: (a, i) => p.aggs[a][i],
    oneBucket: allSame(p.times), ordered: p.ordered === true,
    // Ordered numbers ascend numerically, not by their text.
    textOrdered: p.ordered === true && p.dims.every((col) => allText(col, p.size)),
  };
  const keep = prune(c);
  if (keep === null) return p;
  return assembleGroups({ ...c, size: keep.length, time: (i) => c.time(keep[i]), dim: (d, i) => c.dim(d, keep[i]), partial: (a, i) => c.partial(a, keep[i]) },
    p.dims.length, p.aggs.length, null);
}

/**
 * The `k` best of `items` under `better(a, b)` (true when a ranks strictly
 * before b): a bounded max-heap of the worst kept item, so a candidate that
 * cannot enter costs one comparison. Returns the kept items in no particular
 * order; `items` is left untouched.
 */
export function selectBest(items: Int32Array, k: number, better: (a: number, b: number) => boolean): Int32Array {
  const n = items.length;
  if (n <= k) return items.slice();
  const heap = new Int32Array(k);
  // heap[0] is the worst kept item: every parent ranks no better than its children.
  const siftDown = (at: number): void => {
    const x = heap[at];
    for (;;) {
      const l = 2 * at + 1;
      if (l >= k) break;
      const r = l + 1;
      const worse = r < k && better(heap[l], heap[r]) ? r : l;
      // x stays when it ranks no better than its worse child.
      if (!better(x, heap[worse])) break;
      heap[at] = heap[worse];
      at = worse;
    }
    heap[at] = x;
  };
  for (let i = 0; i < k; i++) heap[i] = items[i];
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = k; i < n; i++) {
    const it = items[i];
    if (!better(it, heap[0])) continue;
    heap[0] = it;
    siftDown(0);
  }
  return heap;
}
