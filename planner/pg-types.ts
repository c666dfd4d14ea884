/**
 * PostgreSQL's built-in types as clients see them in pg_type: OID, name,
 * length, category, element/array OIDs and the SQL spelling format_type()
 * prints. One table shared by the pg_catalog relations (server/pg-catalog)
 * and the PostgreSQL-compatible functions (planner/pg-functions.ts).
 */
import type { SqlType } from './sql-engine.ts';

export interface PgTypeInfo {
  readonly oid: number;
  readonly name: string;
  /** format_type() spelling: 'integer', 'character varying', 'text[]'... */
  readonly sqlName: string;
  readonly len: number;
  /** pg_type.typcategory: B bool, N numeric, S string, D datetime, A array, U user, X unknown. */
  readonly category: string;
  /** Element type OID of an array type (0 otherwise). */
  readonly elem: number;
  /** OID of the array type over this one (0 when none). */
  readonly array: number;
  /** 'b' base, 'p' pseudo-type. */
  readonly typtype: string;
}

const base = (oid: number, name: string, sqlName: string, len: number, category: string, array: number, typtype = 'b'): PgTypeInfo =>
  ({ oid, name, sqlName, len, category, elem: 0, array, typtype });

const scalars: PgTypeInfo[] = [
  base(16, 'bool', 'boolean', 1, 'B', 1000),
  base(17, 'bytea', 'bytea', -1, 'U', 1001),
  base(18, 'char', '"char"', 1, 'S', 1002),
  base(19, 'name', 'name', 64, 'S', 1003),
  base(20, 'int8', 'bigint', 8, 'N', 1016),
  base(21, 'int2', 'smallint', 2, 'N', 1005),
  base(22, 'int2vector', 'int2vector', -1, 'A', 1006),
  base(23, 'int4', 'integer', 4, 'N', 1007),
  base(24, 'regproc', 'regproc', 4, 'N', 1008),
  base(25, 'text', 'text', -1, 'S', 1009),
  base(26, 'oid', 'oid', 4, 'N', 1028),
  base(30, 'oidvector', 'oidvector', -1, 'A', 1013),
  base(114, 'json', 'json', -1, 'U', 199),
  base(700, 'float4', 'real', 4, 'N', 1021),
  base(701, 'float8', 'double precision', 8, 'N', 1022),
  base(705, 'unknown', 'unknown', -2, 'X', 0, 'p'),
  base(1042, 'bpchar', 'character', -1, 'S', 1014),
  base(1043, 'varchar', 'character varying', -1, 'S', 1015),
  base(1082, 'date', 'date', 4, 'D', 1182),
  base(1083, 'time', 'time without time zone', 8, 'D', 1183),
  base(1114, 'timestamp', 'timestamp without time zone', 8, 'D', 1115),
  base(1184, 'timestamptz', 'timestamp with time zone', 8, 'D', 1185),
  base(1186, 'interval', 'interval', 16, 'T', 1187),
  base(1700, 'numeric', 'numeric', -1, 'N', 1231),
  base(2205, 'regclass', 'regclass', 4, 'N', 2210),
  base(2206, 'regtype', 'regtype', 4, 'N', 2211),
  base(3802, 'jsonb', 'jsonb', -1, 'U', 3807),
  base(4089, 'regnamespace', 'regnamespace', 4, 'N', 4090),
  base(2249, 'record', 'record', -1, 'P', 2287, 'p'),
  base(2276, 'any', '"any"', 4, 'P', 0, 'p'),
  base(2277, 'anyarray', 'anyarray', -1, 'P', 0, 'p'),
  base(2278, 'void', 'void', 4, 'P', 0, 'p'),
];

/** Every type in pg_type: the scalar types, then one array type per scalar type that has one. */
export const PG_TYPES: readonly PgTypeInfo[] = [
  ...scalars,
  ...scalars.filter((t) => t.array !== 0).map((t) => ({
    oid: t.array, name: `_${t.name}`, sqlName: `${t.sqlName}[]`, len: -1, category: 'A', elem: t.oid, array: 0, typtype: 'b',
  })),
];

const byOid = new Map(PG_TYPES.map((t) => [t.oid, t]));
const byName = new Map<string, PgTypeInfo>();
for (const t of PG_TYPES) { byName.set(t.name, t); byName.set(t.sqlName, t); }
for (const [alias, name] of [['int', 'int4'], ['integer', 'int4'], ['character', 'bpchar'], ['char', 'bpchar'], ['decimal', 'numeric'], ['float', 'float8'], ['string', 'text']] as const) {
  byName.set(alias, byName.get(name)!);
}

/** The type with this OID, or undefined. */
export function pgTypeByOid(oid: number): PgTypeInfo | undefined {
  return byOid.get(oid);
}

/** The type with this pg_type name or SQL spelling (case-insensitive), or undefined. */
export function pgTypeByName(name: string): PgTypeInfo | undefined {
  return byName.get(name.toLowerCase().trim());
}

/** The PostgreSQL type OID a Druid SQL type is sent as on the wire (pgwire uses the same mapping). */
export function pgTypeOidOf(t: SqlType, elementType?: SqlType): number {
  switch (t) {
    case 'VARCHAR': case 'NULL': return 25;
    case 'BIGINT': return 20;
    case 'INTEGER': return 23;
    case 'SMALLINT': return 21;
    case 'DOUBLE': return 701;
    case 'DECIMAL': return 1700;
    case 'FLOAT': case 'REAL': return 700;
    case 'BOOLEAN': return 16;
    case 'TIMESTAMP': return 1114;
    case 'DATE': return 1082;
    case 'ARRAY': return pgTypeByOid(pgTypeOidOf(elementType ?? 'VARCHAR'))?.array ?? 1009;
    default: return 25;
  }
}

/** format_type(oid, typmod): the SQL spelling of a type, with varchar length / numeric precision from typmod. */
export function formatPgType(oid: number, typmod: number | null): string {
  const t = byOid.get(oid);
  if (!t) return '???';
  const mod = typmod ?? -1;
  if ((t.oid === 1043 || t.oid === 1042) && mod >= 4) return `${t.sqlName}(${mod - 4})`;
  if (t.oid === 1700 && mod >= 4) return `numeric(${(mod - 4) >> 16},${(mod - 4) & 0xffff})`;
  return t.sqlName;
}
