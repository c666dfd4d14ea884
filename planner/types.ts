/** SQL type helpers for the binder: classification, common types, CAST targets, native type names. */
import type { SqlType } from './sql-engine.ts';
import type { TypeName } from './ast.ts';
import { errors } from '../common/errors.ts';

const INTEGRAL = new Set<SqlType>(['BIGINT', 'INTEGER', 'SMALLINT']);
const APPROX = new Set<SqlType>(['DOUBLE', 'FLOAT', 'REAL', 'DECIMAL']);

export function isIntegral(t: SqlType): boolean { return INTEGRAL.has(t); }
export function isNumeric(t: SqlType): boolean { return INTEGRAL.has(t) || APPROX.has(t); }
export function isApprox(t: SqlType): boolean { return APPROX.has(t); }
export function isTemporal(t: SqlType): boolean { return t === 'TIMESTAMP' || t === 'DATE'; }

/** The type two branches (CASE, COALESCE, UNION) unify to. */
export function commonType(a: SqlType, b: SqlType): SqlType {
  if (a === b) return a;
  if (a === 'NULL') return b;
  if (b === 'NULL') return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (isApprox(a) || isApprox(b)) return 'DOUBLE';
    return 'BIGINT';
  }
  if (isTemporal(a) && isTemporal(b)) return 'TIMESTAMP';
  if (a === 'VARCHAR' || b === 'VARCHAR') return 'VARCHAR';
  return a === 'OTHER' ? b : a;
}

/** Type of arithmetic on two numeric operands. */
export function arithmeticType(a: SqlType, b: SqlType): SqlType {
  if (isApprox(a) || isApprox(b)) return 'DOUBLE';
  if (a === 'NULL' && b === 'NULL') return 'BIGINT';
  return 'BIGINT';
}

/** Maps a CAST target type name to a Druid SQL type. */
export function sqlTypeOf(t: TypeName): SqlType {
  if (t.arrayOf) return 'ARRAY';
  switch (t.name) {
    case 'VARCHAR': case 'CHAR': case 'CHARACTER': case 'STRING': case 'TEXT': return 'VARCHAR';
    case 'BIGINT': case 'LONG': case 'INT8': return 'BIGINT';
    case 'INTEGER': case 'INT': case 'INT4': return 'INTEGER';
    case 'SMALLINT': case 'TINYINT': case 'INT2': return 'SMALLINT';
    case 'DOUBLE': case 'FLOAT8': return 'DOUBLE';
    case 'FLOAT': case 'FLOAT4': return 'FLOAT';
    case 'REAL': return 'REAL';
    case 'DECIMAL': case 'NUMERIC': case 'DEC': return 'DECIMAL';
    case 'BOOLEAN': case 'BOOL': return 'BOOLEAN';
    case 'TIMESTAMP': case 'TIMESTAMPTZ': return 'TIMESTAMP';
    case 'DATE': return 'DATE';
    case 'TIME': return 'TIMESTAMP';
    // PostgreSQL: object identifiers are integers; names, identifiers and other text-like types are strings.
    case 'REGCLASS': case 'OID': case 'REGTYPE': case 'REGPROC': case 'REGPROCEDURE': case 'REGNAMESPACE': case 'REGROLE':
    case 'XID': case 'CID': case 'CARDINAL_NUMBER': return 'BIGINT';
    case 'NAME': case 'BPCHAR': case 'SQL_IDENTIFIER': case 'CHARACTER_DATA': case 'YES_OR_NO': case 'INT2VECTOR': case 'OIDVECTOR':
    case 'JSON': case 'JSONB': case 'UUID': case 'INET': return 'VARCHAR';
    default:
      if (t.name.startsWith('COMPLEX<')) return 'OTHER';
      throw errors.invalidInput(`Unknown type [${t.name}] in CAST`);
  }
}

/** Druid native type name for a SQL type (typesHeader). */
export function nativeTypeOf(t: SqlType, elementType?: SqlType): string {
  switch (t) {
    case 'VARCHAR': return 'STRING';
    case 'BIGINT': case 'INTEGER': case 'SMALLINT': case 'BOOLEAN': case 'TIMESTAMP': case 'DATE': return 'LONG';
    case 'FLOAT': case 'REAL': return 'FLOAT';
    case 'DOUBLE': case 'DECIMAL': return 'DOUBLE';
    case 'ARRAY': return `ARRAY<${nativeTypeOf(elementType ?? 'VARCHAR')}>`;
    case 'NULL': return 'STRING';
    default: return 'COMPLEX<json>';
  }
}

/** SQL type for a native column type. */
export function sqlTypeOfNative(native: string): SqlType {
  switch (native.toUpperCase()) {
    case 'STRING': return 'VARCHAR';
    case 'LONG': return 'BIGINT';
    case 'FLOAT': return 'FLOAT';
    case 'DOUBLE': return 'DOUBLE';
    default: return native.toUpperCase().startsWith('ARRAY') ? 'ARRAY' : 'OTHER';
  }
}
