/**
 * An in-memory Segment for expression tests: columns given as plain arrays.
 * STRING columns are dictionary-encoded (sorted, null first) and may be
 * multi-valued (array cells; [] or null is an empty row).
 */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';

const { RoaringBitmap32: Bitmap } = roaring;
import type { ColumnInfo, NumericColumn, Segment, StringColumn } from '../../storage/segment.ts';

export type FixtureColumn =
  | { readonly name: string; readonly type: 'LONG' | 'DOUBLE' | 'FLOAT'; readonly values: readonly (number | null)[] }
  | { readonly name: string; readonly type: 'STRING'; readonly values: readonly (string | null | readonly (string | null)[])[] };

function stringColumn(values: readonly (string | null | readonly (string | null)[])[]): StringColumn {
  const multi = values.some((v) => Array.isArray(v));
  const set = new Set<string | null>();
  for (const v of values) {
    if (Array.isArray(v)) for (const x of v) set.add(x); else set.add(v as string | null);
  }
  const dict = [...set].sort((a, b) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(dict.map((v, i) => [v, i]));
  const offsets = new Int32Array(values.length + 1);
  const flat: number[] = [];
  values.forEach((v, r) => {
    const cell = Array.isArray(v) ? v : v === null && multi ? [] : [v as string | null];
    for (const x of cell) flat.push(index.get(x)!);
    offsets[r + 1] = flat.length;
  });
  const mv = { offsets, values: Int32Array.from(flat) };
  return {
    type: 'STRING',
    cardinality: dict.length,
    hasMultipleValues: multi,
    value: (id) => dict[id],
    lookupId: (v) => index.get(v) ?? -1,
    dictionary: () => dict,
    ids: () => {
      if (multi) throw new Error('multi-valued');
      return mv.values;
    },
    multiValues: () => mv,
    bitmap: (id) => {
      const bm = new Bitmap();
      for (let r = 0; r < values.length; r++) for (let k = offsets[r]; k < offsets[r + 1]; k++) if (mv.values[k] === id) bm.add(r);
      return bm;
    },
  };
}

function numericColumn(type: 'LONG' | 'DOUBLE' | 'FLOAT', values: readonly (number | null)[]): NumericColumn {
  const arr = type === 'FLOAT' ? new Float32Array(values.length) : new Float64Array(values.length);
  const nulls = new Bitmap();
  values.forEach((v, i) => { if (v === null) nulls.add(i); else arr[i] = v; });
  const nonNull = values.filter((v): v is number => v !== null);
  return {
    type,
    values: () => arr,
    valuesInRange: (s, e) => arr.subarray(s, e),
    exactLongs: () => null,
    nulls: () => (nulls.isEmpty ? null : nulls),
    min: nonNull.reduce((a, b) => Math.min(a, b), nonNull.length ? Infinity : 0),
    max: nonNull.reduce((a, b) => Math.max(a, b), nonNull.length ? -Infinity : 0),
  };
}

/** Builds a Segment over the given columns; `times` defaults to 0, 1000, 2000, ... */
export function fixtureSegment(columns: readonly FixtureColumn[], times?: readonly number[]): Segment {
  const numRows = columns.length > 0 ? columns[0].values.length : times?.length ?? 0;
  const time = Float64Array.from(times ?? Array.from({ length: numRows }, (_, i) => i * 1000));
  const strings = new Map<string, StringColumn>();
  const numerics = new Map<string, NumericColumn>();
  const infos: ColumnInfo[] = [{ name: '__time', type: 'LONG', hasMultipleValues: false, hasNulls: false }];
  for (const c of columns) {
    if (c.type === 'STRING') {
      const col = stringColumn(c.values);
      strings.set(c.name, col);
      infos.push({ name: c.name, type: 'STRING', hasMultipleValues: col.hasMultipleValues, hasNulls: c.values.some((v) => v === null) });
    } else {
      numerics.set(c.name, numericColumn(c.type, c.values));
      infos.push({ name: c.name, type: c.type, hasMultipleValues: false, hasNulls: c.values.some((v) => v === null) });
    }
  }
  const interval = { start: time.length ? time[0] : 0, end: time.length ? time[time.length - 1] + 1 : 0 };
  return {
    id: { dataSource: 'test', interval, version: 'v1', partitionNum: 0 },
    numRows,
    dataInterval: interval,
    dimensions: columns.filter((c) => c.type === 'STRING').map((c) => c.name),
    metrics: columns.filter((c) => c.type !== 'STRING').map((c) => c.name),
    columns: () => infos,
    column: (name) => infos.find((i) => i.name === name),
    time: () => time,
    stringColumn: (name) => strings.get(name),
    numericColumn: (name) => numerics.get(name),
    complexColumn: () => undefined,
    sizeBytes: 0,
    isMutable: false,
  } as Segment;
}

/** Row getter over the same fixture data, as the row evaluator expects (multi-value rows as arrays, empty as null). */
export function fixtureRowGetter(columns: readonly FixtureColumn[], times: readonly number[] | undefined, row: number): (name: string) => unknown {
  return (name) => {
    if (name === '__time') return times ? times[row] : row * 1000;
    const c = columns.find((x) => x.name === name);
    if (c === undefined) return null;
    const v = c.values[row];
    if (c.type === 'FLOAT' && typeof v === 'number') return Math.fround(v);
    if (Array.isArray(v)) return v.length === 0 ? null : v;
    if (c.type === 'STRING' && v !== null && c.values.some((x) => Array.isArray(x))) return [v];
    return v;
  };
}
