/**
 * The read side of a segment, as query engines see it. Persisted segments and
 * the in-memory incremental index both implement it, so one engine serves both
 * (Druid's ColumnSelectorFactory idea). Everything here is synchronous and
 * columnar: engines loop over typed arrays, never over per-row objects.
 *
 * Row order: rows are sorted by `__time` ascending (then by dimensions for
 * persisted segments), so a time range is a contiguous row range found by
 * binary search over `time()`.
 */
import type { RoaringBitmap32 } from 'roaring';
import type { Interval } from '../common/interval.ts';

export type { Interval };

export type ColumnType = 'LONG' | 'FLOAT' | 'DOUBLE' | 'STRING' | 'COMPLEX';

/** Identity of a segment: (data source, interval, version, partition number). */
export interface SegmentId {
  readonly dataSource: string;
  readonly interval: Interval;
  /** Versions compare as strings; Druid uses ISO timestamps of creation. */
  readonly version: string;
  readonly partitionNum: number;
}

/**
 * ISO form of an instant; instants outside JavaScript's Date range (Druid's
 * ETERNITY bounds) print as Druid prints them, others as epoch ms.
 */
export function instantToString(t: number): string {
  if (Math.abs(t) <= 8.64e15) return new Date(t).toISOString();
  if (t === -146136543 * 86400000) return '-146136543-09-08T08:23:32.096Z';
  if (t === 146140482 * 86400000) return '146140482-04-24T15:36:27.903Z';
  return String(t);
}

/** Druid's textual segment id: ds_start_end_version[_partition]. */
export function segmentIdToString(id: SegmentId): string {
  const base = `${id.dataSource}_${instantToString(id.interval.start)}_${instantToString(id.interval.end)}_${id.version}`;
  return id.partitionNum === 0 ? base : `${base}_${id.partitionNum}`;
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: ColumnType;
  /** For COMPLEX columns, e.g. 'hyperUnique'. */
  readonly complexType?: string;
  readonly hasMultipleValues: boolean;
  readonly hasNulls: boolean;
}

export interface Segment {
  readonly id: SegmentId;
  readonly numRows: number;
  /** Min and max+1 of the `__time` values actually present (empty segment: start === end). */
  readonly dataInterval: Interval;
  /** String dimension names in schema order (excluding __time). */
  readonly dimensions: readonly string[];
  /** Metric (and numeric dimension) column names in schema order. */
  readonly metrics: readonly string[];
  /** All columns including `__time`, in schema order. */
  columns(): readonly ColumnInfo[];
  column(name: string): ColumnInfo | undefined;

  /** `__time` in epoch ms per row, ascending. */
  time(): Float64Array;
  stringColumn(name: string): StringColumn | undefined;
  numericColumn(name: string): NumericColumn | undefined;
  complexColumn(name: string): ComplexColumn | undefined;

  /** Approximate in-memory/on-disk size in bytes (segmentMetadata, sys.segments). */
  readonly sizeBytes: number;
  /** True for the incremental index (fresh data): results must not be cached. */
  readonly isMutable: boolean;
}

/**
 * A dictionary-encoded string column. The dictionary is sorted (UTF-8 byte
 * order, which equals code point order) with `null` first when the column has
 * nulls; id 0 is then null. `''` and `null` are distinct values.
 */
export interface StringColumn {
  readonly type: 'STRING';
  readonly cardinality: number;
  readonly hasMultipleValues: boolean;
  /** Value for a dictionary id. */
  value(id: number): string | null;
  /** Dictionary id of a value, or -1 when absent. Binary search. */
  lookupId(value: string | null): number;
  /** Whole dictionary, materialised once and cached. */
  dictionary(): readonly (string | null)[];
  /**
   * Single-valued columns: dictionary id per row. For multi-valued columns this
   * throws; use multiValues().
   */
  ids(): Int32Array;
  /**
   * Multi-valued columns: the values of row r are values[offsets[r] .. offsets[r+1]).
   * A row with no values is treated as null. Single-valued columns also answer
   * (offsets = 0..numRows), so generic code may always use this.
   */
  multiValues(): { readonly offsets: Int32Array; readonly values: Int32Array };
  /** Inverted index: the rows that hold dictionary id `id`. Do not mutate the result. */
  bitmap(id: number): RoaringBitmap32;
}

/**
 * A numeric column. LONG values are exact in the Float64Array while |v| < 2^53;
 * beyond that `exactLongs()` returns the exact values and engines that need
 * exactness (sum/min/max of longs) use it.
 */
export interface NumericColumn {
  readonly type: 'LONG' | 'FLOAT' | 'DOUBLE';
  /** Per-row values; rows that are null hold 0. */
  values(): Float64Array | Float32Array;
  /**
   * Values for rows [startRow, endRow): index 0 is startRow. Implementations
   * decode only the blocks that overlap the range.
   */
  valuesInRange(startRow: number, endRow: number): Float64Array | Float32Array;
  /** Exact int64 values, only when some LONG value is outside ±2^53; else null. */
  exactLongs(): BigInt64Array | null;
  /** Rows that are null, or null when the column has no nulls. */
  nulls(): RoaringBitmap32 | null;
  readonly min: number;
  readonly max: number;
  /**
   * Optional per-block statistics: rows [b * blockRows, (b + 1) * blockRows)
   * hold non-null values within [min[b], max[b]] (+Infinity/-Infinity when a
   * block has none). Lets filters skip or accept whole blocks.
   */
  blockRanges?(): BlockRanges | null;
}

/** Min and max of the non-null values of each fixed-size block of a numeric column. */
export interface BlockRanges {
  readonly blockRows: number;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** A column of serialized sketches (e.g. hyperUnique), one per row. */
export interface ComplexColumn {
  readonly type: 'COMPLEX';
  readonly complexType: string;
  /** Serialized value of row r (a view; do not mutate). */
  get(row: number): Uint8Array;
}

/** A set of segments queries can read: the local cache, fresh data, or both. */
export interface SegmentSource {
  /** Segments of `dataSource` visible now (timeline applied) overlapping any of `intervals`. */
  segmentsFor(dataSource: string, intervals: readonly Interval[]): Segment[];
  dataSources(): string[];
}
