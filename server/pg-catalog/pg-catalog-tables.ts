/**
 * PostgreSQL's catalog (`pg_catalog`) generated from Nemeton's catalog, so
 * psql's \d commands, pgJDBC's DatabaseMetaData, psqlODBC, SQLAlchemy's
 * inspector and BI tools can discover schemas, tables and columns.
 *
 * Data sources appear as tables of schema `public` (the default search_path;
 * `druid.x` and `public.x` name the same table), sys tables as views of
 * schema `sys`, and the pg_catalog tables themselves as tables of
 * `pg_catalog`. OIDs are stable for a given catalog listing (sorted by schema
 * and name). Relations Nemeton has none of (indexes, constraints, triggers,
 * publications...) are empty tables with the columns clients select.
 */
import type { Catalog, CatalogColumn, CatalogTable } from '../../planner/catalog.ts';
import type { SqlType } from '../../planner/sql-engine.ts';
import { PG_TYPES } from '../../planner/pg-types.ts';
import { oidForColumn } from '../pgwire/type-oids.ts';

/** Namespace OIDs (pg_catalog, public and information_schema as in PostgreSQL). */
export const PG_NAMESPACES = { pg_catalog: 11, public: 2200, information_schema: 13_000, sys: 16_385, lookup: 16_386 } as const;
const FIRST_TABLE_OID = 20_000;
const DATABASE_OID = 16_383;
const OWNER_OID = 10;

const c = (name: string, sqlType: SqlType): CatalogColumn => ({ name, sqlType });
/** Columns from a compact spec: 'name:T' with T one of o (oid/BIGINT), i (INTEGER), s (SMALLINT), b (BOOLEAN), f (REAL), a (ARRAY), t (TIMESTAMP); default VARCHAR. */
function cols(spec: string): CatalogColumn[] {
  const types: Record<string, SqlType> = { o: 'BIGINT', i: 'INTEGER', s: 'SMALLINT', b: 'BOOLEAN', f: 'REAL', a: 'ARRAY', t: 'TIMESTAMP', v: 'VARCHAR' };
  return spec.trim().split(/\s+/).map((item) => {
    const [name, t = 'v'] = item.split(':');
    return c(name, types[t]);
  });
}
const table = (name: string, columns: CatalogColumn[], rows: () => unknown[][]): CatalogTable =>
  ({ schema: 'pg_catalog', name, kind: 'system', columns, rows });
const empty = (name: string, spec: string): CatalogTable => table(name, cols(spec), () => []);

export interface PgCatalogOptions {
  readonly database: string;
  readonly user: string;
  readonly settings: () => ReadonlyMap<string, string>;
}

interface Relation { readonly oid: number; readonly ns: number; readonly nsName: string; readonly table: CatalogTable; readonly kind: 'r' | 'v' }

function namespaceOf(t: CatalogTable): { ns: number; name: string } {
  const s = t.schema.toLowerCase();
  if (s === 'druid' || s === 'public') return { ns: PG_NAMESPACES.public, name: 'public' };
  const ns = (PG_NAMESPACES as Record<string, number>)[s];
  return ns === undefined ? { ns: PG_NAMESPACES.public, name: 'public' } : { ns, name: s };
}

/** Every relation PostgreSQL clients see, with stable OIDs: data sources, sys/lookup tables and the pg_catalog tables. */
export function pgRelations(catalog: Catalog): Relation[] {
  return catalog.listTables()
    .map((t) => ({ t, ns: namespaceOf(t) }))
    .sort((a, b) => (a.ns.name === b.ns.name ? (a.t.name < b.t.name ? -1 : a.t.name > b.t.name ? 1 : 0) : a.ns.name < b.ns.name ? -1 : 1))
    .map(({ t, ns }, i) => ({
      oid: FIRST_TABLE_OID + i, ns: ns.ns, nsName: ns.name, table: t,
      kind: t.kind === 'datasource' || t.kind === 'lookup' || ns.name === 'pg_catalog' ? 'r' as const : 'v' as const,
    }));
}

const TYPE_LEN = new Map(PG_TYPES.map((t) => [t.oid, t.len]));
const TYPE_CATEGORY = new Map(PG_TYPES.map((t) => [t.oid, t.category]));

