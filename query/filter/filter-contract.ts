/**
 * The contract every compiled filter meets (leaves, AND, OR, NOT), kept apart from the
 * compiler so composite filters can implement it without importing the compiler.
 */
import type { RoaringBitmap32 } from '../engine/bitmap.ts';
import type { SegmentView } from '../engine/segment-view.ts';

/** Three-valued bitmap result: rows TRUE and rows UNKNOWN (the rest are FALSE). */
export interface TriBitmaps {
  readonly t: RoaringBitmap32;
  readonly u: RoaringBitmap32;
}

/** A filter compiled for one query; evaluate it per segment. */
export interface CompiledFilter {
  /** Three-valued mask over rows [start, end). */
  mask(view: SegmentView, start: number, end: number): Uint8Array;
  /** Bitmaps over the whole segment, or null when some part is not indexable. */
  bitmaps(view: SegmentView): TriBitmaps | null;
  /** Rows the bitmap path would touch (sum of bitmap sizes), or Infinity when not indexable. */
  bitmapCost(view: SegmentView): number;
  /**
   * Optional: rows touched to build this filter's bitmaps beyond reading one
   * stored bitmap (unions of several value bitmaps). An AND pays this for
   * every child, while its intersections cost only as much as the smallest
   * input. Absent means bitmapCost.
   */
  bitmapBuildCost?(view: SegmentView): number;
  /** Columns the filter reads. */
  readonly columns: readonly string[];
  /**
   * The value every row in [start, end) takes when statistics alone decide it
   * (FALSE, UNKNOWN or TRUE), else MIXED. Never reads row values.
   */
  verdict(view: SegmentView, start: number, end: number): number;
  /** Estimated fraction of the segment's rows that are TRUE (1 when unknown). */
  estimate(view: SegmentView): number;
  /** Ascending rows in [start, end) where the filter is TRUE (a fresh, writable array). */
  rows(view: SegmentView, start: number, end: number): Int32Array;
  /** Keeps the ascending rows[0..n) where the filter is TRUE, compacting in place; returns the count kept. */
  refine(view: SegmentView, rows: Int32Array, n: number): number;
}
