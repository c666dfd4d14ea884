/**
 * AND of filters, evaluated progressively: statistics first (a child whose
 * column min/max rules out every row empties the result without reading a
 * value; children every row passes are dropped), then the children most
 * likely to reject rows, and once few rows remain the rest are tested only on
 * those rows (a row list narrowed in place) instead of over the whole range.
 */
import type { SegmentView } from '../engine/segment-view.ts';
import { Bitmap, type RoaringBitmap32 } from '../engine/bitmap.ts';
import type { CompiledFilter, TriBitmaps } from './filter-contract.ts';
import { MIXED } from './numeric-range-rows.ts';
import { andMasks, countTrue, FALSE, TRUE, trueRows, UNKNOWN } from './tri.ts';

/**
 * Start from a row list when the first child is estimated to pass fewer than
 * 1 / SPARSE of the rows, and switch from masks to a row list once fewer than
 * that remain: narrowing a list costs per listed row, a mask per range row.
 */
const SPARSE = 2;

export class AndFilter implements CompiledFilter {
  readonly columns: readonly string[];
  constructor(private readonly children: CompiledFilter[]) {
    this.columns = [...new Set(children.flatMap((c) => c.columns))];
  }

  /**
   * Children that statistics do not decide, most selective first; null when
   * some child is FALSE or UNKNOWN on every row (then no row is TRUE).
   */
  private undecided(view: SegmentView, start: number, end: number): { readonly c: CompiledFilter; readonly e: number }[] | null {
    const live: { c: CompiledFilter; e: number }[] = [];
    for (const c of this.children) {
      const v = c.verdict(view, start, end);
      if (v === FALSE || v === UNKNOWN) return null;
      if (v !== TRUE) live.push({ c, e: c.estimate(view) });
    }
    return live.sort((a, b) => a.e - b.e);
  }

  mask(view: SegmentView, start: number, end: number): Uint8Array {
    let out: Uint8Array | null = null;
    for (const c of this.children) {
      const v = c.verdict(view, start, end);
      if (v === FALSE) return new Uint8Array(end - start);
      if (v === TRUE) continue;
      const m = c.mask(view, start, end);
      if (out === null) out = m;
      else andMasks(out, m);
    }
    return out ?? new Uint8Array(end - start).fill(TRUE);
  }

  rows(view: SegmentView, start: number, end: number): Int32Array {
    const span = end - start;
    if (span <= 0) return new Int32Array(0);
    const live = this.undecided(view, start, end);
    if (live === null) return new Int32Array(0);
    let rows: Int32Array | null = null;
    let n = 0;
    let mask: Uint8Array | null = null;
    let count = span;
    for (const { c, e } of live) {
      if (rows !== null) {
        n = c.refine(view, rows, n);
        if (n === 0) return rows.subarray(0, 0);
        continue;
      }
      if (mask === null && e * SPARSE < 1) {
        rows = c.rows(view, start, end);
        n = rows.length;
        if (n === 0) return rows;
        continue;
      }
      const m = c.mask(view, start, end);
      if (mask === null) mask = m;
      else andMasks(mask, m);
      count = countTrue(mask);
      if (count === 0) return new Int32Array(0);
      if (count * SPARSE < span) {
        rows = trueRows(mask, start, count);
        n = count;
        mask = null;
      }
    }
    if (rows !== null) return rows.subarray(0, n);
    if (mask === null) return Int32Array.from({ length: span }, (_, i) => start + i);
    return trueRows(mask, start, count);
  }

  refine(view: SegmentView, rows: Int32Array, n: number): number {
    if (n === 0) return 0;
    const live = this.undecided(view, rows[0], rows[n - 1] + 1);
    if (live === null) return 0;
    for (const { c } of live) {
      n = c.refine(view, rows, n);
      if (n === 0) return 0;
    }
    return n;
  }

  verdict(view: SegmentView, start: number, end: number): number {
    // AND is min: any FALSE decides; otherwise every child must be decided.
    let v = TRUE;
    let mixed = false;
    for (const c of this.children) {
      const x = c.verdict(view, start, end);
      if (x === FALSE) return FALSE;
      if (x === MIXED) mixed = true;
      else if (x < v) v = x;
    }
    return mixed ? MIXED : v;
  }

  estimate(view: SegmentView): number {
    return this.children.reduce((p, c) => p * c.estimate(view), 1);
  }

  bitmaps(view: SegmentView): TriBitmaps | null {
    let acc: TriBitmaps | null = null;
    for (const c of this.children) {
      const b = c.bitmaps(view);
      if (b === null) return null;
      if (acc === null) acc = b;
      else {
        // T = T1 & T2; U = (T1|U1) & (T2|U2) - T
        const t: RoaringBitmap32 = Bitmap.and(acc.t, b.t);
        const u = Bitmap.andNot(Bitmap.and(Bitmap.or(acc.t, acc.u), Bitmap.or(b.t, b.u)), t);
        acc = { t, u };
      }
    }
    return acc;
  }

  bitmapCost(view: SegmentView): number {
    // Intersections are as cheap as the most selective input (roaring skips containers),
    // but every child's bitmaps must be built first (unions of many value bitmaps are not free).
    let min = Number.POSITIVE_INFINITY;
    let build = 0;
    for (const c of this.children) {
      const cost = c.bitmapCost(view);
      if (!Number.isFinite(cost)) return cost;
      if (cost < min) min = cost;
      build += c.bitmapBuildCost === undefined ? cost : c.bitmapBuildCost(view);
    }
    return min + build;
  }
}
