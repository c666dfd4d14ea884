/**
 * A numeric interval test over one numeric column, answered as cheaply as the
 * column allows: column and per-block min/max decide whole blocks (skipped,
 * or taken without reading values), the rest are scanned straight into a row
 * list. Null rows never pass (the test is UNKNOWN for them).
 */
import type { NumericColumn } from '../../storage/segment.ts';
import { bitmapRowsInRange } from '../engine/bitmap.ts';
import { appendRowRange, appendRowsInOpenRange, appendRowsInRange, keepRowsInOpenRange, keepRowsInRange, keepRowsNotIn } from './row-kernels.ts';
import { FALSE, numericRangeScan, TRUE } from './tri.ts';

/** Verdict meaning "rows differ (or statistics cannot tell)". */
export const MIXED = -1;

/** An interval test on a column; bounds may be infinite. */
export class NumericRangeTest {
  private readonly lo: number;
  private readonly hi: number;
  private readonly loOpen: boolean;
  private readonly hiOpen: boolean;
  /** LONG: values are integers, so open bounds became closed ones and min/max can prove "every row". */
  private readonly integral: boolean;

  constructor(private readonly col: NumericColumn, lo: number, loOpen: boolean, hi: number, hiOpen: boolean) {
    this.integral = col.type === 'LONG';
    if (this.integral) {
      lo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
      hi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
      loOpen = false;
      hiOpen = false;
    }
    this.lo = lo;
    this.hi = hi;
    this.loOpen = loOpen;
    this.hiOpen = hiOpen;
  }

  /** FALSE when no value in [mn, mx] passes, TRUE when every one does (LONG only), else MIXED. */
  private boundsVerdict(mn: number, mx: number): number {
    if (mx < this.lo || (this.loOpen && mx === this.lo) || mn > this.hi || (this.hiOpen && mn === this.hi)) return FALSE;
    if (this.integral && mn >= this.lo && mx <= this.hi) return TRUE;
    return MIXED;
  }

  private hasNulls(): boolean {
    const nulls = this.col.nulls();
    return nulls !== null && nulls.size > 0;
  }

  /**
   * The value every row in [start, end) takes when statistics decide it: FALSE
   * or TRUE; MIXED otherwise (and whenever the column has nulls, whose rows are UNKNOWN).
   */
  verdict(start: number, end: number): number {
    if (this.hasNulls()) return MIXED;
    const whole = this.boundsVerdict(this.col.min, this.col.max);
    if (whole !== MIXED) return whole;
    const br = this.col.blockRanges?.() ?? null;
    if (br === null || end <= start) return MIXED;
    let v = -2;
    for (let b = Math.floor(start / br.blockRows); b <= Math.floor((end - 1) / br.blockRows) && b < br.min.length; b++) {
      const bv = this.boundsVerdict(br.min[b], br.max[b]);
      if (bv === MIXED || (v !== -2 && bv !== v)) return MIXED;
      v = bv;
    }
    return v === -2 ? MIXED : v;
  }

  /** Estimated fraction of rows that pass, assuming values spread evenly over [min, max]. */
  estimate(): number {
    const mn = this.col.min;
    const mx = this.col.max;
    if (!Number.isFinite(mn) || !Number.isFinite(mx)) return 1;
    const v = this.boundsVerdict(mn, mx);
    if (v === FALSE) return 0;
    if (mx === mn) return 1;
    const a = Math.max(this.lo, mn);
    const b = Math.min(this.hi, mx);
    const f = this.integral ? (b - a + 1) / (mx - mn + 1) : (b - a) / (mx - mn);
    return Math.min(1, Math.max(0, f));
  }

  /** Ascending rows in [start, end) that pass (a fresh array). */
  rows(start: number, end: number): Int32Array {
    if (end <= start) return new Int32Array(0);
    const out = new Int32Array(end - start + 1);
    let k = 0;
    const br = this.col.blockRanges?.() ?? null;
    if (br === null || br.blockRows <= 0) {
      k = this.scanInto(this.col.valuesInRange(start, end), start, end, out, k);
    } else {
      const size = br.blockRows;
      for (let b = Math.floor(start / size); b <= Math.floor((end - 1) / size); b++) {
        const s = Math.max(start, b * size);
        const e = Math.min(end, (b + 1) * size);
        const v = b < br.min.length ? this.boundsVerdict(br.min[b], br.max[b]) : MIXED;
        if (v === FALSE) continue;
        if (v === TRUE) k = appendRowRange(s, e, out, k);
        else k = this.scanInto(this.col.valuesInRange(s, e), s, e, out, k);
      }
    }
    if (k > 0 && this.hasNulls()) k = keepRowsNotIn(out, k, bitmapRowsInRange(this.col.nulls()!, start, end));
    return out.subarray(0, k);
  }

  private scanInto(values: Float64Array | Float32Array, s: number, e: number, out: Int32Array, k: number): number {
    if (!this.loOpen && !this.hiOpen) return appendRowsInRange(values, 0, s, e - s, this.lo, this.hi, out, k);
    return appendRowsInOpenRange(values, 0, s, e - s, this.lo, this.loOpen, this.hi, this.hiOpen, out, k);
  }

  /**
   * out[r - start] = TRUE or FALSE for rows [start, end) by value alone (null
   * rows included: the caller marks them UNKNOWN); blocks statistics decide are not read.
   */
  fillMask(start: number, end: number, out: Uint8Array): void {
    const whole = this.boundsVerdict(this.col.min, this.col.max);
    if (whole !== MIXED) {
      out.fill(whole);
      return;
    }
    const br = this.col.blockRanges?.() ?? null;
    if (br === null || br.blockRows <= 0) {
      numericRangeScan(this.col.valuesInRange(start, end), 0, this.lo, this.loOpen, this.hi, this.hiOpen, out);
      return;
    }
    const size = br.blockRows;
    for (let b = Math.floor(start / size); b <= Math.floor((end - 1) / size); b++) {
      const s = Math.max(start, b * size);
      const e = Math.min(end, (b + 1) * size);
      const v = b < br.min.length ? this.boundsVerdict(br.min[b], br.max[b]) : MIXED;
      if (v === FALSE) out.fill(FALSE, s - start, e - start);
      else if (v === TRUE) out.fill(TRUE, s - start, e - start);
      else numericRangeScan(this.col.valuesInRange(s, e), 0, this.lo, this.loOpen, this.hi, this.hiOpen, out.subarray(s - start, e - start));
    }
  }

  /** Keeps rows[0..n) that pass; returns the count kept. */
  refine(rows: Int32Array, n: number): number {
    if (n === 0) return 0;
    const v = this.verdict(rows[0], rows[n - 1] + 1);
    if (v === FALSE) return 0;
    if (v === TRUE) return n;
    const values = this.col.values();
    let k = !this.loOpen && !this.hiOpen
      ? keepRowsInRange(rows, n, values, this.lo, this.hi)
      : keepRowsInOpenRange(rows, n, values, this.lo, this.loOpen, this.hi, this.hiOpen);
    if (k > 0 && this.hasNulls()) k = keepRowsNotIn(rows, k, bitmapRowsInRange(this.col.nulls()!, rows[0], rows[k - 1] + 1));
    return k;
  }
}
