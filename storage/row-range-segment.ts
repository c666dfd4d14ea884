/**
 * A Segment restricted to a contiguous row range of another segment. Rows are
 * sorted by time, so the part of a segment inside a time interval is such a
 * range: this is how a partially overshadowed segment exposes only its
 * visible rows (the timeline splits it at the newer version's bounds).
 * Dictionaries are shared with the base segment; bitmaps are re-based lazily.
 */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';
import type { Interval } from '../common/interval.ts';
import type { ColumnInfo, ComplexColumn, NumericColumn, Segment, SegmentId, StringColumn } from './segment.ts';

const { RoaringBitmap32: Bitmap } = roaring;

/** First row index whose time is >= t (binary search over ascending times). */
export function lowerBoundTime(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows [from, to) of bitmap b, shifted down by `from`. */
export function sliceBitmap(b: RoaringBitmap32, from: number, to: number): RoaringBitmap32 {
  const rows = b.toUint32Array();
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r >= from && r < to) out[n++] = r - from;
  }
  return new Bitmap(out.subarray(0, n));
}

class RangeStringColumn implements StringColumn {
  readonly type = 'STRING' as const;
  private mv: { offsets: Int32Array; values: Int32Array } | null = null;
  private readonly bitmaps = new Map<number, RoaringBitmap32>();
  constructor(private readonly base: StringColumn, private readonly from: number, private readonly to: number) {}
  get cardinality(): number { return this.base.cardinality; }
  get hasMultipleValues(): boolean { return this.base.hasMultipleValues; }
  value(id: number): string | null { return this.base.value(id); }
  lookupId(value: string | null): number { return this.base.lookupId(value); }
  dictionary(): readonly (string | null)[] { return this.base.dictionary(); }
  ids(): Int32Array { return this.base.ids().subarray(this.from, this.to); }
  multiValues(): { readonly offsets: Int32Array; readonly values: Int32Array } {
    if (this.mv === null) {
      const { offsets, values } = this.base.multiValues();
      const n = this.to - this.from;
      const first = offsets[this.from];
      const out = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) out[i] = offsets[this.from + i] - first;
      this.mv = { offsets: out, values: values.subarray(first, offsets[this.to]) };
    }
    return this.mv;
  }
  bitmap(id: number): RoaringBitmap32 {
    let b = this.bitmaps.get(id);
    if (b === undefined) {
      b = sliceBitmap(this.base.bitmap(id), this.from, this.to);
      this.bitmaps.set(id, b);
    }
    return b;
  }
}

class RangeNumericColumn implements NumericColumn {
  private nullRows: RoaringBitmap32 | null | undefined;
  constructor(private readonly base: NumericColumn, private readonly from: number, private readonly to: number) {}
  get type(): 'LONG' | 'FLOAT' | 'DOUBLE' { return this.base.type; }
  get min(): number { return this.base.min; }
  get max(): number { return this.base.max; }
  values(): Float64Array | Float32Array { return this.base.valuesInRange(this.from, this.to); }
  valuesInRange(startRow: number, endRow: number): Float64Array | Float32Array {
    return this.base.valuesInRange(this.from + startRow, this.from + endRow);
  }
  exactLongs(): BigInt64Array | null { return this.base.exactLongs()?.subarray(this.from, this.to) ?? null; }
  nulls(): RoaringBitmap32 | null {
    if (this.nullRows === undefined) {
      const b = this.base.nulls();
      this.nullRows = b === null ? null : sliceBitmap(b, this.from, this.to);
    }
    return this.nullRows;
  }
}

export class RowRangeSegment implements Segment {
  readonly numRows: number;
  readonly dataInterval: Interval;
  readonly sizeBytes: number;
  private readonly strings = new Map<string, StringColumn | undefined>();
  private readonly numerics = new Map<string, NumericColumn | undefined>();

  /** Rows [from, to) of base (0 <= from <= to <= base.numRows). */
  constructor(readonly base: Segment, readonly from: number, readonly to: number) {
    this.numRows = to - from;
    const time = base.time();
    this.dataInterval = this.numRows === 0 ? { start: 0, end: 0 } : { start: time[from], end: time[to - 1] + 1 };
    this.sizeBytes = base.numRows === 0 ? 0 : Math.round((base.sizeBytes * this.numRows) / base.numRows);
  }

  get id(): SegmentId { return this.base.id; }
  get dimensions(): readonly string[] { return this.base.dimensions; }
  get metrics(): readonly string[] { return this.base.metrics; }
  get isMutable(): boolean { return this.base.isMutable; }
  columns(): readonly ColumnInfo[] { return this.base.columns(); }
  column(name: string): ColumnInfo | undefined { return this.base.column(name); }
  time(): Float64Array { return this.base.time().subarray(this.from, this.to); }

  stringColumn(name: string): StringColumn | undefined {
    if (!this.strings.has(name)) {
      const c = this.base.stringColumn(name);
      this.strings.set(name, c === undefined ? undefined : new RangeStringColumn(c, this.from, this.to));
    }
    return this.strings.get(name);
  }

  numericColumn(name: string): NumericColumn | undefined {
    if (!this.numerics.has(name)) {
      const c = this.base.numericColumn(name);
      this.numerics.set(name, c === undefined ? undefined : new RangeNumericColumn(c, this.from, this.to));
    }
    return this.numerics.get(name);
  }

  complexColumn(name: string): ComplexColumn | undefined {
    const c = this.base.complexColumn(name);
    if (c === undefined) return undefined;
    const from = this.from;
    return { type: 'COMPLEX', complexType: c.complexType, get: (row: number) => c.get(row + from) };
  }

  /** Numeric role passthrough (merges ask persisted segments for it). */
  numericRole(name: string): 'dimension' | 'metric' | undefined {
    return (this.base as { numericRole?: (n: string) => 'dimension' | 'metric' | undefined }).numericRole?.(name);
  }
}

/** The rows of `segment` whose time lies in `interval`, as a segment (the segment itself when that is every row). */
export function clipSegmentToInterval(segment: Segment, interval: Interval): Segment {
  const time = segment.time();
  const from = lowerBoundTime(time, interval.start);
  const to = lowerBoundTime(time, interval.end);
  if (from === 0 && to === segment.numRows) return segment;
  return new RowRangeSegment(segment, from, to);
}
