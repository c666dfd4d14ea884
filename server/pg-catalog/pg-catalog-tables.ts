/**
 * PostgreSQL's catalog (`pg_catalog`) generated from Nemeton's catalog, so
 * psql's \d commands, pgjdbc's DatabaseMetaData, psqlODBC, SQLAlchemy's
 * inspector and BI tools can discover schemas, tables and columns. Data
 * sources appear as tables; sys/INFORMATION_SCHEMA tables as views.
 * OIDs are stable for a given catalog listing (sorted by schema and name).
 */
import type { Catalog, CatalogColumn, CatalogTable } from '../../planner/catalog.ts';
import type { SqlType } from '../../planner/sql-engine.ts';
import { oidForColumn, Oid } from '../pgwire/type-oids.ts';

const NS = { pg_catalog: 11, public: 2200, information_schema: 13_000, druid: 16_384, sys: 16_385, lookup: 16_386 } as const;
const FIRST_TABLE_OID = 20_000;

interface TypeRow { oid: number; name: string; len: number; category: string; elem: number; array: number }
const types: TypeRow[] = [
  { oid: Oid.bool, name: 'bool', len: 1, category: 'B', elem: 0, array: Oid.boolArray },
  { oid: Oid.bytea, name: 'bytea', len: -1, category: 'U', elem: 0, array: 1001 },
  { oid: 18, name: 'char', len: 1, category: 'S', elem: 0, array: 1002 },
  { oid: 19, name: 'name', len: 64, category: 'S', elem: 0, array: 1003 },
  { oid: Oid.int8, name: 'int8', len: 8, category: 'N', elem: 0, array: Oid.int8Array },
  { oid: Oid.int2, name: 'int2', len: 2, category: 'N', elem: 0, array: Oid.int2Array },
  { oid: Oid.int4, name: 'int4', len: 4, category: 'N', elem: 0, array: Oid.int4Array },
  { oid: 24, name: 'regproc', len: 4, category: 'N', elem: 0, array: 1008 },
  { oid: Oid.text, name: 'text', len: -1, category: 'S', elem: 0, array: Oid.textArray },
  { oid: Oid.oid, name: 'oid', len: 4, category: 'N', elem: 0, array: 1028 },
  { oid: Oid.json, name: 'json', len: -1, category: 'U', elem: 0, array: 199 },
  { oid: Oid.float4, name: 'float4', len: 4, category: 'N', elem: 0, array: Oid.float4Array },
  { oid: Oid.float8, name: 'float8', len: 8, category: 'N', elem: 0, array: Oid.float8Array },
  { oid: Oid.unknown, name: 'unknown', len: -2, category: 'X', elem: 0, array: 0 },
  { oid: Oid.varchar, name: 'varchar', len: -1, category: 'S', elem: 0, array: Oid.varcharArray },
  { oid: Oid.date, name: 'date', len: 4, category: 'D', elem: 0, array: Oid.dateArray },
  { oid: Oid.timestamp, name: 'timestamp', len: 8, category: 'D', elem: 0, array: Oid.timestampArray },
  { oid: Oid.timestamptz, name: 'timestamptz', len: 8, category: 'D', elem: 0, array: Oid.timestamptzArray },
  { oid: Oid.numeric, name: 'numeric', len: -1, category: 'N', elem: 0, array: Oid.numericArray },
  { oid: Oid.boolArray, name: '_bool', len: -1, category: 'A', elem: Oid.bool, array: 0 },
  { oid: Oid.int8Array, name: '_int8', len: -1, category: 'A', elem: Oid.int8, array: 0 },
  { oid: Oid.int4Array, name: '_int4', len: -1, category: 'A', elem: Oid.int4, array: 0 },
  { oid: Oid.int2Array, name: '_int2', len: -1, category: 'A', elem: Oid.int2, array: 0 },
  { oid: Oid.textArray, name: '_text', len: -1, category: 'A', elem: Oid.text, array: 0 },
  { oid: Oid.varcharArray, name: '_varchar', len: -1, category: 'A', elem: Oid.varchar, array: 0 },
  { oid: Oid.float4Array, name: '_float4', len: -1, category: 'A', elem: Oid.float4, array: 0 },
  { oid: Oid.float8Array, name: '_float8', len: -1, category: 'A', elem: Oid.float8, array: 0 },
  { oid: Oid.timestampArray, name: '_timestamp', len: -1, category: 'A', elem: Oid.timestamp, array: 0 },
  { oid: Oid.dateArray, name: '_date', len: -1, category: 'A', elem: Oid.date, array: 0 },
];

