/**
 * Bucketing kernels over time columns. For time-sorted rows the bucket
 * boundaries are found by galloping binary search (one bucketStart/next call
 * per bucket, not per row); for unsorted rows each value is bucketed with the
 * last bucket remembered.
 */
import type { Granularity } from './granularity.ts';

/** Non-empty buckets of a sorted row range. Rows of bucket k are [rowStarts[k], rowStarts[k+1]). */
export interface TimeBuckets {
  readonly count: number;
  /** Bucket start instants, length >= count. */
  readonly starts: Float64Array;
  /** Row boundaries, length >= count + 1. */
  readonly rowStarts: Int32Array;
}

/** First index in [lo, hi) with times[i] >= value (hi when none); times sorted ascending. */
export function lowerBound(times: Float64Array, lo: number, hi: number, value: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (times[mid] < value) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** lowerBound searching outward from `from` first (fast when the answer is near). */
export function gallopLowerBound(times: Float64Array, from: number, hi: number, value: number): number {
  let step = 1;
  let lo = from;
  let probe = from;
  while (probe < hi && times[probe] < value) {
    lo = probe + 1;
    probe = from + step;
    step <<= 1;
  }
  return lowerBound(times, lo, probe < hi ? probe : hi, value);
}

/**
 * Splits sorted times[lo..hi) into the non-empty buckets of granularity g.
 * Empty buckets are skipped (callers that need them fill gaps with g.next).
 */
export function bucketSortedTimes(times: Float64Array, lo: number, hi: number, g: Granularity): TimeBuckets {
  let cap = 16;
  let starts = new Float64Array(cap);
  let rows = new Int32Array(cap + 1);
  let count = 0;
  let i = lo;
  while (i < hi) {
    const s = g.bucketStart(times[i]);
    const e = g.next(s);
    const j = e === Number.POSITIVE_INFINITY ? hi : gallopLowerBound(times, i + 1, hi, e);
    if (count === cap) {
      cap *= 2;
      const ns = new Float64Array(cap);
      ns.set(starts);
      starts = ns;
      const nr = new Int32Array(cap + 1);
      nr.set(rows);
      rows = nr;
    }
    starts[count] = s;
    rows[count] = i;
    count++;
    i = j;
  }
  rows[count] = hi;
  return { count, starts, rowStarts: rows };
}

/**
 * Writes the bucket start of each times[i], i in [lo, hi), into out[i - lo].
 * Reuses the previous bucket while values stay inside it (one bucketStart
 * call per bucket change); switches to plain per-row bucketing when the data
 * turns out to be unordered. Returns the number of bucketStart calls.
 */
export function fillBucketStarts(times: Float64Array, lo: number, hi: number, g: Granularity, out: Float64Array): number {
  let s = Number.NaN;
  let e = Number.NaN;
  let changes = 0;
  let i = lo;
  for (; i < hi; i++) {
    const t = times[i];
    if (!(t >= s && t < e)) {
      s = g.bucketStart(t);
      e = g.next(s);
      changes++;
      // Mostly unordered data: remembering the bucket costs more than it saves.
      if (changes > 64 && changes * 4 > i - lo) {
        i++;
        out[i - 1 - lo] = s;
        break;
      }
    }
    out[i - lo] = s;
  }
  if (i < hi) changes += fillBucketStartsPerRow(times, i, hi, g, out, lo);
  return changes;
}

/** Per-row bucketStart for times[from..hi) into out[i - base]; returns rows written. */
function fillBucketStartsPerRow(times: Float64Array, from: number, hi: number, g: Granularity, out: Float64Array, base: number): number {
  for (let i = from; i < hi; i++) out[i - base] = g.bucketStart(times[i]);
  return hi - from;
}

/**
 * Counts rows per bucket for sorted times without materialising buckets:
 * calls visit(bucketStart, rowLo, rowHi) for each non-empty bucket.
 */
export function forEachSortedBucket(
  times: Float64Array, lo: number, hi: number, g: Granularity,
  visit: (bucketStart: number, rowLo: number, rowHi: number) => void,
): number {
  let n = 0;
  let i = lo;
  while (i < hi) {
    const s = g.bucketStart(times[i]);
    const e = g.next(s);
    const j = e === Number.POSITIVE_INFINITY ? hi : gallopLowerBound(times, i + 1, hi, e);
    visit(s, i, j);
    n++;
    i = j;
  }
  return n;
}
