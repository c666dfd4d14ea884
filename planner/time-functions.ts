/**
 * Calendar arithmetic for SQL time functions evaluated on the broker
 * (TIME_FLOOR, TIME_SHIFT, EXTRACT, TIME_FORMAT, TIME_PARSE, timestamp
 * literals). Times are epoch milliseconds; zones are IANA names.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { errors } from '../common/errors.ts';
import { PeriodGranularity } from '../storage/time/period-granularity.ts';
import { addPeriod, nonZeroFieldCount, parsePeriod as parseStoragePeriod } from '../storage/time/period.ts';
import { getTimeZone } from '../storage/time/zone.ts';

export interface Period {
  readonly years: number; readonly months: number; readonly weeks: number; readonly days: number;
  readonly hours: number; readonly minutes: number; readonly seconds: number; readonly millis: number;
}

const PERIOD_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,3}))?S)?)?$/;
const periodCache = new Map<string, Period>();

/** Parses an ISO-8601 period (P1D, PT15M, P3M, P1W...). Throws invalidInput for anything else. */
export function parsePeriod(text: string): Period {
  const hit = periodCache.get(text);
  if (hit) return hit;
  const m = PERIOD_RE.exec(text.toUpperCase());
  if (!m || text.length < 2 || text.toUpperCase() === 'PT') throw errors.invalidInput(`Invalid period [${text}]`);
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const p: Period = {
    years: n(m[1]), months: n(m[2]), weeks: n(m[3]), days: n(m[4]), hours: n(m[5]), minutes: n(m[6]), seconds: n(m[7]),
    millis: m[8] === undefined ? 0 : Number(m[8].padEnd(3, '0')),
  };
  periodCache.set(text, p);
  return p;
}

/** Validates a time zone name; returns a luxon zone. */
export function zoneOf(tz: string | null | undefined) {
  if (tz === null || tz === undefined || tz === 'UTC' || tz === 'Z' || tz === 'Etc/UTC') return FixedOffsetZone.utcInstance;
  if (/^[+-]\d{2}:?\d{2}$/.test(tz)) {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.replace(/[^0-9]/g, '');
    return FixedOffsetZone.instance(sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))));
  }
  const z = IANAZone.create(tz);
  if (!z.isValid) throw errors.invalidInput(`Invalid time zone [${tz}]`);
  return z;
}

const floorGranularities = new Map<string, PeriodGranularity>();

/**
 * Druid TIME_FLOOR: start of the period bucket holding t, by the same
 * PeriodGranularity rules the native engine uses (single units floor the local
 * wall clock; multiples count from the origin, by default 1970-01-01T00:00 in
 * the zone, so broker and native plans agree).
 */
export function periodFloor(t: number, period: string, origin: number | null, tz: string | null): number {
  const key = `${period}\u0000${origin ?? ''}\u0000${tz ?? ''}`;
  let g = floorGranularities.get(key);
  if (g === undefined) {
    const p = parseStoragePeriod(period);
    if (p.years < 0 || p.months < 0 || p.weeks < 0 || p.days < 0 || p.hours < 0 || p.minutes < 0 || p.seconds < 0 || p.millis < 0 || nonZeroFieldCount(p) === 0) {
      throw errors.invalidInput(`Invalid period [${period}]`);
    }
    g = new PeriodGranularity(p, getTimeZone(tz), origin ?? undefined);
    if (floorGranularities.size > 1000) floorGranularities.clear();
    floorGranularities.set(key, g);
  }
  return g.bucketStart(t);
}

/** Druid TIME_SHIFT: t moved by `step` periods (calendar-aware in the zone). */
export function periodShift(t: number, period: string, step: number, tz: string | null): number {
  // Integer steps: the native engine's Joda-compatible calendar arithmetic (no per-call date objects).
  if (Number.isInteger(step)) return addPeriod(t, parseStoragePeriod(period), getTimeZone(tz), step);
  const p = parsePeriod(period);
  const dt = DateTime.fromMillis(t, { zone: zoneOf(tz) });
  return dt.plus({
    years: p.years * step, months: p.months * step, weeks: p.weeks * step, days: p.days * step,
    hours: p.hours * step, minutes: p.minutes * step, seconds: p.seconds * step, milliseconds: p.millis * step,
  }).toMillis();
}

