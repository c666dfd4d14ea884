/**
 * A real in-process engine over Druid's test tables (calcite foo, numfoo,
 * foo2, broadcast, wikipedia, lotsocolumns, arrays, lookups; quidem
 * rollup-tutorial, left_dims, right_nulls; QA test_win, test_agg_funcs,
 * test_sql): storage segments + query executor + SQL engine.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildSegments } from '../../../storage/build-segments.ts';
import { openSegment } from '../../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../../storage/local-segment-source.ts';
import { createQueryExecutor } from '../../../query/executor/query-executor.ts';
import type { DataSchema, InputRow, DimensionSchema } from '../../../storage/schema.ts';
import type { ColumnInfo, Segment } from '../../../storage/segment.ts';
import type { NativeQueryRunner } from '../../../query/native-runner.ts';
import type { Catalog, CatalogColumn, CatalogTable } from '../../../planner/catalog.ts';
import { staticCatalog } from '../../../planner/catalog.ts';
import { createSqlEngine } from '../../../planner/engine/create-sql-engine.ts';
import type { SqlEngine, SqlSessionContext, SqlType } from '../../../planner/sql-engine.ts';

const DATA = new URL('../../../../shared/data/', import.meta.url);

type DimSpec = string | { type: 'long' | 'float' | 'double'; name: string };

interface TableSpec {
  file: string;
  dims: DimSpec[];
  metrics: DataSchema['metricsSpec'];
}

const STANDARD_METRICS: DataSchema['metricsSpec'] = [
  { type: 'count', name: 'cnt' }, { type: 'floatSum', name: 'm1', fieldName: 'm1' }, { type: 'doubleSum', name: 'm2', fieldName: 'm2' },
  { type: 'hyperUnique', name: 'unique_dim1', fieldName: 'dim1' },
];

const NUMFOO_DIMS: DimSpec[] = ['dim1', 'dim2', 'dim3', 'dim4', 'dim5', 'dim6', { type: 'double', name: 'dbl1' }, { type: 'double', name: 'dbl2' }, { type: 'float', name: 'f1' }, { type: 'float', name: 'f2' }, { type: 'long', name: 'l1' }, { type: 'long', name: 'l2' }];

const TABLES: Record<string, TableSpec> = {
  foo: { file: 'calcite_foo.jsonl', dims: ['dim1', 'dim2', 'dim3'], metrics: STANDARD_METRICS },
  numfoo: { file: 'calcite_numfoo.jsonl', dims: NUMFOO_DIMS, metrics: STANDARD_METRICS },
  broadcast: { file: 'calcite_numfoo.jsonl', dims: NUMFOO_DIMS, metrics: STANDARD_METRICS },
  foo2: { file: 'calcite_foo2.jsonl', dims: ['dim1', 'dim2', { type: 'long', name: 'dim3' }], metrics: [{ type: 'count', name: 'cnt' }, { type: 'longSum', name: 'm1', fieldName: 'm1' }, { type: 'doubleSum', name: 'm2', fieldName: 'm2' }, { type: 'hyperUnique', name: 'unique_dim1', fieldName: 'dim1' }] },
};

const QA_WIN_DIMS: DimSpec[] = ['session', 'number', 'client_ip', 'adblock_list', 'app_version', 'path', 'loaded_image', 'referrer', 'referrer_host', 'server_ip', 'screen', 'window', { type: 'long', name: 'session_length' }, 'timezone', 'timezone_offset'];

/** Druid's QA tables (JSON/array columns of test_win are left out: storage has no nested columns yet). */
const QA_TABLES: Record<string, TableSpec & { read: () => InputRow[] }> = {
  test_win: {
    file: 'qa_windata.json.gz', dims: QA_WIN_DIMS, metrics: [],
    read: () => gunzipSync(readFileSync(new URL('qa_windata.json.gz', DATA))).toString('utf8').split('\n').filter((l) => l.trim()).map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      const row: Record<string, unknown> = { __time: Date.parse(o.timestamp as string) };
      for (const d of QA_WIN_DIMS) { const n = typeof d === 'string' ? d : d.name; if (o[n] !== undefined) row[n] = o[n]; }
      return row as InputRow;
    }),
  },
  test_agg_funcs: {
    file: 'qa_test_agg_funcs.csv', dims: [{ type: 'long', name: 'tab0l0' }, 'tab0s0', { type: 'float', name: 'tab0f0' }, { type: 'double', name: 'tab0d0' }], metrics: [],
    read: () => readFileSync(new URL('qa_test_agg_funcs.csv', DATA), 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
      const [ts, l0, s0, f0, d0] = l.split(',');
      const row: Record<string, unknown> = { __time: Date.parse(`${ts.replace(' ', 'T')}Z`) };
      if (l0 !== '') row.tab0l0 = Number(l0);
      if (s0 !== '') row.tab0s0 = s0;
      if (f0 !== '') row.tab0f0 = Number(f0);
      if (d0 !== '') row.tab0d0 = Number(d0);
      return row as InputRow;
    }),
  },
};

