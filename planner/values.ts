/** Runtime value helpers shared by the broker evaluator and operators: comparison, coercion, rendering. */
import type { SqlType } from './sql-engine.ts';
import { formatTimestamp, formatDate, parseTimestamp } from './time-functions.ts';

/** Total order used by ORDER BY, MIN/MAX and DISTINCT: numbers numerically, strings by code point; nulls handled by callers. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)));
    const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(Number(b)));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      if (x === null || y === null) { if (x !== y) return x === null ? -1 : 1; continue; }
      const c = compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'string') { const n = Number(b); return Number.isNaN(n) ? String(a) < b ? -1 : 1 : compareValues(a, n); }
  if (typeof a === 'string' && typeof b === 'number') return -compareValues(b, a);
  if (typeof a === 'boolean') return compareValues(a ? 1 : 0, b);
  if (typeof b === 'boolean') return compareValues(a, b ? 1 : 0);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Key for hashing a value (GROUP BY, DISTINCT, joins). Distinguishes null from ''. */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return '\u0000N';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number') return 'n' + (Object.is(v, -0) ? 0 : v);
  if (typeof v === 'bigint') return 'n' + v.toString();
  if (typeof v === 'boolean') return v ? 'n1' : 'n0';
  if (Array.isArray(v)) return 'a' + JSON.stringify(v);
  return 'o' + JSON.stringify(v);
}

/** Key for a whole row. */
export function rowKey(row: readonly unknown[]): string {
  let k = '';
  for (let i = 0; i < row.length; i++) k += valueKey(row[i]) + '\u0001';
  return k;
}

/** Converts a value to a number (null when not numeric). */
export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    const n = Number(s);
    return Number.isNaN(n) ? null : n;
  }
  if (Array.isArray(v)) return v.length === 1 ? toNumber(v[0]) : null;
  return null;
}

/** Truthiness in Druid's sense for a SQL boolean context: true / false / null (unknown). */
export function toBool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') { const s = v.toLowerCase(); if (s === 'true') return true; const n = Number(v); return Number.isNaN(n) ? false : n !== 0; }
  return null;
}

/** Casts a runtime value to a SQL type (CAST semantics, SQL-compatible nulls). */
export function castValue(v: unknown, type: SqlType, tz: string | null): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'VARCHAR':
      if (typeof v === 'string') return v;
      if (Array.isArray(v)) return v.length === 0 ? null : v.length === 1 ? castValue(v[0], 'VARCHAR', tz) : JSON.stringify(v);
      if (typeof v === 'number') return numberToString(v);
      return String(v);
    case 'BIGINT': case 'INTEGER': case 'SMALLINT': {
      if (typeof v === 'bigint') return v;
      if (typeof v === 'string') {
        const ts = /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? parseTimestamp(v, tz) : null;
        if (ts !== null) return ts;
      }
      const n = toNumber(v);
      return n === null ? null : Math.trunc(n);
    }
    case 'DOUBLE': case 'FLOAT': case 'REAL': case 'DECIMAL': {
      const n = toNumber(v);
      return n === null ? null : type === 'FLOAT' || type === 'REAL' ? Math.fround(n) : n;
    }
    case 'BOOLEAN': return toBool(v);
    case 'TIMESTAMP': {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') {
        const ts = parseTimestamp(v, tz);
        if (ts !== null) return ts;
        const n = toNumber(v);
        return n;
      }
      return null;
    }
    case 'DATE': {
      const t = castValue(v, 'TIMESTAMP', tz);
      if (typeof t !== 'number') return null;
      const d = formatDate(t, tz);
      return parseTimestamp(d, tz);
    }
    case 'ARRAY': return Array.isArray(v) ? v : [v];
    default: return v;
  }
}

/** Druid/Java-ish rendering of a double for string contexts: integers print without a fraction only when typed BIGINT. */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n);
}

/** The string form of a value of a given SQL type (for CAST to VARCHAR and string concatenation). */
export function typedToString(v: unknown, type: SqlType, tz: string | null): string | null {
  if (v === null || v === undefined) return null;
  if (type === 'TIMESTAMP' && typeof v === 'number') return formatTimestamp(v, tz);
  if (type === 'DATE' && typeof v === 'number') return formatDate(v, tz);
  if ((type === 'DOUBLE' || type === 'FLOAT' || type === 'REAL') && typeof v === 'number') return javaDoubleString(v);
  return castValue(v, 'VARCHAR', tz) as string | null;
}

/** Java's Double.toString for common magnitudes ("1.0", "0.1", "1.0E10"). */
export function javaDoubleString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [m, e] = n.toExponential().split('e');
    const mant = m.includes('.') ? m : `${m}.0`;
    return `${mant}E${e.startsWith('+') ? e.slice(1) : e}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

/** Whether comparison operator `op` holds for a three-way comparison result `c`; null for an unknown operator. */
export function comparisonHolds(op: string, c: number): boolean | null {
  switch (op) {
    case '=': return c === 0;
    case '<>': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
  return null;
}
