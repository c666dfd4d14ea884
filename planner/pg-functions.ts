/**
 * PostgreSQL's system functions that clients (psql, pgJDBC, psqlODBC,
 * SQLAlchemy, BI tools) call while discovering a database: session
 * information (version(), current_schema(), current_setting()...), catalog
 * lookups against the pg_catalog tables (pg_get_userbyid, format_type,
 * pg_table_is_visible, ::regclass), privilege checks (always granted: the
 * catalog has one role), descriptions and definitions of objects Nemeton
 * does not have (null), regex matching and PostgreSQL array helpers.
 * Resolvable with or without the `pg_catalog.` prefix.
 */
import type { ScalarFunction, EvalContext } from './scalar-function.ts';
import type { SqlType } from './sql-engine.ts';
import { errors, NemetonError } from '../common/errors.ts';
import { comparisonHolds, compareValues, toNumber } from './values.ts';
import { formatPgType, pgTypeByName } from './pg-types.ts';

const fixed = (t: SqlType) => () => t;
function f(minArgs: number, maxArgs: number, returnType: (ts: readonly SqlType[]) => SqlType, fn: ScalarFunction['fn'], strict = true): ScalarFunction {
  return { minArgs, maxArgs, returnType, fn, strict };
}
const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const num = (v: unknown): number | null => toNumber(v);

// ---- catalog access -----------------------------------------------------------------------------

interface CatalogIndex {
  /** pg_class oid -> [relname, relnamespace] */
  readonly classes: Map<number, { name: string; ns: number }>;
  /** pg_namespace oid <-> name */
  readonly nsName: Map<number, string>;
  readonly nsOid: Map<string, number>;
  readonly roles: Map<number, string>;
}

const indexCache = new WeakMap<object, CatalogIndex>();

function rowsOf(ctx: EvalContext, table: string): readonly (readonly unknown[])[] {
  const t = ctx.catalog?.getTable('pg_catalog', table);
  const rows = t?.rows?.();
  return Array.isArray(rows) ? rows : [];
}

function columnIndex(ctx: EvalContext, table: string, column: string): number {
  return ctx.catalog?.getTable('pg_catalog', table)?.columns.findIndex((c) => c.name === column) ?? -1;
}

/** Indexes of pg_class, pg_namespace and pg_roles for the statement being evaluated (built once per context). */
function catalogIndex(ctx: EvalContext): CatalogIndex {
  const cached = indexCache.get(ctx);
  if (cached) return cached;
  const classes = new Map<number, { name: string; ns: number }>();
  const [co, cn, cs] = ['oid', 'relname', 'relnamespace'].map((c) => columnIndex(ctx, 'pg_class', c));
  if (co >= 0) for (const r of rowsOf(ctx, 'pg_class')) classes.set(Number(r[co]), { name: String(r[cn]), ns: Number(r[cs]) });
  const nsName = new Map<number, string>();
  const nsOid = new Map<string, number>();
  const [no, nn] = ['oid', 'nspname'].map((c) => columnIndex(ctx, 'pg_namespace', c));
  if (no >= 0) for (const r of rowsOf(ctx, 'pg_namespace')) { nsName.set(Number(r[no]), String(r[nn])); nsOid.set(String(r[nn]), Number(r[no])); }
  const roles = new Map<number, string>();
  const [ro, rn] = ['oid', 'rolname'].map((c) => columnIndex(ctx, 'pg_roles', c));
  if (ro >= 0) for (const r of rowsOf(ctx, 'pg_roles')) roles.set(Number(r[ro]), String(r[rn]));
  const index = { classes, nsName, nsOid, roles };
  indexCache.set(ctx, index);
  return index;
}

/** The schemas of the session's search_path that exist, `$user` resolved, in order. */
function searchPath(ctx: EvalContext): string[] {
  const raw = ctx.session?.settings.get('search_path') ?? '"$user", public';
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase()));
  const { nsOid } = catalogIndex(ctx);
  const out: string[] = [];
  for (const n of names) {
    const name = n === '$user' ? ctx.session?.user ?? '' : n === 'druid' ? 'public' : n;
    if (nsOid.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Splits `schema.name` / `"Quoted"."Name"` into its parts (case kept: names match exactly first). */
function splitQualifiedName(s: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '"') {
      let j = i + 1;
      let part = '';
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) throw errors.invalidInput(`invalid name syntax: ${s}`);
        part += s.slice(j, q);
        if (s[q + 1] === '"') { part += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      parts.push(part);
    } else {
      const dot = s.indexOf('.', i);
      const raw = (dot < 0 ? s.slice(i) : s.slice(i, dot)).trim();
      parts.push(raw);
      i = dot < 0 ? s.length : dot + 1;
      continue;
    }
    if (s[i] === '.') i++;
  }
  return parts;
}

