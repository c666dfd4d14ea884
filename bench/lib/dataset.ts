/**
 * The benchmark's Wikipedia-like events (the quickstart generator over
 * several days) in two forms: rows for loading every engine, and
 * dictionary-encoded typed arrays for the hand-written reference loops.
 */
import { generateWikipedia, WIKIPEDIA_DAY_START, wikipediaSchema } from '../../server/quickstart/wikipedia-sample.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

export const DIMENSIONS = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot',
  'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'] as const;
/** Long metrics of the sample. */
export const METRICS = ['added', 'deleted', 'delta'] as const;
/** Double metrics the benchmark adds to each row (derived deterministically from the long ones). */
export const DOUBLE_METRICS = ['score'] as const;

/** The Wikipedia schema plus the benchmark's double column. */
export function benchSchema(dataSource = 'wikipedia'): DataSchema {
  const base = wikipediaSchema(dataSource);
  return {
    ...base,
    dimensionsSpec: { ...base.dimensionsSpec, dimensions: [...base.dimensionsSpec.dimensions, ...DOUBLE_METRICS.map((name) => ({ name, type: 'double' as const }))] },
  };
}

/** The double `score` of a row: a non-integer value spread over [0, ~1000). */
function scoreOf(added: number, deleted: number, i: number): number {
  return (added * 0.731 + deleted * 0.137 + (i % 97) * 0.0101) / 7;
}

export interface EncodedColumn {
  readonly ids: Int32Array;
  readonly dictionary: (string | null)[];
  readonly idOf: Map<string | null, number>;
}

export interface Dataset {
  /** Every row, materialised on first use (large datasets should use eachRow()). */
  readonly rows: InputRow[];
  /** The rows regenerated on each call (deterministic; nothing is kept in memory). */
  eachRow(): Iterable<InputRow>;
  readonly rowCount: number;
  readonly days: number;
  readonly dayStart: number;
  readonly time: Float64Array;
  readonly dims: Record<string, EncodedColumn>;
  /** Long and double metrics by name. */
  readonly metrics: Record<string, Float64Array>;
}

/** The generated rows with the benchmark's `score` column. */
function* benchRows(rowCount: number, days: number): Generator<InputRow> {
  let i = 0;
  for (const r of generateWikipedia({ rows: rowCount, days })) {
    (r as Record<string, unknown>).score = scoreOf(r.added as number, r.deleted as number, i++);
    yield r;
  }
}

/**
 * Copies a row's dimension values (null when absent) into `out` in DIMENSIONS
 * order: one property read per field site, so each stays monomorphic (a loop
 * of `row[name]` is a megamorphic keyed read, the bulk of encoding time).
 */
function dimensionReader(): (row: InputRow, out: (string | null)[]) => void {
  const body = DIMENSIONS.map((d, k) => `out[${k}] = row[${JSON.stringify(d)}] ?? null;`).join('\n');
  return new Function('row', 'out', body) as (row: InputRow, out: (string | null)[]) => void;
}

/**
 * The dataset: typed arrays built in one streaming pass over the generator;
 * rows for loading engines are regenerated per engine (eachRow()), so no
 * engine's load holds every row object at once.
 */
export function makeDataset(rowCount: number, days: number): Dataset {
  const time = new Float64Array(rowCount);
  const dims: Record<string, EncodedColumn> = {};
  for (const d of DIMENSIONS) dims[d] = { ids: new Int32Array(rowCount), dictionary: [], idOf: new Map() };
  const metrics: Record<string, Float64Array> = {};
  for (const m of [...METRICS, ...DOUBLE_METRICS]) metrics[m] = new Float64Array(rowCount);
  const cols = DIMENSIONS.map((d) => dims[d]);
  const values: (string | null)[] = new Array(DIMENSIONS.length).fill(null);
  const readDims = dimensionReader();
  let i = 0;
  for (const r of benchRows(rowCount, days)) {
    time[i] = r.__time;
    readDims(r, values);
    for (let k = 0; k < cols.length; k++) {
      const col = cols[k];
      const v = values[k];
      let id = col.idOf.get(v);
      if (id === undefined) { id = col.dictionary.length; col.dictionary.push(v); col.idOf.set(v, id); }
      col.ids[i] = id;
    }
    for (const m of METRICS) metrics[m][i] = r[m] as number;
    metrics.score[i] = r.score as number;
    i++;
  }
  let rows: InputRow[] | null = null;
  return {
    get rows() { return (rows ??= [...benchRows(rowCount, days)]); },
    eachRow: () => benchRows(rowCount, days),
    rowCount, days, dayStart: WIKIPEDIA_DAY_START, time, dims, metrics,
  };
}
