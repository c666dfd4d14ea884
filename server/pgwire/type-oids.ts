/**
 * PostgreSQL type OIDs and how Druid SQL types map onto them.
 */
import type { SqlColumn, SqlType } from '../../planner/sql-engine.ts';

/** The type OIDs this server encodes and decodes. */
export const Oid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  boolArray: 1000,
  int2Array: 1005,
  int4Array: 1007,
  textArray: 1009,
  varcharArray: 1015,
  int8Array: 1016,
  float4Array: 1021,
  float8Array: 1022,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestampArray: 1115,
  dateArray: 1182,
  timestamptz: 1184,
  timestamptzArray: 1185,
  numericArray: 1231,
  numeric: 1700,
} as const;

const scalarOid: Record<SqlType, number> = {
  VARCHAR: Oid.text,
  BIGINT: Oid.int8,
  INTEGER: Oid.int4,
  SMALLINT: Oid.int2,
  DOUBLE: Oid.float8,
  FLOAT: Oid.float4,
  REAL: Oid.float4,
  DECIMAL: Oid.numeric,
  BOOLEAN: Oid.bool,
  TIMESTAMP: Oid.timestamp,
  DATE: Oid.date,
  OTHER: Oid.text,
  ARRAY: Oid.textArray,
  NULL: Oid.text,
};

const arrayOfScalar: Record<number, number> = {
  [Oid.bool]: Oid.boolArray,
  [Oid.int2]: Oid.int2Array,
  [Oid.int4]: Oid.int4Array,
  [Oid.int8]: Oid.int8Array,
  [Oid.text]: Oid.textArray,
  [Oid.varchar]: Oid.varcharArray,
  [Oid.float4]: Oid.float4Array,
  [Oid.float8]: Oid.float8Array,
  [Oid.numeric]: Oid.numericArray,
  [Oid.timestamp]: Oid.timestampArray,
  [Oid.timestamptz]: Oid.timestamptzArray,
  [Oid.date]: Oid.dateArray,
};

const elementOfArray: Record<number, number> = Object.fromEntries(
  Object.entries(arrayOfScalar).map(([el, arr]) => [arr, Number(el)]),
);

/** The OID a column is reported with in RowDescription. */
export function oidForColumn(column: Pick<SqlColumn, 'sqlType' | 'elementType'>): number {
  if (column.sqlType === 'ARRAY') return arrayOfScalar[scalarOid[column.elementType ?? 'VARCHAR']] ?? Oid.textArray;
  return scalarOid[column.sqlType];
}

/** The OID for a SQL type (parameters in ParameterDescription). */
export function oidForSqlType(type: SqlType): number {
  return scalarOid[type];
}

/** The element OID of an array OID, or undefined when `oid` is not an array type this server knows. */
export function elementOid(oid: number): number | undefined {
  return elementOfArray[oid];
}

/** RowDescription's typlen for an OID (-1 for variable length). */
export function typeSize(oid: number): number {
  switch (oid) {
    case Oid.bool: return 1;
    case Oid.int2: return 2;
    case Oid.int4: case Oid.float4: case Oid.date: case Oid.oid: return 4;
    case Oid.int8: case Oid.float8: case Oid.timestamp: case Oid.timestamptz: return 8;
    default: return -1;
  }
}

/** The SQL type a parameter OID declares, or undefined for unspecified/unknown OIDs. */
export function sqlTypeForOid(oid: number): SqlType | undefined {
  switch (oid) {
    case Oid.bool: return 'BOOLEAN';
    case Oid.int2: return 'SMALLINT';
    case Oid.int4: case Oid.oid: return 'INTEGER';
    case Oid.int8: return 'BIGINT';
    case Oid.float4: return 'FLOAT';
    case Oid.float8: return 'DOUBLE';
    case Oid.numeric: return 'DECIMAL';
    case Oid.text: case Oid.varchar: case Oid.json: return 'VARCHAR';
    case Oid.timestamp: case Oid.timestamptz: return 'TIMESTAMP';
    case Oid.date: return 'DATE';
    default: return elementOid(oid) !== undefined ? 'ARRAY' : undefined;
  }
}
