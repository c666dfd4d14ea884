/** StringColumn over a segment file: dictionary, ids and bitmaps decoded lazily and cached. */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';
import type { StringColumn } from '../segment.ts';
import { segmentCache, type CacheEntry } from '../block-cache.ts';
import { searchDictionary } from '../dictionary-order.ts';
import { bitmapOfIds } from '../bitmap-of-ids.ts';
import { packedWords, unpack } from './bitpack.ts';
import type { SegmentFile } from './segment-file.ts';
import type { StringMeta } from './layout.ts';

const { RoaringBitmap32: Bitmap } = roaring;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class FileStringColumn implements StringColumn {
  readonly type = 'STRING' as const;
  readonly cardinality: number;
  readonly hasMultipleValues: boolean;
  private readonly key: string;
  /** Held cache entries (re-checked with `live`, so a hit needs no key and no lookup). */
  private dictEntry: CacheEntry<(string | null)[]> | null = null;
  private idsEntry: CacheEntry<Int32Array> | null = null;
  private mvEntry: CacheEntry<{ offsets: Int32Array; values: Int32Array }> | null = null;
  private readonly bitmapEntries: (CacheEntry<RoaringBitmap32> | undefined)[] = [];

  constructor(private readonly file: SegmentFile, private readonly meta: StringMeta) {
    this.cardinality = meta.cardinality;
    this.hasMultipleValues = meta.multi;
    this.key = `c/${meta.name}/`;
  }

  dictionary(): readonly (string | null)[] {
    const held = this.dictEntry;
    if (held !== null && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'dict', () => {
      const out: (string | null)[] = this.meta.hasNulls ? [null] : [];
      this.meta.dict.forEach((c, i) => {
        const { data, offsets } = this.file.varChunk(this.key + 'd', i, c);
        for (let j = 0; j < c.k; j++) {
          try {
            out.push(utf8.decode(data.subarray(offsets[j], offsets[j + 1])));
          } catch {
            throw this.file.corrupt(`column ${this.meta.name}: dictionary value is not UTF-8`);
          }
        }
      });
      return out;
    }, (d) => 64 + d.reduce((s: number, v) => s + 16 + (v === null ? 0 : v.length * 2), 0));
    this.dictEntry = e;
    return e.value;
  }

  value(id: number): string | null {
    return this.dictionary()[id];
  }

  lookupId(value: string | null): number {
    return searchDictionary(this.dictionary(), value);
  }

  private unpackBlocks(refs: StringMeta['ids'], total: number, width: number, part: string): Int32Array {
    const out = new Int32Array(total);
    const blockRows = this.file.meta.blockRows;
    refs.forEach((ref, b) => {
      const n = Math.min(blockRows, total - b * blockRows);
      const raw = this.file.block(this.key + part + b, ref);
      if (raw.length !== packedWords(n, width) * 4) throw this.file.corrupt(`column ${this.meta.name}: id block has the wrong length`);
      const aligned = raw.byteOffset % 4 === 0 ? raw : raw.slice();
      unpack(new Uint32Array(aligned.buffer, aligned.byteOffset, raw.length >>> 2), n, width, out, b * blockRows);
    });
    return out;
  }

  ids(): Int32Array {
    if (this.meta.multi) throw new Error(`column ${this.meta.name} is multi-valued; use multiValues()`);
    const held = this.idsEntry;
    if (held !== null && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'ids', () => {
      const ids = this.unpackBlocks(this.meta.ids, this.file.meta.numRows, this.meta.bitWidth, 'i');
      checkIds(ids, this.cardinality, this.file, this.meta.name);
      return ids;
    }, (a) => a.byteLength);
    this.idsEntry = e;
    return e.value;
  }

  multiValues(): { readonly offsets: Int32Array; readonly values: Int32Array } {
    const held = this.mvEntry;
    if (held !== null && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'mv', () => {
      const numRows = this.file.meta.numRows;
      if (!this.meta.multi) {
        const offsets = new Int32Array(numRows + 1);
        for (let i = 0; i <= numRows; i++) offsets[i] = i;
        return { offsets, values: this.ids() };
      }
      const counts = this.unpackBlocks(this.meta.ids, numRows, this.meta.countWidth, 'i');
      const offsets = new Int32Array(numRows + 1);
      for (let r = 0; r < numRows; r++) offsets[r + 1] = offsets[r] + counts[r];
      if (offsets[numRows] !== this.meta.numValues) throw this.file.corrupt(`column ${this.meta.name}: value counts do not add up`);
      const values = this.unpackBlocks(this.meta.values, this.meta.numValues, this.meta.bitWidth, 'v');
      checkIds(values, this.cardinality, this.file, this.meta.name);
      return { offsets, values };
    }, (v) => v.offsets.byteLength + v.values.byteLength);
    this.mvEntry = e;
    return e.value;
  }

  bitmap(id: number): RoaringBitmap32 {
    const valid = Number.isInteger(id) && id >= 0 && id < this.cardinality;
    const held = valid ? this.bitmapEntries[id] : undefined;
    if (held !== undefined && held.live) return segmentCache.touch(held);
    const e = segmentCache.entry(this.file.keyPrefix + this.key + 'b' + id, () => {
      if (id < 0 || id >= this.cardinality || !Number.isInteger(id)) return new Bitmap().freeze() as RoaringBitmap32;
      let bm: RoaringBitmap32;
      if (this.meta.bitmapIndex) {
        const bytes = this.file.varItem(this.key + 'bm', this.meta.bitmaps, id);
        try {
          bm = Bitmap.deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'portable');
        } catch {
          throw this.file.corrupt(`column ${this.meta.name}: bitmap ${id} does not deserialize`);
        }
      } else {
        bm = this.meta.multi ? bitmapOfIds(this.multiValues(), id) : bitmapOfIds(this.ids(), id);
      }
      return bm.freeze() as RoaringBitmap32;
    }, (b) => 64 + b.getSerializationSizeInBytes('portable'));
    if (valid) this.bitmapEntries[id] = e;
    return e.value;
  }
}

function checkIds(ids: Int32Array, cardinality: number, file: SegmentFile, name: string): void {
  let max = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i] > max) max = ids[i];
  if (max >= cardinality) throw file.corrupt(`column ${name}: id ${max} outside the dictionary`);
}
