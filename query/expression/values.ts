/**
 * Runtime values of the expression language and their coercions, following
 * Druid's ExprEval: LONG and DOUBLE are JS numbers (LONG integral), STRING is
 * a string, arrays are JS arrays, and null is SQL NULL.
 */
import type { MaybeType } from './types.ts';

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LONG_RE = /^[+-]?\d+$/;

/** The runtime type of a value whose static type is unknown (integral numbers count as LONG). */
export function classify(v: unknown): MaybeType {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? 'LONG' : 'DOUBLE';
  if (typeof v === 'bigint' || typeof v === 'boolean') return 'LONG';
  if (typeof v === 'string') return 'STRING';
  if (Array.isArray(v)) {
    let t: MaybeType = null;
    for (const e of v) {
      const et = classify(e);
      if (et === 'STRING') return 'ARRAY<STRING>';
      if (et === 'DOUBLE') t = 'DOUBLE';
      else if (et === 'LONG' && t === null) t = 'LONG';
    }
    return t === 'LONG' ? 'ARRAY<LONG>' : t === 'DOUBLE' ? 'ARRAY<DOUBLE>' : 'ARRAY<STRING>';
  }
  return 'COMPLEX<json>';
}

/** Parses a string as a number the way Druid does (long or double syntax, NaN, Infinity); null when it is not a number. */
export function parseNumber(s: string): number | null {
  if (NUMBER_RE.test(s)) return Number(s);
  if (s === 'NaN') return Number.NaN;
  if (s === 'Infinity' || s === '+Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-Infinity') return Number.NEGATIVE_INFINITY;
  return null;
}

/** Numeric value of v, or null (null, unparseable strings, arrays of length != 1). */
export function toDouble(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseNumber(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.length === 1) return toDouble(v[0]);
  return null;
}

/** Java's (long) cast of a double: truncation, NaN -> 0, saturating at the long range. */
export function doubleToLong(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 9223372036854775807) return 9223372036854775807;
  if (d <= -9223372036854775808) return -9223372036854775808;
  return Math.trunc(d) || 0;
}

/** LONG value of v (strings parse as long, then as double and truncate), or null. */
export function toLong(v: unknown): number | null {
  if (typeof v === 'number') return doubleToLong(v);
  if (typeof v === 'string' && LONG_RE.test(v)) return Number(v);
  const d = toDouble(v);
  return d === null ? null : doubleToLong(d);
}

/**
 * Java's Double.toString: plain notation with at least one fraction digit for
 * 1e-3 <= |d| < 1e7, otherwise `d.dddE±n`; shortest round-trip digits.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    if (s.includes('e')) return plainFromExponent(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = d.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

function plainFromExponent(d: number): string {
  const s = d.toFixed(20).replace(/0+$/, '');
  return s.endsWith('.') ? `${s}0` : s;
}

/** String form of v given its static type (DOUBLE numbers print like Java; LONG as integers). */
export function toStr(v: unknown, type: MaybeType = null): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (type === 'DOUBLE' || type === 'ARRAY<DOUBLE>') return javaDoubleToString(v);
    if (type === 'LONG' || type === 'ARRAY<LONG>') return String(v);
    return Number.isInteger(v) ? String(v) : javaDoubleToString(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) {
    if (v.length === 1) return toStr(v[0], type);
    return JSON.stringify(v);
  }
  return JSON.stringify(v);
}

/**
 * Druid truthiness: numbers are true when > 0, strings when equal to 'true'
 * ignoring case; null stays null (unknown). Arrays: single element arrays use the element.
 */
export function truthy(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v > 0;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v > 0n;
  if (Array.isArray(v)) return v.length === 1 ? truthy(v[0]) : v.length > 0;
  return false;
}

/** Java String.compareTo: UTF-16 code unit order. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Equality used by case_simple, array_contains, etc.: same type compares directly, numbers against strings numerically. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === typeof b) {
    if (Array.isArray(a) && Array.isArray(b)) return arraysEqual(a, b);
    return a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number));
  }
  const x = toDouble(a), y = toDouble(b);
  return x !== null && y !== null && x === y;
}

/** Element-wise equality of arrays (nulls equal nulls). */
export function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === null || x === undefined) { if (y !== null && y !== undefined) return false; continue; }
    if (!valuesEqual(x, y)) return false;
  }
  return true;
}

/** Converts v to a value of `type` (a cast). Returns null when not representable. */
export function castTo(v: unknown, from: MaybeType, to: MaybeType): unknown {
  if (v === null || v === undefined || to === null) return v ?? null;
  switch (to) {
    case 'LONG': return toLong(Array.isArray(v) ? (v.length === 1 ? v[0] : null) : v);
    case 'DOUBLE': return toDouble(v);
    case 'STRING': return Array.isArray(v) ? (v.length === 1 ? toStr(v[0], from) : toStr(v, from)) : toStr(v, from);
    case 'ARRAY<LONG>': case 'ARRAY<DOUBLE>': case 'ARRAY<STRING>': {
      const elem = to === 'ARRAY<LONG>' ? 'LONG' : to === 'ARRAY<DOUBLE>' ? 'DOUBLE' : 'STRING';
      const fromElem: MaybeType = from === 'ARRAY<LONG>' ? 'LONG' : from === 'ARRAY<DOUBLE>' ? 'DOUBLE' : from === 'ARRAY<STRING>' ? 'STRING' : from;
      const arr = Array.isArray(v) ? v : [v];
      return arr.map((e) => castTo(e, fromElem, elem));
    }
    case 'COMPLEX<json>': return v;
  }
}
