/**
 * ISO-8601 interval text <-> common/interval.ts Interval, and interval-list
 * algebra (condense, intersect, subtract) used for query intervals, segment
 * timelines and retention rules.
 */
import { errors } from '../../common/errors.ts';
import type { Interval } from '../../common/interval.ts';
import { formatIso, formatIsoInZone } from './format.ts';
import { parseIsoTimestamp } from './iso-parse.ts';
import { addPeriod, parsePeriod } from './period.ts';
import type { TimeZone } from './zone.ts';
import { UTC } from './zone.ts';

function isPeriodText(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 80 || c === 112; // P or p
}

function parseInstant(text: string, whole: string, zone: TimeZone): number {
  const t = parseIsoTimestamp(text, { zone });
  if (t === null) throw errors.invalidInput(`Invalid interval [${whole}]: cannot parse [${text}] as an ISO-8601 instant`);
  return t;
}

/**
 * Parses "start/end", "start/period" or "period/end" (ISO-8601; instants
 * without offset are in `zone`, default UTC): "2015-09-12/2015-09-13",
 * "2015-09-12T00Z/P1D", "P1D/2015-09-13", "1000/3000". Throws NemetonError
 * 'Invalid input' on bad text or end before start.
 */
export function parseInterval(text: string, zone: TimeZone = UTC): Interval {
  if (typeof text !== 'string') throw errors.invalidInput(`Invalid interval [${String(text)}]: expected a string`);
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1 || s.indexOf('/', slash + 1) >= 0) {
    throw errors.invalidInput(`Invalid interval [${text}]: expected <start>/<end>, <start>/<period> or <period>/<end>`);
  }
  const a = s.slice(0, slash);
  const b = s.slice(slash + 1);
  let start: number;
  let end: number;
  if (isPeriodText(a)) {
    if (isPeriodText(b)) throw errors.invalidInput(`Invalid interval [${text}]: both ends are periods`);
    end = parseInstant(b, text, zone);
    start = addPeriod(end, parsePeriod(a), zone, -1);
  } else if (isPeriodText(b)) {
    start = parseInstant(a, text, zone);
    end = addPeriod(start, parsePeriod(b), zone, 1);
  } else {
    start = parseInstant(a, text, zone);
    end = parseInstant(b, text, zone);
  }
  if (end < start) throw errors.invalidInput(`Invalid interval [${text}]: the end instant must be greater than or equal to the start`);
  return { start, end };
}

/** Parses a list of interval strings (each as parseInterval). */
export function parseIntervals(texts: readonly string[], zone: TimeZone = UTC): Interval[] {
  return texts.map((t) => parseInterval(t, zone));
}

/** "2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", or with the zone's offsets when a zone is given. */
export function formatInterval(i: Interval, zone?: TimeZone): string {
  if (zone === undefined || zone.id === 'UTC') return `${formatIso(i.start)}/${formatIso(i.end)}`;
  return `${formatIsoInZone(i.start, zone)}/${formatIsoInZone(i.end, zone)}`;
}

/** Sorts by start and merges overlapping or abutting intervals (Druid's condenseIntervals). Empty intervals are dropped unless all are empty. */
export function condenseIntervals(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((x, y) => x.start - y.start || x.end - y.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.start <= last.end) {
      if (i.end > last.end) out[out.length - 1] = { start: last.start, end: i.end };
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** The overlap of a and b, or null when they do not overlap (touching intervals do not overlap). */
export function intersectInterval(a: Interval, b: Interval): Interval | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start < end ? { start, end } : null;
}

/** Intersection of two interval lists, condensed. */
export function intersectIntervalLists(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = condenseIntervals(a);
  const y = condenseIntervals(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const r = intersectInterval(x[i], y[j]);
    if (r !== null) out.push(r);
    if (x[i].end < y[j].end) i++;
    else j++;
  }
  return out;
}

/** The parts of `a` not covered by any of `minus`, condensed. */
export function subtractIntervals(a: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const m = condenseIntervals(minus);
  const out: Interval[] = [];
  for (const i of condenseIntervals(a)) {
    let cur = i.start;
    for (const k of m) {
      if (k.end <= cur || k.start >= i.end) continue;
      if (k.start > cur) out.push({ start: cur, end: k.start });
      cur = Math.max(cur, k.end);
      if (cur >= i.end) break;
    }
    if (cur < i.end) out.push({ start: cur, end: i.end });
  }
  return out;
}
