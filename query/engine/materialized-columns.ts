/**
 * Column implementations over plain in-memory arrays: used for virtual columns
 * (materialised once per segment) and for inline/query data sources.
 */
import type { NumericColumn, StringColumn } from '../../storage/segment.ts';
import { compareNullableUtf8 } from '../../storage/dictionary-order.ts';
import { Bitmap, type RoaringBitmap32 } from './bitmap.ts';

/** Orders strings like Druid's dictionaries (the Segment contract): null first, then code point (UTF-8 byte) order. */
export function compareNullableStrings(a: string | null, b: string | null): number {
  return compareNullableUtf8(a, b);
}

/** A dictionary-encoded string column built from per-row values (a string array is a multi-value row). */
export function stringColumnFromValues(rows: readonly unknown[]): StringColumn {
  const set = new Set<string | null>();
  let multi = false;
  for (const v of rows) {
    if (Array.isArray(v)) {
      multi = true;
      if (v.length === 0) set.add(null);
      for (const x of v) set.add(x === null || x === undefined ? null : String(x));
    } else set.add(v === null || v === undefined ? null : String(v));
  }
  const dict = [...set].sort(compareNullableStrings);
  const index = new Map<string | null, number>();
  dict.forEach((v, i) => index.set(v, i));
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  const flat: number[] = [];
  const ids = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const v = rows[r];
    if (Array.isArray(v)) {
      const vals = v.length === 0 ? [null] : v.map((x) => (x === null || x === undefined ? null : String(x)));
      for (const x of vals) flat.push(index.get(x)!);
      ids[r] = index.get(vals[0])!;
    } else {
      const id = index.get(v === null || v === undefined ? null : String(v))!;
      flat.push(id);
      ids[r] = id;
    }
    offsets[r + 1] = flat.length;
  }
  const values = Int32Array.from(flat);
  let bitmaps: RoaringBitmap32[] | null = null;
  const buildBitmaps = (): RoaringBitmap32[] => {
    const lists: number[][] = dict.map(() => []);
    for (let r = 0; r < n; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        const list = lists[values[k]];
        if (list[list.length - 1] !== r) list.push(r);
      }
    }
    return lists.map((l) => new Bitmap(l));
  };
  return {
    type: 'STRING',
    cardinality: dict.length,
    hasMultipleValues: multi,
    value: (id) => dict[id] ?? null,
    lookupId: (value) => {
      let lo = 0;
      let hi = dict.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = compareNullableStrings(dict[mid], value);
        if (c === 0) return mid;
        if (c < 0) lo = mid + 1; else hi = mid - 1;
      }
      return -1;
    },
    dictionary: () => dict,
    ids: () => {
      if (multi) throw new Error('multi-valued column: use multiValues()');
      return ids;
    },
    multiValues: () => ({ offsets, values }),
    bitmap: (id) => {
      bitmaps ??= buildBitmaps();
      return bitmaps[id] ?? new Bitmap();
    },
  };
}

/** The column over computed values: `nullRows` ascending, min/max over the non-null values. */
function materializedNumericColumn(type: 'LONG' | 'FLOAT' | 'DOUBLE', values: Float32Array | Float64Array, nullRows: number[], min: number, max: number): NumericColumn {
  const nulls = nullRows.length === 0 ? null : new Bitmap(nullRows);
  return {
    type,
    values: () => values,
    valuesInRange: (s, e) => values.subarray(s, e),
    exactLongs: () => null,
    nulls: () => nulls,
    min,
    max,
  };
}

/** A numeric column from per-row values; null/undefined/NaN-free non-numbers become null rows. */
export function numericColumnFromValues(rows: readonly unknown[], type: 'LONG' | 'FLOAT' | 'DOUBLE'): NumericColumn {
  const n = rows.length;
  const values = type === 'FLOAT' ? new Float32Array(n) : new Float64Array(n);
  const nullRows: number[] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const v = rows[r];
    const x = v === null || v === undefined || v === '' ? Number.NaN : typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(x)) {
      nullRows.push(r);
      continue;
    }
    const y = type === 'LONG' ? Math.trunc(x) : x;
    values[r] = y;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  return materializedNumericColumn(type, values, nullRows, min, max);
}

/**
 * A numeric column from typed values where `nulls[r] === 1` (or a NaN value)
 * marks a null row; same result as numericColumnFromValues on the boxed values.
 */
export function numericColumnFromTyped(source: Float64Array, nullFlags: Uint8Array | null, type: 'LONG' | 'FLOAT' | 'DOUBLE'): NumericColumn {
  const n = source.length;
  const values = type === 'FLOAT' ? new Float32Array(n) : new Float64Array(n);
  const nullRows: number[] = [];
  const range = copyNumeric(source, nullFlags, values, type === 'LONG', nullRows);
  return materializedNumericColumn(type, values, nullRows, range[0], range[1]);
}

/** Copies non-null values (truncated for LONG) into `out`, collecting null rows; returns [min, max]. */
function copyNumeric(src: Float64Array, nullFlags: Uint8Array | null, out: Float64Array | Float32Array, trunc: boolean, nullRows: number[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < src.length; r++) {
    const x = src[r];
    if ((nullFlags !== null && nullFlags[r] === 1) || x !== x) {
      nullRows.push(r);
      continue;
    }
    const y = trunc ? Math.trunc(x) : x;
    out[r] = y;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  return [min, max];
}
