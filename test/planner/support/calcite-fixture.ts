/**
 * A real in-process engine over Druid's calcite test tables (foo, numfoo,
 * foo2, lookups): storage segments + query executor + SQL engine.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildSegments } from '../../../storage/build-segments.ts';
import { openSegment } from '../../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../../storage/local-segment-source.ts';
import { createQueryExecutor } from '../../../query/executor/query-executor.ts';
import type { DataSchema, InputRow, DimensionSchema } from '../../../storage/schema.ts';
import type { Segment } from '../../../storage/segment.ts';
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

/** Catalog tables from loaded segments (column names and types as the segments report them). */
function datasourceTable(name: string, segments: readonly Segment[], multiValue: ReadonlySet<string>): CatalogTable {
  const seen = new Map<string, CatalogColumn>();
  for (const s of segments) {
    for (const c of s.columns()) {
      if (seen.has(c.name)) continue;
      const sqlType: SqlType = c.name === '__time' ? 'TIMESTAMP' : sqlTypeOfColumn(c.type);
      seen.set(c.name, { name: c.name, sqlType, nativeType: c.type === 'COMPLEX' ? `COMPLEX<${c.complexType ?? 'json'}>` : c.type, ...(multiValue.has(c.name) || c.hasMultipleValues ? { multiValue: true } : {}) });
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

let cached: Promise<CalciteFixture> | undefined;

/** Builds (once per process) the calcite tables and engines. */
export function calciteFixture(): Promise<CalciteFixture> {
  cached ??= build();
  return cached;
}

async function build(): Promise<CalciteFixture> {
  const source = new LocalSegmentSource();
  const tables: CatalogTable[] = [];
  for (const [name, spec] of Object.entries(TABLES)) {
    const built = buildSegments(readRows(spec.file), schemaOf(name, spec), { segmentVersion: 'v1' });
    const segs = built.map((b) => { const seg = openSegment(b.bytes, b.id); source.addSegment(b.id, seg); return seg; });
    tables.push(datasourceTable(name, segs, new Set(name === 'numfoo' ? [] : [])));
  }
  for (const [name, spec] of Object.entries(QA_TABLES)) {
    const built = buildSegments(spec.read(), schemaOf(name, spec), { segmentVersion: 'v1' });
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
