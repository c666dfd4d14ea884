/**
 * Assigns selected rows to granularity buckets by walking bucket boundaries
 * over the time-sorted rows (binary search per bucket, no per-row division).
 */
import type { Granularity } from '../../storage/time/granularity.ts';
import { selectionSize, type Selection } from '../engine/selection.ts';
import { selectionLowerBound } from './segment-rows.ts';

export interface BucketAssignment {
  /** Bucket start times, ascending. */
  readonly starts: number[];
  /** Bucket index per selected row. */
  readonly ids: Int32Array;
}

/** Fills ids[from..to) with value. */
function fillRange(ids: Int32Array, from: number, to: number, value: number): void {
  ids.fill(value, from, to);
}

/**
 * Buckets of the selected rows. When `fillFrom`/`fillTo` are given, empty
 * buckets in [fillFrom, fillTo) are listed too (timeseries zero-filling).
 */
export function assignBuckets(time: Float64Array, sel: Selection, gran: Granularity, fill?: { from: number; to: number }): BucketAssignment {
  const n = selectionSize(sel);
  const ids = new Int32Array(n);
  const starts: number[] = [];
  let k = 0;
  const firstRow = (i: number) => (sel.rows === null ? sel.start + i : sel.rows[i]);
  let b = n > 0 ? gran.bucketStart(time[firstRow(0)]) : Number.NaN;
  if (fill !== undefined) {
    let f = gran.bucketStart(fill.from);
    const limit = n > 0 ? b : fill.to;
    let guard = 0;
    while (f < limit && f < fill.to && guard++ < 100000) {
      starts.push(f);
      f = gran.next(f);
    }
  }
  while (k < n) {
    const t = time[firstRow(k)];
    b = gran.bucketStart(t);
    const next = gran.next(b);
    const end = selectionLowerBound(time, sel, next, k, n);
    starts.push(b);
    fillRange(ids, k, end, starts.length - 1);
    k = end;
    if (fill !== undefined && k < n) {
      let f = next;
      const nb = gran.bucketStart(time[firstRow(k)]);
      let guard = 0;
      while (f < nb && guard++ < 100000) { starts.push(f); f = gran.next(f); }
    }
  }
  if (fill !== undefined && n > 0) {
    let f = gran.next(starts[starts.length - 1]);
    let guard = 0;
    while (f < fill.to && guard++ < 100000) { starts.push(f); f = gran.next(f); }
  }
  return { starts, ids };
}
