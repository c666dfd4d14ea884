/**
 * The segment file layout (format version 1).
 *
 *   0  magic "NEMETSEG" (8 bytes)
 *   8  u16 format version
 *  10  u16 flags (0)
 *  12  u32 metadata length M
 *  16  u32 total file length, low 32 bits
 *  20  u32 total file length, high bits
 *  24  u32 crc32 of the metadata
 *  28  u32 crc32 of bytes 0..28
 *  32  metadata: UTF-8 JSON (SegmentMeta), the column directory
 *  32+M  blocks, back to back, each referenced by exactly one BlockRef
 *
 * Every byte is covered by a check: the header by its crc, the metadata by its
 * crc, each block by its own crc (verified when the block is decoded), and
 * the blocks must tile the body exactly.
 */
import type { BlockRef } from './block-codec.ts';

export const MAGIC = 'NEMETSEG';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 32;
/** Rows per numeric / id block unless the writer is told otherwise. */
export const DEFAULT_BLOCK_ROWS = 65536;
/** Target raw size of a chunk of variable-length items (dictionary, bitmaps, sketches). */
export const VAR_CHUNK_BYTES = 64 * 1024;

/** A fixed-rows block of numbers: its block plus how the numbers are encoded and their range. */
export interface NumBlockRef extends BlockRef {
  /** 'f64' | 'f32' | 'i64' raw little-endian, or 'for': base + bit-packed (v - base). */
  e: 'f64' | 'f32' | 'i64' | 'for';
  /** For 'for': base value and bit width. */
  b?: number;
  w?: number;
  /** Min and max of non-null values in the block (as JSON-safe numbers, see encodeNum). */
  mn: number | string;
  mx: number | string;
}

/** A chunk of variable-length items [first, first + count). */
export interface VarChunkRef extends BlockRef {
  f: number;
  k: number;
}

export interface TimeMeta {
  readonly kind: 'time';
  readonly name: '__time';
  readonly blocks: NumBlockRef[];
}

export interface StringMeta {
  readonly kind: 'string';
  readonly name: string;
  readonly multi: boolean;
  readonly hasNulls: boolean;
  readonly cardinality: number;
  readonly bitWidth: number;
  readonly bitmapIndex: boolean;
  /** Dictionary values (non-null ones; id 0 is null when hasNulls). */
  readonly dict: VarChunkRef[];
  /** Single-valued: bit-packed ids by row block. Multi-valued: bit-packed value counts by row block. */
  readonly ids: BlockRef[];
  /** Multi-valued only: bit-packed value ids, blocks of blockRows values. */
  readonly values: BlockRef[];
  readonly numValues: number;
  readonly countWidth: number;
  /** Bitmaps, one per dictionary id, portable Roaring serialization. */
  readonly bitmaps: VarChunkRef[];
}

export interface NumericMeta {
  readonly kind: 'numeric';
  readonly name: string;
  readonly type: 'LONG' | 'FLOAT' | 'DOUBLE';
  readonly role: 'dimension' | 'metric';
  readonly hasNulls: boolean;
  readonly exact: boolean;
  readonly min: number | string;
  readonly max: number | string;
  readonly blocks: NumBlockRef[];
  /** Portable Roaring bitmap of null rows, when hasNulls. */
  readonly nulls: BlockRef | null;
}

export interface ComplexMeta {
  readonly kind: 'complex';
  readonly name: string;
  readonly complexType: string;
  readonly chunks: VarChunkRef[];
}

export type ColumnMeta = StringMeta | NumericMeta | ComplexMeta;

export interface SegmentMeta {
  readonly numRows: number;
  readonly blockRows: number;
  readonly minTime: number;
  readonly maxTime: number;
  readonly time: TimeMeta;
  readonly columns: ColumnMeta[];
}

/** Numbers in JSON metadata: non-finite values become strings. */
export function encodeNum(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** Inverse of encodeNum. */
export function decodeNum(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}
