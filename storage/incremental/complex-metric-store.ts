/**
 * Per-row complex metric values of the incremental index and of merges:
 * sketches (theta, quantiles, hyperUnique) and first/last (time, value) pairs.
 * Every store folds raw input values into a row, merges serialized values of
 * the same type into a row (rollup across pieces), and writes a column.
 */
import type { ComplexColumnData } from '../columnar-data.ts';

export interface ComplexMetricStore {
  readonly name: string;
  /** The column's complex type name (e.g. 'thetaSketch'). */
  readonly complexType: string;
  /** Starts an empty value at row. */
  init(row: number): void;
  /** Folds one raw input value (with the input row's un-truncated time) into row. */
  add(row: number, raw: unknown, time: number): void;
  /** Folds a serialized value of this store's type into row. */
  mergeSerialized(row: number, bytes: Uint8Array): void;
  /** Column of serialized values for rows in perm order. */
  toColumn(perm: Int32Array): ComplexColumnData;
}
