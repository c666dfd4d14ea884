/**
 * Filter kernels over row lists: build an ascending row list straight from a
 * column (no mask), or narrow one in place ("keep" kernels: rows[0..n) is
 * compacted to the rows that pass, and the new count is returned). All are
 * branchless: every row is written and the output index advances only past
 * rows that pass, so `out` needs one spare slot.
 */
import { TRUE } from './tri.ts';

/** A numeric interval with both bounds closed (infinite bounds allowed). */
export interface ClosedRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Appends rows r in [rowStart, rowStart + n) with lo <= values[vStart + r - rowStart] <= hi
 * to out from index k; returns the new k. `out` must have room for k + n + 1 entries.
 */
export function appendRowsInRange(values: Float64Array | Float32Array, vStart: number, rowStart: number, n: number, lo: number, hi: number, out: Int32Array, k: number): number {
  for (let i = 0; i < n; i++) {
    const v = values[vStart + i];
    out[k] = rowStart + i;
    k += +(v >= lo) & +(v <= hi);
  }
  return k;
}

/**
 * As appendRowsInRange with open bounds: v > lo when loOpen, v < hi when hiOpen.
 */
export function appendRowsInOpenRange(values: Float64Array | Float32Array, vStart: number, rowStart: number, n: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean, out: Int32Array, k: number): number {
  const lo1 = loOpen ? 1 : 0;
  const hi1 = hiOpen ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const v = values[vStart + i];
    out[k] = rowStart + i;
    k += +(v >= lo) & (1 - (lo1 & +(v === lo))) & +(v <= hi) & (1 - (hi1 & +(v === hi)));
  }
  return k;
}

/** Appends rows [start, end) to out from index k; returns the new k. */
export function appendRowRange(start: number, end: number, out: Int32Array, k: number): number {
  for (let r = start; r < end; r++) out[k++] = r;
  return k;
}

/** Appends rows r in [start, end) with lut[ids[r]] === TRUE; `out` needs end - start + 1 free slots. */
export function appendRowsByLut(ids: Int32Array, start: number, end: number, lut: Uint8Array, out: Int32Array, k: number): number {
  for (let r = start; r < end; r++) {
    out[k] = r;
    k += lut[ids[r]] >> 1;
  }
  return k;
}

/** Keeps rows with lo <= values[r] <= hi. */
export function keepRowsInRange(rows: Int32Array, n: number, values: Float64Array | Float32Array, lo: number, hi: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const v = values[r];
    rows[k] = r;
    k += +(v >= lo) & +(v <= hi);
  }
  return k;
}

/** Keeps rows with values[r] in the range, open bounds compared strictly. */
export function keepRowsInOpenRange(rows: Int32Array, n: number, values: Float64Array | Float32Array, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): number {
  const lo1 = loOpen ? 1 : 0;
  const hi1 = hiOpen ? 1 : 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const v = values[r];
    rows[k] = r;
    k += +(v >= lo) & (1 - (lo1 & +(v === lo))) & +(v <= hi) & (1 - (hi1 & +(v === hi)));
  }
  return k;
}

/** Keeps rows with lut[ids[r]] === TRUE. */
export function keepRowsByLut(rows: Int32Array, n: number, ids: Int32Array, lut: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    rows[k] = r;
    k += lut[ids[r]] >> 1;
  }
  return k;
}

/** Keeps rows whose mask entry (mask[r - start]) is TRUE. */
export function keepRowsByMask(rows: Int32Array, n: number, mask: Uint8Array, start: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    rows[k] = r;
    k += +(mask[r - start] === TRUE);
  }
  return k;
}

/** Keeps rows for which flags[r] is 0 (e.g. drops null rows). */
export function keepRowsUnflagged(rows: Int32Array, n: number, flags: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    rows[k] = r;
    k += 1 - flags[r];
  }
  return k;
}

/** Keeps rows not in the ascending list `drop` (merge walk). */
export function keepRowsNotIn(rows: Int32Array, n: number, drop: Uint32Array): number {
  let k = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    while (j < drop.length && drop[j] < r) j++;
    if (j < drop.length && drop[j] === r) continue;
    rows[k++] = r;
  }
  return k;
}
