/**
 * Field extraction and TIME_FLOOR / TIME_CEIL / TIME_SHIFT semantics, for SQL
 * (TIME_EXTRACT, EXTRACT, FLOOR(t TO unit)) and native expressions
 * (timestamp_extract, timestamp_floor, timestamp_ceil, timestamp_shift).
 */
import { errors } from '../../common/errors.ts';
import { civilFromDays, daysFromCivil, isoDayOfWeek, MS_DAY } from './civil.ts';
import type { Granularity } from './granularity.ts';
import { periodGranularity } from './parse-granularity.ts';
import { addPeriod, parsePeriod } from './period.ts';
import type { TimeZone } from './zone.ts';
import { getTimeZone, UTC } from './zone.ts';

/** Units of TIME_EXTRACT / EXTRACT / timestamp_extract. */
export type TimeUnit =
  | 'EPOCH' | 'MICROSECOND' | 'MILLISECOND' | 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'DOW' | 'ISODOW' | 'DOY'
  | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR' | 'ISOYEAR' | 'DECADE' | 'CENTURY' | 'MILLENNIUM';

const UNITS: ReadonlySet<string> = new Set([
  'EPOCH', 'MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'DOW', 'ISODOW', 'DOY',
  'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR', 'DECADE', 'CENTURY', 'MILLENNIUM',
]);

/** Validates a unit name (any case). Throws 'Invalid input' for unknown units. */
export function parseTimeUnit(name: string): TimeUnit {
  const u = name.toUpperCase();
  if (!UNITS.has(u)) throw errors.invalidInput(`Invalid time unit [${name}]: expected one of ${[...UNITS].join(', ')}`);
  return u as TimeUnit;
}

const civil = new Int32Array(3);

/**
 * The value of `unit` for instant t in zone (Druid timestamp_extract):
 * EPOCH seconds (truncated), MICROSECOND = millis-of-second * 1000,
 * MILLISECOND = millis-of-second, DOW/ISODOW Monday=1..Sunday=7, WEEK ISO
 * week, ISOYEAR ISO week-year, DECADE = year / 10, CENTURY = year / 100 + 1,
 * MILLENNIUM = ceil(year / 1000).
 */
export function extractField(t: number, unit: TimeUnit, zone: TimeZone = UTC): number {
  if (unit === 'EPOCH') return Math.trunc(t / 1000);
  const off = zone.fixedOffset ?? zone.offsetAt(t);
  const local = t + off;
  const days = Math.floor(local / MS_DAY);
  const tod = local - days * MS_DAY;
  switch (unit) {
    case 'MICROSECOND': return (tod % 1000) * 1000;
    case 'MILLISECOND': return tod % 1000;
    case 'SECOND': return Math.floor(tod / 1000) % 60;
    case 'MINUTE': return Math.floor(tod / 60000) % 60;
    case 'HOUR': return Math.floor(tod / 3600000);
    case 'DOW': case 'ISODOW': return isoDayOfWeek(days);
    case 'WEEK': case 'ISOYEAR': {
      const thursday = days - isoDayOfWeek(days) + 4;
      civilFromDays(thursday, civil);
      if (unit === 'ISOYEAR') return civil[0];
      return Math.floor((thursday - daysFromCivil(civil[0], 1, 1)) / 7) + 1;
    }
    default: break;
  }
  civilFromDays(days, civil);
  const y = civil[0];
  switch (unit) {
    case 'DAY': return civil[2];
    case 'DOY': return days - daysFromCivil(y, 1, 1) + 1;
    case 'MONTH': return civil[1];
    case 'QUARTER': return Math.floor((civil[1] - 1) / 3) + 1;
    case 'YEAR': return y;
    case 'DECADE': return Math.trunc(y / 10);
    case 'CENTURY': return Math.trunc(y / 100) + 1;
    case 'MILLENNIUM': return Math.ceil(y / 1000);
    default: throw errors.invalidInput(`Invalid time unit [${String(unit)}]`);
  }
}

function toZone(zone: TimeZone | string | null | undefined): TimeZone {
  return zone === undefined || zone === null || typeof zone === 'string' ? getTimeZone(zone ?? null) : zone;
}

const granularityCache = new Map<string, Granularity>();

/**
 * The granularity behind TIME_FLOOR(t, period, origin, zone), cached per
 * (period, origin, zone). Hot callers fetch it once and call bucketStart.
 */
export function timeFloorGranularity(period: string, origin?: number | null, zone?: TimeZone | string | null): Granularity {
  const z = toZone(zone);
  const key = `${period}|${origin ?? ''}|${z.id}`;
  let g = granularityCache.get(key);
  if (g === undefined) {
    g = periodGranularity(period, z, origin ?? undefined);
    if (granularityCache.size > 256) granularityCache.clear();
    granularityCache.set(key, g);
  }
  return g;
}

/** TIME_FLOOR(t, period[, origin[, zone]]): start of t's period bucket. */
export function timeFloor(t: number, period: string, origin?: number | null, zone?: TimeZone | string | null): number {
  return timeFloorGranularity(period, origin, zone).bucketStart(t);
}

/** TIME_CEIL: t itself when on a bucket boundary, else the next bucket start (Druid timestamp_ceil). */
export function timeCeil(t: number, period: string, origin?: number | null, zone?: TimeZone | string | null): number {
  const g = timeFloorGranularity(period, origin, zone);
  const s = g.bucketStart(t);
  return s === t ? t : g.next(s);
}

/** TIME_SHIFT(t, period, step[, zone]): t moved by step periods with calendar semantics in zone. */
export function timeShift(t: number, period: string, step: number, zone?: TimeZone | string | null): number {
  if (!Number.isInteger(step)) throw errors.invalidInput(`Invalid TIME_SHIFT step [${step}]: expected an integer`);
  return addPeriod(t, parsePeriod(period), toZone(zone), step);
}
