/** NumericColumn over a segment file: blocks decoded on demand (only those a range needs) and cached. */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';
import type { BlockRanges, NumericColumn } from '../segment.ts';
import { segmentCache, type CacheEntry } from '../block-cache.ts';
import { decodeExactBlock, decodeNumericBlock } from './numeric-blocks.ts';
import type { SegmentFile } from './segment-file.ts';
import { decodeNum, type NumBlockRef } from './layout.ts';

const { RoaringBitmap32: Bitmap } = roaring;

/** Decodes numeric blocks of a file; shared by `__time` and numeric columns. */
export class NumericBlocks {
  /** Held cache entries (re-checked with `live`): the whole column and each block. */
  private allEntry: CacheEntry<Float64Array | Float32Array> | null = null;
  private readonly blockEntries: (CacheEntry<Float64Array | Float32Array> | undefined)[] = [];

  constructor(
    private readonly file: SegmentFile,
    private readonly blocks: readonly NumBlockRef[],
    private readonly float32: boolean,
    private readonly key: string,
  ) {}

  private rowsIn(b: number): number {
    const br = this.file.meta.blockRows;
    return Math.min(br, this.file.meta.numRows - b * br);
  }

  private make(n: number): Float64Array | Float32Array {
    return this.float32 ? new Float32Array(n) : new Float64Array(n);
  }

  /** Values of block b (cached). */
  block(b: number): Float64Array | Float32Array {
    const held = this.blockEntries[b];
    if (held !== undefined && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'n' + b, () => {
      const n = this.rowsIn(b);
      const raw = this.file.block(this.key + 'raw' + b, this.blocks[b]);
      const out = this.make(n);
      decodeNumericBlock(raw, this.blocks[b], n, out, 0, `Segment [${this.file.name}] column ${this.key}`);
      return out;
    }, (a) => a.byteLength + 64);
    this.blockEntries[b] = e;
    return e.value;
  }

  /** Every row's value (cached). */
  all(): Float64Array | Float32Array {
    const held = this.allEntry;
    if (held !== null && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'all', () => this.range(0, this.file.meta.numRows, false), (a) => a.byteLength + 64);
    this.allEntry = e;
    return e.value;
  }

  /** Values of rows [start, end), decoding only overlapping blocks. */
  range(start: number, end: number, useAll = true): Float64Array | Float32Array {
    const numRows = this.file.meta.numRows;
    start = Math.max(0, start);
    end = Math.min(numRows, end);
    if (end <= start) return this.make(0);
    if (useAll) {
      const held = this.allEntry;
      const whole = held !== null && held.live ? segmentCache.touch(held) : segmentCache.get<Float64Array | Float32Array>(this.file.keyPrefix + this.key + 'all');
      if (whole !== undefined) return whole.subarray(start, end);
    }
    const br = this.file.meta.blockRows;
    const first = Math.floor(start / br);
    const last = Math.floor((end - 1) / br);
    if (first === last) return this.block(first).subarray(start - first * br, end - first * br);
    const out = this.make(end - start);
    for (let b = first; b <= last; b++) {
      const vals = this.block(b);
      const from = Math.max(start, b * br);
      const to = Math.min(end, b * br + vals.length);
      out.set(vals.subarray(from - b * br, to - b * br), from - start);
    }
    return out;
  }

  /** Exact int64 values of every row (blocks must be 'i64'). */
  exact(): BigInt64Array {
    return segmentCache.getOrCompute(this.file.keyPrefix + this.key + 'exact', () => {
      const out = new BigInt64Array(this.file.meta.numRows);
      const br = this.file.meta.blockRows;
      this.blocks.forEach((ref, b) => {
        const raw = this.file.block(this.key + 'raw' + b, ref);
        decodeExactBlock(raw, ref, this.rowsIn(b), out, b * br, `Segment [${this.file.name}] column ${this.key}`);
      });
      return out;
    }, (a) => a.byteLength + 64);
  }
}

export class FileNumericColumn implements NumericColumn {
  readonly min: number;
  readonly max: number;
  private readonly blocks: NumericBlocks;
  private readonly ranges: BlockRanges;
  private nullsEntry: CacheEntry<RoaringBitmap32> | null = null;

  constructor(
    private readonly file: SegmentFile,
    readonly type: 'LONG' | 'FLOAT' | 'DOUBLE',
    private readonly name: string,
    private readonly exactStored: boolean,
    private readonly nullsRef: import('./block-codec.ts').BlockRef | null,
    blockRefs: readonly NumBlockRef[],
    min: number | string,
    max: number | string,
  ) {
    this.min = decodeNum(min);
    this.max = decodeNum(max);
    this.blocks = new NumericBlocks(file, blockRefs, type === 'FLOAT', `c/${name}/`);
    const mins = new Float64Array(blockRefs.length);
    const maxs = new Float64Array(blockRefs.length);
    for (let b = 0; b < blockRefs.length; b++) {
      mins[b] = decodeNum(blockRefs[b].mn);
      maxs[b] = decodeNum(blockRefs[b].mx);
    }
    this.ranges = { blockRows: file.meta.blockRows, min: mins, max: maxs };
  }

  /** The min/max each block's reference records (no block is decoded). */
  blockRanges(): BlockRanges {
    return this.ranges;
  }

  values(): Float64Array | Float32Array {
    return this.blocks.all();
  }

  valuesInRange(startRow: number, endRow: number): Float64Array | Float32Array {
    return this.blocks.range(startRow, endRow);
  }

  exactLongs(): BigInt64Array | null {
    return this.exactStored ? this.blocks.exact() : null;
  }

  nulls(): RoaringBitmap32 | null {
    const ref = this.nullsRef;
    if (ref === null) return null;
    const held = this.nullsEntry;
    if (held !== null && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + `c/${this.name}/nulls`, () => {
      const bytes = this.file.block(`c/${this.name}/nullraw`, ref);
      try {
        return Bitmap.deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'portable').freeze() as RoaringBitmap32;
      } catch {
        throw this.file.corrupt(`column ${this.name}: null bitmap does not deserialize`);
      }
    }, (b) => 64 + b.getSerializationSizeInBytes('portable'));
    this.nullsEntry = e;
    return e.value;
  }
}
