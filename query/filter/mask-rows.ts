/**
 * Row-list forms of a filter derived from its mask: what filters without a
 * dedicated row-list path use for CompiledFilter.rows and .refine.
 */
import type { SegmentView } from '../engine/segment-view.ts';
import { keepRowsByMask } from './row-kernels.ts';
import { trueRows } from './tri.ts';

/** Anything with a three-valued mask over a row range. */
export interface Masked {
  mask(view: SegmentView, start: number, end: number): Uint8Array;
}

/** Ascending TRUE rows of `f` in [start, end) via its mask. */
export function rowsFromMask(f: Masked, view: SegmentView, start: number, end: number): Int32Array {
  if (end <= start) return new Int32Array(0);
  return trueRows(f.mask(view, start, end), start);
}

/** Keeps rows[0..n) where `f` is TRUE, evaluating its mask over the rows' span. */
export function refineByMask(f: Masked, view: SegmentView, rows: Int32Array, n: number): number {
  if (n === 0) return 0;
  const start = rows[0];
  const mask = f.mask(view, start, rows[n - 1] + 1);
  return keepRowsByMask(rows, n, mask, start);
}