function readRows(file: string): InputRow[] {
  const text = readFileSync(new URL(file, DATA), 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    const t = o.t as string;
    const { t: _t, ...rest } = o;
    return { __time: Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t), ...rest } as InputRow;
  });
}

/** Parses an ISO or epoch-millis timestamp; ISO forms without a zone are UTC. */
function parseTime(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s.slice(10)) ? s : `${s}Z`);
}

/** JSON lines (optionally gzipped) with the timestamp in `timeField`; JSON booleans become strings as Druid ingests them. */
function readJsonLines(file: string, timeField: string): InputRow[] {
  const raw = readFileSync(new URL(file, DATA));
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    const row: Record<string, unknown> = { __time: parseTime(o[timeField]) };
    for (const [k, v] of Object.entries(o)) if (k !== timeField) row[k] = typeof v === 'boolean' ? String(v) : v;
    return row as InputRow;
  });
}

/** Further Druid test tables: their own timestamp fields, dimension types, rollup and discovery. */
interface ExtraTable {
  readonly rows: () => InputRow[];
  readonly schema: Omit<DataSchema, 'dataSource' | 'segmentGranularity'> & { segmentGranularity?: DataSchema['segmentGranularity'] };
}

const WIKI_DIMS: DimensionSchema[] = [
  ...['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'].map((name) => ({ name, type: 'string' as const })),
  { name: 'delta', type: 'long' }, { name: 'added', type: 'long' }, { name: 'deleted', type: 'long' },
];

const LOTSO_DIMS = ['dimHyperUnique', 'dimMultivalEnumerated', 'dimMultivalEnumerated2', 'dimMultivalSequentialWithNulls', 'dimSequential', 'dimSequentialHalfNull', 'dimUniform', 'dimZipf', 'metFloatNormal', 'metFloatZipf', 'metLongSequential', 'metLongUniform'];

const QA_SQL_DIMS: DimensionSchema[] = [
  { name: 'session', type: 'string' }, { name: 'number', type: 'string' }, { name: 'event', type: 'json' }, { name: 'agent', type: 'json' },
  { name: 'client_ip', type: 'string' }, { name: 'geo_ip', type: 'json' }, { name: 'language', type: 'auto', castToType: 'ARRAY<STRING>' },
  ...['adblock_list', 'app_version', 'path', 'loaded_image', 'referrer', 'referrer_host', 'server_ip', 'screen', 'window'].map((name) => ({ name, type: 'string' as const })),
  { name: 'session_length', type: 'long' }, { name: 'timezone', type: 'string' }, { name: 'timezone_offset', type: 'string' },
];

const strings = (names: readonly string[]): DimensionSchema[] => names.map((name) => ({ name, type: 'string' }));