function undefinedObject(kind: string, name: string): NemetonError {
  return new NemetonError(`${kind} "${name}" does not exist`, { code: 'Invalid input', sqlState: kind === 'relation' ? '42P01' : '42704' });
}

/** ::regclass of a name: the OID of the visible (or schema-qualified) relation; names match exactly, then case-insensitively. */
function regclass(v: unknown, ctx: EvalContext): number {
  if (typeof v !== 'string') return num(v) ?? 0;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const parts = splitQualifiedName(v.trim());
  const name = parts[parts.length - 1];
  const { classes, nsOid } = catalogIndex(ctx);
  const schemas = parts.length > 1 ? [parts[parts.length - 2] === 'druid' ? 'public' : parts[parts.length - 2]] : ['pg_catalog', ...searchPath(ctx)];
  for (const exact of [true, false]) {
    for (const schema of schemas) {
      const ns = nsOid.get(schema) ?? nsOid.get(schema.toLowerCase());
      for (const [oid, c] of classes) {
        if (c.ns === ns && (exact ? c.name === name : c.name.toLowerCase() === name.toLowerCase())) return oid;
      }
    }
  }
  throw undefinedObject('relation', v);
}

function regnamespace(v: unknown, ctx: EvalContext): number {
  if (typeof v !== 'string') return num(v) ?? 0;
  const oid = catalogIndex(ctx).nsOid.get(v === 'druid' ? 'public' : v);
  if (oid === undefined) throw undefinedObject('schema', v);
  return oid;
}

function regtype(v: unknown): number {
  if (typeof v !== 'string') return num(v) ?? 0;
  const name = v.replace(/^pg_catalog\./i, '').replace(/"/g, '').replace(/\(.*\)/, '').trim();
  const t = pgTypeByName(name);
  if (!t) throw undefinedObject('type', v);
  return t.oid;
}

// ---- arrays ---------------------------------------------------------------------------------------

/** Parses PostgreSQL array text ('{a,"b c",NULL}') or an int2vector/oidvector ('1 2 3') into elements. */
export function parsePgArray(s: string): (string | null)[] {
  const t = s.trim();
  if (!t.startsWith('{')) return t === '' ? [] : t.split(/\s+/);
  const out: (string | null)[] = [];
  let i = 1;
  if (t[i] === '}') return out;
  while (i < t.length) {
    while (t[i] === ' ') i++;
    let value = '';
    let quoted = false;
    if (t[i] === '"') {
      quoted = true;
      i++;
      while (i < t.length && t[i] !== '"') {
        if (t[i] === '\\') i++;
        value += t[i++];
      }
      i++;
    } else {
      while (i < t.length && t[i] !== ',' && t[i] !== '}') value += t[i++];
      value = value.trim();
    }
    out.push(!quoted && value.toUpperCase() === 'NULL' ? null : value);
    if (t[i] === ',') { i++; continue; }
    break;
  }
  return out;
}

/** An array argument as a JS array: arrays as they are, array text parsed, null as null, a scalar as one element. */
export function asPgArray(v: unknown): unknown[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return parsePgArray(v);
  return [v];
}

function compare(op: string, a: unknown, b: unknown): boolean | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  let x = a;
  let y = b;
  if (typeof x === 'string' && typeof y !== 'string') { const n = num(x); if (n !== null) x = n; }
  if (typeof y === 'string' && typeof x !== 'string') { const n = num(y); if (n !== null) y = n; }
  const holds = comparisonHolds(op, compareValues(x, y));
  if (holds === null) throw errors.invalidInput(`Unsupported operator ${op} in ANY/ALL`);
  return holds;
}

/** x op ANY(array) / x op ALL(array) with SQL three-valued logic. */
function quantified(op: string, all: boolean, x: unknown, arr: unknown): boolean | null {
  const list = asPgArray(arr);
  if (list === null) return null;
  if (x === null || x === undefined) return list.length === 0 ? all : null;
  let sawNull = false;
  for (const el of list) {
    const r = compare(op, x, el);
    if (r === null) sawNull = true;
    else if (r !== all) return r;
  }
  return sawNull ? null : all;
}

