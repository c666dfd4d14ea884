/**
 * Time bucketing. A Granularity maps a timestamp to the start of its bucket and
 * steps from one bucket start to the next. UTC simple granularities are plain
 * arithmetic; periods with time zones use a cached offset table.
 *
 * Contract used by storage (rollup, segment intervals) and query (buckets):
 *   parseGranularity(spec).bucketStart(t) <= t < next(bucketStart(t))
 *
 * parseGranularity lives in parse-granularity.ts, period buckets in
 * period-granularity.ts, fixed durations in duration-granularity.ts.
 */
import type { SimpleGranularity } from '../schema.ts';
import { civilFromDays, daysFromCivil } from './civil.ts';

export interface Granularity {
  /** 'all' puts every row in one bucket; 'none' keeps each millisecond. */
  readonly kind: 'all' | 'none' | 'period' | 'duration';
  /** Start (epoch ms) of the bucket holding t. For 'all': Number.NEGATIVE_INFINITY. */
  bucketStart(t: number): number;
  /** Start of the bucket after the one that starts at `start`. For 'all': Number.POSITIVE_INFINITY. */
  next(start: number): number;
  /** Canonical JSON form, for results and EXPLAIN. */
  toJSON(): unknown;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 1970-01-05 was a Monday; Druid's WEEK buckets start on Mondays (UTC). */
const WEEK_ORIGIN = 4 * DAY;

const fixed: Partial<Record<SimpleGranularity, number>> = {
  second: SECOND, minute: MINUTE, five_minute: 5 * MINUTE, ten_minute: 10 * MINUTE,
  fifteen_minute: 15 * MINUTE, thirty_minute: 30 * MINUTE, hour: HOUR, six_hour: 6 * HOUR,
  eight_hour: 8 * HOUR, day: DAY,
};

function floorTo(t: number, size: number, origin = 0): number {
  return Math.floor((t - origin) / size) * size + origin;
}

const civil = new Int32Array(3);

function monthStart(t: number, months: number): number {
  civilFromDays(Math.floor(t / DAY), civil);
  const total = civil[0] * 12 + (civil[1] - 1);
  const floored = Math.floor(total / months) * months;
  const y = Math.floor(floored / 12);
  return daysFromCivil(y, floored - y * 12 + 1, 1) * DAY;
}

function addMonths(t: number, months: number): number {
  civilFromDays(Math.floor(t / DAY), civil);
  const total = civil[0] * 12 + (civil[1] - 1) + months;
  const y = Math.floor(total / 12);
  return daysFromCivil(y, total - y * 12 + 1, 1) * DAY;
}

/** Truncates t (epoch ms, UTC) to a simple granularity. 'none' returns t; 'all' returns -Infinity. */
export function truncate(t: number, g: SimpleGranularity): number {
  if (g === 'none') return t;
  if (g === 'all') return Number.NEGATIVE_INFINITY;
  const size = fixed[g];
  if (size !== undefined) return floorTo(t, size);
  if (g === 'week') return floorTo(t, 7 * DAY, WEEK_ORIGIN);
  if (g === 'month') return monthStart(t, 1);
  if (g === 'quarter') return monthStart(t, 3);
  if (g === 'year') return monthStart(t, 12);
  throw new Error(`unknown granularity ${String(g)}`);
}

/** The start of the bucket after the bucket starting at `start`, for a simple granularity. */
export function nextBucket(start: number, g: SimpleGranularity): number {
  if (g === 'none') return start + 1;
  if (g === 'all') return Number.POSITIVE_INFINITY;
  const size = fixed[g];
  if (size !== undefined) return start + size;
  if (g === 'week') return start + 7 * DAY;
  if (g === 'month') return addMonths(start, 1);
  if (g === 'quarter') return addMonths(start, 3);
  if (g === 'year') return addMonths(start, 12);
  throw new Error(`unknown granularity ${String(g)}`);
}

/** A simple (UTC) granularity as a Granularity object. */
export function simpleGranularity(g: SimpleGranularity): Granularity {
  return {
    kind: g === 'all' ? 'all' : g === 'none' ? 'none' : 'period',
    bucketStart: (t) => truncate(t, g),
    next: (s) => nextBucket(s, g),
    toJSON: () => ({ type: g === 'all' || g === 'none' ? g : 'period', ...(g === 'all' || g === 'none' ? {} : { period: g }) }),
  };
}
