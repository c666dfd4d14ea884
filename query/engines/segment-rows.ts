/**
 * From query intervals to the rows of one segment: each interval becomes a
 * row range by binary search on the sorted time column, and the filter then
 * selects rows within the ranges.
 */
import type { Interval } from '../../common/interval.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { lowerBound, selectionSize, type Selection } from '../engine/selection.ts';
import { selectRows, type CompiledFilter } from '../filter/compiled-filter.ts';

/** Row ranges of the segment that fall in the (sorted, disjoint) intervals. */
export function intervalRowRanges(view: SegmentView, intervals: readonly Interval[]): { start: number; end: number }[] {
  const time = view.time();
  const out: { start: number; end: number }[] = [];
  for (const iv of intervals) {
    const start = lowerBound(time, iv.start);
    const end = lowerBound(time, iv.end, start);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The filtered rows of the segment within the intervals, as one selection. */
export function selectSegmentRows(view: SegmentView, intervals: readonly Interval[], filter: CompiledFilter | null): Selection {
  const ranges = intervalRowRanges(view, intervals);
  if (ranges.length === 0) return { start: 0, end: 0, rows: null };
  if (ranges.length === 1) return selectRows(filter, view, ranges[0].start, ranges[0].end);
  const parts = ranges.map((r) => selectRows(filter, view, r.start, r.end));
  const total = parts.reduce((s, p) => s + selectionSize(p), 0);
  const rows = new Int32Array(total);
  let k = 0;
  for (const p of parts) {
    if (p.rows === null) for (let r = p.start; r < p.end; r++) rows[k++] = r;
    else { rows.set(p.rows, k); k += p.rows.length; }
  }
  return { start: ranges[0].start, end: ranges[ranges.length - 1].end, rows };
}

/** First index k in [lo, hi) of a selection whose row time is >= t. */
export function selectionLowerBound(time: Float64Array, sel: Selection, t: number, lo: number, hi: number): number {
  if (sel.rows === null) return lowerBound(time, t, sel.start + lo, sel.start + hi) - sel.start;
  const rows = sel.rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[rows[mid]] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}