// ---- the functions ----------------------------------------------------------------------------------

const always = (value: unknown, type: SqlType, minArgs: number, maxArgs: number) => f(minArgs, maxArgs, fixed(type), () => value, false);

/** PostgreSQL functions, keyed by upper-cased name (without the pg_catalog. prefix). */
export const PG_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  VERSION: f(0, 0, fixed('VARCHAR'), (_a, ctx) => {
    const pg = ctx.session?.settings.get('server_version') ?? '15.0';
    const own = ctx.session?.settings.get('nemeton_version') ?? '';
    return `PostgreSQL ${pg} (Nemeton${own ? ` ${own}` : ''}) on ${process.arch}-pc-linux-gnu, compiled by TypeScript, 64-bit`;
  }, false),
  CURRENT_DATABASE: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.database ?? null, false),
  CURRENT_CATALOG: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.database ?? null, false),
  CURRENT_SCHEMA: f(0, 0, fixed('VARCHAR'), (_a, ctx) => searchPath(ctx)[0] ?? null, false),
  CURRENT_SCHEMAS: f(1, 1, fixed('ARRAY'), ([implicit], ctx) => {
    const path = searchPath(ctx);
    return implicit === true && !path.includes('pg_catalog') ? ['pg_catalog', ...path] : path;
  }),
  CURRENT_USER: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.user ?? null, false),
  CURRENT_ROLE: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.user ?? null, false),
  SESSION_USER: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.user ?? null, false),
  USER: f(0, 0, fixed('VARCHAR'), (_a, ctx) => ctx.session?.user ?? null, false),
  PG_BACKEND_PID: f(0, 0, fixed('INTEGER'), (_a, ctx) => Number(ctx.session?.settings.get('nemeton.backend_pid') ?? process.pid), false),
  CURRENT_SETTING: f(1, 2, fixed('VARCHAR'), ([name, missingOk], ctx) => {
    const v = ctx.session?.settings.get(text(name).toLowerCase());
    if (v !== undefined) return v;
    if (missingOk === true) return null;
    throw new NemetonError(`unrecognized configuration parameter "${text(name)}"`, { code: 'Invalid input', sqlState: '42704' });
  }),
  PG_POSTMASTER_START_TIME: f(0, 0, fixed('TIMESTAMP'), () => Date.now() - Math.round(process.uptime() * 1000), false),
  PG_IS_IN_RECOVERY: always(false, 'BOOLEAN', 0, 0),
  INET_SERVER_ADDR: always(null, 'VARCHAR', 0, 0),
  INET_SERVER_PORT: always(null, 'INTEGER', 0, 0),
  TXID_CURRENT: f(0, 0, fixed('BIGINT'), (_a, ctx) => ctx.now, false),
  // Privileges: one superuser role owns everything.
  HAS_TABLE_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_SCHEMA_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_DATABASE_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_COLUMN_PRIVILEGE: always(true, 'BOOLEAN', 3, 4),
  HAS_ANY_COLUMN_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_FUNCTION_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_SEQUENCE_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  HAS_TYPE_PRIVILEGE: always(true, 'BOOLEAN', 2, 3),
  PG_HAS_ROLE: always(true, 'BOOLEAN', 2, 3),
  // Catalog lookups.
  PG_GET_USERBYID: f(1, 1, fixed('VARCHAR'), ([oid], ctx) => catalogIndex(ctx).roles.get(num(oid) ?? -1) ?? `unknown (OID=${text(oid)})`),
  PG_TABLE_IS_VISIBLE: f(1, 1, fixed('BOOLEAN'), ([oid], ctx) => {
    const idx = catalogIndex(ctx);
    const c = idx.classes.get(num(oid) ?? -1);
    if (!c) return null;
    const ns = idx.nsName.get(c.ns);
    if (ns === 'pg_catalog') return true;
    const path = searchPath(ctx);
    if (ns === undefined || !path.includes(ns)) return false;
    // Hidden by a same-named relation earlier in the path.
    for (const schema of ['pg_catalog', ...path]) {
      if (schema === ns) return true;
      const earlier = idx.nsOid.get(schema);
      for (const other of idx.classes.values()) if (other.ns === earlier && other.name === c.name) return false;
    }
    return true;
  }),
  PG_TYPE_IS_VISIBLE: always(true, 'BOOLEAN', 1, 1),
  PG_FUNCTION_IS_VISIBLE: always(true, 'BOOLEAN', 1, 1),
  PG_COLLATION_IS_VISIBLE: always(true, 'BOOLEAN', 1, 1),
  FORMAT_TYPE: f(2, 2, fixed('VARCHAR'), ([oid, typmod]) => (oid === null ? null : formatPgType(num(oid) ?? 0, typmod === null ? null : num(typmod))), false),
  PG_ENCODING_TO_CHAR: f(1, 1, fixed('VARCHAR'), ([n]) => (num(n) === 6 ? 'UTF8' : num(n) === 0 ? 'SQL_ASCII' : '')),
  PG_CHAR_TO_ENCODING: f(1, 1, fixed('INTEGER'), ([s]) => (/^utf-?8$/i.test(text(s)) ? 6 : text(s).toUpperCase() === 'SQL_ASCII' ? 0 : -1)),
  GETDATABASEENCODING: always('UTF8', 'VARCHAR', 0, 0),
  PG_CLIENT_ENCODING: always('UTF8', 'VARCHAR', 0, 0),
  PG_REGCLASS: f(1, 1, fixed('BIGINT'), ([v], ctx) => regclass(v, ctx)),
  TO_REGCLASS: f(1, 1, fixed('BIGINT'), ([v], ctx) => { try { return regclass(v, ctx); } catch { return null; } }),
  PG_REGTYPE: f(1, 1, fixed('BIGINT'), ([v]) => regtype(v)),
  TO_REGTYPE: f(1, 1, fixed('BIGINT'), ([v]) => { try { return regtype(v); } catch { return null; } }),
  PG_REGNAMESPACE: f(1, 1, fixed('BIGINT'), ([v], ctx) => regnamespace(v, ctx)),
  PG_REGPROC: f(1, 1, fixed('BIGINT'), ([v]) => (typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : 0) : num(v))),
  // Objects Nemeton does not have: no comments, defaults, constraints, indexes, views' text, functions.
  OBJ_DESCRIPTION: always(null, 'VARCHAR', 1, 2),
  COL_DESCRIPTION: always(null, 'VARCHAR', 2, 2),
  SHOBJ_DESCRIPTION: always(null, 'VARCHAR', 2, 2),
  PG_GET_EXPR: always(null, 'VARCHAR', 2, 3),
  PG_GET_CONSTRAINTDEF: always(null, 'VARCHAR', 1, 2),
  PG_GET_INDEXDEF: always(null, 'VARCHAR', 1, 3),
  PG_GET_VIEWDEF: always(null, 'VARCHAR', 1, 2),
  PG_GET_TRIGGERDEF: always(null, 'VARCHAR', 1, 2),
  PG_GET_RULEDEF: always(null, 'VARCHAR', 1, 2),
  PG_GET_FUNCTIONDEF: always(null, 'VARCHAR', 1, 1),
  PG_GET_FUNCTION_RESULT: always(null, 'VARCHAR', 1, 1),
  PG_GET_FUNCTION_ARGUMENTS: always(null, 'VARCHAR', 1, 1),
  PG_GET_FUNCTION_IDENTITY_ARGUMENTS: always(null, 'VARCHAR', 1, 1),
  PG_GET_PARTKEYDEF: always(null, 'VARCHAR', 1, 1),
  PG_GET_SERIAL_SEQUENCE: always(null, 'VARCHAR', 2, 2),
  PG_GET_STATISTICSOBJDEF_COLUMNS: always(null, 'VARCHAR', 1, 1),
  PG_RELATION_IS_PUBLISHABLE: always(false, 'BOOLEAN', 1, 1),
  PG_RELATION_SIZE: always(0, 'BIGINT', 1, 2),
  PG_TOTAL_RELATION_SIZE: always(0, 'BIGINT', 1, 1),
  PG_TABLE_SIZE: always(0, 'BIGINT', 1, 1),
  PG_INDEXES_SIZE: always(0, 'BIGINT', 1, 1),
  PG_DATABASE_SIZE: always(0, 'BIGINT', 1, 1),
  PG_SIZE_PRETTY: f(1, 1, fixed('VARCHAR'), ([n]) => `${text(n)} bytes`),
  // Strings.
  QUOTE_IDENT: f(1, 1, fixed('VARCHAR'), ([s]) => {
    const v = text(s);
    return /^[a-z_][a-z0-9_$]*$/.test(v) ? v : `"${v.replace(/"/g, '""')}"`;
  }),
  QUOTE_LITERAL: f(1, 1, fixed('VARCHAR'), ([s]) => {
    const v = text(s);
    return v.includes('\\') ? `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${v.replace(/'/g, "''")}'`;
  }),
  QUOTE_NULLABLE: f(1, 1, fixed('VARCHAR'), ([s]) => (s === null ? 'NULL' : `'${text(s).replace(/'/g, "''")}'`), false),
  PG_REGEX_IMATCH: f(2, 2, fixed('BOOLEAN'), ([s, p]) => new RegExp(text(p), 'i').test(text(s))),
  // Composite values: ROW(...) fields by position (f1, f2...) or a record's named field.
  PG_FIELD: f(2, 2, fixed('OTHER'), ([v, field]) => {
    if (Array.isArray(v)) { const m = /^f(\d+)$/.exec(text(field)); return m ? v[Number(m[1]) - 1] ?? null : null; }
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[text(field)] ?? null : null;
  }),
  UNNEST: f(1, 1, fixed('VARCHAR'), () => {
    throw errors.unsupported('unnest() in the select list returns a set; use it in FROM (SELECT x FROM unnest(array) AS t(x))');
  }),
  _PG_EXPANDARRAY: f(1, 1, fixed('OTHER'), () => {
    throw errors.unsupported('information_schema._pg_expandarray() returns a set; set-returning functions in the select list are not supported');
  }),
  JSON_BUILD_OBJECT: f(0, 100, fixed('VARCHAR'), (a) => {
    if (a.length % 2 !== 0) throw errors.invalidInput('argument list must have even number of elements');
    const o: Record<string, unknown> = {};
    for (let i = 0; i < a.length; i += 2) o[text(a[i])] = typeof a[i + 1] === 'bigint' ? Number(a[i + 1]) : a[i + 1] ?? null;
    return JSON.stringify(o);
  }, false),
  // Arrays.
  PG_QUANTIFIED: f(4, 4, fixed('BOOLEAN'), ([op, q, x, arr]) => quantified(text(op), q === 'ALL', x, arr), false),
  PG_TO_ARRAY: f(2, 2, fixed('ARRAY'), ([v, elementType]) => {
    const list = asPgArray(v);
    if (list === null) return null;
    const numeric = elementType === 'BIGINT' || elementType === 'INTEGER' || elementType === 'SMALLINT' || elementType === 'DOUBLE';
    return numeric ? list.map((x) => (x === null ? null : num(x))) : list.map((x) => (x === null ? null : text(x)));
  }),
  ARRAY_UPPER: f(2, 2, fixed('INTEGER'), ([a, dim]) => { const l = asPgArray(a); return l === null || l.length === 0 || num(dim) !== 1 ? null : l.length; }),
  ARRAY_LOWER: f(2, 2, fixed('INTEGER'), ([a, dim]) => { const l = asPgArray(a); return l === null || l.length === 0 || num(dim) !== 1 ? null : 1; }),
  ARRAY_NDIMS: f(1, 1, fixed('INTEGER'), ([a]) => { const l = asPgArray(a); return l === null || l.length === 0 ? null : 1; }),
  CARDINALITY: f(1, 1, fixed('BIGINT'), ([a]) => asPgArray(a)?.length ?? null),
  GENERATE_SERIES: f(2, 3, fixed('ARRAY'), ([from, to, step]) => {
    const a = num(from) ?? 0;
    const b = num(to) ?? 0;
    const s = step === undefined ? 1 : num(step) ?? 1;
    if (s === 0) throw errors.invalidInput('step size cannot equal zero');
    const out: number[] = [];
    for (let x = a; s > 0 ? x <= b : x >= b; x += s) { out.push(x); if (out.length > 10_000_000) throw errors.resourceLimit('generate_series produced too many rows'); }
    return out;
  }),
  GENERATE_SUBSCRIPTS: f(2, 3, fixed('ARRAY'), ([a, dim, reverse]) => {
    const l = asPgArray(a);
    if (l === null || num(dim) !== 1) return [];
    const out = l.map((_x, i) => i + 1);
    return reverse === true ? out.reverse() : out;
  }),
};
