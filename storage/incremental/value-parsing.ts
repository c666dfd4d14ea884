/**
 * Conversions of raw input values (JSON values after parsing) into what
 * columns store: strings for string dimensions, numbers for numeric ones.
 */

/** A string dimension value: null, one string, or several (multi-value). */
export type StringDimValue = string | null | (string | null)[];

function stringOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Converts a raw value for a string dimension; [] becomes null, [x] becomes x. */
export function toStringDimValue(v: unknown): StringDimValue {
  if (!Array.isArray(v)) return stringOf(v);
  if (v.length === 0) return null;
  if (v.length === 1) return stringOf(v[0]);
  return v.map(stringOf);
}

/**
 * Parses a numeric input: numbers as is, numeric strings parsed, booleans as
 * 1/0; null, '', and unparseable values give null. LONG results are truncated
 * toward zero; a bigint is returned when a LONG is outside ±2^53.
 */
export function toNumber(v: unknown, isLong: boolean): number | bigint | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    if (isLong && s.length > 15 && /^[-+]?\d+$/.test(s)) {
      const b = BigInt.asIntN(64, BigInt(s));
      return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
    }
    n = Number(s);
  } else if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (typeof v === 'bigint') {
    if (!isLong) return Number(v);
    const b = BigInt.asIntN(64, v);
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  } else return null;
  if (Number.isNaN(n)) return null;
  if (!isLong) return n;
  if (!Number.isFinite(n)) return null;
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  return BigInt.asIntN(64, BigInt(t));
}
