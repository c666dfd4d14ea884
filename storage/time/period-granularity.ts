/**
 * Druid's period granularity: buckets of an ISO-8601 period in a time zone,
 * aligned to an origin. Follows Druid's PeriodGranularity rules:
 *  - a single-unit period without origin (P1D, PT1H, P1M...) floors the local
 *    wall clock to that unit (weeks start on Monday);
 *  - a multiple (PT6H, P2D, P3M) or any period with an origin counts whole
 *    units from the origin (default origin: 1970-01-01T00:00 local time);
 *    years/months/weeks/days count on the local calendar, hours and smaller
 *    count elapsed time;
 *  - compound periods (PT1H30M, P1M15D) step from the origin.
 */
import type { Granularity } from './granularity.ts';
import { civilFromDays, isoDayOfWeek, monthsBetweenLocal, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND } from './civil.ts';
import { addPeriod, formatPeriod, nonZeroFieldCount, type Period } from './period.ts';
import type { TimeZone } from './zone.ts';
import { UTC } from './zone.ts';

type Unit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'milli' | 'compound';

const scratch = new Int32Array(3);

function unitOf(p: Period): { unit: Unit; n: number } {
  if (nonZeroFieldCount(p) !== 1) return { unit: 'compound', n: 0 };
  if (p.years !== 0) return { unit: 'year', n: p.years };
  if (p.months !== 0) return { unit: 'month', n: p.months };
  if (p.weeks !== 0) return { unit: 'week', n: p.weeks };
  if (p.days !== 0) return { unit: 'day', n: p.days };
  if (p.hours !== 0) return { unit: 'hour', n: p.hours };
  if (p.minutes !== 0) return { unit: 'minute', n: p.minutes };
  if (p.seconds !== 0) return { unit: 'second', n: p.seconds };
  return { unit: 'milli', n: p.millis };
}

const PRECISE: Partial<Record<Unit, number>> = { hour: MS_HOUR, minute: MS_MINUTE, second: MS_SECOND, milli: 1 };

/** Java-style truncating remainder. */
function trunc(x: number): number {
  return x < 0 ? Math.ceil(x) : Math.floor(x);
}

export class PeriodGranularity implements Granularity {
  readonly kind = 'period' as const;
  readonly unit: Unit;
  readonly n: number;
  /** Origin instant (epoch ms). */
  readonly origin: number;

  /**
   * @param period a non-zero, non-negative period
   * @param zone bucket zone (UTC by default)
   * @param origin explicit origin instant, or undefined for 1970-01-01T00:00 local
   * @param originText the origin as the user wrote it, echoed by toJSON
   */
  constructor(
    readonly period: Period,
    readonly zone: TimeZone = UTC,
    origin?: number,
    private readonly originText?: string,
  ) {
    const u = unitOf(period);
    this.unit = u.unit;
    this.n = u.n;
    this.hasOrigin = origin !== undefined;
    this.origin = origin !== undefined ? origin : zone.localToUtc(0);
  }

  readonly hasOrigin: boolean;

  bucketStart(t: number): number {
    const unit = this.unit;
    if (unit === 'compound') return this.compoundStart(t);
    const n = this.n;
    const precise = PRECISE[unit];
    if (precise !== undefined) {
      if (n > 1 || this.hasOrigin) {
        const size = n * precise;
        const tt = this.origin + trunc((t - this.origin) / size) * size;
        return t < tt ? tt - size : tt;
      }
      if (unit === 'milli') return t;
      return this.floorLocalPrecise(t, precise);
    }
    if (n > 1 || this.hasOrigin) return this.countFromOrigin(t);
    return this.floorLocalCalendar(t);
  }

  next(start: number): number {
    const stepped = addPeriod(start, this.period, this.zone, 1);
    const b = this.bucketStart(stepped);
    return b > start ? b : stepped;
  }

  /** Floors to a local hour/minute/second, preferring t's own offset (Joda roundFloor + set). */
  private floorLocalPrecise(t: number, size: number): number {
    const zone = this.zone;
    const fixed = zone.fixedOffset;
    if (fixed !== null) return Math.floor((t + fixed) / size) * size - fixed;
    const off = zone.offsetAt(t);
    const local = Math.floor((t + off) / size) * size;
    return zone.localToUtc(local, off);
  }

