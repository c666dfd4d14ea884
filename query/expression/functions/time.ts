/**
 * Time functions over epoch-millisecond LONGs, delegating calendar work to
 * storage/time (periods, zones, Joda patterns, extraction).
 */
import { NOT_CONSTANT, fixed, functionError, registerFunctions, type BindInput, type FunctionDef, type NumericKernel } from './registry.ts';
import {
  extractField, fillBucketStarts, formatIsoInZone, getFormatter, getTimeZone, parseTimeUnit, timeFloorGranularity,
  timeParse, timeShift, parseAutoTimestamp, type Granularity, type TimeZone,
} from '../../../storage/time/index.ts';
import { doubleToLong, toLong, toStr } from '../values.ts';

function constString(input: BindInput, i: number): string | null | typeof NOT_CONSTANT {
  if (i >= input.consts.length) return null;
  const c = input.consts[i];
  if (c === NOT_CONSTANT) return NOT_CONSTANT;
  return c === null || c === undefined ? null : String(c);
}

/** Zone argument at i: constant (resolved once) or per row. */
function zoneArg(input: BindInput, i: number): (v: unknown[]) => TimeZone {
  const c = constString(input, i);
  if (c !== NOT_CONSTANT) {
    const z = getTimeZone(c);
    return () => z;
  }
  return (v) => getTimeZone(toStr(v[i]) ?? null);
}

function originOf(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  return parseAutoTimestamp(s);
}

/** The bucketing granularity of timestamp_floor/ceil when period, origin and zone are constants; else null. */
function constGranularity(input: BindInput): Granularity | null {
  const period = constString(input, 1);
  const origin = input.consts.length > 2 ? input.consts[2] : null;
  const zone = constString(input, 3);
  if (period === NOT_CONSTANT || origin === NOT_CONSTANT || zone === NOT_CONSTANT) return null;
  if (period === null) throw functionError(input.name, 'period must not be null');
  return timeFloorGranularity(period, originOf(origin), zone);
}

function floorLike(name: 'timestamp_floor' | 'timestamp_ceil'): FunctionDef {
  const ceil = name === 'timestamp_ceil';
  const apply = (g: Granularity, t: number) => {
    const s = g.bucketStart(t);
    return ceil && s !== t ? g.next(s) : s;
  };
  return {
    name, minArgs: 2, maxArgs: 4, returnType: fixed('LONG'),
    bind: (input) => {
      const g = constGranularity(input);
      if (g !== null) return (v) => { const t = toLong(v[0]); return t === null ? null : apply(g, t); };
      return (v) => {
        const t = toLong(v[0]);
        const p = toStr(v[1]);
        if (t === null || p === null) return null;
        return apply(timeFloorGranularity(p, originOf(v[2] ?? null), toStr(v[3] ?? null)), t);
      };
    },
    numericKernel: (input): NumericKernel | null => {
      const g = constGranularity(input);
      if (g === null) return null;
      if (!ceil) return (x, out) => { truncInPlace(x, out); fillBucketStarts(out, 0, out.length, g, out); };
      return (x, out) => { for (let i = 0; i < x.length; i++) out[i] = apply(g, doubleToLong(x[i])); };
    },
  };
}

function truncInPlace(x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = doubleToLong(x[i]);
}

/** Whole calendar months from `a` to `b` in `zone`, truncated toward zero. */
function monthsFromTo(a: number, b: number, zone: TimeZone): number {
  const sign = b >= a ? 1 : -1;
  const lo = sign > 0 ? a : b, hi = sign > 0 ? b : a;
  let m = (extractField(hi, 'YEAR', zone) - extractField(lo, 'YEAR', zone)) * 12 + extractField(hi, 'MONTH', zone) - extractField(lo, 'MONTH', zone);
  if (m > 0 && timeShift(lo, 'P1M', m, zone) > hi) m--;
  return sign * m;
}

