/**
 * Which rows of a segment an engine aggregates: either every row of a
 * contiguous range (rows === null) or an ascending list of row numbers.
 * Engines and aggregators loop over these with the kernels in query/aggregation/kernels.ts.
 */
export interface Selection {
  readonly start: number;
  readonly end: number;
  /** Ascending row numbers within [start, end), or null for all of them. */
  readonly rows: Int32Array | null;
}

/** Number of selected rows. */
export function selectionSize(s: Selection): number {
  return s.rows === null ? s.end - s.start : s.rows.length;
}

/** Row numbers of a selection as an array (materialises a range). */
export function selectionRows(s: Selection): Int32Array {
  if (s.rows !== null) return s.rows;
  const out = new Int32Array(s.end - s.start);
  for (let i = 0; i < out.length; i++) out[i] = s.start + i;
  return out;
}

/** First index i in [lo, hi) with sorted[i] >= value (hi when none). */
export function lowerBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Row range [start, end) of rows whose time lies in [tStart, tEnd), by binary search on the sorted time column. */
export function timeRowRange(time: Float64Array, tStart: number, tEnd: number): { start: number; end: number } {
  const start = lowerBound(time, tStart);
  const end = lowerBound(time, tEnd, start);
  return { start, end };
}
