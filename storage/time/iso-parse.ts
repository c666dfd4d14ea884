/**
 * Hand-written ISO-8601 date-time parser (no Date.parse): the forms Druid
 * accepts in intervals, origins, timestampSpec "iso"/"auto" and SQL literals.
 *
 *   date:   [+-]yyyy[-MM[-dd]] | yyyy-Www[-e] | yyyy-DDD
 *   time:   ('T' | ' ' when allowed) HH[:mm[:ss[.fraction]]]   (fraction truncated to ms)
 *   offset: Z | +HH | +HH:mm | +HHmm      (absent: local time in the given zone)
 */
import { daysFromCivil, daysInMonth, isoDayOfWeek, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND } from './civil.ts';
import type { TimeZone } from './zone.ts';
import { UTC } from './zone.ts';

export interface IsoParseOptions {
  /** Accept a space between date and time ("2000-01-01 00:00:00"). Default false. */
  readonly allowSpace?: boolean;
  /** Zone for texts without an offset. Default UTC. */
  readonly zone?: TimeZone;
  /** Accept a date without a time part. Default true. */
  readonly allowDateOnly?: boolean;
}

function digit(c: number): number {
  const d = c - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * Parses an ISO-8601 timestamp to epoch ms; null when the text is not one
 * (including impossible dates such as 2015-02-30 or hour 24).
 */
export function parseIsoTimestamp(text: string, options?: IsoParseOptions): number | null {
  const s = text;
  const n = s.length;
  let i = 0;
  let sign = 1;
  if (n === 0) return null;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */ || c === 43 /* + */) {
    sign = c === 45 ? -1 : 1;
    i++;
  }
  let year = 0;
  const ys = i;
  while (i < n && digit(s.charCodeAt(i)) >= 0 && i - ys < 9) year = year * 10 + digit(s.charCodeAt(i++));
  if (i - ys < 1) return null;
  year *= sign;
  let days: number;
  let month = 1;
  let day = 1;
  if (i < n && s.charCodeAt(i) === 45) {
    i++;
    if (i < n && s.charCodeAt(i) === 87 /* W */) {
      i++;
      const w1 = digit(s.charCodeAt(i)), w2 = digit(s.charCodeAt(i + 1));
      if (w1 < 0 || w2 < 0) return null;
      const week = w1 * 10 + w2;
      i += 2;
      let dow = 1;
      if (i < n && s.charCodeAt(i) === 45) {
        dow = digit(s.charCodeAt(i + 1));
        if (dow < 1 || dow > 7) return null;
        i += 2;
      }
      if (week < 1 || week > 53) return null;
      const jan4 = daysFromCivil(year, 1, 4);
      const week1Monday = jan4 - (isoDayOfWeek(jan4) - 1);
      days = week1Monday + (week - 1) * 7 + (dow - 1);
    } else {
      const ms = i;
      let v = 0;
      while (i < n && digit(s.charCodeAt(i)) >= 0 && i - ms < 3) v = v * 10 + digit(s.charCodeAt(i++));
      const len = i - ms;
      if (len === 3) {
        // ordinal date yyyy-DDD
        const max = daysInMonth(year, 2) === 29 ? 366 : 365;
        if (v < 1 || v > max) return null;
        days = daysFromCivil(year, 1, 1) + v - 1;
      } else {
        if (len < 1 || v < 1 || v > 12) return null;
        month = v;
        if (i < n && s.charCodeAt(i) === 45) {
          i++;
          const ds = i;
          let dv = 0;
          while (i < n && digit(s.charCodeAt(i)) >= 0 && i - ds < 2) dv = dv * 10 + digit(s.charCodeAt(i++));
          if (i - ds < 1 || dv < 1 || dv > daysInMonth(year, month)) return null;
          day = dv;
        }
        days = daysFromCivil(year, month, day);
      }
    }
  } else {
    days = daysFromCivil(year, 1, 1);
  }
  let tod = 0;
  let hasTime = false;
  if (i < n) {
    c = s.charCodeAt(i);
    if (c === 84 /* T */ || c === 116 || (c === 32 && options?.allowSpace === true)) {
      i++;
      hasTime = true;
      const h1 = digit(s.charCodeAt(i)), h2 = digit(s.charCodeAt(i + 1));
      if (h1 < 0 || h2 < 0) return null;
      const hour = h1 * 10 + h2;
      if (hour > 23) return null;
      i += 2;
      tod = hour * MS_HOUR;
      if (i < n && s.charCodeAt(i) === 58 /* : */) {
        const m1 = digit(s.charCodeAt(i + 1)), m2 = digit(s.charCodeAt(i + 2));
        if (m1 < 0 || m2 < 0) return null;
        const minute = m1 * 10 + m2;
        if (minute > 59) return null;
        tod += minute * MS_MINUTE;
        i += 3;
        if (i < n && s.charCodeAt(i) === 58) {
          const s1 = digit(s.charCodeAt(i + 1)), s2 = digit(s.charCodeAt(i + 2));
          if (s1 < 0 || s2 < 0) return null;
          const sec = s1 * 10 + s2;
          if (sec > 59) return null;
          tod += sec * MS_SECOND;
          i += 3;
          if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
            i++;
            const fs = i;
            let frac = 0;
            while (i < n && digit(s.charCodeAt(i)) >= 0) {
              if (i - fs < 3) frac = frac * 10 + digit(s.charCodeAt(i));
              i++;
            }
            const fl = i - fs;
            if (fl === 0) return null;
            if (fl === 1) frac *= 100;
            else if (fl === 2) frac *= 10;
            tod += frac;
          }
        }
      }
    }
  }
  if (!hasTime && options?.allowDateOnly === false) return null;
  const local = days * MS_DAY + tod;
  if (i === n) {
    const zone = options?.zone ?? UTC;
    return zone.fixedOffset !== null ? local - zone.fixedOffset : zone.localToUtc(local);
  }
  c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === n) return local; // Z
  if (c !== 43 && c !== 45) return null;
  const osign = c === 45 ? -1 : 1;
  i++;
  const o1 = digit(s.charCodeAt(i)), o2 = digit(s.charCodeAt(i + 1));
  if (o1 < 0 || o2 < 0) return null;
  const oh = o1 * 10 + o2;
  i += 2;
  let om = 0;
  if (i < n) {
    if (s.charCodeAt(i) === 58) i++;
    const m1 = digit(s.charCodeAt(i)), m2 = digit(s.charCodeAt(i + 1));
    if (m1 < 0 || m2 < 0) return null;
    om = m1 * 10 + m2;
    i += 2;
  }
  if (i !== n || oh > 23 || om > 59) return null;
  return local - osign * (oh * MS_HOUR + om * MS_MINUTE);
}
