/**
 * A KMV theta sketch: the k smallest normalised hashes (hash / 2^53, in [0, 1))
 * seen, and theta, the bound below which every retained hash lies. Exact below
 * k distinct values; estimate = retained / theta beyond. Used by thetaSketch
 * and HLLSketchBuild/Merge at ingest time (COMPLEX columns) and query time.
 */

/** A theta sketch: retained normalised hashes (ascending, all < theta), nominal size k, and theta. */
export interface ThetaSketchData { readonly k: number; readonly theta: number; readonly hashes: number[] }

/** 2^53: hashString values divided by this are the normalised hashes. */
export const THETA_HASH_SCALE = 2 ** 53;

/** An empty sketch of nominal size k. */
export function emptyTheta(k: number): ThetaSketchData {
  return { k, theta: 1, hashes: [] };
}

/** Sorts hashes (mutating), drops those >= theta and keeps the k smallest (lowering theta). Input must be distinct. */
export function trimTheta(hashes: number[], k: number, theta: number): ThetaSketchData {
  hashes.sort((a, b) => a - b);
  let out = hashes;
  if (theta < 1) out = out.filter((h) => h < theta);
  if (out.length > k) {
    theta = out[k];
    out = out.slice(0, k);
  }
  return { k, theta, hashes: out };
}

/** Union of two sketches (nominal size the smaller k). */
export function unionTheta(a: ThetaSketchData, b: ThetaSketchData): ThetaSketchData {
  return trimTheta([...new Set([...a.hashes, ...b.hashes])], Math.min(a.k, b.k), Math.min(a.theta, b.theta));
}

/** Estimated distinct count. */
export function thetaSketchEstimate(t: ThetaSketchData): number {
  return t.theta >= 1 ? t.hashes.length : t.hashes.length / t.theta;
}

const THETA_MAGIC = 0x54; // 'T'

/** Bytes: u8 magic, u32 k, f64 theta, u32 count, count f64 hashes. Little-endian. */
export function serializeTheta(t: ThetaSketchData): Uint8Array {
  const bytes = new Uint8Array(17 + t.hashes.length * 8);
  const dv = new DataView(bytes.buffer);
  dv.setUint8(0, THETA_MAGIC);
  dv.setUint32(1, t.k, true);
  dv.setFloat64(5, t.theta, true);
  dv.setUint32(13, t.hashes.length, true);
  for (let i = 0; i < t.hashes.length; i++) dv.setFloat64(17 + i * 8, t.hashes[i], true);
  return bytes;
}

/** Reads serializeTheta output; an empty or foreign byte string gives an empty sketch of size k. */
export function deserializeTheta(bytes: Uint8Array, k = 16384): ThetaSketchData {
  if (bytes.byteLength < 17 || bytes[0] !== THETA_MAGIC) return emptyTheta(k);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(13, true);
  const hashes: number[] = new Array(n);
  for (let i = 0; i < n; i++) hashes[i] = dv.getFloat64(17 + i * 8, true);
  return { k: dv.getUint32(1, true), theta: dv.getFloat64(5, true), hashes };
}
