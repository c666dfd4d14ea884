/**
 * PostgreSQL text format for values: output (engine value -> text a client parses)
 * and input (parameter text -> engine value). Engine values follow planner/sql-engine.ts:
 * numbers, bigints, strings, booleans, null, arrays; TIMESTAMP and DATE as epoch milliseconds.
 */
import { NemetonError } from '../../common/errors.ts';
import type { SqlType } from '../../planner/sql-engine.ts';
import { Oid, elementOid } from './type-oids.ts';

/** Converts a non-null value to its text form for a column of the given OID. */
export type TextEncoder = (value: unknown) => string;

function invalidText(type: string, text: string): NemetonError {
  return new NemetonError(`invalid input syntax for type ${type}: "${text}"`, { code: 'Invalid input', sqlState: '22P02' });
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC) for epoch milliseconds, PostgreSQL's ISO DateStyle. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new NemetonError(`timestamp out of range: ${ms}`, { code: 'Invalid input', sqlState: '22008' });
  let s = `${formatDateOnly(d)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const frac = d.getUTCMilliseconds();
  if (frac !== 0) s += '.' + pad(frac, 3).replace(/0+$/, '');
  return s;
}

function formatDateOnly(d: Date): string {
  const y = d.getUTCFullYear();
  const year = y > 0 ? pad(y, 4) : pad(1 - y, 4);
  const s = `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  return y > 0 ? s : s + ' BC';
}

/** 'YYYY-MM-DD' (UTC) for epoch milliseconds. */
export function formatDate(ms: number): string {
  return formatDateOnly(new Date(ms));
}

/** float8 text: shortest round-trip digits, PostgreSQL spellings of the special values. */
export function formatFloat8(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** float4 text: the shortest decimal that reads back to the same 32-bit float. */
export function formatFloat4(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0) return formatFloat8(f);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/** A decimal number without exponent notation, as PostgreSQL prints numeric. */
export function formatNumeric(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  const n = Number(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return expandExponent(s);
}

function expandExponent(s: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const [, sign, lead, rest = '', expText] = m;
  const digits = lead + rest;
  const exp = Number(expText);
  const pointAt = 1 + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function toMillis(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  return parseTimestamp(String(v));
}

function boolText(v: unknown): string {
  if (typeof v === 'string') return parseBool(v) ? 't' : 'f';
  return v ? 't' : 'f';
}

function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return '\\x' + Buffer.from(v).toString('hex');
  return JSON.stringify(v);
}

function intText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.trunc(v));
  return String(v);
}

/** The text encoder for values of a column with the given OID. */
export function textEncoderFor(oid: number): TextEncoder {
  switch (oid) {
    case Oid.bool: return boolText;
    case Oid.int2: case Oid.int4: case Oid.int8: case Oid.oid: return intText;
    case Oid.float8: return (v) => (typeof v === 'number' ? formatFloat8(v) : String(v));
    case Oid.float4: return (v) => (typeof v === 'number' ? formatFloat4(v) : String(v));
    case Oid.numeric: return formatNumeric;
    case Oid.timestamp: return (v) => (typeof v === 'string' ? v : formatTimestamp(toMillis(v)));
    case Oid.timestamptz: return (v) => (typeof v === 'string' ? v : formatTimestamp(toMillis(v)) + '+00');
    case Oid.date: return (v) => (typeof v === 'string' ? v : formatDate(toMillis(v)));
    default: {
      const el = elementOid(oid);
      if (el !== undefined) return arrayTextEncoder(textEncoderFor(el));
      return plainText;
    }
  }
}

function quoteArrayElement(s: string): string {
  if (s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL') {
    return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  }
  return s;
}

function arrayTextEncoder(element: TextEncoder): TextEncoder {
  const encode = (v: unknown): string => {
    if (!Array.isArray(v)) return typeof v === 'string' && v.startsWith('{') ? v : `{${quoteArrayElement(element(v))}}`;
    const parts = new Array<string>(v.length);
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (e === null || e === undefined) parts[i] = 'NULL';
      else if (Array.isArray(e)) parts[i] = encode(e);
      else parts[i] = quoteArrayElement(element(e));
    }
    return `{${parts.join(',')}}`;
  };
  return encode;
}

