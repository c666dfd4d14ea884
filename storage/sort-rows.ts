/**
 * Row ordering for segments: by `__time`, then by each dimension in schema
 * order (string dimensions by sorted dictionary id, multi-values
 * lexicographically, numeric dimensions with null first). Returns a
 * permutation; equal rows keep their input order.
 */

/** A dimension as a sort key, over the input row numbering. */
export type SortKey =
  | { readonly kind: 'ids'; readonly ids: Int32Array; readonly cardinality: number }
  | { readonly kind: 'multi'; readonly offsets: Int32Array; readonly values: Int32Array }
  | { readonly kind: 'num'; readonly values: Float64Array; readonly nulls: Uint8Array | null };

const LIMIT = 2 ** 53;

/** Compares rows a and b on one key. */
export function compareKey(k: SortKey, a: number, b: number): number {
  if (k.kind === 'ids') return k.ids[a] - k.ids[b];
  if (k.kind === 'num') {
    const na = k.nulls !== null && k.nulls[a] === 1;
    const nb = k.nulls !== null && k.nulls[b] === 1;
    if (na || nb) return na === nb ? 0 : na ? -1 : 1;
    const x = k.values[a];
    const y = k.values[b];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const sa = k.offsets[a];
  const ea = k.offsets[a + 1];
  const sb = k.offsets[b];
  const eb = k.offsets[b + 1];
  const n = Math.min(ea - sa, eb - sb);
  for (let i = 0; i < n; i++) {
    const d = k.values[sa + i] - k.values[sb + i];
    if (d !== 0) return d;
  }
  return ea - sa - (eb - sb);
}

/** Dense rank of each time value (0 = earliest) and the number of distinct times. */
function timeRanks(time: Float64Array, n: number): { ranks: Float64Array; distinct: number } {
  const ranks = new Float64Array(n);
  let sortedInput = true;
  for (let i = 1; i < n && sortedInput; i++) sortedInput = time[i - 1] <= time[i];
  let distinct = 0;
  if (sortedInput) {
    for (let i = 0; i < n; i++) {
      if (i > 0 && time[i] !== time[i - 1]) distinct++;
      ranks[i] = distinct;
    }
    return { ranks, distinct: n === 0 ? 0 : distinct + 1 };
  }
  // Distinct times ascending, then each row's rank by binary search (no hashing of doubles).
  const sorted = time.slice(0, n).sort();
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i];
  for (let i = 0; i < n; i++) {
    const t = time[i];
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return { ranks, distinct };
}

/** The permutation that sorts rows [0, n) by time then keys (stable). */
export function sortPermutation(n: number, time: Float64Array, keys: readonly SortKey[]): Int32Array {
  const perm = new Int32Array(n);
  if (n === 0) return perm;
  const { ranks, distinct } = timeRanks(time, n);
  // Fast path: pack (time rank, ids..., row) into one exact double and sort natively.
  let span = distinct * n;
  let packable = keys.every((k) => k.kind === 'ids');
  for (const k of keys) {
    if (!packable) break;
    span *= Math.max(1, (k as { cardinality: number }).cardinality);
    if (span >= LIMIT) packable = false;
  }
  if (packable) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = ranks[i];
    for (const k of keys) {
      const { ids, cardinality } = k as { ids: Int32Array; cardinality: number };
      const c = Math.max(1, cardinality);
      for (let i = 0; i < n; i++) packed[i] = packed[i] * c + ids[i];
    }
    for (let i = 0; i < n; i++) packed[i] = packed[i] * n + i;
    packed.sort();
    for (let i = 0; i < n; i++) perm[i] = packed[i] % n;
    return perm;
  }
  for (let i = 0; i < n; i++) perm[i] = i;
  const order = Array.from(perm);
  order.sort((a, b) => {
    const d = ranks[a] - ranks[b];
    if (d !== 0) return d;
    for (const k of keys) {
      const c = compareKey(k, a, b);
      if (c !== 0) return c;
    }
    return a - b;
  });
  perm.set(order);
  return perm;
}
