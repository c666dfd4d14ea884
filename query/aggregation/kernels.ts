/**
 * Hot loops of aggregation: small functions over typed arrays that return
 * numbers or fill accumulators. Selections come in two shapes, a row range
 * (`start..end`) or a row list (`rows`), and grouping either none (one
 * accumulator) or a group id per selected row.
 */
type Values = Float64Array | Float32Array;

/** Sum of values[start..end). */
export function sumRange(values: Values, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += values[i];
  return s;
}

/** Sum of values[rows[k]]. */
export function sumRows(values: Values, rows: Int32Array): number {
  let s = 0;
  for (let k = 0; k < rows.length; k++) s += values[rows[k]];
  return s;
}

/** Minimum of values[start..end) (Infinity when empty). */
export function minRange(values: Values, start: number, end: number): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = start; i < end; i++) { const v = values[i]; if (v < m) m = v; }
  return m;
}

/** Maximum of values[start..end) (-Infinity when empty). */
export function maxRange(values: Values, start: number, end: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i++) { const v = values[i]; if (v > m) m = v; }
  return m;
}

/** counts[groups[k]]++ for every k. */
export function countGrouped(groups: Int32Array, counts: Float64Array): void {
  for (let k = 0; k < groups.length; k++) counts[groups[k]]++;
}

/** acc[groups[k]] += values[start + k]. */
export function sumGroupedRange(values: Values, start: number, groups: Int32Array, acc: Float64Array): void {
  for (let k = 0; k < groups.length; k++) acc[groups[k]] += values[start + k];
}

/** acc[groups[k]] += values[rows[k]]. */
export function sumGroupedRows(values: Values, rows: Int32Array, groups: Int32Array, acc: Float64Array): void {
  for (let k = 0; k < groups.length; k++) acc[groups[k]] += values[rows[k]];
}

/** acc[g] = min(acc[g], values[row]) with row = rows ? rows[k] : start + k; skips rows flagged in nullFlags. */
export function minGrouped(values: Values, rows: Int32Array | null, start: number, groups: Int32Array | null, n: number, acc: Float64Array, nullFlags: Uint8Array | null): void {
  for (let k = 0; k < n; k++) {
    const r = rows === null ? start + k : rows[k];
    if (nullFlags !== null && nullFlags[r] === 1) continue;
    const g = groups === null ? 0 : groups[k];
    const v = values[r];
    if (v < acc[g]) acc[g] = v;
  }
}

/** acc[g] = max(acc[g], values[row]), as minGrouped. */
export function maxGrouped(values: Values, rows: Int32Array | null, start: number, groups: Int32Array | null, n: number, acc: Float64Array, nullFlags: Uint8Array | null): void {
  for (let k = 0; k < n; k++) {
    const r = rows === null ? start + k : rows[k];
    if (nullFlags !== null && nullFlags[r] === 1) continue;
    const g = groups === null ? 0 : groups[k];
    const v = values[r];
    if (v > acc[g]) acc[g] = v;
  }
}

/** seen[g] += 1 for each selected non-null row (row flags: 1 = null). */
export function countNonNull(rows: Int32Array | null, start: number, groups: Int32Array | null, n: number, nullFlags: Uint8Array, seen: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const r = rows === null ? start + k : rows[k];
    seen[groups === null ? 0 : groups[k]] += 1 - nullFlags[r];
  }
}

/** counts[base + ids[r]]++ for r in [start, end): group by one dictionary column over a row range. */
export function countByIds(ids: Int32Array, start: number, end: number, base: number, counts: Float64Array): void {
  for (let r = start; r < end; r++) counts[base + ids[r]]++;
}

/** acc[base + ids[r]] += values[r] for r in [start, end). */
export function sumByIds(values: Values, ids: Int32Array, start: number, end: number, base: number, acc: Float64Array): void {
  for (let r = start; r < end; r++) acc[base + ids[r]] += values[r];
}

/** seen[base + ids[r]] += 1 - nullFlags[r] for r in [start, end). */
export function countNonNullByIds(nullFlags: Uint8Array, ids: Int32Array, start: number, end: number, base: number, seen: Float64Array): void {
  for (let r = start; r < end; r++) seen[base + ids[r]] += 1 - nullFlags[r];
}

/** acc[g] = min/max(acc[g], values[r]) with g = base + ids[r], skipping null rows. */
export function minMaxByIds(values: Values, ids: Int32Array, start: number, end: number, base: number, acc: Float64Array, nullFlags: Uint8Array | null, isMin: boolean): void {
  for (let r = start; r < end; r++) {
    if (nullFlags !== null && nullFlags[r] === 1) continue;
    const g = base + ids[r];
    const v = values[r];
    if (isMin ? v < acc[g] : v > acc[g]) acc[g] = v;
  }
}
