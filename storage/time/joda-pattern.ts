/**
 * Joda-Time style date-time patterns ("yyyy-MM-dd HH:mm:ss", "dd/MMM/yyyy:HH:mm:ss Z",
 * "EEE, d MMM yyyy", "'week' w") compiled once into a formatter and a parser.
 * Used by the timeFormat extraction function, SQL TIME_FORMAT / TIME_PARSE and
 * custom timestampSpec formats.
 *
 * Letters: G era, C century, Y year of era, x weekyear, w week of weekyear,
 * e day of week (1 = Monday), E day name, y year, D day of year, M month,
 * d day of month, a AM/PM, K hour 0-11, h hour 1-12, H hour 0-23, k hour 1-24,
 * m minute, s second, S fraction of second, z zone name, Z offset (Z: -0800,
 * ZZ: -08:00, ZZZ: zone id). Text in single quotes is literal; '' is a quote.
 * Other letters are rejected; other characters are literal.
 */
import { errors } from '../../common/errors.ts';
import { civilFromDays, daysFromCivil, daysInMonth, isoDayOfWeek, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND } from './civil.ts';
import { localeNames, type LocaleNames } from './locale-names.ts';
import type { TimeZone } from './zone.ts';
import { formatOffset, getTimeZone, UTC } from './zone.ts';

/** One compiled pattern element: a field letter with its repeat count, or literal text. */
export interface PatternToken {
  readonly letter: string; // '' for literal
  readonly count: number;
  readonly text: string;
}

const FIELD_LETTERS = 'GCYxweEyDMdaKhHkmsSzZ';
const NUMERIC_LETTERS = 'CYxwyDMdKhHkmsSe';

/** Splits a Joda pattern into tokens. Throws 'Invalid input' for unknown letters or an unclosed quote. */
export function tokenizePattern(pattern: string): PatternToken[] {
  const out: PatternToken[] = [];
  let lit = '';
  let i = 0;
  const n = pattern.length;
  const flush = () => {
    if (lit !== '') out.push({ letter: '', count: 0, text: lit });
    lit = '';
  };
  while (i < n) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        lit += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= n) throw errors.invalidInput(`Invalid time format pattern [${pattern}]: unclosed quote`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j++];
      }
      lit += text;
      i = j + 1;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (!FIELD_LETTERS.includes(c)) throw errors.invalidInput(`Invalid time format pattern [${pattern}]: illegal pattern component [${c}]`);
      let j = i;
      while (j < n && pattern[j] === c) j++;
      flush();
      out.push({ letter: c, count: j - i, text: '' });
      i = j;
    } else {
      lit += c;
      i++;
    }
  }
  flush();
  return out;
}

function pad(v: number, width: number): string {
  const neg = v < 0;
  let s = String(neg ? -v : v);
  while (s.length < width) s = `0${s}`;
  return neg ? `-${s}` : s;
}

/** Broken-down local time of an instant, filled without allocation. */
class Fields {
  year = 1970; month = 1; day = 1; hour = 0; minute = 0; second = 0; millis = 0;
  dow = 4; doy = 1; weekyear = 1970; week = 1; offset = 0;
  private readonly civil = new Int32Array(3);

  fill(t: number, zone: TimeZone): void {
    const off = zone.fixedOffset ?? zone.offsetAt(t);
    this.offset = off;
    const local = t + off;
    const days = Math.floor(local / MS_DAY);
    let tod = local - days * MS_DAY;
    civilFromDays(days, this.civil);
    this.year = this.civil[0];
    this.month = this.civil[1];
    this.day = this.civil[2];
    this.millis = tod % 1000;
    tod = (tod - this.millis) / 1000;
    this.second = tod % 60;
    tod = (tod - this.second) / 60;
    this.minute = tod % 60;
    this.hour = (tod - this.minute) / 60;
    this.dow = isoDayOfWeek(days);
    this.doy = days - daysFromCivil(this.year, 1, 1) + 1;
    const thursday = days - this.dow + 4;
    civilFromDays(thursday, this.civil);
    this.weekyear = this.civil[0];
    this.week = Math.floor((thursday - daysFromCivil(this.weekyear, 1, 1)) / 7) + 1;
  }
}

const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

function zoneName(t: number, zone: TimeZone, long: boolean): string {
  if (zone.fixedOffset !== null) return zone.id === 'UTC' ? (long ? 'Coordinated Universal Time' : 'UTC') : zone.id;
  const key = `${zone.id}|${long ? 'l' : 's'}`;
  let f = zoneNameFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' });
    zoneNameFormats.set(key, f);
  }
  return f.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
}

/** A compiled formatter: instant (epoch ms) -> text. */
export type TimeFormatter = (t: number) => string;

/**
 * Compiles a Joda pattern into a formatter for a zone (default UTC) and
 * locale (default English). Throws 'Invalid input' for a bad pattern.
 */
export function compileFormatter(pattern: string, zone: TimeZone = UTC, locale?: string | null): TimeFormatter {
  const tokens = tokenizePattern(pattern);
  const names = localeNames(locale);
  const f = new Fields();
  return (t: number): string => {
    f.fill(t, zone);
    let out = '';
    for (let i = 0; i < tokens.length; i++) out += formatToken(tokens[i], f, t, zone, names);
    return out;
  };
}

