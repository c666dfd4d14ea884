/**
 * One stored block: bytes optionally LZ4-compressed, with the crc32 of the
 * stored bytes. Encoding picks LZ4 only when it saves space. Decoding checks
 * the checksum and the decoded length, so flipped or truncated bytes fail
 * loudly instead of producing wrong values.
 */
import zlib from 'node:zlib';
import lz4 from 'lz4';
import { errors } from '../../common/errors.ts';

/** Codec ids stored in block references. */
export const CODEC_RAW = 0;
export const CODEC_LZ4 = 1;

/** Where a block lives in the segment file and how to decode it. */
export interface BlockRef {
  /** Absolute byte offset in the segment file. */
  o: number;
  /** Stored length in bytes. */
  n: number;
  /** Decoded length in bytes. */
  r: number;
  /** crc32 of the stored bytes. */
  c: number;
  /** Codec: CODEC_RAW or CODEC_LZ4. */
  z: number;
}

/** An encoded block ready to be appended to a file (offset assigned by the writer). */
export interface EncodedBlock {
  readonly stored: Uint8Array;
  readonly rawLength: number;
  readonly codec: number;
  readonly crc: number;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** crc32 of bytes (zlib's, same polynomial as gzip). */
export function crc32(bytes: Uint8Array): number {
  return zlib.crc32(bytes) >>> 0;
}

/** Encodes raw bytes as a block, LZ4 when it is at least 1/8 smaller, else stored raw. */
export function encodeBlock(raw: Uint8Array, compress = true): EncodedBlock {
  let stored: Uint8Array = raw;
  let codec = CODEC_RAW;
  if (compress && raw.length >= 64) {
    const out = Buffer.allocUnsafe(lz4.encodeBound(raw.length));
    const n = lz4.encodeBlock(asBuffer(raw), out);
    if (n > 0 && n < raw.length - (raw.length >> 3)) {
      stored = out.subarray(0, n);
      codec = CODEC_LZ4;
    }
  }
  return { stored, rawLength: raw.length, codec, crc: crc32(stored) };
}

/**
 * Decodes a block of `file`. Throws errors.corrupt naming `what` when the
 * checksum or decoded length does not match. The result never aliases `file`.
 */
export function decodeBlock(file: Uint8Array, ref: BlockRef, what: string): Uint8Array {
  const stored = file.subarray(ref.o, ref.o + ref.n);
  if (stored.length !== ref.n) throw errors.corrupt(what, `block at ${ref.o} runs past the end of the file`);
  if (crc32(stored) !== ref.c) throw errors.corrupt(what, `checksum mismatch in block at offset ${ref.o}`);
  if (ref.z === CODEC_RAW) {
    if (ref.r !== ref.n) throw errors.corrupt(what, `raw block length mismatch at offset ${ref.o}`);
    return stored.slice();
  }
  if (ref.z !== CODEC_LZ4) throw errors.corrupt(what, `unknown codec ${ref.z}`);
  const out = Buffer.allocUnsafe(ref.r);
  let n: number;
  try {
    n = ref.r === 0 ? 0 : lz4.decodeBlock(asBuffer(stored), out);
  } catch (e) {
    throw errors.corrupt(what, `LZ4 block at offset ${ref.o} does not decode: ${(e as Error).message}`);
  }
  if (n !== ref.r) throw errors.corrupt(what, `LZ4 block at offset ${ref.o} decoded to ${n} bytes, expected ${ref.r}`);
  return new Uint8Array(out.buffer, out.byteOffset, n);
}