/** The pg_catalog tables over `catalog`. */
export function pgCatalogTables(catalog: Catalog, options: PgCatalogOptions): CatalogTable[] {
  const namespaces: [number, string][] = Object.entries(PG_NAMESPACES).map(([name, oid]) => [oid, name]);
  const relations = () => pgRelations(catalog);
  const user = options.user;
  return [
    table('pg_namespace', cols('oid:o nspname nspowner:o nspacl:a'), () => namespaces.map(([oid, name]) => [oid, name, OWNER_OID, null])),
    table('pg_class', cols(`oid:o relname relnamespace:o reltype:o reloftype:o relowner:o relam:o relfilenode:o reltablespace:o relpages:i
      reltuples:f relallvisible:i reltoastrelid:o relhasindex:b relisshared:b relpersistence relkind relnatts:s relchecks:s relhasrules:b
      relhastriggers:b relhassubclass:b relrowsecurity:b relforcerowsecurity:b relispopulated:b relreplident relispartition:b relrewrite:o
      relfrozenxid:o relminmxid:o relacl:a reloptions:a relpartbound`),
    () => relations().map((r) => [r.oid, r.table.name, r.ns, 0, 0, OWNER_OID, r.kind === 'r' ? 2 : 0, r.oid, 0, 0, -1, 0, 0, false,
      false, 'p', r.kind, r.table.columns.length, 0, false, false, false, false, false, true, 'd', false, 0, 0, 0, null, null, null])),
    table('pg_attribute', cols(`attrelid:o attname atttypid:o attstattarget:i attlen:s attnum:s attndims:i attcacheoff:i atttypmod:i attbyval:b
      attalign attstorage attcompression attnotnull:b atthasdef:b atthasmissing:b attidentity attgenerated attisdropped:b attislocal:b
      attinhcount:i attcollation:o attacl:a attoptions:a attfdwoptions:a attmissingval`),
    () => relations().flatMap((r) => r.table.columns.map((col, i) => {
      const oid = oidForColumn({ sqlType: col.sqlType });
      const len = TYPE_LEN.get(oid) ?? -1;
      const category = TYPE_CATEGORY.get(oid);
      return [r.oid, col.name, oid, -1, len, i + 1, category === 'A' ? 1 : 0, -1, -1, len > 0, len === 8 ? 'd' : 'i', len > 0 ? 'p' : 'x', '',
        col.name === '__time', false, false, '', '', false, true, 0, category === 'S' ? 100 : 0, null, null, null, null];
    }))),
    table('pg_type', cols(`oid:o typname typnamespace:o typowner:o typlen:s typbyval:b typtype typcategory typispreferred:b typisdefined:b
      typdelim typrelid:o typsubscript typelem:o typarray:o typinput typoutput typreceive typsend typmodin typmodout typanalyze typalign
      typstorage typnotnull:b typbasetype:o typtypmod:i typndims:i typcollation:o typdefaultbin typdefault typacl:a`),
    () => PG_TYPES.map((t) => [t.oid, t.name, PG_NAMESPACES.pg_catalog, OWNER_OID, t.len, t.len > 0 && t.len <= 8, t.typtype, t.category,
      t.oid === 25 || t.oid === 701 || t.oid === 16, true, ',', 0, t.elem !== 0 ? 'array_subscript_handler' : '-', t.elem, t.array,
      t.elem !== 0 ? 'array_in' : `${t.name}in`, t.elem !== 0 ? 'array_out' : `${t.name}out`, t.elem !== 0 ? 'array_recv' : `${t.name}recv`,
      t.elem !== 0 ? 'array_send' : `${t.name}send`, '-', '-', '-', t.len === 8 ? 'd' : t.len === 2 ? 's' : t.len === 1 ? 'c' : 'i',
      t.len > 0 ? 'p' : 'x', false, 0, -1, 0, t.category === 'S' ? 100 : 0, null, null, null])),
    table('pg_range', cols('rngtypid:o rngsubtype:o rngmultitypid:o rngcollation:o rngsubopc:o rngcanonical rngsubdiff'), () => []),
    table('pg_database', cols(`oid:o datname datdba:o encoding:i datlocprovider datistemplate:b datallowconn:b datconnlimit:i datfrozenxid:o
      datminmxid:o dattablespace:o datcollate datctype daticulocale datcollversion datacl:a`),
    () => [[DATABASE_OID, options.database, OWNER_OID, 6, 'c', false, true, -1, 0, 0, 1663, 'C.UTF-8', 'C.UTF-8', null, null, null]]),
    table('pg_roles', cols(`rolname oid:o rolsuper:b rolinherit:b rolcreaterole:b rolcreatedb:b rolcanlogin:b rolreplication:b rolconnlimit:i
      rolpassword rolvaliduntil:t rolbypassrls:b rolconfig:a`),
    () => [[user, OWNER_OID, true, true, true, true, true, false, -1, '********', null, true, null]]),
    table('pg_authid', cols('oid:o rolname rolsuper:b rolinherit:b rolcreaterole:b rolcreatedb:b rolcanlogin:b rolreplication:b rolbypassrls:b rolconnlimit:i'),
      () => [[OWNER_OID, user, true, true, true, true, true, false, true, -1]]),
    table('pg_user', cols('usename usesysid:o usecreatedb:b usesuper:b userepl:b usebypassrls:b passwd valuntil:t useconfig:a'),
      () => [[user, OWNER_OID, true, true, false, true, '********', null, null]]),
    table('pg_settings', cols('name setting unit category short_desc extra_desc context vartype source min_val max_val enumvals:a boot_val reset_val pending_restart:b'),
      () => [...options.settings()].map(([k, v]) => [k, v, null, 'Client Connection Defaults', '', null, 'user', 'string', 'session', null, null, null, v, v, false])),
    table('pg_am', cols('oid:o amname amhandler amtype'), () => [[2, 'heap', 'heap_tableam_handler', 't'], [403, 'btree', 'bthandler', 'i']]),
    table('pg_tablespace', cols('oid:o spcname spcowner:o spcacl:a spcoptions:a'), () => [[1663, 'pg_default', OWNER_OID, null, null], [1664, 'pg_global', OWNER_OID, null, null]]),
    table('pg_tables', cols('schemaname tablename tableowner tablespace hasindexes:b hasrules:b hastriggers:b rowsecurity:b'),
      () => relations().filter((r) => r.kind === 'r').map((r) => [r.nsName, r.table.name, user, null, false, false, false, false])),
    table('pg_views', cols('schemaname viewname viewowner definition'),
      () => relations().filter((r) => r.kind === 'v').map((r) => [r.nsName, r.table.name, user, null])),
    table('pg_collation', cols('oid:o collname collnamespace:o collowner:o collprovider collisdeterministic:b collencoding:i collcollate collctype colliculocale collversion'),
      () => [[100, 'default', PG_NAMESPACES.pg_catalog, OWNER_OID, 'd', true, -1, null, null, null, null], [950, 'C', PG_NAMESPACES.pg_catalog, OWNER_OID, 'c', true, -1, 'C', 'C', null, null]]),
    table('pg_language', cols('oid:o lanname lanowner:o lanispl:b lanpltrusted:b'), () => [[12, 'internal', OWNER_OID, false, false], [13, 'c', OWNER_OID, false, false], [14, 'sql', OWNER_OID, false, true]]),
    table('pg_encoding', cols('encoding:i name'), () => [[6, 'UTF8']]),
    // Relations Nemeton has none of: empty, with the columns clients select.
    empty('pg_index', `indexrelid:o indrelid:o indnatts:s indnkeyatts:s indisunique:b indnullsnotdistinct:b indisprimary:b indisexclusion:b
      indimmediate:b indisclustered:b indisvalid:b indcheckxmin:b indisready:b indislive:b indisreplident:b indkey indcollation indclass
      indoption indexprs indpred`),
    empty('pg_constraint', `oid:o conname connamespace:o contype condeferrable:b condeferred:b convalidated:b conrelid:o contypid:o conindid:o
      conparentid:o confrelid:o confupdtype confdeltype confmatchtype conislocal:b coninhcount:i connoinherit:b conkey:a confkey:a
      conpfeqop:a conppeqop:a conffeqop:a confdelsetcols:a conexclop:a conbin`),
    empty('pg_attrdef', 'oid:o adrelid:o adnum:s adbin'),
    empty('pg_description', 'objoid:o classoid:o objsubid:i description'),
    empty('pg_shdescription', 'objoid:o classoid:o description'),
    empty('pg_inherits', 'inhrelid:o inhparent:o inhseqno:i inhdetachpending:b'),
    empty('pg_proc', `oid:o proname pronamespace:o proowner:o prolang:o procost:f prorows:f provariadic:o prosupport prokind prosecdef:b
      proleakproof:b proisstrict:b proretset:b provolatile proparallel pronargs:s pronargdefaults:s prorettype:o proargtypes proallargtypes:a
      proargmodes:a proargnames:a proargdefaults prosrc probin proconfig:a proacl:a`),
    empty('pg_aggregate', 'aggfnoid:o aggkind aggnumdirectargs:s'),
    empty('pg_operator', 'oid:o oprname oprnamespace:o oprowner:o oprkind oprleft:o oprright:o oprresult:o oprcode'),
    empty('pg_cast', 'oid:o castsource:o casttarget:o castfunc:o castcontext castmethod'),
    empty('pg_extension', 'oid:o extname extowner:o extnamespace:o extrelocatable:b extversion extconfig:a extcondition:a'),
    empty('pg_enum', 'oid:o enumtypid:o enumsortorder:f enumlabel'),
    empty('pg_matviews', 'schemaname matviewname matviewowner tablespace hasindexes:b ispopulated:b definition'),
    empty('pg_indexes', 'schemaname tablename indexname tablespace indexdef'),
    empty('pg_sequence', 'seqrelid:o seqtypid:o seqstart:o seqincrement:o seqmax:o seqmin:o seqcache:o seqcycle:b'),
    empty('pg_sequences', 'schemaname sequencename sequenceowner data_type:o start_value:o min_value:o max_value:o increment_by:o cycle:b cache_size:o last_value:o'),
    empty('pg_trigger', 'oid:o tgrelid:o tgparentid:o tgname tgfoid:o tgtype:s tgenabled tgisinternal:b tgconstrrelid:o tgconstrindid:o tgconstraint:o tgdeferrable:b tginitdeferred:b tgnargs:s tgattr tgargs tgqual tgoldtable tgnewtable'),
    empty('pg_rewrite', 'oid:o rulename ev_class:o ev_type ev_enabled is_instead:b ev_qual ev_action'),
    empty('pg_policy', 'oid:o polname polrelid:o polcmd polpermissive:b polroles:a polqual polwithcheck'),
    empty('pg_statistic_ext', 'oid:o stxrelid:o stxname stxnamespace:o stxowner:o stxstattarget:i stxkeys stxkind:a stxexprs'),
    empty('pg_publication', 'oid:o pubname pubowner:o puballtables:b pubinsert:b pubupdate:b pubdelete:b pubtruncate:b pubviaroot:b'),
    empty('pg_publication_rel', 'oid:o prpubid:o prrelid:o prqual prattrs'),
    empty('pg_publication_namespace', 'oid:o pnpubid:o pnnspid:o'),
    empty('pg_partitioned_table', 'partrelid:o partstrat partnatts:s partdefid:o partattrs partclass partcollation partexprs'),
    empty('pg_foreign_table', 'ftrelid:o ftserver:o ftoptions:a'),
    empty('pg_foreign_server', 'oid:o srvname srvowner:o srvfdw:o srvtype srvversion srvacl:a srvoptions:a'),
    empty('pg_foreign_data_wrapper', 'oid:o fdwname fdwowner:o fdwhandler:o fdwvalidator:o fdwacl:a fdwoptions:a'),
    empty('pg_depend', 'classid:o objid:o objsubid:i refclassid:o refobjid:o refobjsubid:i deptype'),
    empty('pg_event_trigger', 'oid:o evtname evtevent evtowner:o evtfoid:o evtenabled evttags:a'),
    empty('pg_auth_members', 'roleid:o member:o grantor:o admin_option:b'),
    empty('pg_opclass', 'oid:o opcmethod:o opcname opcnamespace:o opcowner:o opcfamily:o opcintype:o opcdefault:b opckeytype:o'),
    empty('pg_conversion', 'oid:o conname connamespace:o conowner:o conforencoding:i contoencoding:i conproc condefault:b'),
    empty('pg_init_privs', 'objoid:o classoid:o objsubid:i privtype initprivs:a'),
    empty('pg_stat_activity', 'datid:o datname pid:i usesysid:o usename application_name client_addr client_port:i backend_start:t query_start:t state query'),
  ];
}
