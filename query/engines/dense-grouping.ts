/**
 * Dense grouping over one contiguous row range: every row of the range gets a
 * packed group key (time bucket, then single-valued dimension ids) written
 * into a per-thread scratch array indexed by row; rows a filter mask rejects
 * get one extra "discard" key. Aggregators then accumulate straight from the
 * keys through their aggregateByIds kernels: no row list, no hashing, no
 * per-query key arrays. Used when the key space is small enough to index.
 */
import type { Granularity } from '../../storage/time/granularity.ts';
import type { AggregatorFactory, SegmentAggregator } from '../aggregation/aggregator-factory.ts';
import { lowerBound } from '../engine/selection.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import type { SegmentDimension } from '../dimension/dimension-reader.ts';
import type { GroupedPartial } from './grouped-partial.ts';
import { assembleGroups, type GroupCandidates, type GroupPruner } from './group-pruning.ts';

let keyScratch = new Int32Array(0);
let countScratch = new Int32Array(0);

/** A scratch Int32Array of at least n entries (reused across queries on this thread; contents undefined). */
function keysOfLength(n: number): Int32Array {
  if (keyScratch.length < n) keyScratch = new Int32Array(Math.max(n, Math.ceil(keyScratch.length * 1.5)));
  return keyScratch;
}

/** A zeroed scratch Int32Array of at least n entries (reused across queries on this thread). */
function zeroCounts(n: number): Int32Array {
  if (countScratch.length < n) countScratch = new Int32Array(Math.max(n, Math.ceil(countScratch.length * 1.5)));
  else countScratch.fill(0, 0, n);
  return countScratch;
}

/** out[r] = base + ids[r] for r in [s, e). */
export function setKeys(ids: Int32Array, s: number, e: number, base: number, out: Int32Array): void {
  for (let r = s; r < e; r++) out[r] = base + ids[r];
}

/** out[r] = base + ids[r] * stride for r in [s, e). */
export function setKeysStrided(ids: Int32Array, s: number, e: number, base: number, stride: number, out: Int32Array): void {
  for (let r = s; r < e; r++) out[r] = base + ids[r] * stride;
}

/** out[r] += ids[r] * stride for r in [s, e). */
export function addKeys(ids: Int32Array, s: number, e: number, stride: number, out: Int32Array): void {
  for (let r = s; r < e; r++) out[r] += ids[r] * stride;
}

/** out[r] = base + ids[r] where mask[r - m0] is TRUE (2), else discard; branchless. */
export function setKeysMasked(ids: Int32Array, s: number, e: number, base: number, mask: Uint8Array, m0: number, discard: number, out: Int32Array): void {
  const d = base - discard;
  for (let r = s; r < e; r++) out[r] = discard + ((d + ids[r]) & -(mask[r - m0] >> 1));
}

/** out[r] = discard where mask[r - m0] is not TRUE; branchless. */
export function maskKeys(mask: Uint8Array, m0: number, s: number, e: number, discard: number, out: Int32Array): void {
  for (let r = s; r < e; r++) out[r] = discard + ((out[r] - discard) & -(mask[r - m0] >> 1));
}

/** counts[keys[r]]++ for r in [s, e). */
export function countKeys(keys: Int32Array, s: number, e: number, counts: Int32Array): void {
  for (let r = s; r < e; r++) counts[keys[r]]++;
}

/** Bucket boundaries of [start, end) as row positions; null when there are more than maxBuckets. */
function bucketRanges(time: Float64Array, start: number, end: number, gran: Granularity, maxBuckets: number): { starts: number[]; ends: number[] } | null {
  const starts: number[] = [];
  const ends: number[] = [];
  let s = start;
  while (s < end) {
    if (starts.length >= maxBuckets) return null;
    const b = gran.bucketStart(time[s]);
    s = lowerBound(time, gran.next(b), s, end);
    starts.push(b);
    ends.push(s);
  }
  return { starts, ends };
}

