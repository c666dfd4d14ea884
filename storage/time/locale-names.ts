/**
 * Month, weekday and AM/PM names for pattern formatting and parsing. English
 * is built in (Joda's default locale output); other locales come from Intl
 * once and are cached.
 */

export interface LocaleNames {
  /** Index 0 = January. */
  readonly monthsShort: readonly string[];
  readonly monthsLong: readonly string[];
  /** Index 0 = Monday (ISO order). */
  readonly daysShort: readonly string[];
  readonly daysLong: readonly string[];
  readonly amPm: readonly [string, string];
}

const ENGLISH: LocaleNames = {
  monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  monthsLong: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  daysShort: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  daysLong: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  amPm: ['AM', 'PM'],
};

const cache = new Map<string, LocaleNames>();

function fromIntl(locale: string): LocaleNames {
  const f = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...opts });
  const ms = f({ month: 'short' });
  const ml = f({ month: 'long' });
  const ds = f({ weekday: 'short' });
  const dl = f({ weekday: 'long' });
  const ap = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: 'numeric', hour12: true });
  const dayPeriod = (t: number) => ap.formatToParts(t).find((p) => p.type === 'dayPeriod')?.value ?? (t % 86400000 < 43200000 ? 'AM' : 'PM');
  const months = [...Array(12).keys()];
  // 2001-01-01 was a Monday.
  const days = [...Array(7).keys()].map((i) => Date.UTC(2001, 0, 1 + i));
  return {
    monthsShort: months.map((m) => ms.format(Date.UTC(2001, m, 15))),
    monthsLong: months.map((m) => ml.format(Date.UTC(2001, m, 15))),
    daysShort: days.map((d) => ds.format(d)),
    daysLong: days.map((d) => dl.format(d)),
    amPm: [dayPeriod(Date.UTC(2001, 0, 1, 9)), dayPeriod(Date.UTC(2001, 0, 1, 15))],
  };
}

/** Names for a BCP-47 locale ("en", "de-DE", "fr"); English for null/undefined or any en-* locale. */
export function localeNames(locale?: string | null): LocaleNames {
  if (locale === undefined || locale === null || locale === '' || /^en([-_]|$)/i.test(locale)) return ENGLISH;
  const key = locale.replace('_', '-');
  let n = cache.get(key);
  if (n === undefined) {
    try {
      n = fromIntl(key);
    } catch {
      n = ENGLISH;
    }
    cache.set(key, n);
  }
  return n;
}
