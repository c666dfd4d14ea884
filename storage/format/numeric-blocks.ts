/**
 * Encoding and decoding of fixed-rows numeric blocks (used by `__time` and
 * LONG/FLOAT/DOUBLE columns). LONG blocks whose values span less than 2^32
 * are stored frame-of-reference bit-packed; other LONGs as int64; FLOAT as
 * float32; DOUBLE as float64; then LZ4.
 */
import { errors } from '../../common/errors.ts';
import { bitWidthFor, pack, packedWords, unpack } from './bitpack.ts';
import type { BodyBuilder } from './body-builder.ts';
import { bytesOf } from './body-builder.ts';
import { encodeNum, type NumBlockRef } from './layout.ts';

const TWO32 = 4294967296;

/** Min/max of values[start,end) skipping rows flagged null; +Inf/-Inf when none. */
function rangeOf(values: Float64Array | Float32Array, nulls: Uint8Array | null, start: number, end: number): [number, number] {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = start; i < end; i++) {
    if (nulls !== null && nulls[i] === 1) continue;
    const v = values[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  return [mn, mx];
}

function encodeLongBlock(values: Float64Array, exact: BigInt64Array | null, start: number, end: number): { raw: Uint8Array; e: NumBlockRef['e']; b?: number; w?: number } {
  const n = end - start;
  if (exact === null) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (n > 0 && hi - lo < TWO32) {
      const deltas = new Uint32Array(n);
      for (let i = 0; i < n; i++) deltas[i] = values[start + i] - lo;
      const w = bitWidthFor(hi - lo);
      return { raw: bytesOf(pack(deltas, 0, n, w)), e: 'for', b: lo, w };
    }
    const out = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      const h = Math.floor(v / TWO32);
      out[2 * i] = (v - h * TWO32) | 0;
      out[2 * i + 1] = h | 0;
    }
    return { raw: bytesOf(out), e: 'i64' };
  }
  return { raw: bytesOf(exact.slice(start, end)), e: 'i64' };
}

/** Writes a numeric column (or `__time`) as blocks of blockRows rows. */
export function writeNumericBlocks(
  body: BodyBuilder,
  type: 'LONG' | 'FLOAT' | 'DOUBLE',
  values: Float64Array | Float32Array,
  exact: BigInt64Array | null,
  nulls: Uint8Array | null,
  numRows: number,
  blockRows: number,
): NumBlockRef[] {
  const refs: NumBlockRef[] = [];
  for (let start = 0; start < numRows; start += blockRows) {
    const end = Math.min(numRows, start + blockRows);
    const [mn, mx] = rangeOf(values, nulls, start, end);
    let enc: { raw: Uint8Array; e: NumBlockRef['e']; b?: number; w?: number };
    if (type === 'LONG') enc = encodeLongBlock(values as Float64Array, exact, start, end);
    else if (type === 'FLOAT') enc = { raw: bytesOf((values as Float32Array).slice(start, end)), e: 'f32' };
    else enc = { raw: bytesOf((values as Float64Array).slice(start, end)), e: 'f64' };
    const ref = body.add(enc.raw);
    const r: NumBlockRef = { ...ref, e: enc.e, mn: encodeNum(mn), mx: encodeNum(mx) };
    if (enc.b !== undefined) {
      r.b = enc.b;
      r.w = enc.w;
    }
    refs.push(r);
  }
  return refs;
}

/**
 * Decodes one block's raw bytes into out[outStart .. outStart+rows). `what`
 * names the segment/column for errors.
 */
export function decodeNumericBlock(raw: Uint8Array, ref: NumBlockRef, rows: number, out: Float64Array | Float32Array, outStart: number, what: string): void {
  const expect = ref.e === 'f64' || ref.e === 'i64' ? rows * 8 : ref.e === 'f32' ? rows * 4 : packedWords(rows, ref.w ?? 0) * 4;
  if (raw.length !== expect) throw errors.corrupt(what, `numeric block has ${raw.length} bytes, expected ${expect}`);
  const aligned = raw.byteOffset % 8 === 0 ? raw : raw.slice();
  switch (ref.e) {
    case 'f64':
      out.set(new Float64Array(aligned.buffer, aligned.byteOffset, rows), outStart);
      return;
    case 'f32':
      out.set(new Float32Array(aligned.buffer, aligned.byteOffset, rows), outStart);
      return;
    case 'i64': {
      const w = new Int32Array(aligned.buffer, aligned.byteOffset, rows * 2);
      for (let i = 0; i < rows; i++) out[outStart + i] = w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0);
      return;
    }
    case 'for': {
      const width = ref.w ?? 0;
      const base = ref.b ?? 0;
      const words = new Uint32Array(aligned.buffer, aligned.byteOffset, packedWords(rows, width));
      if (out instanceof Float64Array) {
        unpack(words, rows, width, out, outStart);
        if (base !== 0) for (let i = outStart; i < outStart + rows; i++) out[i] += base;
      } else {
        const tmp = new Float64Array(rows);
        unpack(words, rows, width, tmp, 0);
        for (let i = 0; i < rows; i++) out[outStart + i] = tmp[i] + base;
      }
      return;
    }
    default:
      throw errors.corrupt(what, `unknown numeric encoding ${String(ref.e)}`);
  }
}

/** Decodes a block's exact int64 values (for columns stored with exact longs). */
export function decodeExactBlock(raw: Uint8Array, ref: NumBlockRef, rows: number, out: BigInt64Array, outStart: number, what: string): void {
  if (ref.e !== 'i64' || raw.length !== rows * 8) throw errors.corrupt(what, 'exact long block has the wrong encoding or length');
  const aligned = raw.byteOffset % 8 === 0 ? raw : raw.slice();
  out.set(new BigInt64Array(aligned.buffer, aligned.byteOffset, rows), outStart);
}