/** SQL unit names to ISO periods for FLOOR(x TO unit) / DATE_TRUNC. */
export const UNIT_PERIOD: Readonly<Record<string, string>> = {
  MILLISECOND: 'PT0.001S', SECOND: 'PT1S', MINUTE: 'PT1M', HOUR: 'PT1H', DAY: 'P1D', WEEK: 'P1W', MONTH: 'P1M',
  QUARTER: 'P3M', YEAR: 'P1Y', DECADE: 'P10Y', CENTURY: 'P100Y', MILLENNIUM: 'P1000Y',
};

/** EXTRACT / TIME_EXTRACT of a unit. */
export function extractUnit(t: number, unit: string, tz: string | null): number {
  if (unit === 'EPOCH') return Math.floor(t / 1000);
  const dt = DateTime.fromMillis(t, { zone: zoneOf(tz) });
  switch (unit) {
    case 'MILLISECOND': return dt.second * 1000 + dt.millisecond;
    case 'MICROSECOND': return (dt.second * 1000 + dt.millisecond) * 1000;
    case 'SECOND': return dt.second;
    case 'MINUTE': return dt.minute;
    case 'HOUR': return dt.hour;
    case 'DAY': return dt.day;
    case 'DOW': return dt.weekday; // Druid: ISO day of week, Monday = 1
    case 'ISODOW': return dt.weekday;
    case 'DOY': return dt.ordinal;
    case 'WEEK': return dt.weekNumber;
    case 'MONTH': return dt.month;
    case 'QUARTER': return dt.quarter;
    case 'YEAR': return dt.year;
    case 'ISOYEAR': return dt.weekYear;
    case 'DECADE': return Math.floor(dt.year / 10);
    case 'CENTURY': return Math.ceil(dt.year / 100);
    case 'MILLENNIUM': return Math.ceil(dt.year / 1000);
    default: throw errors.invalidInput(`Cannot extract [${unit}]`);
  }
}

/**
 * Parses a SQL timestamp string ('2000-01-01', '2000-01-01 12:34:56.789',
 * ISO with T/Z) in the zone. Returns null when it is not a timestamp.
 */
export function parseTimestamp(text: string, tz: string | null): number | null {
  let s = text.trim();
  if (/^-?\d{4}$/.test(s)) s += '-01-01';
  else if (/^-?\d{4}-\d{1,2}$/.test(s)) s += '-01';
  const m = /^(-?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const zone = m[8] ? zoneOf(m[8] === 'Z' ? 'UTC' : m[8]) : zoneOf(tz);
  const dt = DateTime.fromObject({
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0), millisecond: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
  }, { zone });
  return dt.isValid ? dt.toMillis() : null;
}

/** Formats epoch ms as Druid SQL's string form of a TIMESTAMP ('2000-01-01 00:00:00'). */
export function formatTimestamp(t: number, tz: string | null): string {
  const dt = DateTime.fromMillis(t, { zone: zoneOf(tz) });
  const base = dt.toFormat('yyyy-MM-dd HH:mm:ss');
  return dt.millisecond === 0 ? base : `${base}.${String(dt.millisecond).padStart(3, '0')}`;
}

/** Formats epoch ms as a DATE string ('2000-01-01'). */
export function formatDate(t: number, tz: string | null): string {
  return DateTime.fromMillis(t, { zone: zoneOf(tz) }).toFormat('yyyy-MM-dd');
}

/** TIME_FORMAT with a Joda pattern (luxon's tokens are close enough for common patterns); null pattern: ISO. */
export function formatJoda(t: number, pattern: string | null, tz: string | null): string {
  const dt = DateTime.fromMillis(t, { zone: zoneOf(tz) });
  if (pattern === null) return dt.toISO({ suppressMilliseconds: false, includeOffset: true })!.replace('+00:00', 'Z');
  return dt.toFormat(jodaToLuxon(pattern));
}

/** TIME_PARSE with an optional Joda pattern; null when unparseable. */
export function parseJoda(text: string, pattern: string | null, tz: string | null): number | null {
  if (pattern === null) {
    const direct = parseTimestamp(text, tz);
    if (direct !== null) return direct;
    const iso = DateTime.fromISO(text, { zone: zoneOf(tz) });
    return iso.isValid ? iso.toMillis() : null;
  }
  const dt = DateTime.fromFormat(text, jodaToLuxon(pattern), { zone: zoneOf(tz) });
  return dt.isValid ? dt.toMillis() : null;
}

function jodaToLuxon(p: string): string {
  // Joda and luxon agree on yyyy MM dd HH mm ss SSS; differences: Joda 'Z' offset, 'EEE' day name.
  return p.replace(/Z+/g, 'ZZ').replace(/E{4,}/g, 'cccc').replace(/E{1,3}/g, 'ccc');
}
