/**
 * Scalar SQL functions as the broker evaluates them: arity, result type and
 * evaluation over already-evaluated arguments. Operators and lazy forms (AND,
 * OR, CASE, COALESCE) are compiled directly in planner/eval.ts.
 */
import type { SqlType } from './sql-engine.ts';
import { PG_FUNCTIONS } from './pg-functions.ts';
import { NATIVE_BACKED_FUNCTIONS } from './native-function-bridge.ts';
import { errors } from '../common/errors.ts';
import { isApprox, commonType } from './types.ts';
import { toNumber, typedToString, compareValues } from './values.ts';
import { extractUnit, formatJoda, parseJoda, parseTimestamp, periodFloor, periodShift, UNIT_PERIOD } from './time-functions.ts';

/** What every evaluation sees: session time zone and the statement's CURRENT_TIMESTAMP. */
export type { EvalContext, ScalarFunction } from './scalar-function.ts';
import type { EvalContext, ScalarFunction } from './scalar-function.ts';

const str = (v: unknown, t: SqlType = 'VARCHAR', tz: string | null = 'UTC') => typedToString(v, t, tz) as string;
const num = (v: unknown) => toNumber(v);
const fixed = (t: SqlType) => () => t;
const firstArgType = (ts: readonly SqlType[]) => (ts[0] === 'NULL' ? 'VARCHAR' : ts[0]);
const numericResult = (ts: readonly SqlType[]) => (ts.some(isApprox) ? 'DOUBLE' : 'BIGINT');

function f(minArgs: number, maxArgs: number, returnType: (ts: readonly SqlType[]) => SqlType, fn: ScalarFunction['fn'], strict = true): ScalarFunction {
  return { minArgs, maxArgs, returnType, fn, strict };
}

function likeToRegex(pattern: string, escape: string | null): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape && i + 1 < pattern.length) { re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); continue; }
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}
const likeCache = new Map<string, RegExp>();
/** SQL LIKE match (case-sensitive) with an optional escape character. */
/** A matcher for one LIKE pattern, compiled once (for patterns known at plan time). */
export function likeMatcher(pattern: string, escape: string | null): (value: string) => boolean {
  if (pattern === '%') return () => true;
  const re = likeToRegex(pattern, escape);
  return (value) => re.test(value);
}

export function likeMatch(value: string, pattern: string, escape: string | null): boolean {
  const key = `${escape ?? ''}\u0000${pattern}`;
  let re = likeCache.get(key);
  if (!re) { re = likeToRegex(pattern, escape); if (likeCache.size > 1000) likeCache.clear(); likeCache.set(key, re); }
  return re.test(value);
}

function trimChars(s: string, chars: string, leading: boolean, trailing: boolean): string {
  let a = 0;
  let b = s.length;
  if (leading) while (a < b && chars.includes(s[a])) a++;
  if (trailing) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function roundHalfUp(x: number, digits: number): number {
  const m = 10 ** digits;
  const r = Math.floor(Math.abs(x) * m + 0.5) / m;
  return x < 0 ? -r : r;
}

function toArray(v: unknown): unknown[] | null {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) ? v : [v];
}

function timeArg(v: unknown): number { return typeof v === 'number' ? v : Number(v); }