const c = (name: string, sqlType: SqlType): CatalogColumn => ({ name, sqlType });
const table = (name: string, columns: CatalogColumn[], rows: () => unknown[][]): CatalogTable =>
  ({ schema: 'pg_catalog', name, kind: 'system', columns, rows });

export interface PgCatalogOptions {
  readonly database: string;
  readonly user: string;
  readonly settings: () => ReadonlyMap<string, string>;
}

/** The user tables and views PostgreSQL clients should see, with stable OIDs. */
function relations(catalog: Catalog): { oid: number; ns: number; table: CatalogTable; kind: 'r' | 'v' }[] {
  const nsOf = (schema: string): number => (NS as Record<string, number>)[schema.toLowerCase()] ?? NS.druid;
  return catalog.listTables()
    .filter((t) => t.schema.toLowerCase() !== 'pg_catalog')
    .slice()
    .sort((a, b) => (a.schema === b.schema ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.schema < b.schema ? -1 : 1))
    .map((t, i) => ({ oid: FIRST_TABLE_OID + i, ns: nsOf(t.schema), table: t, kind: t.kind === 'datasource' ? 'r' as const : 'v' as const }));
}

export function pgCatalogTables(catalog: Catalog, options: PgCatalogOptions): CatalogTable[] {
  const namespaces: [number, string][] = Object.entries(NS).map(([name, oid]) => [oid, name]);
  return [
    table('pg_namespace', [c('oid', 'BIGINT'), c('nspname', 'VARCHAR'), c('nspowner', 'BIGINT'), c('nspacl', 'VARCHAR')],
      () => namespaces.map(([oid, name]) => [oid, name, 10, null])),
    table('pg_class', [
      c('oid', 'BIGINT'), c('relname', 'VARCHAR'), c('relnamespace', 'BIGINT'), c('reltype', 'BIGINT'), c('reloftype', 'BIGINT'),
      c('relowner', 'BIGINT'), c('relam', 'BIGINT'), c('relfilenode', 'BIGINT'), c('reltablespace', 'BIGINT'), c('relpages', 'INTEGER'),
      c('reltuples', 'REAL'), c('relallvisible', 'INTEGER'), c('reltoastrelid', 'BIGINT'), c('relhasindex', 'BOOLEAN'),
      c('relisshared', 'BOOLEAN'), c('relpersistence', 'VARCHAR'), c('relkind', 'VARCHAR'), c('relnatts', 'SMALLINT'),
      c('relchecks', 'SMALLINT'), c('relhasrules', 'BOOLEAN'), c('relhastriggers', 'BOOLEAN'), c('relhassubclass', 'BOOLEAN'),
      c('relrowsecurity', 'BOOLEAN'), c('relforcerowsecurity', 'BOOLEAN'), c('relispopulated', 'BOOLEAN'), c('relreplident', 'VARCHAR'),
      c('relispartition', 'BOOLEAN'), c('relacl', 'VARCHAR'), c('reloptions', 'VARCHAR'), c('relpartbound', 'VARCHAR'),
    ], () => relations(catalog).map((r) => [r.oid, r.table.name, r.ns, 0, 0, 10, r.kind === 'r' ? 2 : 0, r.oid, 0, 0, -1, 0, 0, false,
      false, 'p', r.kind, r.table.columns.length, 0, false, false, false, false, false, true, 'd', false, null, null, null])),
    table('pg_attribute', [
      c('attrelid', 'BIGINT'), c('attname', 'VARCHAR'), c('atttypid', 'BIGINT'), c('attstattarget', 'INTEGER'), c('attlen', 'SMALLINT'),
      c('attnum', 'SMALLINT'), c('attndims', 'INTEGER'), c('attcacheoff', 'INTEGER'), c('atttypmod', 'INTEGER'), c('attbyval', 'BOOLEAN'),
      c('attstorage', 'VARCHAR'), c('attalign', 'VARCHAR'), c('attnotnull', 'BOOLEAN'), c('atthasdef', 'BOOLEAN'), c('atthasmissing', 'BOOLEAN'),
      c('attidentity', 'VARCHAR'), c('attgenerated', 'VARCHAR'), c('attisdropped', 'BOOLEAN'), c('attislocal', 'BOOLEAN'),
      c('attinhcount', 'INTEGER'), c('attcollation', 'BIGINT'), c('attacl', 'VARCHAR'), c('attoptions', 'VARCHAR'),
    ], () => relations(catalog).flatMap((r) => r.table.columns.map((col, i) => {
      const oid = oidForColumn({ sqlType: col.sqlType });
      const t = types.find((x) => x.oid === oid);
      return [r.oid, col.name, oid, -1, t?.len ?? -1, i + 1, t?.category === 'A' ? 1 : 0, -1, -1, (t?.len ?? -1) > 0,
        'p', 'i', col.name === '__time', false, false, '', '', false, true, 0, t?.category === 'S' ? 100 : 0, null, null];
    }))),
    table('pg_type', [
      c('oid', 'BIGINT'), c('typname', 'VARCHAR'), c('typnamespace', 'BIGINT'), c('typowner', 'BIGINT'), c('typlen', 'SMALLINT'),
      c('typbyval', 'BOOLEAN'), c('typtype', 'VARCHAR'), c('typcategory', 'VARCHAR'), c('typispreferred', 'BOOLEAN'),
      c('typisdefined', 'BOOLEAN'), c('typdelim', 'VARCHAR'), c('typrelid', 'BIGINT'), c('typelem', 'BIGINT'), c('typarray', 'BIGINT'),
      c('typinput', 'VARCHAR'), c('typoutput', 'VARCHAR'), c('typreceive', 'VARCHAR'), c('typsend', 'VARCHAR'), c('typbasetype', 'BIGINT'),
      c('typtypmod', 'INTEGER'), c('typndims', 'INTEGER'), c('typcollation', 'BIGINT'), c('typnotnull', 'BOOLEAN'), c('typdefault', 'VARCHAR'),
    ], () => types.map((t) => [t.oid, t.name, NS.pg_catalog, 10, t.len, t.len > 0 && t.len <= 8, 'b', t.category, false, true, ',',
      0, t.elem, t.array, `${t.name}in`, `${t.name}out`, `${t.name}recv`, `${t.name}send`, 0, -1, 0, t.category === 'S' ? 100 : 0, false, null])),
    table('pg_database', [
      c('oid', 'BIGINT'), c('datname', 'VARCHAR'), c('datdba', 'BIGINT'), c('encoding', 'INTEGER'), c('datcollate', 'VARCHAR'),
      c('datctype', 'VARCHAR'), c('datistemplate', 'BOOLEAN'), c('datallowconn', 'BOOLEAN'), c('datconnlimit', 'INTEGER'),
      c('dattablespace', 'BIGINT'), c('datacl', 'VARCHAR'),
    ], () => [[16_383, options.database, 10, 6, 'C.UTF-8', 'C.UTF-8', false, true, -1, 1663, null]]),
    table('pg_roles', [
      c('rolname', 'VARCHAR'), c('oid', 'BIGINT'), c('rolsuper', 'BOOLEAN'), c('rolinherit', 'BOOLEAN'), c('rolcreaterole', 'BOOLEAN'),
      c('rolcreatedb', 'BOOLEAN'), c('rolcanlogin', 'BOOLEAN'), c('rolreplication', 'BOOLEAN'), c('rolconnlimit', 'INTEGER'),
      c('rolpassword', 'VARCHAR'), c('rolvaliduntil', 'TIMESTAMP'), c('rolbypassrls', 'BOOLEAN'), c('rolconfig', 'VARCHAR'),
    ], () => [[options.user, 10, true, true, true, true, true, false, -1, '********', null, true, null]]),
    table('pg_user', [c('usename', 'VARCHAR'), c('usesysid', 'BIGINT'), c('usecreatedb', 'BOOLEAN'), c('usesuper', 'BOOLEAN'), c('passwd', 'VARCHAR')],
      () => [[options.user, 10, true, true, '********']]),
    table('pg_settings', [
      c('name', 'VARCHAR'), c('setting', 'VARCHAR'), c('unit', 'VARCHAR'), c('category', 'VARCHAR'), c('short_desc', 'VARCHAR'),
      c('context', 'VARCHAR'), c('vartype', 'VARCHAR'), c('source', 'VARCHAR'), c('boot_val', 'VARCHAR'), c('reset_val', 'VARCHAR'),
    ], () => [...options.settings()].map(([k, v]) => [k, v, null, 'Client Connection Defaults', '', 'user', 'string', 'session', v, v])),
    table('pg_am', [c('oid', 'BIGINT'), c('amname', 'VARCHAR'), c('amhandler', 'VARCHAR'), c('amtype', 'VARCHAR')], () => [[2, 'heap', 'heap_tableam_handler', 't']]),
    table('pg_tablespace', [c('oid', 'BIGINT'), c('spcname', 'VARCHAR'), c('spcowner', 'BIGINT')], () => [[1663, 'pg_default', 10]]),
    table('pg_tables', [
      c('schemaname', 'VARCHAR'), c('tablename', 'VARCHAR'), c('tableowner', 'VARCHAR'), c('tablespace', 'VARCHAR'),
      c('hasindexes', 'BOOLEAN'), c('hasrules', 'BOOLEAN'), c('hastriggers', 'BOOLEAN'), c('rowsecurity', 'BOOLEAN'),
    ], () => relations(catalog).filter((r) => r.kind === 'r').map((r) => [r.table.schema, r.table.name, options.user, null, false, false, false, false])),
    table('pg_views', [c('schemaname', 'VARCHAR'), c('viewname', 'VARCHAR'), c('viewowner', 'VARCHAR'), c('definition', 'VARCHAR')],
      () => relations(catalog).filter((r) => r.kind === 'v').map((r) => [r.table.schema, r.table.name, options.user, null])),
    // Relations Nemeton has none of: empty, with the columns clients select.
    table('pg_index', [c('indexrelid', 'BIGINT'), c('indrelid', 'BIGINT'), c('indnatts', 'SMALLINT'), c('indisunique', 'BOOLEAN'), c('indisprimary', 'BOOLEAN'), c('indkey', 'VARCHAR'), c('indisclustered', 'BOOLEAN'), c('indisvalid', 'BOOLEAN'), c('indexprs', 'VARCHAR'), c('indpred', 'VARCHAR')], () => []),
    table('pg_constraint', [c('oid', 'BIGINT'), c('conname', 'VARCHAR'), c('connamespace', 'BIGINT'), c('contype', 'VARCHAR'), c('conrelid', 'BIGINT'), c('confrelid', 'BIGINT'), c('conkey', 'VARCHAR'), c('confkey', 'VARCHAR'), c('conindid', 'BIGINT')], () => []),
    table('pg_attrdef', [c('oid', 'BIGINT'), c('adrelid', 'BIGINT'), c('adnum', 'SMALLINT'), c('adbin', 'VARCHAR')], () => []),
    table('pg_description', [c('objoid', 'BIGINT'), c('classoid', 'BIGINT'), c('objsubid', 'INTEGER'), c('description', 'VARCHAR')], () => []),
    table('pg_inherits', [c('inhrelid', 'BIGINT'), c('inhparent', 'BIGINT'), c('inhseqno', 'INTEGER')], () => []),
    table('pg_proc', [c('oid', 'BIGINT'), c('proname', 'VARCHAR'), c('pronamespace', 'BIGINT'), c('prorettype', 'BIGINT'), c('prokind', 'VARCHAR'), c('proargtypes', 'VARCHAR')], () => []),
    table('pg_extension', [c('oid', 'BIGINT'), c('extname', 'VARCHAR'), c('extversion', 'VARCHAR')], () => []),
    table('pg_enum', [c('oid', 'BIGINT'), c('enumtypid', 'BIGINT'), c('enumsortorder', 'REAL'), c('enumlabel', 'VARCHAR')], () => []),
    table('pg_matviews', [c('schemaname', 'VARCHAR'), c('matviewname', 'VARCHAR'), c('definition', 'VARCHAR')], () => []),
    table('pg_collation', [c('oid', 'BIGINT'), c('collname', 'VARCHAR'), c('collnamespace', 'BIGINT')], () => [[100, 'default', NS.pg_catalog]]),
  ];
}
