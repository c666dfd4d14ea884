/**
 * ISO-8601 periods (P1Y2M3W4DT5H6M7.5S) and calendar arithmetic with them in
 * a time zone, following Joda-Time: years, months, weeks and days move the
 * local wall clock (the day of month clamps to the month's end, gaps push
 * forward); hours, minutes, seconds and millis are exact elapsed time.
 */
import { errors } from '../../common/errors.ts';
import { addMonthsLocal, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, MS_WEEK } from './civil.ts';
import type { TimeZone } from './zone.ts';
import { UTC } from './zone.ts';

/** A parsed period. Fields are integers and may be negative. */
export interface Period {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly millis: number;
}

const PERIOD_RE = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:[.,](\d{1,9}))?S)?)?$/i;

const periodCache = new Map<string, Period>();

/**
 * Parses an ISO-8601 period ("P1D", "PT15M", "P1W", "P1Y2M3DT4H5M6.5S",
 * "PT-1H"). Fractions only on seconds (to ms). Throws NemetonError
 * 'Invalid input' for anything else, including "P" and "PT".
 */
export function parsePeriod(text: string): Period {
  const hit = periodCache.get(text);
  if (hit !== undefined) return hit;
  const m = typeof text === 'string' ? PERIOD_RE.exec(text.trim()) : null;
  if (m === null || text.trim().toUpperCase().endsWith('T') || m.slice(1).every((g) => g === undefined)) {
    throw errors.invalidInput(`Invalid period [${String(text)}]: expected an ISO-8601 period such as P1D, PT1H or P1Y2M`);
  }
  const n = (g: string | undefined): number => (g === undefined ? 0 : Number(g));
  let millis = 0;
  const secText = m[7];
  if (m[8] !== undefined) {
    const frac = Number((m[8] + '00').slice(0, 3));
    millis = secText !== undefined && secText.startsWith('-') ? -frac : frac;
  }
  const p: Period = Object.freeze({
    years: n(m[1]), months: n(m[2]), weeks: n(m[3]), days: n(m[4]),
    hours: n(m[5]), minutes: n(m[6]), seconds: n(secText), millis,
  });
  if (periodCache.size > 1000) periodCache.clear();
  periodCache.set(text, p);
  return p;
}

/** ISO-8601 text of a period, Joda style ("PT0S" for the zero period). */
export function formatPeriod(p: Period): string {
  let s = 'P';
  if (p.years !== 0) s += `${p.years}Y`;
  if (p.months !== 0) s += `${p.months}M`;
  if (p.weeks !== 0) s += `${p.weeks}W`;
  if (p.days !== 0) s += `${p.days}D`;
  let t = '';
  if (p.hours !== 0) t += `${p.hours}H`;
  if (p.minutes !== 0) t += `${p.minutes}M`;
  if (p.seconds !== 0 || p.millis !== 0) {
    if (p.millis === 0) t += `${p.seconds}S`;
    else {
      const total = p.seconds * 1000 + p.millis;
      const neg = total < 0;
      const a = Math.abs(total);
      t += `${neg ? '-' : ''}${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')}S`;
    }
  }
  if (t !== '') s += `T${t}`;
  return s === 'P' ? 'PT0S' : s;
}

/** True when the period has no year/month/week/day part (its length never varies). */
export function isTimeOnlyPeriod(p: Period): boolean {
  return p.years === 0 && p.months === 0 && p.weeks === 0 && p.days === 0;
}

/** Exact length in ms of the hour/minute/second/milli part. */
export function timePartMillis(p: Period): number {
  return p.hours * MS_HOUR + p.minutes * MS_MINUTE + p.seconds * MS_SECOND + p.millis;
}

/**
 * Length in ms assuming 24-hour days, 7-day weeks; null when the period has
 * years or months (their length varies). Druid's "standard duration".
 */
export function standardMillis(p: Period): number | null {
  if (p.years !== 0 || p.months !== 0) return null;
  return p.weeks * MS_WEEK + p.days * MS_DAY + timePartMillis(p);
}

/** Number of non-zero fields (Druid calls periods with more than one "compound"). */
export function nonZeroFieldCount(p: Period): number {
  return (p.years !== 0 ? 1 : 0) + (p.months !== 0 ? 1 : 0) + (p.weeks !== 0 ? 1 : 0) + (p.days !== 0 ? 1 : 0)
    + (p.hours !== 0 ? 1 : 0) + (p.minutes !== 0 ? 1 : 0) + (p.seconds !== 0 ? 1 : 0) + (p.millis !== 0 ? 1 : 0);
}

/** Moves the local wall clock of instant t by `months` months and `days` days in zone, then back to UTC. */
export function addLocal(t: number, months: number, days: number, zone: TimeZone): number {
  if (months === 0 && days === 0) return t;
  const fixed = zone.fixedOffset;
  const off = fixed !== null ? fixed : zone.offsetAt(t);
  let local = t + off;
  if (months !== 0) local = addMonthsLocal(local, months);
  if (days !== 0) local += days * MS_DAY;
  return fixed !== null ? local - fixed : zone.localToUtc(local);
}

/**
 * t plus `scalar` times period p in zone (Joda chronology.add(period, t, scalar)).
 * Years/months/weeks/days are local calendar moves; smaller fields are exact
 * elapsed time. Used by TIME_SHIFT, load/drop-by-period rules, window periods.
 */
export function addPeriod(t: number, p: Period, zone: TimeZone = UTC, scalar = 1): number {
  let r = t;
  const months = (p.years * 12 + p.months) * scalar;
  const days = (p.weeks * 7 + p.days) * scalar;
  if (p.years !== 0 && p.months !== 0) {
    // Joda adds years then months as separate steps; clamping can differ from one combined step.
    r = addLocal(r, p.years * 12 * scalar, 0, zone);
    r = addLocal(r, p.months * scalar, 0, zone);
  } else if (months !== 0) {
    r = addLocal(r, months, 0, zone);
  }
  if (p.weeks !== 0 && p.days !== 0) {
    r = addLocal(r, 0, p.weeks * 7 * scalar, zone);
    r = addLocal(r, 0, p.days * scalar, zone);
  } else if (days !== 0) {
    r = addLocal(r, 0, days, zone);
  }
  return r + timePartMillis(p) * scalar;
}

/** t minus `scalar` times p: addPeriod(t, p, zone, -scalar). */
export function subtractPeriod(t: number, p: Period, zone: TimeZone = UTC, scalar = 1): number {
  return addPeriod(t, p, zone, -scalar);
}