const defs: FunctionDef[] = [
  floorLike('timestamp_floor'), floorLike('timestamp_ceil'),
  {
    name: 'timestamp_shift', minArgs: 3, maxArgs: 4, returnType: fixed('LONG'),
    bind: (input) => {
      const zone = zoneArg(input, 3);
      return (v) => {
        const t = toLong(v[0]), p = toStr(v[1]), step = toLong(v[2]);
        if (t === null || p === null || step === null) return null;
        return timeShift(t, p, step, zone(v));
      };
    },
  },
  {
    // subtract_months(left, right[, zone]): whole calendar months from right to left (truncated toward zero).
    name: 'subtract_months', minArgs: 2, maxArgs: 3, returnType: fixed('LONG'),
    bind: (input) => {
      const zone = zoneArg(input, 2);
      return (v) => {
        const l = toLong(v[0]), r = toLong(v[1]);
        if (l === null || r === null) return null;
        return monthsFromTo(r, l, zone(v));
      };
    },
  },
  {
    name: 'timestamp_extract', minArgs: 2, maxArgs: 3, returnType: fixed('LONG'),
    bind: (input) => {
      const zone = zoneArg(input, 2);
      const c = constString(input, 1);
      const constUnit = c === NOT_CONSTANT || c === null ? null : parseTimeUnit(c);
      return (v) => {
        const t = toLong(v[0]);
        if (t === null) return null;
        const unit = constUnit ?? parseTimeUnit(toStr(v[1]) ?? '');
        return extractField(t, unit, zone(v));
      };
    },
    numericKernel: (input): NumericKernel | null => {
      const unit = constString(input, 1);
      const zone = constString(input, 2);
      if (unit === NOT_CONSTANT || unit === null || zone === NOT_CONSTANT) return null;
      const u = parseTimeUnit(unit);
      const z = getTimeZone(zone);
      return (x, out) => { for (let i = 0; i < x.length; i++) out[i] = extractField(doubleToLong(x[i]), u, z); };
    },
  },
  {
    name: 'timestamp_parse', minArgs: 1, maxArgs: 3, returnType: fixed('LONG'),
    bind: (input) => {
      const zone = zoneArg(input, 2);
      return (v) => {
        const s = toStr(v[0], input.argTypes[0]);
        if (s === null) return null;
        const pattern = v.length > 1 ? toStr(v[1]) : null;
        try {
          return timeParse(s, pattern, zone(v));
        } catch (e) {
          if (input.consts[1] === NOT_CONSTANT) return null;
          throw e;
        }
      };
    },
  },
  {
    name: 'timestamp_format', minArgs: 1, maxArgs: 3, returnType: fixed('STRING'),
    bind: (input) => {
      const zone = zoneArg(input, 2);
      const p = constString(input, 1);
      const z = constString(input, 2);
      if (p !== NOT_CONSTANT && z !== NOT_CONSTANT) {
        const zc = getTimeZone(z);
        const format = p === null ? (t: number) => formatIsoInZone(t, zc) : getFormatter(p, zc);
        return (v) => { const t = toLong(v[0]); return t === null ? null : format(t); };
      }
      return (v) => {
        const t = toLong(v[0]);
        if (t === null) return null;
        const pattern = v.length > 1 ? toStr(v[1]) : null;
        const zz = zone(v);
        return pattern === null ? formatIsoInZone(t, zz) : getFormatter(pattern, zz)(t);
      };
    },
  },
  {
    name: 'timestamp', minArgs: 1, maxArgs: 2, returnType: fixed('LONG'),
    bind: (input) => (v) => parseTimestampArg(v, input),
  },
  {
    name: 'unix_timestamp', minArgs: 1, maxArgs: 2, returnType: fixed('LONG'),
    bind: (input) => (v) => { const t = parseTimestampArg(v, input); return t === null ? null : Math.floor(t / 1000); },
  },
  { name: 'now', minArgs: 0, maxArgs: 0, returnType: fixed('LONG'), bind: () => () => Date.now() },
];

function parseTimestampArg(v: unknown[], input: BindInput): number | null {
  const x = v[0];
  if (x === null || x === undefined) return null;
  if (typeof x !== 'string') throw functionError(input.name, `first argument should be a STRING but got ${typeof x === 'number' ? 'a number' : typeof x} instead`);
  const fmt = v.length > 1 ? toStr(v[1]) : null;
  const t = timeParse(x, fmt);
  if (t === null) throw functionError(input.name, `invalid value ${x}`);
  return t;
}

registerFunctions(defs);
