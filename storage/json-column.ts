/**
 * JSON-valued columns: nested JSON (Druid's COMPLEX<json>) and typed arrays
 * (ARRAY<STRING> / ARRAY<LONG> / ARRAY<DOUBLE>). Both are stored as complex
 * columns whose per-row value is the UTF-8 text of the JSON value; a
 * zero-length value is SQL NULL. The complex type name says which logical
 * type the column has.
 */
import type { ComplexColumn } from './segment.ts';

/** Complex type of a nested JSON column. */
export const JSON_COMPLEX_TYPE = 'json';

/** The typed-array column types, stored as JSON text too. */
export type ArrayColumnType = 'ARRAY<STRING>' | 'ARRAY<LONG>' | 'ARRAY<DOUBLE>';

/** A JSON-valued column's complex type: nested JSON or a typed array. */
export type JsonValueType = typeof JSON_COMPLEX_TYPE | ArrayColumnType;

/** True when a complex column of this type holds JSON text per row (nested JSON or typed array). */
export function isJsonValueType(complexType: string | undefined): complexType is JsonValueType {
  return complexType === JSON_COMPLEX_TYPE || complexType === 'ARRAY<STRING>' || complexType === 'ARRAY<LONG>' || complexType === 'ARRAY<DOUBLE>';
}

/** True for the typed-array column types. */
export function isArrayColumnType(t: string | undefined): t is ArrayColumnType {
  return t === 'ARRAY<STRING>' || t === 'ARRAY<LONG>' || t === 'ARRAY<DOUBLE>';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Serializes one value (null and undefined: the empty, NULL value). */
export function encodeJsonValue(v: unknown): Uint8Array {
  return v === null || v === undefined ? EMPTY : encoder.encode(JSON.stringify(v));
}

/** Parses one serialized value; the empty value is null. */
export function decodeJsonValue(bytes: Uint8Array): unknown {
  return bytes.length === 0 ? null : JSON.parse(decoder.decode(bytes));
}

/**
 * Normalises a raw input value for a column of type `t`: nested JSON keeps
 * the value (undefined becomes null); a typed array wraps a scalar into a
 * one-element array and converts elements (unparseable numbers become null).
 */
export function normalizeJsonValue(raw: unknown, t: JsonValueType): unknown {
  if (raw === undefined || raw === null) return null;
  if (t === JSON_COMPLEX_TYPE) return raw;
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((x) => {
    if (x === null || x === undefined) return null;
    if (t === 'ARRAY<STRING>') return typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x);
    const n = typeof x === 'number' ? x : typeof x === 'boolean' ? (x ? 1 : 0) : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
    if (!Number.isFinite(n)) return null;
    return t === 'ARRAY<LONG>' ? Math.trunc(n) : n;
  });
}

/**
 * The narrowest column type for a set of observed values (Druid's 'auto'
 * type): arrays whose elements are all strings → ARRAY<STRING>, all integers
 * → ARRAY<LONG>, all numbers → ARRAY<DOUBLE>; anything else (objects, nested
 * or mixed arrays, scalars) → nested JSON.
 */
export class JsonTypeInference {
  private arrays = 0;
  private other = 0;
  private strings = 0;
  private doubles = 0;
  private longs = 0;

  /** Records one observed (non-null) value. */
  observe(v: unknown): void {
    if (v === null || v === undefined) return;
    if (!Array.isArray(v)) { this.other++; return; }
    this.arrays++;
    for (const x of v) {
      if (x === null) continue;
      if (typeof x === 'string') this.strings++;
      else if (typeof x === 'number') { if (Number.isInteger(x)) this.longs++; else this.doubles++; } else this.other++;
    }
  }

  /** The inferred column type. */
  result(): JsonValueType {
    if (this.other > 0 || this.arrays === 0) return JSON_COMPLEX_TYPE;
    if (this.strings > 0) return this.longs + this.doubles > 0 ? JSON_COMPLEX_TYPE : 'ARRAY<STRING>';
    if (this.doubles > 0) return 'ARRAY<DOUBLE>';
    return this.longs > 0 ? 'ARRAY<LONG>' : 'ARRAY<STRING>';
  }
}

/** Row reader of a JSON-valued column: the parsed value of a row (null for NULL), parsing each distinct byte view once. */
export function jsonColumnReader(col: ComplexColumn): (row: number) => unknown {
  let lastBytes: Uint8Array | null = null;
  let lastValue: unknown = null;
  return (row) => {
    const b = col.get(row) as unknown;
    // In-memory row segments (inner query results) hold already-parsed values.
    if (!(b instanceof Uint8Array)) return b ?? null;
    if (b === lastBytes) return lastValue;
    lastBytes = b;
    lastValue = decodeJsonValue(b);
    return lastValue;
  };
}
