/**
 * The (time, value) pair stored by first/last ingest metrics (Druid's
 * serializablePair* complex types): the input row's time and its value, so
 * query-time first/last can pick across rolled-up rows and segments.
 */

/** A stored first/last pair; v is null when the chosen row's value was null. */
export interface TimeValuePair { readonly t: number; readonly v: number | string | null }

const TAG_NULL = 0;
const TAG_NUMBER = 1;
const TAG_STRING = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes: f64 time, u8 tag (0 null, 1 number, 2 string), then f64 or UTF-8 bytes. Little-endian. */
export function serializePair(p: TimeValuePair): Uint8Array {
  if (typeof p.v === 'string') {
    const s = encoder.encode(p.v);
    const out = new Uint8Array(9 + s.length);
    new DataView(out.buffer).setFloat64(0, p.t, true);
    out[8] = TAG_STRING;
    out.set(s, 9);
    return out;
  }
  const out = new Uint8Array(typeof p.v === 'number' ? 17 : 9);
  const dv = new DataView(out.buffer);
  dv.setFloat64(0, p.t, true);
  if (typeof p.v === 'number') {
    out[8] = TAG_NUMBER;
    dv.setFloat64(9, p.v, true);
  } else out[8] = TAG_NULL;
  return out;
}

/** Reads serializePair output; null for an empty (row without a value) byte string. */
export function deserializePair(bytes: Uint8Array): TimeValuePair | null {
  if (bytes.byteLength < 9) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const t = dv.getFloat64(0, true);
  const tag = bytes[8];
  if (tag === TAG_NUMBER) return { t, v: dv.getFloat64(9, true) };
  if (tag === TAG_STRING) return { t, v: decoder.decode(bytes.subarray(9)) };
  return { t, v: null };
}

/** The complex type name of a first/last metric's column, by value type (Druid's names). */
export function pairComplexType(valueType: 'string' | 'long' | 'double' | 'float'): string {
  return valueType === 'string' ? 'serializablePairLongString' : valueType === 'long' ? 'serializablePairLongLong' : valueType === 'double' ? 'serializablePairLongDouble' : 'serializablePairLongFloat';
}

/** True for the complex types serializePair writes. */
export function isPairComplexType(complexType: string | undefined): boolean {
  return complexType !== undefined && complexType.startsWith('serializablePairLong');
}
