/**
 * Conditions on `__time` as exact sets of half-open millisecond ranges,
 * which become a native query's `intervals`. Open ends are Druid's ETERNITY
 * bounds.
 */
import type { BExpr, RelColumn } from '../rel.ts';
import { toNumber } from '../values.ts';
import { periodFloor, periodShift } from '../time-functions.ts';

/** Druid's ETERNITY bounds in epoch ms (JodaUtils MIN/MAX_INSTANT). */
export const MIN_INSTANT = -4611686018427387904;
export const MAX_INSTANT = 4611686018427387903;
/** Druid's ETERNITY interval string. */
export const ETERNITY_INTERVAL = '-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z';

export type Range = readonly [number, number];
export const ALL: readonly Range[] = [[MIN_INSTANT, MAX_INSTANT]];

function normalize(rs: Range[]): Range[] {
  const sorted = rs.filter((r) => r[0] < r[1]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const x of a) for (const y of b) { const s = Math.max(x[0], y[0]); const e = Math.min(x[1], y[1]); if (s < e) out.push([s, e]); }
  return normalize(out);
}

export function union(a: readonly Range[], b: readonly Range[]): Range[] {
  return normalize([...a, ...b]);
}

export function complement(a: readonly Range[]): Range[] {
  const out: Range[] = [];
  let cur = MIN_INSTANT;
  for (const r of normalize([...a])) { if (r[0] > cur) out.push([cur, r[0]]); cur = Math.max(cur, r[1]); }
  if (cur < MAX_INSTANT) out.push([cur, MAX_INSTANT]);
  return out;
}

/**
 * The time ranges where `e` holds, when `e` only compares the `__time`
 * column (ref index `timeIndex`) with literals; null otherwise. Given the
 * session `timeZone`, comparisons of TIME_FLOOR(__time, period) with literals
 * count too (the floor is monotone, so each is one bound on `__time`).
 */
export function timeRanges(e: BExpr, timeIndex: number, timeZone: string | null = null): Range[] | null {
  if (e.kind !== 'call') return null;
  const rec = (x: BExpr) => timeRanges(x, timeIndex, timeZone);
  switch (e.fn) {
    case 'AND': {
      let acc: Range[] = [...ALL];
      for (const a of e.args) { const r = rec(a); if (!r) return null; acc = intersect(acc, r); }
      return acc;
    }
    case 'OR': {
      let acc: Range[] = [];
      for (const a of e.args) { const r = rec(a); if (!r) return null; acc = union(acc, r); }
      return acc;
    }
    case 'NOT': { const r = rec(e.args[0]); return r ? complement(r) : null; }
    case 'IN': {
      if (!isTime(e.args[0], timeIndex)) return null;
      let acc: Range[] = [];
      for (const x of e.args.slice(1)) { const t = litTime(x); if (t === null) return null; acc = union(acc, [[t, t + 1]]); }
      return acc;
    }
    case '=': case '<': case '<=': case '>': case '>=': {
      let [a, b] = e.args;
      let op: string = e.fn;
      if (!isTime(a, timeIndex) && floorOf(a, timeIndex, timeZone) === null) { [a, b] = [b, a]; op = flip(op); }
      const t = litTime(b);
      if (t === null) return null;
      const floor = floorOf(a, timeIndex, timeZone);
      if (floor !== null) return flooredRanges(op, t, floor.period, floor.zone);
      if (!isTime(a, timeIndex)) return null;
      switch (op) {
        case '=': return [[t, t + 1]];
        case '<': return [[MIN_INSTANT, t]];
        case '<=': return [[MIN_INSTANT, t + 1]];
        case '>': return [[t + 1, MAX_INSTANT]];
        case '>=': return [[t, MAX_INSTANT]];
      }
    }
  }
  return null;
}

/** TIME_FLOOR(__time, period[, null[, zone]]) with a literal period and zone: its period and zone; else null. */
function floorOf(e: BExpr, timeIndex: number, timeZone: string | null): { period: string; zone: string } | null {
  if (timeZone === null || e.kind !== 'call' || e.fn !== 'TIME_FLOOR' || !isTime(e.args[0], timeIndex)) return null;
  const [, p, origin, zone] = e.args;
  if (p?.kind !== 'lit' || typeof p.value !== 'string') return null;
  if (origin !== undefined && !(origin.kind === 'lit' && origin.value === null)) return null;
  if (zone !== undefined && !(zone.kind === 'lit' && typeof zone.value === 'string')) return null;
  return { period: p.value, zone: zone === undefined ? timeZone : String((zone as { value: string }).value) };
}

/**
 * Where `floor(__time) op t` holds: the floor is monotone, so each comparison
 * is one bound on `__time` at a bucket start.
 */
function flooredRanges(op: string, t: number, period: string, zone: string): Range[] | null {
  let start: number, next: number;
  try {
    start = periodFloor(t, period, null, zone);
    next = periodShift(start, period, 1, zone);
  } catch {
    return null;
  }
  if (!(next > start)) return null;
  const ceil = start === t ? t : next; // first bucket start >= t
  switch (op) {
    case '=': return start === t ? [[t, next]] : [];
    case '<': return [[MIN_INSTANT, ceil]];
    case '<=': return [[MIN_INSTANT, next]];
    case '>': return [[next, MAX_INSTANT]];
    case '>=': return [[ceil, MAX_INSTANT]];
  }
  return null;
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op;
}

function isTime(e: BExpr, timeIndex: number): boolean {
  return e.kind === 'ref' && e.index === timeIndex;
}

function litTime(e: BExpr): number | null {
  if (e.kind !== 'lit') return null;
  const n = toNumber(e.value);
  return n === null || !Number.isInteger(n) ? null : n;
}

function instantString(t: number): string {
  if (t <= MIN_INSTANT) return '-146136543-09-08T08:23:32.096Z';
  if (t >= MAX_INSTANT) return '146140482-04-24T15:36:27.903Z';
  return new Date(t).toISOString();
}

/** ISO interval strings for ranges. */
export function rangesToIntervals(rs: readonly Range[]): string[] {
  return rs.map((r) => `${instantString(r[0])}/${instantString(r[1])}`);
}

/** Index of `__time` among columns, or -1. */
export function timeColumnIndex(columns: readonly RelColumn[]): number {
  return columns.findIndex((c) => c.name === '__time');
}
