/** The column-shaped result of evaluating an expression over a row range. */

/**
 * Values for rows [startRow, endRow), index 0 = startRow.
 * - number: LONG or DOUBLE per row; rows flagged in `nulls` (1 = null) are null and hold 0.
 * - string: STRING per row.
 * - array: arrays (ARRAY types, or multi-value strings after implicit mapping) or null per row.
 */
export type ExprVector =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly nulls: Uint8Array | null; readonly type: 'LONG' | 'DOUBLE' }
  | { readonly kind: 'string'; readonly values: (string | null)[] }
  | { readonly kind: 'array'; readonly values: (unknown[] | null)[] };

/** Number of rows in a vector. */
export function vectorLength(v: ExprVector): number {
  return v.values.length;
}

/** The value of row i as the row evaluator would return it (numbers, strings, arrays, null). */
export function vectorValueAt(v: ExprVector, i: number): unknown {
  if (v.kind === 'number') return v.nulls !== null && v.nulls[i] === 1 ? null : v.values[i];
  return v.values[i];
}

/** All values as a plain array (row evaluator shapes). */
export function vectorToArray(v: ExprVector): unknown[] {
  const n = vectorLength(v);
  if (v.kind !== 'number') return v.values.slice();
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = vectorValueAt(v, i);
  return out;
}

/**
 * Druid truthiness per row, as expression filters use it: 1 when the value is
 * true (numbers > 0, strings equal to 'true' ignoring case, arrays with any
 * true element), 0 when false or null.
 */
export function vectorTruthMask(v: ExprVector): Uint8Array {
  const n = vectorLength(v);
  const out = new Uint8Array(n);
  if (v.kind === 'number') {
    const { values, nulls } = v;
    for (let i = 0; i < n; i++) out[i] = +(values[i] > 0);
    if (nulls !== null) for (let i = 0; i < n; i++) out[i] &= nulls[i] ^ 1;
    return out;
  }
  if (v.kind === 'string') {
    for (let i = 0; i < n; i++) { const s = v.values[i]; out[i] = s !== null && s.length === 4 && s.toLowerCase() === 'true' ? 1 : 0; }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const a = v.values[i];
    if (a === null) continue;
    for (const x of a) {
      if ((typeof x === 'number' && x > 0) || (typeof x === 'string' && x.toLowerCase() === 'true')) { out[i] = 1; break; }
    }
  }
  return out;
}
