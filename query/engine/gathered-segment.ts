/**
 * A segment made of some rows of another: row k of the result is row rows[k]
 * of the source. Columns are gathered lazily, only those read, so an
 * expression over a few selected rows (an aggregator's input under a selective
 * filter) costs the selected rows rather than the whole segment.
 */
import type { ColumnInfo, ComplexColumn, NumericColumn, Segment, StringColumn } from '../../storage/segment.ts';
import { Bitmap, type RoaringBitmap32 } from './bitmap.ts';

function gatherNumbers(values: Float64Array | Float32Array, rows: Int32Array, out: Float64Array | Float32Array): void {
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
}

function gatherIds(ids: Int32Array, rows: Int32Array, out: Int32Array): void {
  for (let k = 0; k < rows.length; k++) out[k] = ids[rows[k]];
}

/** Positions k (ascending) whose row rows[k] is in the ascending list `members`. */
function positionsOf(members: Uint32Array, rows: Int32Array): number[] {
  const out: number[] = [];
  let j = 0;
  for (let k = 0; k < rows.length && j < members.length; k++) {
    const r = rows[k];
    while (j < members.length && members[j] < r) j++;
    if (j < members.length && members[j] === r) out.push(k);
  }
  return out;
}

function gatheredNumeric(col: NumericColumn, rows: Int32Array): NumericColumn {
  let values: Float64Array | Float32Array | null = null;
  let nulls: RoaringBitmap32 | null | undefined;
  const get = (): Float64Array | Float32Array => {
    if (values === null) {
      const src = col.values();
      values = src instanceof Float32Array ? new Float32Array(rows.length) : new Float64Array(rows.length);
      gatherNumbers(src, rows, values);
    }
    return values;
  };
  return {
    type: col.type,
    values: get,
    valuesInRange: (s, e) => get().subarray(s, e),
    exactLongs: () => {
      const exact = col.exactLongs();
      if (exact === null) return null;
      return BigInt64Array.from(rows, (r) => exact[r]);
    },
    nulls: () => {
      if (nulls === undefined) {
        const src = col.nulls();
        nulls = src === null || src.size === 0 ? null : new Bitmap(positionsOf(src.toUint32Array(), rows));
      }
      return nulls;
    },
    min: col.min,
    max: col.max,
  };
}

function gatheredString(col: StringColumn, rows: Int32Array): StringColumn {
  let ids: Int32Array | null = null;
  let multi: { offsets: Int32Array; values: Int32Array } | null = null;
  let bitmaps: RoaringBitmap32[] | null = null;
  const multiValues = (): { offsets: Int32Array; values: Int32Array } => {
    if (multi === null) {
      const src = col.multiValues();
      const offsets = new Int32Array(rows.length + 1);
      for (let k = 0; k < rows.length; k++) offsets[k + 1] = offsets[k] + src.offsets[rows[k] + 1] - src.offsets[rows[k]];
      const values = new Int32Array(offsets[rows.length]);
      for (let k = 0; k < rows.length; k++) values.set(src.values.subarray(src.offsets[rows[k]], src.offsets[rows[k] + 1]), offsets[k]);
      multi = { offsets, values };
    }
    return multi;
  };
  return {
    type: 'STRING',
    cardinality: col.cardinality,
    hasMultipleValues: col.hasMultipleValues,
    value: (id) => col.value(id),
    lookupId: (v) => col.lookupId(v),
    dictionary: () => col.dictionary(),
    ids: () => {
      if (ids === null) {
        const src = col.ids();
        ids = new Int32Array(rows.length);
        gatherIds(src, rows, ids);
      }
      return ids;
    },
    multiValues,
    bitmap: (id) => {
      if (bitmaps === null) {
        const lists: number[][] = Array.from({ length: col.cardinality }, () => []);
        const { offsets, values } = multiValues();
        for (let k = 0; k < rows.length; k++) {
          for (let j = offsets[k]; j < offsets[k + 1]; j++) {
            const list = lists[values[j]];
            if (list[list.length - 1] !== k) list.push(k);
          }
        }
        bitmaps = lists.map((l) => new Bitmap(l));
      }
      return bitmaps[id] ?? new Bitmap();
    },
  };
}

/** The rows `rows` (ascending, within the segment) of `segment` as a segment of rows.length rows. */
export function gatherSegment(segment: Segment, rows: Int32Array): Segment {
  const strings = new Map<string, StringColumn | undefined>();
  const numerics = new Map<string, NumericColumn | undefined>();
  let time: Float64Array | null = null;
  const n = rows.length;
  return {
    id: segment.id,
    numRows: n,
    dataInterval: segment.dataInterval,
    dimensions: segment.dimensions,
    metrics: segment.metrics,
    columns: (): readonly ColumnInfo[] => segment.columns(),
    column: (name) => segment.column(name),
    time: () => {
      if (time === null) {
        time = new Float64Array(n);
        gatherNumbers(segment.time(), rows, time);
      }
      return time;
    },
    stringColumn: (name) => {
      if (!strings.has(name)) {
        const col = segment.stringColumn(name);
        strings.set(name, col === undefined ? undefined : gatheredString(col, rows));
      }
      return strings.get(name);
    },
    numericColumn: (name) => {
      if (!numerics.has(name)) {
        const col = segment.numericColumn(name);
        numerics.set(name, col === undefined ? undefined : gatheredNumeric(col, rows));
      }
      return numerics.get(name);
    },
    complexColumn: (name): ComplexColumn | undefined => {
      const col = segment.complexColumn(name);
      return col === undefined ? undefined : { type: 'COMPLEX', complexType: col.complexType, get: (k) => col.get(rows[k]) };
    },
    sizeBytes: 0,
    isMutable: true,
  };
}
