/**
 * A table the benchmark loads into every engine: its columns (with a type
 * each engine maps to its own), the rows, and Nemeton's ingestion schema.
 */
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { benchSchema, DIMENSIONS, DOUBLE_METRICS, METRICS, type Dataset } from './dataset.ts';

/** Column kinds: `time` is `__time` (epoch ms) in every engine. */
export type ColumnKind = 'time' | 'string' | 'long' | 'double';

export interface BenchTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
  readonly rows: readonly InputRow[];
  readonly schema: DataSchema;
}

/** Builds the table description from Nemeton's schema (dimension types give the kinds). */
export function tableFromSchema(schema: DataSchema, rows: readonly InputRow[]): BenchTable {
  const columns: { name: string; kind: ColumnKind }[] = [{ name: '__time', kind: 'time' }];
  for (const d of schema.dimensionsSpec.dimensions) {
    columns.push({ name: d.name, kind: d.type === 'long' ? 'long' : d.type === 'double' || d.type === 'float' ? 'double' : 'string' });
  }
  return { name: schema.dataSource, columns, rows, schema };
}

/** The Wikipedia-like table of a dataset. */
export function wikipediaTable(d: Dataset): BenchTable {
  const t = tableFromSchema(benchSchema(), d.rows);
  const expected = 1 + DIMENSIONS.length + METRICS.length + DOUBLE_METRICS.length;
  if (t.columns.length !== expected) throw new Error(`wikipedia table: expected ${expected} columns, got ${t.columns.length}`);
  return t;
}
