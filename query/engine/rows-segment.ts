/**
 * A Segment over rows held in memory: inline data sources, the results of an
 * inner query (query data sources, nested groupBy) and having filters all run
 * the ordinary engines over one of these.
 */
import type { ColumnInfo, ColumnType, ComplexColumn, NumericColumn, Segment, StringColumn } from '../../storage/segment.ts';
import { numericColumnFromValues, stringColumnFromValues } from './materialized-columns.ts';

export interface RowsColumn {
  readonly name: string;
  /** Declared type; when omitted it is inferred (numbers → LONG/DOUBLE, else STRING). */
  readonly type?: ColumnType;
}

function inferType(values: readonly unknown[]): ColumnType {
  let sawNumber = false;
  let ints = true;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      sawNumber = true;
      if (!Number.isInteger(v)) ints = false;
    } else if (typeof v === 'bigint') sawNumber = true;
    else if (typeof v === 'object' && !Array.isArray(v)) return 'COMPLEX';
    else return 'STRING';
  }
  return sawNumber ? (ints ? 'LONG' : 'DOUBLE') : 'STRING';
}

/**
 * Builds a segment from column-major values. `time` gives `__time` per row
 * (rows are re-sorted by time, stably). Missing time → every row at 0.
 */
export function segmentFromColumns(dataSource: string, columns: readonly RowsColumn[], values: readonly (readonly unknown[])[], time: ArrayLike<number> | null): Segment {
  const n = values.length > 0 ? values[0].length : time?.length ?? 0;
  const order = Array.from({ length: n }, (_, i) => i);
  const t0 = time === null ? new Float64Array(n) : Float64Array.from(time);
  order.sort((a, b) => t0[a] - t0[b] || a - b);
  const times = Float64Array.from(order, (i) => t0[i]);
  const infos: ColumnInfo[] = [{ name: '__time', type: 'LONG', hasMultipleValues: false, hasNulls: false }];
  const strings = new Map<string, StringColumn>();
  const numerics = new Map<string, NumericColumn>();
  const complexes = new Map<string, ComplexColumn>();
  const dimensions: string[] = [];
  const metrics: string[] = [];
  columns.forEach((c, ci) => {
    if (c.name === '__time') return;
    const sorted = order.map((i) => values[ci][i]);
    const type = c.type ?? inferType(sorted);
    if (type === 'STRING') {
      const col = stringColumnFromValues(sorted);
      strings.set(c.name, col);
      dimensions.push(c.name);
      infos.push({ name: c.name, type, hasMultipleValues: col.hasMultipleValues, hasNulls: col.lookupId(null) >= 0 });
    } else if (type === 'COMPLEX') {
      complexes.set(c.name, { type: 'COMPLEX', complexType: 'json', get: (r) => sorted[r] as Uint8Array });
      metrics.push(c.name);
      infos.push({ name: c.name, type, hasMultipleValues: false, hasNulls: true });
    } else {
      const col = numericColumnFromValues(sorted, type);
      numerics.set(c.name, col);
      metrics.push(c.name);
      infos.push({ name: c.name, type, hasMultipleValues: false, hasNulls: col.nulls() !== null });
    }
  });
  const start = n > 0 ? times[0] : 0;
  const end = n > 0 ? times[n - 1] + 1 : 0;
  const byName = new Map(infos.map((i) => [i.name, i]));
  return {
    id: { dataSource, interval: { start, end }, version: '0', partitionNum: 0 },
    numRows: n,
    dataInterval: { start, end },
    dimensions,
    metrics,
    columns: () => infos,
    column: (name) => byName.get(name),
    time: () => times,
    stringColumn: (name) => strings.get(name),
    numericColumn: (name) => numerics.get(name),
    complexColumn: (name) => complexes.get(name),
    sizeBytes: 0,
    isMutable: true,
  };
}

/** Builds a segment from row objects (field name → value), `__time` from `timeField` when present. */
export function segmentFromRecords(dataSource: string, records: readonly Record<string, unknown>[], columnNames: readonly string[], time: ArrayLike<number> | null): Segment {
  const values = columnNames.map((c) => records.map((r) => r[c] ?? null));
  return segmentFromColumns(dataSource, columnNames.map((name) => ({ name })), values, time);
}
