/**
 * Fast non-cryptographic hashes for distinct counting. Hashes are 53-bit
 * non-negative integers held in JS numbers (exact), built from two 32-bit
 * multiply-xorshift lanes over the UTF-16 code units.
 */

/** 53-bit hash of a string (deterministic across processes and versions of this format). */
export function hashString(s: string, seed = 0): number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x85ebca6b ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x9e3779b1);
    b = Math.imul(b ^ c, 0x5f356495);
  }
  a ^= s.length;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a ^= Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b ^= Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  return (b & 0x1fffff) * 4294967296 + (a >>> 0);
}

/** 53-bit hashes of every dictionary value (null hashes like the string 'null' is NOT done: null gets -1). */
export function hashDictionary(dict: readonly (string | null)[]): Float64Array {
  const out = new Float64Array(dict.length);
  for (let i = 0; i < dict.length; i++) {
    const v = dict[i];
    out[i] = v === null ? -1 : hashString(v);
  }
  return out;
}