  /** Floors to local year/month/week/day start. */
  private floorLocalCalendar(t: number): number {
    const zone = this.zone;
    const fixed = zone.fixedOffset;
    const off = fixed !== null ? fixed : zone.offsetAt(t);
    const local = t + off;
    const days = Math.floor(local / MS_DAY);
    let startDays: number;
    switch (this.unit) {
      case 'day': startDays = days; break;
      case 'week': startDays = days - (isoDayOfWeek(days) - 1); break;
      case 'month': civilFromDays(days, scratch); startDays = days - (scratch[2] - 1); break;
      default: {
        civilFromDays(days, scratch);
        const y = scratch[0];
        startDays = days - dayOfYearIndex(y, scratch[1], scratch[2]);
        break;
      }
    }
    const startLocal = startDays * MS_DAY;
    return fixed !== null ? startLocal - fixed : zone.localToUtc(startLocal, off);
  }

  /** Whole units (local calendar) from the origin, floored to a multiple of n. */
  private countFromOrigin(t: number): number {
    const zone = this.zone;
    const n = this.n;
    const offT = zone.offsetAt(t);
    const offO = zone.offsetAt(this.origin);
    const localT = t + offT;
    const localO = this.origin + offO;
    let diff: number;
    const unit = this.unit;
    if (unit === 'year' || unit === 'month') {
      const months = monthsBetweenLocal(localT, localO);
      diff = unit === 'year' ? trunc(months / 12) : months;
    } else {
      const size = unit === 'week' ? 7 * MS_DAY : MS_DAY;
      diff = trunc((localT - localO) / size);
    }
    diff -= diff % n;
    const tt = this.addUnits(this.origin, diff);
    return t < tt ? this.addUnits(tt, -n) : tt;
  }

  private addUnits(t: number, k: number): number {
    switch (this.unit) {
      case 'year': return addPeriod(t, { years: k, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, millis: 0 }, this.zone);
      case 'month': return addPeriod(t, { years: 0, months: k, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, millis: 0 }, this.zone);
      case 'week': return addPeriod(t, { years: 0, months: 0, weeks: k, days: 0, hours: 0, minutes: 0, seconds: 0, millis: 0 }, this.zone);
      default: return addPeriod(t, { years: 0, months: 0, weeks: 0, days: k, hours: 0, minutes: 0, seconds: 0, millis: 0 }, this.zone);
    }
  }

  /**
   * Compound periods. Time-only ones (PT1H30M) are exact lengths counted from
   * the origin; calendar ones step period by period from the origin as Druid does.
   */
  private compoundStart(t: number): number {
    const p = this.period;
    if (p.years === 0 && p.months === 0 && p.weeks === 0 && p.days === 0) {
      const size = p.hours * MS_HOUR + p.minutes * MS_MINUTE + p.seconds * MS_SECOND + p.millis;
      const tt = this.origin + trunc((t - this.origin) / size) * size;
      return t < tt ? tt - size : tt;
    }
    let current = this.origin;
    if (t >= current) {
      let next = addPeriod(current, p, this.zone, 1);
      while (t >= next) {
        current = next;
        next = addPeriod(current, p, this.zone, 1);
      }
      return current;
    }
    while (t < current) current = addPeriod(current, p, this.zone, -1);
    // Subtracting a calendar period is not the inverse of adding it (P1M15D):
    // walk forward so that t < next(current) holds.
    for (let next = addPeriod(current, p, this.zone, 1); next <= t; next = addPeriod(current, p, this.zone, 1)) current = next;
    return current;
  }

  toJSON(): unknown {
    return {
      type: 'period',
      period: formatPeriod(this.period),
      ...(this.zone.id !== 'UTC' ? { timeZone: this.zone.id } : {}),
      ...(this.hasOrigin ? { origin: this.originText ?? new Date(this.origin).toISOString() } : {}),
    };
  }
}

const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Zero-based day of year. */
function dayOfYearIndex(y: number, m: number, d: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return CUM_DAYS[m - 1] + (leap && m > 2 ? 1 : 0) + d - 1;
}
