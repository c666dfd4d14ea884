/**
 * Bit-packing kernels: non-negative integers below 2^width stored in
 * little-endian 32-bit words, `width` bits each, least significant bits first.
 */

/** Bits needed to hold values 0..maxValue (0 when maxValue is 0). */
export function bitWidthFor(maxValue: number): number {
  return maxValue <= 0 ? 0 : 32 - Math.clz32(maxValue);
}

/** Number of 32-bit words needed for `count` values of `width` bits. */
export function packedWords(count: number, width: number): number {
  return Math.ceil((count * width) / 32);
}

/** Packs src[start .. start+count) (each < 2^width) into a new word array. */
export function pack(src: ArrayLike<number>, start: number, count: number, width: number): Uint32Array {
  const out = new Uint32Array(packedWords(count, width));
  if (width === 0) return out;
  let word = 0;
  let bit = 0;
  let w = 0;
  for (let i = 0; i < count; i++) {
    const v = src[start + i] >>> 0;
    word |= v << bit;
    bit += width;
    if (bit >= 32) {
      out[w++] = word;
      bit -= 32;
      word = bit === 0 ? 0 : v >>> (width - bit);
    }
  }
  if (bit > 0) out[w] = word;
  return out;
}

/** Unpacks `count` values of `width` bits from `words` into out[outStart ..]. */
export function unpack(words: Uint32Array, count: number, width: number, out: Int32Array | Uint32Array | Float64Array, outStart: number): void {
  if (width === 0) {
    out.fill(0, outStart, outStart + count);
    return;
  }
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  let bitPos = 0;
  for (let i = 0; i < count; i++) {
    const w = bitPos >>> 5;
    const b = bitPos & 31;
    let v = words[w] >>> b;
    if (b + width > 32) v |= words[w + 1] << (32 - b);
    out[outStart + i] = (v & mask) >>> 0;
    bitPos += width;
  }
}
