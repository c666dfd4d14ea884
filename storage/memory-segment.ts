/**
 * A Segment over in-memory columnar data (ColumnarData): what the incremental
 * index's snapshot serves. Bitmaps are built on first use and kept.
 */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';
import type { Interval } from '../common/interval.ts';
import type { ColumnInfo, ComplexColumn, NumericColumn, Segment, SegmentId, StringColumn } from './segment.ts';
import type { ColumnarData, ComplexColumnData, NumericColumnData, StringColumnData } from './columnar-data.ts';
import { columnTypeOf } from './columnar-data.ts';
import { searchDictionary } from './dictionary-order.ts';
import { bitmapOfIds } from './bitmap-of-ids.ts';

const { RoaringBitmap32: Bitmap } = roaring;

class MemoryStringColumn implements StringColumn {
  readonly type = 'STRING' as const;
  readonly cardinality: number;
  readonly hasMultipleValues: boolean;
  private readonly bitmaps = new Map<number, RoaringBitmap32>();
  private mv: { offsets: Int32Array; values: Int32Array } | null = null;

  constructor(private readonly c: StringColumnData, private readonly numRows: number) {
    this.cardinality = c.dictionary.length;
    this.hasMultipleValues = c.ids === null;
  }
  value(id: number): string | null {
    return this.c.dictionary[id];
  }
  lookupId(value: string | null): number {
    return searchDictionary(this.c.dictionary, value);
  }
  dictionary(): readonly (string | null)[] {
    return this.c.dictionary;
  }
  ids(): Int32Array {
    if (this.c.ids === null) throw new Error(`column ${this.c.name} is multi-valued; use multiValues()`);
    return this.c.ids;
  }
  multiValues(): { readonly offsets: Int32Array; readonly values: Int32Array } {
    if (this.c.ids === null) return { offsets: this.c.offsets!, values: this.c.values! };
    if (this.mv === null) {
      const offsets = new Int32Array(this.numRows + 1);
      for (let i = 0; i <= this.numRows; i++) offsets[i] = i;
      this.mv = { offsets, values: this.c.ids };
    }
    return this.mv;
  }
  bitmap(id: number): RoaringBitmap32 {
    let b = this.bitmaps.get(id);
    if (b === undefined) {
      b = (this.c.ids !== null ? bitmapOfIds(this.c.ids, id) : bitmapOfIds(this.multiValues(), id)).freeze() as RoaringBitmap32;
      this.bitmaps.set(id, b);
    }
    return b;
  }
}

class MemoryNumericColumn implements NumericColumn {
  readonly type: 'LONG' | 'FLOAT' | 'DOUBLE';
  readonly min: number;
  readonly max: number;
  private nullBitmap: RoaringBitmap32 | null | undefined = undefined;

  constructor(private readonly c: NumericColumnData, private readonly numRows: number) {
    this.type = c.type;
    let mn = Infinity;
    let mx = -Infinity;
    const v = c.values;
    const nulls = c.nulls;
    for (let i = 0; i < numRows; i++) {
      if (nulls !== null && nulls[i] === 1) continue;
      if (v[i] < mn) mn = v[i];
      if (v[i] > mx) mx = v[i];
    }
    this.min = mn;
    this.max = mx;
  }
  values(): Float64Array | Float32Array {
    return this.c.values.subarray(0, this.numRows);
  }
  valuesInRange(startRow: number, endRow: number): Float64Array | Float32Array {
    return this.c.values.subarray(Math.max(0, startRow), Math.min(this.numRows, endRow));
  }
  exactLongs(): BigInt64Array | null {
    return this.c.exact;
  }
  nulls(): RoaringBitmap32 | null {
    if (this.nullBitmap === undefined) {
      const n = this.c.nulls;
      let rows: number[] = [];
      if (n !== null) for (let i = 0; i < this.numRows; i++) if (n[i] === 1) rows.push(i);
      this.nullBitmap = rows.length === 0 ? null : (new Bitmap(rows).freeze() as RoaringBitmap32);
      rows = [];
    }
    return this.nullBitmap;
  }
}

class MemoryComplexColumn implements ComplexColumn {
  readonly type = 'COMPLEX' as const;
  readonly complexType: string;
  constructor(private readonly c: ComplexColumnData) {
    this.complexType = c.complexType;
  }
  get(row: number): Uint8Array {
    return this.c.values[row];
  }
}

/** An immutable-by-convention Segment over ColumnarData. */
export class MemorySegment implements Segment {
  readonly numRows: number;
  readonly dataInterval: Interval;
  readonly dimensions: readonly string[];
  readonly metrics: readonly string[];
  readonly sizeBytes: number;
  private readonly infos: ColumnInfo[];
  private readonly strings = new Map<string, MemoryStringColumn>();
  private readonly numerics = new Map<string, MemoryNumericColumn>();
  private readonly complexes = new Map<string, MemoryComplexColumn>();

  /** `isMutable` is true for incremental-index snapshots (results must not be cached). */
  constructor(readonly id: SegmentId, readonly data: ColumnarData, readonly isMutable = false) {
    const n = data.numRows;
    this.numRows = n;
    this.dataInterval = n === 0 ? { start: id.interval.start, end: id.interval.start } : { start: data.time[0], end: data.time[n - 1] + 1 };
    this.infos = [{ name: '__time', type: 'LONG', hasMultipleValues: false, hasNulls: false }];
    const dims: string[] = [];
    const mets: string[] = [];
    let size = n * 8;
    for (const c of data.columns) {
      if (c.kind === 'string') {
        dims.push(c.name);
        this.strings.set(c.name, new MemoryStringColumn(c, n));
        size += (c.ids ?? c.values!).byteLength + c.dictionary.length * 16;
        this.infos.push({ name: c.name, type: 'STRING', hasMultipleValues: c.ids === null, hasNulls: c.dictionary[0] === null && c.dictionary.length > 0 });
      } else if (c.kind === 'numeric') {
        mets.push(c.name);
        this.numerics.set(c.name, new MemoryNumericColumn(c, n));
        size += n * c.values.BYTES_PER_ELEMENT;
        let hasNulls = false;
        if (c.nulls !== null) for (let i = 0; i < n && !hasNulls; i++) hasNulls = c.nulls[i] === 1;
        this.infos.push({ name: c.name, type: c.type, hasMultipleValues: false, hasNulls });
      } else {
        mets.push(c.name);
        this.complexes.set(c.name, new MemoryComplexColumn(c));
        for (let i = 0; i < n; i++) size += c.values[i].length;
        this.infos.push({ name: c.name, type: columnTypeOf(c), complexType: c.complexType, hasMultipleValues: false, hasNulls: false });
      }
    }
    this.dimensions = dims;
    this.metrics = mets;
    this.sizeBytes = size;
  }

  columns(): readonly ColumnInfo[] {
    return this.infos;
  }
  /** The role of a numeric column: 'dimension' (part of the rollup key) or 'metric'. */
  numericRole(name: string): 'dimension' | 'metric' | undefined {
    const c = this.data.columns.find((x) => x.name === name);
    return c?.kind === 'numeric' ? c.role : undefined;
  }
  column(name: string): ColumnInfo | undefined {
    return this.infos.find((c) => c.name === name);
  }
  time(): Float64Array {
    return this.data.time.subarray(0, this.numRows);
  }
  stringColumn(name: string): StringColumn | undefined {
    return this.strings.get(name);
  }
  numericColumn(name: string): NumericColumn | undefined {
    return this.numerics.get(name);
  }
  complexColumn(name: string): ComplexColumn | undefined {
    return this.complexes.get(name);
  }
}