/**
 * Groups rows [start, end) (those with mask[r - start] === TRUE when a mask is
 * given) by time bucket and single-valued dimensions. Returns null when this
 * path does not apply (a multi-value dimension, an aggregator without
 * aggregateByIds, or a key space above `maxKeys`); the caller then groups the
 * generic way. With a pruner, only the groups it keeps get partials.
 */
export function denseGroupRange(view: SegmentView, start: number, end: number, mask: Uint8Array | null, gran: Granularity,
  dims: readonly SegmentDimension[], aggs: readonly AggregatorFactory[], maxKeys: number, prune?: GroupPruner | null): GroupedPartial | null {
  for (const d of dims) if (d.rowIds === null) return null;
  let dimProduct = 1;
  for (const d of dims) dimProduct *= Math.max(1, d.values.length);
  if (dimProduct > maxKeys) return null;
  const buckets = gran.kind === 'all' ? null : bucketRanges(view.time(), start, end, gran, Math.floor(maxKeys / dimProduct));
  if (gran.kind !== 'all' && buckets === null) return null;
  const numBuckets = buckets === null ? 1 : buckets.starts.length;
  const product = numBuckets * dimProduct;
  if (product > maxKeys) return null;
  const accs: SegmentAggregator[] = aggs.map((a) => a.forSegment(view));
  if (!accs.every((a) => a.aggregateByIds !== undefined)) return null;

  // Strides: dimension d's stride is the product of the cardinalities after it; buckets stride by dimProduct.
  const strides = new Array<number>(dims.length);
  let st = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    strides[d] = st;
    st *= Math.max(1, dims[d].values.length);
  }
  const discard = product;
  // One dimension, no buckets, no mask: the dimension's own ids are the keys.
  const direct = dims.length === 1 && buckets === null && mask === null;
  const keys = direct ? dims[0].rowIds! : keysOfLength(end);
  let s = direct ? end : start;
  for (let b = 0; b < numBuckets && !direct; b++) {
    const e = buckets === null ? end : buckets.ends[b];
    const base = b * dimProduct;
    if (dims.length === 0) keys.fill(base, s, e);
    else if (dims.length === 1 && mask !== null) setKeysMasked(dims[0].rowIds!, s, e, base, mask, start, discard, keys);
    else {
      setKeysStrided(dims[0].rowIds!, s, e, base, strides[0], keys);
      for (let d = 1; d < dims.length; d++) addKeys(dims[d].rowIds!, s, e, strides[d], keys);
    }
    s = e;
  }
  if (mask !== null && dims.length !== 1) maskKeys(mask, start, start, end, discard, keys);

  for (const acc of accs) acc.aggregateByIds!(start, end, keys, 0, product + 1);
  // Which keys occur: a count aggregator's partials say so; otherwise count keys.
  const used: number[] = [];
  const countAt = aggs.findIndex((a) => a.type === 'count');
  if (countAt >= 0) {
    const acc = accs[countAt];
    for (let g = 0; g < product; g++) if ((acc.partial(g) as number) > 0) used.push(g);
  } else {
    const counts = zeroCounts(product + 1);
    countKeys(keys, start, end, counts);
    for (let g = 0; g < product; g++) if (counts[g] !== 0) used.push(g);
  }

  const starts = buckets === null ? null : buckets.starts;
  const candidates: GroupCandidates = {
    size: used.length,
    time: starts === null ? () => null : (i) => starts[Math.floor(used[i] / dimProduct)],
    dim: dims.length === 1 ? (_d, i) => dims[0].values[used[i] % dimProduct] : (d, i) => {
      const rest = used[i] % dimProduct;
      const hi = d === 0 ? rest : rest % strides[d - 1];
      return dims[d].values[Math.floor(hi / strides[d])];
    },
    partial: (a, i) => accs[a].partial(used[i]),
    oneBucket: numBuckets === 1,
    // Keys ascend by (bucket, ids): sorted dictionaries make that result order.
    ordered: dims.every((d) => d.sorted === true),
    textOrdered: dims.every((d) => d.sorted === true),
  };
  const out = assembleGroups(candidates, dims.length, accs.length, prune);
  for (const acc of accs) acc.release?.();
  return out;
}