/** PostgreSQL boolean input spellings. */
export function parseBool(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (t === 't' || t === 'true' || t === 'y' || t === 'yes' || t === 'on' || t === '1') return true;
  if (t === 'f' || t === 'false' || t === 'n' || t === 'no' || t === 'off' || t === '0') return false;
  throw invalidText('boolean', s);
}

const timestampPattern =
  /^\s*(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i;

/** Parses an ISO-style timestamp or date literal (UTC unless an offset is given) to epoch milliseconds. */
export function parseTimestamp(s: string): number {
  const m = timestampPattern.exec(s);
  if (!m) {
    if (/^\s*-?\d+\s*$/.test(s)) return Number(s);
    throw invalidText('timestamp', s);
  }
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  ms += Math.floor(Number((frac + '000').slice(0, 3)));
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
    if (z) {
      const offset = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
      ms -= z[1] === '+' ? offset : -offset;
    }
  }
  if (Number.isNaN(ms)) throw invalidText('timestamp', s);
  return ms;
}

function parseInteger(s: string, type: string, bits: 16 | 32 | 64): number | bigint {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) throw invalidText(type, s);
  const big = BigInt(t);
  const limit = 1n << BigInt(bits - 1);
  if (big < -limit || big >= limit) {
    throw new NemetonError(`value "${s}" is out of range for type ${type}`, { code: 'Invalid input', sqlState: '22003' });
  }
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function parseFloatText(s: string, type: string): number {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf') return Infinity;
  if (lower === '-infinity' || lower === '-inf') return -Infinity;
  const n = Number(t);
  if (t === '' || Number.isNaN(n)) throw invalidText(type, s);
  return n;
}

/** Converts parameter text to the engine value for a SQL type (VARCHAR/OTHER stay strings). */
export function parseTextValue(type: SqlType, s: string, elementType?: SqlType): unknown {
  switch (type) {
    case 'BOOLEAN': return parseBool(s);
    case 'SMALLINT': return parseInteger(s, 'smallint', 16);
    case 'INTEGER': return parseInteger(s, 'integer', 32);
    case 'BIGINT': return parseInteger(s, 'bigint', 64);
    case 'DOUBLE': return parseFloatText(s, 'double precision');
    case 'FLOAT': case 'REAL': return parseFloatText(s, 'real');
    case 'DECIMAL': return parseFloatText(s, 'numeric');
    case 'TIMESTAMP': return parseTimestamp(s);
    case 'DATE': return parseTimestamp(s);
    case 'ARRAY': return parseArrayText(s).map((e) => (e === null ? null : parseTextValue(elementType ?? 'VARCHAR', e)));
    default: return s;
  }
}

/** Parses a one-dimensional array literal '{a,"b c",NULL}' into element texts (null for NULL). */
export function parseArrayText(s: string): (string | null)[] {
  const t = s.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) throw invalidText('array', s);
  const out: (string | null)[] = [];
  let i = 1;
  const end = t.length - 1;
  if (t.slice(1, end).trim() === '') return out;
  while (i <= end) {
    while (i < end && t[i] === ' ') i++;
    let value = '';
    let quoted = false;
    if (t[i] === '"') {
      quoted = true;
      i++;
      while (i < end && t[i] !== '"') {
        if (t[i] === '\\') i++;
        value += t[i++];
      }
      if (t[i] !== '"') throw invalidText('array', s);
      i++;
    } else {
      while (i < end && t[i] !== ',') {
        if (t[i] === '\\') i++;
        value += t[i++];
      }
      value = value.trim();
      if (t[i] === '{' || value.includes('{')) throw invalidText('array', s);
    }
    while (i < end && t[i] === ' ') i++;
    out.push(!quoted && value.toUpperCase() === 'NULL' ? null : value);
    if (i < end && t[i] !== ',') throw invalidText('array', s);
    i++;
  }
  return out;
}
