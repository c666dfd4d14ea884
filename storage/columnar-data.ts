/**
 * The in-memory columnar form of a segment's rows: what the segment writer
 * takes, what the incremental index and the merger produce, and what
 * MemorySegment serves to queries. Rows are sorted by `__time`.
 */
import type { ColumnType } from './segment.ts';

/** A dictionary-encoded string dimension. */
export interface StringColumnData {
  readonly kind: 'string';
  readonly name: string;
  /** Sorted in UTF-8 order, `null` first when present (then id 0 is null). */
  readonly dictionary: readonly (string | null)[];
  /** Single-valued: dictionary id per row; null for multi-valued columns. */
  readonly ids: Int32Array | null;
  /** Multi-valued: values of row r are values[offsets[r] .. offsets[r+1]); null when single-valued. */
  readonly offsets: Int32Array | null;
  readonly values: Int32Array | null;
  /** False when the schema asked for no bitmap index (bitmaps are then built on demand). */
  readonly createBitmapIndex: boolean;
}

/** A LONG / FLOAT / DOUBLE column: a metric or a numeric dimension. */
export interface NumericColumnData {
  readonly kind: 'numeric';
  readonly name: string;
  readonly type: 'LONG' | 'FLOAT' | 'DOUBLE';
  readonly role: 'dimension' | 'metric';
  /** FLOAT columns hold a Float32Array, others a Float64Array. Null rows hold 0. */
  readonly values: Float64Array | Float32Array;
  /** Exact LONG values when some value is outside ±2^53; else null. */
  readonly exact: BigInt64Array | null;
  /** 1 where the row is null; null when no row is null. */
  readonly nulls: Uint8Array | null;
}

/** Serialized complex values (e.g. hyperUnique sketches), one per row. */
export interface ComplexColumnData {
  readonly kind: 'complex';
  readonly name: string;
  readonly complexType: string;
  readonly values: readonly Uint8Array[];
}

export type ColumnData = StringColumnData | NumericColumnData | ComplexColumnData;

export interface ColumnarData {
  readonly numRows: number;
  /** Epoch ms per row, ascending. */
  readonly time: Float64Array;
  /** Columns other than `__time`, in schema order (dimensions, then metrics). */
  readonly columns: readonly ColumnData[];
}

/** The Segment column type of a column. */
export function columnTypeOf(c: ColumnData): ColumnType {
  return c.kind === 'string' ? 'STRING' : c.kind === 'complex' ? 'COMPLEX' : c.type;
}

/** True when the column is part of the row key (dimensions; rollup groups by them). */
export function isDimension(c: ColumnData): boolean {
  return c.kind === 'string' || (c.kind === 'numeric' && c.role === 'dimension');
}
