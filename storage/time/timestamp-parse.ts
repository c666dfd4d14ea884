/**
 * Timestamp parsing for ingestion (timestampSpec formats) and SQL (TIME_PARSE,
 * TIMESTAMP literals). Every parser returns epoch ms or null for input it
 * cannot read; callers decide whether null is an error or a skipped row.
 */
import { errors } from '../../common/errors.ts';
import { parseIsoTimestamp } from './iso-parse.ts';
import { getParser } from './joda-pattern.ts';
import type { TimeZone } from './zone.ts';
import { getTimeZone, UTC } from './zone.ts';

/** A compiled timestampSpec format: raw field value -> epoch ms or null. */
export type TimestampParser = (value: unknown) => number | null;

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    return Number(s);
  }
  return null;
}

function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function stripQuotes(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' ? t.slice(1, -1) : t;
}

/**
 * Druid "auto": numbers and all-digit strings are epoch millis; other strings
 * are ISO-8601 with 'T' or ' ' between date and time, optionally followed by
 * " <zone id>" ("2000-01-01 10:00:00 America/New_York").
 */
export function parseAutoTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return null;
  const s = stripQuotes(value);
  if (isAllDigits(s)) return Number(s);
  const direct = parseIsoTimestamp(s, { allowSpace: true });
  if (direct !== null) return direct;
  const sp = s.lastIndexOf(' ');
  if (sp > 0) {
    let zone: TimeZone;
    try {
      zone = getTimeZone(s.slice(sp + 1));
    } catch {
      return null;
    }
    return parseIsoTimestamp(s.slice(0, sp), { allowSpace: true, zone });
  }
  return null;
}

/**
 * Compiles a timestampSpec `format`: "auto" (default), "iso", "millis",
 * "posix" (seconds), "micro", "nano", "ruby" (fractional seconds), or a
 * Joda pattern. Pattern text without an offset is read in `zone` (UTC).
 * Throws 'Invalid input' for a bad pattern.
 */
export function timestampParser(format: string | null | undefined, zone: TimeZone = UTC): TimestampParser {
  const f = format === null || format === undefined || format === '' ? 'auto' : format;
  switch (f.toLowerCase()) {
    case 'auto':
      return parseAutoTimestamp;
    case 'iso':
      return (v) => (typeof v === 'string' ? parseIsoTimestamp(stripQuotes(v), { zone }) : null);
    case 'millis':
      return (v) => {
        const n = toNumber(v);
        return n === null ? null : Math.trunc(n);
      };
    case 'posix':
      return (v) => {
        const n = toNumber(v);
        return n === null ? null : Math.trunc(n) * 1000;
      };
    case 'ruby':
      return (v) => {
        const n = toNumber(v);
        return n === null ? null : Math.trunc(n * 1000);
      };
    case 'micro':
      return (v) => {
        if (typeof v === 'bigint') return Number(v / 1000n);
        const n = toNumber(v);
        return n === null ? null : Math.floor(n / 1000);
      };
    case 'nano':
      return (v) => {
        if (typeof v === 'bigint') return Number(v / 1000000n);
        if (typeof v === 'string' && /^-?\d{16,}$/.test(v.trim())) return Number(BigInt(v.trim()) / 1000000n);
        const n = toNumber(v);
        return n === null ? null : Math.floor(n / 1e6);
      };
    default: {
      const p = getParser(f, zone);
      return (v) => (typeof v === 'string' ? p(stripQuotes(v)) : typeof v === 'number' ? p(String(v)) : null);
    }
  }
}

/**
 * SQL TIME_PARSE(text, pattern, zone): with no pattern, ISO-8601 (date, 'T'
 * or ' ', optional offset) read in `zone`; with a pattern, Joda parsing.
 * null for unparseable text (as Druid). Throws 'Invalid input' for a bad pattern or zone.
 */
export function timeParse(text: string, pattern?: string | null, zone: TimeZone | string | null = UTC): number | null {
  const z = typeof zone === 'string' || zone === null ? getTimeZone(zone) : zone;
  if (pattern === undefined || pattern === null) return parseIsoTimestamp(text.trim(), { zone: z, allowSpace: true });
  return getParser(pattern, z)(text);
}

/**
 * SQL TIMESTAMP literal text ("2000-01-01 00:00:00", "2000-01-01 00:00:00.123",
 * "2000-01-01", "2000-01-01T00:00:00Z") in zone (the session's sqlTimeZone).
 * Throws 'Invalid input' when the text is not a timestamp.
 */
export function parseSqlTimestampLiteral(text: string, zone: TimeZone = UTC): number {
  const t = parseIsoTimestamp(text.trim(), { zone, allowSpace: true });
  if (t === null) throw errors.invalidInput(`Illegal TIMESTAMP literal '${text}': expected yyyy-MM-dd HH:mm:ss[.SSS]`);
  return t;
}

/** SQL DATE literal text ("2000-01-01") as the instant of local midnight in zone. Throws 'Invalid input' otherwise. */
export function parseSqlDateLiteral(text: string, zone: TimeZone = UTC): number {
  const s = text.trim();
  const t = /^[+-]?\d{1,9}-\d{1,2}-\d{1,2}$/.test(s) ? parseIsoTimestamp(s, { zone }) : null;
  if (t === null) throw errors.invalidInput(`Illegal DATE literal '${text}': expected yyyy-MM-dd`);
  return t;
}
