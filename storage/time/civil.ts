/**
 * Proleptic Gregorian calendar arithmetic on plain numbers (no Date objects):
 * days since 1970-01-01 <-> (year, month, day). These are the building blocks
 * for local-time calendar math; callers add the zone offset first.
 */

export const MS_SECOND = 1000;
export const MS_MINUTE = 60_000;
export const MS_HOUR = 3_600_000;
export const MS_DAY = 86_400_000;
export const MS_WEEK = 7 * MS_DAY;

/** Days since 1970-01-01 of the civil date y-m-d (month 1..12, day 1..31; day may overflow forward). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Writes [year, month(1..12), day(1..31)] of the civil date `days` days after
 * 1970-01-01 into out[0..2]. No allocation.
 */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

/** True for Gregorian leap years. */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Number of days in month m (1..12) of year y. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ISO day of week (Monday = 1 .. Sunday = 7) of a day number. */
export function isoDayOfWeek(days: number): number {
  // 1970-01-01 was a Thursday (4).
  const r = (days + 3) % 7;
  return (r < 0 ? r + 7 : r) + 1;
}

/** Epoch-style milliseconds of a civil date-time, treating the fields as UTC (or as local time for local math). */
export function civilToMillis(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return daysFromCivil(y, mo, d) * MS_DAY + h * MS_HOUR + mi * MS_MINUTE + s * MS_SECOND + ms;
}

/** Floor division of milliseconds into whole days. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / MS_DAY);
}

const scratch = new Int32Array(3);

/** Adds `months` calendar months to local-time ms, clamping the day to the target month's length (Joda semantics). */
export function addMonthsLocal(local: number, months: number): number {
  if (months === 0) return local;
  const days = Math.floor(local / MS_DAY);
  const tod = local - days * MS_DAY;
  civilFromDays(days, scratch);
  const total = scratch[0] * 12 + (scratch[1] - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const dim = daysInMonth(y, m);
  const d = scratch[2] > dim ? dim : scratch[2];
  return daysFromCivil(y, m, d) * MS_DAY + tod;
}

/**
 * Whole months between two local-time instants, truncated toward zero, with
 * Joda's end-of-month rule (Jan 31 -> Feb 28 counts as one month).
 */
export function monthsBetweenLocal(minuend: number, subtrahend: number): number {
  if (minuend < subtrahend) return -monthsBetweenLocal(subtrahend, minuend);
  const a = new Int32Array(3);
  const b = new Int32Array(3);
  const da = Math.floor(minuend / MS_DAY);
  const db = Math.floor(subtrahend / MS_DAY);
  civilFromDays(da, a);
  civilFromDays(db, b);
  let diff = (a[0] - b[0]) * 12 + (a[1] - b[1]);
  const todA = minuend - da * MS_DAY;
  const todB = subtrahend - db * MS_DAY;
  let domB = b[2];
  if (a[2] === daysInMonth(a[0], a[1]) && domB > a[2]) domB = a[2];
  const remA = (a[2] - 1) * MS_DAY + todA;
  const remB = (domB - 1) * MS_DAY + todB;
  if (remA < remB) diff--;
  return diff;
}
