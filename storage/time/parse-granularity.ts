/**
 * Turns a native-query granularity spec (query/model/granularity-spec.ts) into
 * a Granularity: simple names, {type:'period'} with zone and origin, and
 * {type:'duration'}. Bad specs throw NemetonError 'Invalid input'.
 */
import { errors } from '../../common/errors.ts';
import type { SimpleGranularity } from '../schema.ts';
import { DurationGranularity } from './duration-granularity.ts';
import type { Granularity } from './granularity.ts';
import { simpleGranularity } from './granularity.ts';
import { parseIsoTimestamp } from './iso-parse.ts';
import { parsePeriod, type Period } from './period.ts';
import { PeriodGranularity } from './period-granularity.ts';
import { getTimeZone, UTC, type TimeZone } from './zone.ts';

/** The spec shapes accepted (structurally the same as query/model's GranularitySpec). */
export type GranularitySpecInput =
  | string
  | { readonly type: string; readonly period?: string; readonly timeZone?: string | null; readonly origin?: string | number | null; readonly duration?: number };

const SIMPLE_NAMES: ReadonlySet<string> = new Set([
  'all', 'none', 'second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute', 'thirty_minute',
  'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year',
]);

/** True when `name` (any case) is one of Druid's simple granularity names. */
export function isSimpleGranularityName(name: string): boolean {
  return SIMPLE_NAMES.has(name.toLowerCase());
}

/** Parses an origin given as ISO text (no offset means UTC) or epoch ms. */
export function parseOrigin(origin: string | number, zone: TimeZone = UTC): number {
  if (typeof origin === 'number') {
    if (!Number.isFinite(origin)) throw errors.invalidInput(`Invalid origin [${origin}]`);
    return origin;
  }
  const t = parseIsoTimestamp(origin, { zone, allowSpace: true });
  if (t === null) throw errors.invalidInput(`Invalid origin [${origin}]: expected an ISO-8601 timestamp`);
  return t;
}

/**
 * A period granularity: `period` ISO text or parsed; `zone` id or TimeZone
 * (default UTC); `origin` epoch ms (default 1970-01-01T00:00 local).
 * Throws 'Invalid input' for zero or negative periods and unknown zones.
 */
export function periodGranularity(period: string | Period, zone: TimeZone | string | null = UTC, origin?: number | null): PeriodGranularity {
  const p = typeof period === 'string' ? parsePeriod(period) : period;
  const fields = [p.years, p.months, p.weeks, p.days, p.hours, p.minutes, p.seconds, p.millis];
  if (fields.every((v) => v === 0)) throw errors.invalidInput(`Invalid period [${typeof period === 'string' ? period : 'PT0S'}]: zero period is not acceptable`);
  if (fields.some((v) => v < 0)) throw errors.invalidInput(`Invalid period [${typeof period === 'string' ? period : '?'}]: negative periods are not acceptable`);
  const z = typeof zone === 'string' || zone === null ? getTimeZone(zone) : zone;
  return new PeriodGranularity(p, z, origin === null ? undefined : origin);
}

/**
 * Parses a granularity spec: "day" / "FIFTEEN_MINUTE" (case-insensitive),
 * {type:'all'|'none'}, {type:'period', period, timeZone?, origin?},
 * {type:'duration', duration, origin?}. Throws 'Invalid input' otherwise.
 */
export function parseGranularity(spec: GranularitySpecInput): Granularity {
  if (typeof spec === 'string') {
    const name = spec.toLowerCase();
    if (!SIMPLE_NAMES.has(name)) throw errors.invalidInput(`Unknown granularity [${spec}]`);
    return simpleGranularity(name as SimpleGranularity);
  }
  if (spec === null || typeof spec !== 'object' || typeof spec.type !== 'string') {
    throw errors.invalidInput('Invalid granularity: expected a name or an object with a type');
  }
  const type = spec.type.toLowerCase();
  if (type === 'all' || type === 'none') return simpleGranularity(type);
  if (type === 'period') {
    if (typeof spec.period !== 'string') throw errors.invalidInput('Invalid period granularity: missing period');
    const zone = getTimeZone(spec.timeZone ?? null);
    const origin = spec.origin === undefined || spec.origin === null ? undefined : parseOrigin(spec.origin);
    const g = periodGranularity(spec.period, zone, origin);
    return typeof spec.origin === 'string' ? new PeriodGranularity(g.period, zone, origin, spec.origin) : g;
  }
  if (type === 'duration') {
    const d = spec.duration;
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
      throw errors.invalidInput(`Invalid duration granularity: duration must be a positive integer of ms, got [${String(d)}]`);
    }
    const origin = spec.origin === undefined || spec.origin === null ? 0 : parseOrigin(spec.origin);
    return new DurationGranularity(d, origin);
  }
  if (SIMPLE_NAMES.has(type)) return simpleGranularity(type as SimpleGranularity);
  throw errors.invalidInput(`Unknown granularity type [${spec.type}]`);
}
