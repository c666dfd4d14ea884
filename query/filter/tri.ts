/**
 * Three-valued filter results (SQL null semantics): FALSE < UNKNOWN < TRUE, so
 * AND is min, OR is max and NOT is 2 - x. Masks are Uint8Array per row.
 */
export const FALSE = 0;
export const UNKNOWN = 1;
export const TRUE = 2;

/** a[i] = min(a[i], b[i]) */
export function andMasks(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    a[i] = x < y ? x : y;
  }
}

/** a[i] = max(a[i], b[i]) */
export function orMasks(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    a[i] = x > y ? x : y;
  }
}

/** a[i] = 2 - a[i] */
export function notMask(a: Uint8Array): void {
  for (let i = 0; i < a.length; i++) a[i] = 2 - a[i];
}

/** out[i] = lut[ids[start + i]]: dictionary-id predicate scan (branchless). */
export function lookupScan(ids: Int32Array, start: number, lut: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = lut[ids[start + i]];
}

/** Number of TRUE entries. */
export function countTrue(mask: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i] >> 1;
  return c;
}

/** Row numbers (start + i) of TRUE entries. */
export function trueRows(mask: Uint8Array, start: number): Int32Array {
  const out = new Int32Array(countTrue(mask));
  let k = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === TRUE) out[k++] = start + i;
  }
  return out;
}

/** out[i] = TRUE when lo <(=) values[start + i] <(=) hi else FALSE (bounds may be infinite). */
export function numericRangeScan(values: Float64Array | Float32Array, start: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean, out: Uint8Array): void {
  const n = out.length;
  if (!loOpen && !hiOpen) {
    for (let i = 0; i < n; i++) { const v = values[start + i]; out[i] = v >= lo && v <= hi ? TRUE : FALSE; }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      out[i] = (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi) ? TRUE : FALSE;
    }
  }
}