/** The function table, keyed by upper-cased SQL name. */
export const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  // PostgreSQL's system functions (Druid's own functions below win on a name clash).
  ...PG_FUNCTIONS,
  // ---- JSON, inverse trigonometry, bitwise complement, human-readable formats (native-backed)
  ...NATIVE_BACKED_FUNCTIONS,
  // ---- strings
  UPPER: f(1, 1, fixed('VARCHAR'), ([s]) => str(s).toUpperCase()),
  LOWER: f(1, 1, fixed('VARCHAR'), ([s]) => str(s).toLowerCase()),
  CONCAT: f(1, 100, fixed('VARCHAR'), (a, ctx, ts) => a.map((v, i) => str(v, ts[i], ctx.timeZone)).join('')),
  TEXTCAT: f(2, 2, fixed('VARCHAR'), (a, ctx, ts) => a.map((v, i) => str(v, ts[i], ctx.timeZone)).join('')),
  LENGTH: f(1, 1, fixed('BIGINT'), ([s]) => [...str(s)].length),
  CHAR_LENGTH: f(1, 1, fixed('BIGINT'), ([s]) => [...str(s)].length),
  CHARACTER_LENGTH: f(1, 1, fixed('BIGINT'), ([s]) => [...str(s)].length),
  STRLEN: f(1, 1, fixed('BIGINT'), ([s]) => [...str(s)].length),
  SUBSTRING: f(2, 3, fixed('VARCHAR'), ([s, from, len]) => {
    const cps = [...str(s)];
    const start = Math.max(1, Math.trunc(num(from) ?? 1));
    if (start - 1 >= cps.length) return null; // Druid: a start past the end gives null
    const n = len === undefined ? cps.length : Math.trunc(num(len) ?? 0);
    const realStart = Math.trunc(num(from) ?? 1);
    const end = len === undefined ? cps.length : Math.max(0, realStart + n - 1);
    return cps.slice(start - 1, Math.max(start - 1, end)).join('');
  }),
  LEFT: f(2, 2, fixed('VARCHAR'), ([s, n]) => [...str(s)].slice(0, Math.max(0, num(n) ?? 0)).join('')),
  RIGHT: f(2, 2, fixed('VARCHAR'), ([s, n]) => { const c = [...str(s)]; const k = Math.max(0, num(n) ?? 0); return k === 0 ? '' : c.slice(-k).join(''); }),
  TRIM: f(3, 3, fixed('VARCHAR'), ([mode, chars, s]) => trimChars(str(s), str(chars), mode !== 'TRAILING', mode !== 'LEADING')),
  BTRIM: f(1, 2, fixed('VARCHAR'), ([s, chars]) => trimChars(str(s), chars === undefined ? ' ' : str(chars), true, true)),
  LTRIM: f(1, 2, fixed('VARCHAR'), ([s, chars]) => trimChars(str(s), chars === undefined ? ' ' : str(chars), true, false)),
  RTRIM: f(1, 2, fixed('VARCHAR'), ([s, chars]) => trimChars(str(s), chars === undefined ? ' ' : str(chars), false, true)),
  REPLACE: f(3, 3, fixed('VARCHAR'), ([s, a, b]) => str(s).split(str(a)).join(str(b))),
  STRPOS: f(2, 2, fixed('BIGINT'), ([s, sub]) => str(s).indexOf(str(sub)) + 1),
  POSITION: f(2, 3, fixed('BIGINT'), ([needle, hay, from]) => {
    const start = from === undefined ? 0 : Math.max(0, (num(from) ?? 1) - 1);
    return str(hay).indexOf(str(needle), start) + 1;
  }),
  LPAD: f(2, 3, fixed('VARCHAR'), ([s, n, p]) => {
    const len = num(n) ?? 0; const pad = p === undefined ? ' ' : str(p); const v = str(s);
    if (len <= v.length) return v.slice(0, Math.max(0, len));
    if (pad === '') return v;
    return (pad.repeat(Math.ceil(len / pad.length)).slice(0, len - v.length)) + v;
  }),
  RPAD: f(2, 3, fixed('VARCHAR'), ([s, n, p]) => {
    const len = num(n) ?? 0; const pad = p === undefined ? ' ' : str(p); const v = str(s);
    if (len <= v.length) return v.slice(0, Math.max(0, len));
    if (pad === '') return v;
    return v + pad.repeat(Math.ceil(len / pad.length)).slice(0, len - v.length);
  }),
  REVERSE: f(1, 1, fixed('VARCHAR'), ([s]) => [...str(s)].reverse().join('')),
  REPEAT: f(2, 2, fixed('VARCHAR'), ([s, n]) => str(s).repeat(Math.max(0, num(n) ?? 0))),
  CONTAINS_STRING: f(2, 2, fixed('BOOLEAN'), ([s, sub]) => str(s).includes(str(sub))),
  ICONTAINS_STRING: f(2, 2, fixed('BOOLEAN'), ([s, sub]) => str(s).toLowerCase().includes(str(sub).toLowerCase())),
  REGEXP_EXTRACT: f(2, 3, fixed('VARCHAR'), ([s, p, idx]) => {
    const m = new RegExp(str(p)).exec(str(s));
    if (!m) return null;
    return m[idx === undefined ? 0 : num(idx) ?? 0] ?? null;
  }),
  REGEXP_LIKE: f(2, 2, fixed('BOOLEAN'), ([s, p]) => new RegExp(str(p)).test(str(s))),
  REGEXP_REPLACE: f(3, 3, fixed('VARCHAR'), ([s, p, r]) => str(s).replace(new RegExp(str(p), 'g'), str(r).replace(/\$(\d)/g, '$$$1'))),
  STRING_FORMAT: f(1, 100, fixed('VARCHAR'), ([fmt, ...rest]) => {
    let k = 0;
    return str(fmt).replace(/%([sd%])/g, (_m, c: string) => (c === '%' ? '%' : String(rest[k++] ?? 'null')));
  }, false),
  INITCAP: f(1, 1, fixed('VARCHAR'), ([s]) => str(s).toLowerCase().replace(/(^|[^a-zA-Z0-9])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase())),
  // ---- numbers
  ABS: f(1, 1, firstArgType, ([x]) => Math.abs(num(x) ?? 0)),
  CEIL: f(1, 1, firstArgType, ([x]) => Math.ceil(num(x) ?? 0)),
  FLOOR: f(1, 1, firstArgType, ([x]) => Math.floor(num(x) ?? 0)),
  ROUND: f(1, 2, firstArgType, ([x, d]) => roundHalfUp(num(x) ?? 0, d === undefined ? 0 : num(d) ?? 0)),
  TRUNCATE: f(1, 2, firstArgType, ([x, d]) => { const m = 10 ** (d === undefined ? 0 : num(d) ?? 0); return Math.trunc((num(x) ?? 0) * m) / m; }),
  TRUNC: f(1, 2, firstArgType, ([x, d]) => { const m = 10 ** (d === undefined ? 0 : num(d) ?? 0); return Math.trunc((num(x) ?? 0) * m) / m; }),
  POWER: f(2, 2, fixed('DOUBLE'), ([a, b]) => (num(a) ?? 0) ** (num(b) ?? 0)),
  SQRT: f(1, 1, fixed('DOUBLE'), ([x]) => Math.sqrt(num(x) ?? 0)),
  EXP: f(1, 1, fixed('DOUBLE'), ([x]) => Math.exp(num(x) ?? 0)),
  LN: f(1, 1, fixed('DOUBLE'), ([x]) => Math.log(num(x) ?? 0)),
  LOG10: f(1, 1, fixed('DOUBLE'), ([x]) => Math.log10(num(x) ?? 0)),
  SIGN: f(1, 1, firstArgType, ([x]) => Math.sign(num(x) ?? 0)),
  MOD: f(2, 2, numericResult, ([a, b]) => { const d = num(b) ?? 0; return d === 0 ? null : (num(a) ?? 0) % d; }),
  DIV: f(2, 2, fixed('BIGINT'), ([a, b]) => { const d = Math.trunc(num(b) ?? 0); return d === 0 ? null : Math.trunc(Math.trunc(num(a) ?? 0) / d); }),
  SAFE_DIVIDE: f(2, 2, numericResult, ([a, b], _c, ts) => {
    const d = num(b) ?? 0;
    if (d === 0) return null;
    const q = (num(a) ?? 0) / d;
    return ts.some(isApprox) ? q : Math.trunc(q);
  }),
  SIN: f(1, 1, fixed('DOUBLE'), ([x]) => Math.sin(num(x) ?? 0)),
  COS: f(1, 1, fixed('DOUBLE'), ([x]) => Math.cos(num(x) ?? 0)),
  TAN: f(1, 1, fixed('DOUBLE'), ([x]) => Math.tan(num(x) ?? 0)),
  PI: f(0, 0, fixed('DOUBLE'), () => Math.PI),
  GREATEST: f(1, 100, (ts) => ts.reduce(commonType, 'NULL'), (a) => {
    let best: unknown = null;
    for (const v of a) if (v !== null && (best === null || compareValues(v, best) > 0)) best = v;
    return best;
  }, false),
  LEAST: f(1, 100, (ts) => ts.reduce(commonType, 'NULL'), (a) => {
    let best: unknown = null;
    for (const v of a) if (v !== null && (best === null || compareValues(v, best) < 0)) best = v;
    return best;
  }, false),
  // ---- nulls
  NULLIF: f(2, 2, firstArgType, ([a, b]) => (a !== null && b !== null && compareValues(a, b) === 0 ? null : a), false),
  // ---- time
  CURRENT_TIMESTAMP: f(0, 1, fixed('TIMESTAMP'), (_a, ctx) => ctx.now, false),
  LOCALTIMESTAMP: f(0, 1, fixed('TIMESTAMP'), (_a, ctx) => ctx.now, false),
  NOW: f(0, 0, fixed('TIMESTAMP'), (_a, ctx) => ctx.now, false),
  CURRENT_DATE: f(0, 0, fixed('DATE'), (_a, ctx) => periodFloor(ctx.now, 'P1D', null, ctx.timeZone), false),
  TIME_FLOOR: f(2, 4, fixed('TIMESTAMP'), ([t, p, origin, tz], ctx) =>
    periodFloor(timeArg(t), str(p), origin === undefined || origin === null ? null : timeArg(origin), tz === undefined || tz === null ? ctx.timeZone : str(tz)), false),
  TIME_CEIL: f(2, 4, fixed('TIMESTAMP'), ([t, p, origin, tz], ctx) => {
    const zone = tz === undefined || tz === null ? ctx.timeZone : str(tz);
    const o = origin === undefined || origin === null ? null : timeArg(origin);
    const fl = periodFloor(timeArg(t), str(p), o, zone);
    return fl === timeArg(t) ? fl : periodShift(fl, str(p), 1, zone);
  }, false),
  TIME_SHIFT: f(3, 4, fixed('TIMESTAMP'), ([t, p, step, tz], ctx) => periodShift(timeArg(t), str(p), num(step) ?? 0, tz === undefined ? ctx.timeZone : str(tz))),
  TIME_EXTRACT: f(1, 3, fixed('BIGINT'), ([t, unit, tz], ctx) => extractUnit(timeArg(t), unit === undefined ? 'MILLISECOND' : str(unit).toUpperCase(), tz === undefined ? ctx.timeZone : str(tz))),
  TIME_PARSE: f(1, 3, fixed('TIMESTAMP'), ([s, p, tz], ctx) => parseJoda(str(s), p === undefined || p === null ? null : str(p), tz === undefined || tz === null ? ctx.timeZone : str(tz)), false),
  TIME_FORMAT: f(1, 3, fixed('VARCHAR'), ([t, p, tz], ctx) => (t === null ? null : formatJoda(timeArg(t), p === undefined || p === null ? null : str(p), tz === undefined || tz === null ? ctx.timeZone : str(tz))), false),
  MILLIS_TO_TIMESTAMP: f(1, 1, fixed('TIMESTAMP'), ([x]) => num(x)),
  TIMESTAMP_TO_MILLIS: f(1, 1, fixed('BIGINT'), ([x]) => num(x)),
  DATE_TRUNC: f(2, 2, fixed('TIMESTAMP'), ([unit, t], ctx) => {
    const period = UNIT_PERIOD[str(unit).toUpperCase()];
    if (!period) throw errors.invalidInput(`Unsupported DATE_TRUNC unit [${str(unit)}]`);
    return periodFloor(timeArg(t), period, null, ctx.timeZone);
  }),
  EXTRACT: f(2, 2, fixed('BIGINT'), ([unit, t], ctx) => extractUnit(timeArg(t), str(unit), ctx.timeZone)),
  TIMESTAMPADD: f(3, 3, fixed('TIMESTAMP'), ([unit, n, t], ctx) => {
    const u = str(unit);
    const period = UNIT_PERIOD[u];
    if (!period) throw errors.invalidInput(`Unsupported TIMESTAMPADD unit [${u}]`);
    return periodShift(timeArg(t), period, num(n) ?? 0, ctx.timeZone);
  }),
  TIMESTAMPDIFF: f(3, 3, fixed('BIGINT'), ([unit, a, b], ctx) => timestampDiff(str(unit), timeArg(a), timeArg(b), ctx.timeZone)),
  // ---- arrays / multi-value
  ARRAY_LENGTH: f(1, 1, fixed('BIGINT'), ([a]) => toArray(a)!.length),
  MV_LENGTH: f(1, 1, fixed('BIGINT'), ([a]) => toArray(a)!.length),
  ARRAY_CONTAINS: f(2, 2, fixed('BOOLEAN'), ([a, b]) => { const xs = toArray(a)!; const ys = toArray(b)!; return ys.every((y) => xs.some((x) => compareValues(x, y) === 0)); }),
  MV_CONTAINS: f(2, 2, fixed('BOOLEAN'), ([a, b]) => { const xs = toArray(a)!; const ys = toArray(b)!; return ys.every((y) => xs.some((x) => compareValues(x, y) === 0)); }),
  ARRAY_OVERLAP: f(2, 2, fixed('BOOLEAN'), ([a, b]) => { const xs = toArray(a)!; const ys = toArray(b)!; return ys.some((y) => xs.some((x) => compareValues(x, y) === 0)); }),
  MV_OVERLAP: f(2, 2, fixed('BOOLEAN'), ([a, b]) => { const xs = toArray(a)!; const ys = toArray(b)!; return ys.some((y) => xs.some((x) => compareValues(x, y) === 0)); }),
  ARRAY_OFFSET: f(2, 2, () => 'VARCHAR', ([a, i]) => toArray(a)![num(i) ?? -1] ?? null),
  ARRAY_ORDINAL: f(2, 2, () => 'VARCHAR', ([a, i]) => toArray(a)![(num(i) ?? 0) - 1] ?? null),
  ARRAY_OFFSET_OF: f(2, 2, fixed('BIGINT'), ([a, v]) => { const i = toArray(a)!.findIndex((x) => x !== null && compareValues(x, v) === 0); return i < 0 ? null : i; }),
  ARRAY_ORDINAL_OF: f(2, 2, fixed('BIGINT'), ([a, v]) => { const i = toArray(a)!.findIndex((x) => x !== null && compareValues(x, v) === 0); return i < 0 ? null : i + 1; }),
  MV_OFFSET_OF: f(2, 2, fixed('BIGINT'), ([a, v]) => { const i = toArray(a)!.findIndex((x) => x !== null && compareValues(x, v) === 0); return i < 0 ? null : i; }),
  MV_ORDINAL_OF: f(2, 2, fixed('BIGINT'), ([a, v]) => { const i = toArray(a)!.findIndex((x) => x !== null && compareValues(x, v) === 0); return i < 0 ? null : i + 1; }),
  MV_OFFSET: f(2, 2, fixed('VARCHAR'), ([a, i]) => toArray(a)![num(i) ?? -1] ?? null),
  MV_ORDINAL: f(2, 2, fixed('VARCHAR'), ([a, i]) => toArray(a)![(num(i) ?? 0) - 1] ?? null),
  ARRAY_TO_STRING: f(2, 3, fixed('VARCHAR'), ([a, sep, nullText]) => (a === null || sep === null ? null : nullText === undefined
    ? toArray(a)!.map((v) => (v === null ? 'null' : String(v))).join(str(sep))
    // PostgreSQL's three-argument form: nulls become nullText (null nullText skips them).
    : toArray(a)!.filter((v) => v !== null || nullText !== null).map((v) => (v === null ? str(nullText) : String(v))).join(str(sep))), false),
  MV_TO_STRING: f(2, 2, fixed('VARCHAR'), ([a, sep]) => toArray(a)!.map((v) => (v === null ? 'null' : String(v))).join(str(sep))),
  STRING_TO_ARRAY: f(2, 2, fixed('ARRAY'), ([s, sep]) => str(s).split(new RegExp(str(sep)))),
  STRING_TO_MV: f(2, 2, fixed('VARCHAR'), ([s, sep]) => str(s).split(new RegExp(str(sep)))),
  ARRAY_CONCAT: f(2, 2, fixed('ARRAY'), ([a, b]) => [...toArray(a)!, ...toArray(b)!]),
  ARRAY_APPEND: f(2, 2, fixed('ARRAY'), ([a, b]) => [...toArray(a)!, b], false),
  ARRAY_PREPEND: f(2, 2, fixed('ARRAY'), ([b, a]) => [b, ...toArray(a)!], false),
  ARRAY_SLICE: f(2, 3, fixed('ARRAY'), ([a, s, e]) => toArray(a)!.slice(num(s) ?? 0, e === undefined ? undefined : num(e) ?? undefined)),
  ARRAY: f(0, 1000, fixed('ARRAY'), (a) => a, false),
  MV_TO_ARRAY: f(1, 1, fixed('ARRAY'), ([a]) => toArray(a)),
  ARRAY_TO_MV: f(1, 1, fixed('VARCHAR'), ([a]) => toArray(a)),
  MV_FILTER_PREFIX: f(2, 2, fixed('VARCHAR'), ([a, p]) => mvResult(toArray(a)!.filter((x) => x !== null && String(x).startsWith(str(p))))),
  MV_FILTER_REGEX: f(2, 2, fixed('VARCHAR'), ([a, p]) => { const re = new RegExp(str(p)); return mvResult(toArray(a)!.filter((x) => x !== null && re.test(String(x)))); }),
  MV_FILTER_ONLY: f(2, 2, fixed('VARCHAR'), ([a, keep]) => { const k = toArray(keep)!; return mvResult(toArray(a)!.filter((x) => k.some((y) => compareValues(x, y) === 0))); }),
  MV_FILTER_NONE: f(2, 2, fixed('VARCHAR'), ([a, drop]) => { const k = toArray(drop)!; return mvResult(toArray(a)!.filter((x) => !k.some((y) => compareValues(x, y) === 0))); }),
  MV_APPEND: f(2, 2, fixed('VARCHAR'), ([a, b]) => [...(toArray(a) ?? []), b], false),
  MV_PREPEND: f(2, 2, fixed('VARCHAR'), ([b, a]) => [b, ...(toArray(a) ?? [])], false),
  MV_CONCAT: f(2, 2, fixed('VARCHAR'), ([a, b]) => [...toArray(a)!, ...toArray(b)!]),
  MV_SLICE: f(2, 3, fixed('VARCHAR'), ([a, s, e]) => mvResult(toArray(a)!.slice(num(s) ?? 0, e === undefined ? undefined : num(e) ?? undefined))),
  TIME_IN_INTERVAL: f(2, 2, fixed('BOOLEAN'), ([t, i]) => {
    const [s, e] = parseIsoInterval(str(i));
    const v = timeArg(t);
    return v >= s && v < e;
  }),
  // ---- misc
  IPV4_MATCH: f(2, 2, fixed('BOOLEAN'), ([ip, cidr]) => ipv4Match(str(ip), str(cidr))),
  IPV4_PARSE: f(1, 1, fixed('BIGINT'), ([ip]) => ipv4Parse(str(ip))),
  IPV4_STRINGIFY: f(1, 1, fixed('VARCHAR'), ([n]) => { const v = num(n); return v === null || v < 0 || v > 0xffffffff ? null : [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.'); }),
};

/** Multi-value results: empty lists are null, one value is a plain string. */
function mvResult(values: unknown[]): unknown {
  return values.length === 0 ? null : values.length === 1 ? values[0] : values;
}

/** Parses 'start/end' or 'start/period' (ISO) into [startMs, endMs). */
export function parseIsoInterval(text: string): [number, number] {
  const [a, b] = text.split('/');
  const start = parseTimestamp(a.replace('T', ' ').replace(/Z$/, ''), 'UTC');
  if (start === null || b === undefined) throw errors.invalidInput(`Invalid interval [${text}]`);
  if (b.startsWith('P')) return [start, periodShift(start, b, 1, 'UTC')];
  const end = parseTimestamp(b.replace('T', ' ').replace(/Z$/, ''), 'UTC');
  if (end === null) throw errors.invalidInput(`Invalid interval [${text}]`);
  return [start, end];
}

function ipv4Parse(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function ipv4Match(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4Parse(ip);
  const b = ipv4Parse(base);
  if (a === null || b === null) return false;
  const n = bits === undefined ? 32 : Number(bits);
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function timestampDiff(unit: string, a: number, b: number, tz: string): number {
  switch (unit) {
    case 'MILLISECOND': return b - a;
    case 'SECOND': return Math.trunc((b - a) / 1000);
    case 'MINUTE': return Math.trunc((b - a) / 60000);
    case 'HOUR': return Math.trunc((b - a) / 3600000);
    case 'DAY': return Math.trunc((b - a) / 86400000);
    case 'WEEK': return Math.trunc((b - a) / (7 * 86400000));
    case 'MONTH': case 'QUARTER': case 'YEAR': {
      const months = monthsBetween(a, b, tz);
      return unit === 'MONTH' ? months : unit === 'QUARTER' ? Math.trunc(months / 3) : Math.trunc(months / 12);
    }
    default: throw errors.invalidInput(`Unsupported TIMESTAMPDIFF unit [${unit}]`);
  }
}

function monthsBetween(a: number, b: number, tz: string): number {
  const sign = b >= a ? 1 : -1;
  const [lo, hi] = sign > 0 ? [a, b] : [b, a];
  let m = (extractUnit(hi, 'YEAR', tz) - extractUnit(lo, 'YEAR', tz)) * 12 + extractUnit(hi, 'MONTH', tz) - extractUnit(lo, 'MONTH', tz);
  if (periodShift(lo, 'P1M', m, tz) > hi) m--;
  return sign * m;
}

/** True when the function is known to the broker evaluator. */
export function isScalarFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SCALAR_FUNCTIONS, name);
}