function formatYear(y: number, count: number): string {
  if (count === 2) return pad(((y % 100) + 100) % 100, 2);
  return pad(y, count);
}

function formatToken(tok: PatternToken, f: Fields, t: number, zone: TimeZone, names: LocaleNames): string {
  const c = tok.count;
  switch (tok.letter) {
    case '': return tok.text;
    case 'G': return f.year > 0 ? 'AD' : 'BC';
    case 'C': return pad(Math.floor((f.year > 0 ? f.year : 1 - f.year) / 100), c);
    case 'Y': return formatYear(f.year > 0 ? f.year : 1 - f.year, c);
    case 'y': return formatYear(f.year, c);
    case 'x': return formatYear(f.weekyear, c);
    case 'w': return pad(f.week, c);
    case 'e': return pad(f.dow, c);
    case 'E': return c >= 4 ? names.daysLong[f.dow - 1] : names.daysShort[f.dow - 1];
    case 'D': return pad(f.doy, c);
    case 'M': return c >= 4 ? names.monthsLong[f.month - 1] : c === 3 ? names.monthsShort[f.month - 1] : pad(f.month, c);
    case 'd': return pad(f.day, c);
    case 'a': return names.amPm[f.hour < 12 ? 0 : 1];
    case 'K': return pad(f.hour % 12, c);
    case 'h': return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, c);
    case 'H': return pad(f.hour, c);
    case 'k': return pad(f.hour === 0 ? 24 : f.hour, c);
    case 'm': return pad(f.minute, c);
    case 's': return pad(f.second, c);
    case 'S': {
      const ms = pad(f.millis, 3);
      return c <= 3 ? ms.slice(0, c) : ms + '0'.repeat(c - 3);
    }
    case 'Z': return c === 1 ? formatOffset(f.offset, false) : c === 2 ? formatOffset(f.offset, true) : zone.id;
    case 'z': return zoneName(t, zone, c >= 4);
    default: return '';
  }
}

/** A compiled parser: text -> epoch ms, or null when the text does not match. */
export type TimeParser = (text: string) => number | null;

const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, EST: -5 * MS_HOUR, EDT: -4 * MS_HOUR, CST: -6 * MS_HOUR, CDT: -5 * MS_HOUR,
  MST: -7 * MS_HOUR, MDT: -6 * MS_HOUR, PST: -8 * MS_HOUR, PDT: -7 * MS_HOUR,
};

