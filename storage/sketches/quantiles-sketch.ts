/**
 * A simple mergeable quantiles sketch (KLL-style compactors): level h holds
 * items of weight 2^h; a level holding more than k items is sorted and every
 * other item (alternating offset) moves up a level. Exact while n <= k.
 * The partial is plain JSON: { k, n, levels }.
 */

export interface QuantilesPartial {
  readonly k: number;
  /** Number of values summarised. */
  readonly n: number;
  /** levels[h]: retained values of weight 2^h. */
  readonly levels: number[][];
}

/** An empty sketch with level capacity k. */
export function emptyQuantiles(k: number): QuantilesPartial {
  return { k, n: 0, levels: [[]] };
}

/** Compacts overfull levels in place (deterministic alternating offsets); total weight is preserved. */
function compact(levels: number[][], k: number, n: number): void {
  for (let h = 0; h < levels.length; h++) {
    if (levels[h].length <= k) continue;
    const items = levels[h].sort((a, b) => a - b);
    const keep = items.length % 2 === 1 ? [items.pop()!] : [];
    const offset = (n + h) & 1;
    const up: number[] = [];
    for (let i = offset; i < items.length; i += 2) up.push(items[i]);
    levels[h] = keep;
    if (h + 1 === levels.length) levels.push([]);
    levels[h + 1].push(...up);
  }
}

/** Adds values to a sketch (mutating its level arrays). */
export function addValues(p: { k: number; n: number; levels: number[][] }, values: readonly number[]): QuantilesPartial {
  p.levels[0].push(...values);
  const n = p.n + values.length;
  compact(p.levels, p.k, n);
  return { k: p.k, n, levels: p.levels };
}

/** Union of two sketches. */
export function mergeQuantiles(a: QuantilesPartial, b: QuantilesPartial): QuantilesPartial {
  const k = Math.min(a.k, b.k);
  const levels: number[][] = [];
  for (let h = 0; h < Math.max(a.levels.length, b.levels.length); h++) levels.push([...(a.levels[h] ?? []), ...(b.levels[h] ?? [])]);
  const n = a.n + b.n;
  compact(levels, k, n);
  return { k, n, levels };
}

/** The value at normalised rank q (0..1), or NaN for an empty sketch. */
export function quantileOf(p: QuantilesPartial, q: number): number {
  const weighted: [number, number][] = [];
  p.levels.forEach((items, h) => { for (const v of items) weighted.push([v, 2 ** h]); });
  if (weighted.length === 0) return Number.NaN;
  weighted.sort((a, b) => a[0] - b[0]);
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  const target = Math.min(total - 1, Math.max(0, Math.floor(q * total)));
  let acc = 0;
  for (const [v, w] of weighted) {
    acc += w;
    if (acc > target) return v;
  }
  return weighted[weighted.length - 1][0];
}

const QUANTILES_MAGIC = 0x51; // 'Q'

/**
 * Serialized form of a quantiles sketch (ingested COMPLEX column value):
 * u8 magic, u8 number of levels, u32 k, f64 n, then per level u32 count and
 * that many f64 items. Little-endian.
 */
export function serializeQuantiles(p: QuantilesPartial): Uint8Array {
  let items = 0;
  for (const l of p.levels) items += l.length;
  const bytes = new Uint8Array(14 + p.levels.length * 4 + items * 8);
  const dv = new DataView(bytes.buffer);
  dv.setUint8(0, QUANTILES_MAGIC);
  dv.setUint8(1, p.levels.length);
  dv.setUint32(2, p.k, true);
  dv.setFloat64(6, p.n, true);
  let o = 14;
  for (const l of p.levels) {
    dv.setUint32(o, l.length, true);
    o += 4;
    for (const v of l) { dv.setFloat64(o, v, true); o += 8; }
  }
  return bytes;
}

/** Reads serializeQuantiles output; an empty or foreign byte string gives an empty sketch of capacity k. */
export function deserializeQuantiles(bytes: Uint8Array, k = 128): QuantilesPartial {
  if (bytes.byteLength < 14 || bytes[0] !== QUANTILES_MAGIC) return emptyQuantiles(k);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const numLevels = dv.getUint8(1);
  const levels: number[][] = [];
  let o = 14;
  for (let h = 0; h < numLevels; h++) {
    const c = dv.getUint32(o, true);
    o += 4;
    const l: number[] = new Array(c);
    for (let i = 0; i < c; i++) { l[i] = dv.getFloat64(o, true); o += 8; }
    levels.push(l);
  }
  if (levels.length === 0) levels.push([]);
  return { k: dv.getUint32(2, true), n: dv.getFloat64(6, true), levels };
}