const EXTRA_TABLES: Record<string, ExtraTable> = {
  wikipedia: {
    rows: () => readJsonLines('wikiticker-2015-09-12-sampled.json.gz', 'time'),
    schema: { dimensionsSpec: { dimensions: WIKI_DIMS }, metricsSpec: [], queryGranularity: 'none', rollup: false },
  },
  lotsocolumns: {
    rows: () => readJsonLines('calcite_lotsocolumns.jsonl', 'timestamp'),
    schema: { dimensionsSpec: { dimensions: strings(LOTSO_DIMS) }, metricsSpec: [{ type: 'count', name: 'count' }], queryGranularity: 'none', rollup: false },
  },
  arrays: {
    rows: () => readJsonLines('calcite_arrays.json', 'timestamp'),
    schema: { dimensionsSpec: { dimensions: [], useSchemaDiscovery: true, autoTypedDiscovery: true }, metricsSpec: [{ type: 'count', name: 'cnt' }], queryGranularity: 'none', rollup: false },
  },
  'rollup-tutorial': {
    rows: () => readJsonLines('rollup-data.json', 'timestamp'),
    schema: {
      dimensionsSpec: { dimensions: strings(['srcIP', 'dstIP']) },
      metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'packets', fieldName: 'packets' }, { type: 'longSum', name: 'bytes', fieldName: 'bytes' }],
      queryGranularity: 'minute', segmentGranularity: 'day', rollup: true,
    },
  },
  left_dims: {
    rows: () => readJsonLines('quidem_left_dims.jsonl', 'timestamp'),
    schema: { dimensionsSpec: { dimensions: strings(['a']) }, metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'year', rollup: false },
  },
  right_nulls: {
    rows: () => readJsonLines('quidem_right_nulls.jsonl', 'timestamp'),
    schema: { dimensionsSpec: { dimensions: strings(['k']) }, metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'year', rollup: false },
  },
  test_sql: {
    rows: () => readJsonLines('qa_sqldata.json.gz', 'timestamp'),
    schema: { dimensionsSpec: { dimensions: QA_SQL_DIMS }, metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false },
  },
};

function schemaOf(name: string, spec: TableSpec): DataSchema {
  const dimensions: DimensionSchema[] = spec.dims.map((d) => (typeof d === 'string' ? { name: d, type: 'string' } : { name: d.name, type: d.type }));
  return {
    dataSource: name, dimensionsSpec: { dimensions }, metricsSpec: spec.metrics,
    queryGranularity: 'none', segmentGranularity: 'all' as never, rollup: false,
  };
}

function sqlTypeOfColumn(t: string): SqlType {
  switch (t) { case 'LONG': return 'BIGINT'; case 'FLOAT': return 'FLOAT'; case 'DOUBLE': return 'DOUBLE'; case 'STRING': return 'VARCHAR'; default: return 'OTHER'; }
}

const ARRAY_ELEMENT: Record<string, SqlType> = { 'ARRAY<STRING>': 'VARCHAR', 'ARRAY<LONG>': 'BIGINT', 'ARRAY<DOUBLE>': 'DOUBLE' };

/** Catalog column of a segment column: typed arrays are SQL ARRAYs, other complex columns COMPLEX<type>. */
function catalogColumnOf(c: ColumnInfo, multiValue: ReadonlySet<string>): CatalogColumn {
  if (c.name === '__time') return { name: c.name, sqlType: 'TIMESTAMP', nativeType: 'LONG' };
  const element = c.type === 'COMPLEX' && c.complexType !== undefined ? ARRAY_ELEMENT[c.complexType] : undefined;
  if (element !== undefined) return { name: c.name, sqlType: 'ARRAY', nativeType: c.complexType, elementType: element };
  return { name: c.name, sqlType: sqlTypeOfColumn(c.type), nativeType: c.type === 'COMPLEX' ? `COMPLEX<${c.complexType ?? 'json'}>` : c.type, ...(multiValue.has(c.name) || c.hasMultipleValues ? { multiValue: true } : {}) };
}