let pivotYear = 0;
function twoDigitYear(v: number): number {
  if (pivotYear === 0) pivotYear = new Date().getUTCFullYear() - 30;
  const low = pivotYear - 50;
  let y = Math.floor(low / 100) * 100 + v;
  if (y < low) y += 100;
  return y;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Matches the longest of `options` at s[i] ignoring case; returns its index or -1 and the length via out[0]. */
function matchText(s: string, i: number, options: readonly string[], len: Int32Array): number {
  let best = -1;
  let bestLen = 0;
  for (let k = 0; k < options.length; k++) {
    const o = options[k];
    if (o.length > bestLen && s.length - i >= o.length && s.substr(i, o.length).toLowerCase() === o.toLowerCase()) {
      best = k;
      bestLen = o.length;
    }
  }
  len[0] = bestLen;
  return best;
}

/**
 * Compiles a Joda pattern into a parser. Text without an offset field is
 * local time in `zone` (default UTC). The whole text must match; impossible
 * dates give null. Two-digit years (yy) pivot like Joda (current year - 30 +- 50).
 */
export function compileParser(pattern: string, zone: TimeZone = UTC, locale?: string | null): TimeParser {
  const tokens = tokenizePattern(pattern);
  const names = localeNames(locale);
  const adjacentNumeric = tokens.map((tok, k) => {
    const nx = tokens[k + 1];
    return nx !== undefined && nx.letter !== '' && NUMERIC_LETTERS.includes(nx.letter) && !(nx.letter === 'M' && nx.count >= 3);
  });
  const len = new Int32Array(1);
  return (s: string): number | null => {
    let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
    let pm = -1;
    let hour12 = -1;
    let doy = -1;
    let offset: number | null = null;
    let z: TimeZone = zone;
    let i = 0;
    const n = s.length;
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k];
      const L = tok.letter;
      if (L === '') {
        const t = tok.text;
        if (s.substr(i, t.length).toLowerCase() !== t.toLowerCase()) return null;
        i += t.length;
        continue;
      }
      if (L === 'M' && tok.count >= 3) {
        let m = matchText(s, i, names.monthsLong, len);
        if (m < 0) m = matchText(s, i, names.monthsShort, len);
        if (m < 0) return null;
        month = m + 1;
        i += len[0];
        continue;
      }
      if (L === 'E') {
        let m = matchText(s, i, names.daysLong, len);
        if (m < 0) m = matchText(s, i, names.daysShort, len);
        if (m < 0) return null;
        i += len[0];
        continue;
      }
      if (L === 'a') {
        const m = matchText(s, i, names.amPm, len);
        if (m < 0) return null;
        pm = m;
        i += len[0];
        continue;
      }
      if (L === 'G') {
        const m = matchText(s, i, ['AD', 'BC', 'CE', 'BCE'], len);
        if (m < 0) return null;
        i += len[0];
        continue;
      }
      if (L === 'Z' || L === 'z') {
        const c = s.charCodeAt(i);
        if (L === 'Z' && tok.count < 3 && (c === 43 || c === 45)) {
          const sign = c === 45 ? -1 : 1;
          let j = i + 1;
          if (!isDigit(s.charCodeAt(j)) || !isDigit(s.charCodeAt(j + 1))) return null;
          const h = Number(s.substr(j, 2));
          j += 2;
          let mi = 0;
          if (s.charCodeAt(j) === 58) j++;
          if (isDigit(s.charCodeAt(j)) && isDigit(s.charCodeAt(j + 1))) {
            mi = Number(s.substr(j, 2));
            j += 2;
          }
          if (h > 23 || mi > 59) return null;
          offset = sign * (h * MS_HOUR + mi * MS_MINUTE);
          i = j;
          continue;
        }
        let j = i;
        while (j < n && /[A-Za-z0-9_\/+\-:]/.test(s[j])) j++;
        const word = s.slice(i, j);
        if (word === '') return null;
        const abbr = ZONE_ABBREVIATIONS[word.toUpperCase()];
        if (abbr !== undefined) offset = abbr;
        else {
          try {
            z = getTimeZone(word);
            offset = null;
          } catch {
            return null;
          }
        }
        i = j;
        continue;
      }
      // numeric fields
      let j = i;
      let neg = false;
      if ((L === 'y' || L === 'Y' || L === 'x') && (s.charCodeAt(j) === 45 || s.charCodeAt(j) === 43)) {
        neg = s.charCodeAt(j) === 45;
        j++;
      }
      const ds = j;
      const maxDigits = adjacentNumeric[k] ? tok.count : L === 'S' ? 9 : 9;
      while (j < n && j - ds < maxDigits && isDigit(s.charCodeAt(j))) j++;
      const digits = j - ds;
      if (digits === 0) return null;
      let v = Number(s.slice(ds, j));
      if (neg) v = -v;
      i = j;
      switch (L) {
        case 'y': case 'Y': case 'x':
          year = tok.count === 2 && digits === 2 && !neg ? twoDigitYear(v) : v;
          break;
        case 'C': year = v * 100 + (year % 100); break;
        case 'M': month = v; break;
        case 'd': day = v; break;
        case 'D': doy = v; break;
        case 'H': hour = v; break;
        case 'k': hour = v === 24 ? 0 : v; break;
        case 'h': hour12 = v === 12 ? 0 : v; if (v < 1 || v > 12) return null; break;
        case 'K': hour12 = v; if (v > 11) return null; break;
        case 'm': minute = v; break;
        case 's': second = v; break;
        case 'S': millis = digits >= 3 ? Number(s.slice(ds, ds + 3)) : v * (digits === 1 ? 100 : 10); break;
        default: break; // w, e: accepted, not used
      }
    }
    if (i !== n) return null;
    if (hour12 >= 0) hour = hour12 + (pm === 1 ? 12 : 0);
    else if (pm === 1 && hour < 12) hour += 12;
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
    let days: number;
    if (doy > 0) {
      if (doy > (daysInMonth(year, 2) === 29 ? 366 : 365)) return null;
      days = daysFromCivil(year, 1, 1) + doy - 1;
    } else {
      if (day < 1 || day > daysInMonth(year, month)) return null;
      days = daysFromCivil(year, month, day);
    }
    const local = days * MS_DAY + hour * MS_HOUR + minute * MS_MINUTE + second * MS_SECOND + millis;
    if (offset !== null) return local - offset;
    return z.fixedOffset !== null ? local - z.fixedOffset : z.localToUtc(local);
  };
}

const formatterCache = new Map<string, TimeFormatter>();
const parserCache = new Map<string, TimeParser>();

/** Cached compileFormatter keyed by (pattern, zone id, locale). */
export function getFormatter(pattern: string, zone: TimeZone = UTC, locale?: string | null): TimeFormatter {
  const key = `${pattern}\u0000${zone.id}\u0000${locale ?? ''}`;
  let f = formatterCache.get(key);
  if (f === undefined) {
    f = compileFormatter(pattern, zone, locale);
    if (formatterCache.size > 512) formatterCache.clear();
    formatterCache.set(key, f);
  }
  return f;
}

/** Cached compileParser keyed by (pattern, zone id, locale). */
export function getParser(pattern: string, zone: TimeZone = UTC, locale?: string | null): TimeParser {
  const key = `${pattern}\u0000${zone.id}\u0000${locale ?? ''}`;
  let p = parserCache.get(key);
  if (p === undefined) {
    p = compileParser(pattern, zone, locale);
    if (parserCache.size > 512) parserCache.clear();
    parserCache.set(key, p);
  }
  return p;
}
