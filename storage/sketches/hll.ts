/**
 * HyperLogLog distinct-count sketch: 2^11 registers (about 2.3% standard
 * error), 53-bit hashes from sketches/hash.ts, mergeable and serializable.
 * Used by hyperUnique columns, the cardinality aggregator and approximate
 * COUNT(DISTINCT).
 *
 * Serialized form: [u8 version=1][u8 precision=11][u8 mode] then, for mode 0
 * (dense) 2048 register bytes, for mode 1 (sparse) u16 count and count
 * entries of (u16 register index LE, u8 value).
 */
import { errors } from '../../common/errors.ts';

export const HLL_PRECISION = 11;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
const REST_BITS = 53 - HLL_PRECISION; // 42
const REST_SPAN = 2 ** REST_BITS;
const TWO32 = 4294967296;
const ALPHA = 0.7213 / (1 + 1.079 / HLL_REGISTERS);
const POW2_NEG = Float64Array.from({ length: 65 }, (_, i) => 2 ** -i);

/** Register index and rank of a 53-bit hash, written into the kernel below. */
function rankOf(rest: number): number {
  const hi = Math.floor(rest / TWO32);
  if (hi !== 0) return Math.clz32(hi) - (32 - (REST_BITS - 32)) + 1;
  return REST_BITS - 32 + Math.clz32(rest >>> 0) + 1;
}

/** Kernel: folds hashes[from..to) into registers. Negative hashes (nulls) are skipped. */
export function addHashesKernel(registers: Uint8Array, hashes: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const h = hashes[i];
    if (h < 0) continue;
    const idx = Math.floor(h / REST_SPAN);
    const r = rankOf(h - idx * REST_SPAN);
    if (r > registers[idx]) registers[idx] = r;
  }
}

/** Kernel: folds the hash of each row's id (hashesById[ids[r]]) for rows [from, to). */
export function addIdsKernel(registers: Uint8Array, ids: Int32Array, hashesById: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const h = hashesById[ids[i]];
    if (h < 0) continue;
    const idx = Math.floor(h / REST_SPAN);
    const r = rankOf(h - idx * REST_SPAN);
    if (r > registers[idx]) registers[idx] = r;
  }
}

/** Kernel: register-wise max of src into dst. */
export function mergeRegistersKernel(dst: Uint8Array, src: Uint8Array): void {
  for (let i = 0; i < dst.length; i++) if (src[i] > dst[i]) dst[i] = src[i];
}

export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(HLL_REGISTERS);
  }

  /** Adds one 53-bit hash (from hashString). Negative values are ignored (null). */
  add(hash: number): this {
    if (hash < 0) return this;
    const idx = Math.floor(hash / REST_SPAN);
    const r = rankOf(hash - idx * REST_SPAN);
    if (r > this.registers[idx]) this.registers[idx] = r;
    return this;
  }

  /** Adds every hash in hashes[from..to). */
  addAll(hashes: Float64Array, from = 0, to = hashes.length): this {
    addHashesKernel(this.registers, hashes, from, to);
    return this;
  }

  /** Merges another sketch into this one (union). */
  merge(other: HyperLogLog): this {
    mergeRegistersKernel(this.registers, other.registers);
    return this;
  }

  /** Estimated number of distinct hashes added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    const regs = this.registers;
    for (let i = 0; i < regs.length; i++) {
      sum += POW2_NEG[regs[i]];
      if (regs[i] === 0) zeros++;
    }
    const m = HLL_REGISTERS;
    const e = (ALPHA * m * m) / sum;
    if (e <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
    return e;
  }

  isEmpty(): boolean {
    for (let i = 0; i < this.registers.length; i++) if (this.registers[i] !== 0) return false;
    return true;
  }

  clone(): HyperLogLog {
    return new HyperLogLog(this.registers.slice());
  }

  /** Compact bytes (sparse when few registers are set). */
  serialize(): Uint8Array {
    const regs = this.registers;
    let set = 0;
    for (let i = 0; i < regs.length; i++) if (regs[i] !== 0) set++;
    if (set * 3 + 5 < HLL_REGISTERS + 3) {
      const out = new Uint8Array(5 + set * 3);
      out[0] = 1;
      out[1] = HLL_PRECISION;
      out[2] = 1;
      out[3] = set & 0xff;
      out[4] = set >>> 8;
      let at = 5;
      for (let i = 0; i < regs.length; i++) {
        if (regs[i] === 0) continue;
        out[at] = i & 0xff;
        out[at + 1] = i >>> 8;
        out[at + 2] = regs[i];
        at += 3;
      }
      return out;
    }
    const out = new Uint8Array(3 + HLL_REGISTERS);
    out[0] = 1;
    out[1] = HLL_PRECISION;
    out[2] = 0;
    out.set(regs, 3);
    return out;
  }

  /** Parses serialize() output; throws errors.corrupt on malformed bytes. */
  static deserialize(bytes: Uint8Array): HyperLogLog {
    const h = new HyperLogLog();
    HyperLogLog.mergeSerialized(h.registers, bytes);
    return h;
  }

  /** Folds serialized sketch bytes straight into registers (no intermediate object). */
  static mergeSerialized(registers: Uint8Array, bytes: Uint8Array): void {
    if (bytes.length < 3 || bytes[0] !== 1 || bytes[1] !== HLL_PRECISION) throw errors.corrupt('hyperUnique sketch', 'bad header');
    if (bytes[2] === 0) {
      if (bytes.length !== 3 + HLL_REGISTERS) throw errors.corrupt('hyperUnique sketch', 'bad dense length');
      mergeRegistersKernel(registers, bytes.subarray(3));
      return;
    }
    if (bytes[2] !== 1 || bytes.length < 5) throw errors.corrupt('hyperUnique sketch', 'bad mode');
    const n = bytes[3] | (bytes[4] << 8);
    if (bytes.length !== 5 + 3 * n) throw errors.corrupt('hyperUnique sketch', 'bad sparse length');
    for (let k = 0, at = 5; k < n; k++, at += 3) {
      const idx = bytes[at] | (bytes[at + 1] << 8);
      if (idx >= HLL_REGISTERS) throw errors.corrupt('hyperUnique sketch', 'register index out of range');
      if (bytes[at + 2] > registers[idx]) registers[idx] = bytes[at + 2];
    }
  }
}
