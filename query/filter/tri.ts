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

/** Row numbers (start + i) of TRUE entries; `count` is countTrue(mask) when the caller has it. */
export function trueRows(mask: Uint8Array, start: number, count = countTrue(mask)): Int32Array {
  // One spare slot: the branchless loop writes every row and advances past TRUE ones only.
  const out = new Int32Array(count + 1);
  fillTrueRows(mask, start, out);
  return out.subarray(0, count);
}

function fillTrueRows(mask: Uint8Array, start: number, out: Int32Array): void {
  let k = 0;
  for (let i = 0; i < mask.length; i++) {
    out[k] = start + i;
    k += mask[i] >> 1;
  }
}

/** out[i] = TRUE when lo <(=) values[start + i] <(=) hi else FALSE (bounds may be infinite). */
export function numericRangeScan(values: Float64Array | Float32Array, start: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean, out: Uint8Array): void {
  if (values instanceof Float64Array) {
    if (!loOpen && !hiOpen) closedRangeScan64(values, start, lo, hi, out);
    else openRangeScan64(values, start, lo, loOpen, hi, hiOpen, out);
    return;
  }
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    out[i] = (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi) ? TRUE : FALSE;
  }
}

/** Closed range over doubles, branchless (TRUE = 2). */
function closedRangeScan64(values: Float64Array, start: number, lo: number, hi: number, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    out[i] = ((+(v >= lo) & +(v <= hi)) << 1);
  }
}

/** Range with an open bound over doubles, branchless: an open bound compares with >/<. */
function openRangeScan64(values: Float64Array, start: number, lo: number, loOpen: boolean, hi: number, hiOpen: boolean, out: Uint8Array): void {
  const n = out.length;
  const lo1 = loOpen ? 1 : 0;
  const hi1 = hiOpen ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    // v > lo is v >= lo and v !== lo; likewise for hi.
    const a = +(v >= lo) & (1 - (lo1 & +(v === lo)));
    const b = +(v <= hi) & (1 - (hi1 & +(v === hi)));
    out[i] = (a & b) << 1;
  }
}

/** True when every entry is FALSE. */
export function allFalse(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== FALSE) return false;
  return true;
}
