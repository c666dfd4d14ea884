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
  /** Every row, materialised on first use; loaders use eachRow(). */
  readonly rows: readonly InputRow[];
  /** The rows, regenerated on each call when the table was built from a generator. */
  eachRow(): Iterable<InputRow>;
  readonly rowCount: number;
  readonly schema: DataSchema;
}

/** Rows given as an array, or as a function regenerating them (with their count). */
export type TableRows = readonly InputRow[] | { readonly count: number; readonly generate: () => Iterable<InputRow> };

/** Builds the table description from Nemeton's schema (dimension types give the kinds). */
export function tableFromSchema(schema: DataSchema, rows: TableRows): BenchTable {
  const columns: { name: string; kind: ColumnKind }[] = [{ name: '__time', kind: 'time' }];
  for (const d of schema.dimensionsSpec.dimensions) {
    columns.push({ name: d.name, kind: d.type === 'long' ? 'long' : d.type === 'double' || d.type === 'float' ? 'double' : 'string' });
  }
  if (Array.isArray(rows)) {
    const list = rows as readonly InputRow[];
    return { name: schema.dataSource, columns, rows: list, eachRow: () => list, rowCount: list.length, schema };
  }
  const gen = rows as { count: number; generate: () => Iterable<InputRow> };
  let all: InputRow[] | null = null;
  return {
    name: schema.dataSource, columns, schema, rowCount: gen.count, eachRow: gen.generate,
    get rows() { return (all ??= [...gen.generate()]); },
  };
}

/** The Wikipedia-like table of a dataset (rows regenerated per loader). */
export function wikipediaTable(d: Dataset): BenchTable {
  const t = tableFromSchema(benchSchema(), { count: d.rowCount, generate: () => d.eachRow() });
  const expected = 1 + DIMENSIONS.length + METRICS.length + DOUBLE_METRICS.length;
  if (t.columns.length !== expected) throw new Error(`wikipedia table: expected ${expected} columns, got ${t.columns.length}`);
  return t;
}