/** Catalog tables from loaded segments (column names and types as the segments report them). */
function datasourceTable(name: string, segments: readonly Segment[], multiValue: ReadonlySet<string>): CatalogTable {
  const seen = new Map<string, CatalogColumn>();
  for (const s of segments) {
    for (const c of s.columns()) {
      if (!seen.has(c.name)) seen.set(c.name, catalogColumnOf(c, multiValue));
    }
  }
  return { schema: 'druid', name, kind: 'datasource', columns: [...seen.values()] };
}

export interface CalciteFixture {
  readonly engine: SqlEngine;
  readonly brokerEngine: SqlEngine;
  readonly runner: NativeQueryRunner;
  readonly catalog: Catalog;
  session(context?: Record<string, unknown>): SqlSessionContext;
  query(sql: string, context?: Record<string, unknown>, params?: unknown[]): Promise<unknown[][]>;
}

const cached = new Map<string, Promise<CalciteFixture>>();

/**
 * Builds (once per process and table set) the calcite tables and engines:
 * every table, or only the data sources named in `only` (lookups always).
 */
export function calciteFixture(only?: readonly string[]): Promise<CalciteFixture> {
  const key = only === undefined ? '*' : [...only].sort().join(',');
  let f = cached.get(key);
  if (f === undefined) { f = build(only === undefined ? undefined : new Set(only)); cached.set(key, f); }
  return f;
}

async function build(only: ReadonlySet<string> | undefined): Promise<CalciteFixture> {
  const wanted = (name: string) => only === undefined || only.has(name);
  const source = new LocalSegmentSource();
  const tables: CatalogTable[] = [];
  for (const [name, spec] of Object.entries(TABLES)) {
    if (!wanted(name)) continue;
    const built = buildSegments(readRows(spec.file), schemaOf(name, spec), { segmentVersion: 'v1' });
    const segs = built.map((b) => { const seg = openSegment(b.bytes, b.id); source.addSegment(b.id, seg); return seg; });
    tables.push(datasourceTable(name, segs, new Set(name === 'numfoo' ? [] : [])));
  }
  for (const [name, spec] of Object.entries(QA_TABLES)) {
    if (!wanted(name)) continue;
    const built = buildSegments(spec.read(), schemaOf(name, spec), { segmentVersion: 'v1' });
    const segs = built.map((b) => { const seg = openSegment(b.bytes, b.id); source.addSegment(b.id, seg); return seg; });
    tables.push(datasourceTable(name, segs, new Set()));
  }
  for (const [name, spec] of Object.entries(EXTRA_TABLES)) {
    if (!wanted(name)) continue;
    const schema: DataSchema = { dataSource: name, segmentGranularity: 'all', ...spec.schema };
    const built = buildSegments(spec.rows(), schema, { segmentVersion: 'v1' });
    const segs = built.map((b) => { const seg = openSegment(b.bytes, b.id); source.addSegment(b.id, seg); return seg; });
    tables.push(datasourceTable(name, segs, new Set()));
  }
  const lookups = JSON.parse(readFileSync(new URL('calcite_lookups.json', DATA), 'utf8')) as Record<string, Record<string, string>>;
  for (const [name, map] of Object.entries(lookups)) {
    tables.push({ schema: 'lookup', name, kind: 'lookup', columns: [{ name: 'k', sqlType: 'VARCHAR' }, { name: 'v', sqlType: 'VARCHAR' }], rows: () => Object.entries(map) });
  }
  const executor = createQueryExecutor({ segments: source, workers: 0 });
  const catalog = staticCatalog(tables);
  const engine = createSqlEngine({ runner: executor, catalog });
  const brokerEngine = createSqlEngine({ runner: executor, catalog, brokerOnly: true });
  const session = (context: Record<string, unknown> = {}): SqlSessionContext => ({ queryContext: context, user: 'test', database: 'druid', settings: new Map() });
  return {
    engine, brokerEngine, runner: executor, catalog, session,
    async query(sql, context = {}, params = []) {
      const r = await engine.execute(sql, params, session(context));
      const rows: unknown[][] = [];
      for await (const row of r.rows) rows.push([...row]);
      return rows;
    },
  };
}
