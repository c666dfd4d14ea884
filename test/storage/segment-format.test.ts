import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import roaring from 'roaring';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { writeSegment } from '../../storage/format/segment-writer.ts';
import { serializePortable } from '../../storage/format/roaring-portable.ts';
import { pack, unpack } from '../../storage/format/bitpack.ts';
import { toShared } from '../../storage/shared-bytes.ts';
import { compareUtf8 } from '../../storage/dictionary-order.ts';
import { MemorySegment } from '../../storage/memory-segment.ts';
import type { DataSchema } from '../../storage/schema.ts';
import type { ColumnarData } from '../../storage/columnar-data.ts';
import { readRows } from './helpers.ts';

const { RoaringBitmap32 } = roaring;
const ID = { dataSource: 't', interval: { start: 0, end: 86400000 }, version: 'v1', partitionNum: 0 };

function schema(rollup: boolean, extra: Partial<DataSchema> = {}): DataSchema {
  return {
    dataSource: 't',
    dimensionsSpec: { dimensions: [{ name: 's', type: 'string' }, { name: 'mv', type: 'string' }, { name: 'l', type: 'long' }, { name: 'd', type: 'double' }] },
    metricsSpec: [{ type: 'count', name: 'cnt' }, { type: 'doubleSum', name: 'x', fieldName: 'x' }],
    queryGranularity: 'none', segmentGranularity: 'all', rollup, ...extra,
  };
}

const canon = (rows: Record<string, unknown>[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();

const rowArb = fc.record({
  __time: fc.integer({ min: 0, max: 86_399_999 }),
  s: fc.option(fc.constantFrom('a', 'b', '', 'ü', '😀', 'z', '\uffff'), { nil: null }),
  mv: fc.oneof(fc.constant(null), fc.constantFrom('p', 'q'), fc.array(fc.constantFrom('p', 'q', 'r', ''), { minLength: 2, maxLength: 3 })),
  l: fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null }),
  d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
  x: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
});

test('random rows survive write and read (file and memory segments agree with the input)', () => {
  fc.assert(fc.property(fc.array(rowArb, { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (rows, blockRows) => {
    const built = buildSegments(rows, schema(false), { blockRows, segmentVersion: 'v1' });
    const seg = built.length === 0 ? null : openSegment(built[0].bytes, built[0].id);
    const got = seg === null ? [] : readRows(seg);
    const expected = rows.map((r) => {
      let mv: unknown = r.mv;
      if (Array.isArray(mv)) mv = [...mv].sort(compareUtf8);
      return { __time: r.__time, s: r.s, mv, l: r.l, d: r.d === null ? null : Object.is(r.d, -0) ? -0 : r.d, cnt: 1, x: r.x };
    });
    // -0 and 0 compare equal as dimension values; normalise for comparison.
    const norm = (rs: Record<string, unknown>[]) => canon(rs.map((r) => ({ ...r, d: r.d === 0 ? 0 : r.d })));
    assert.deepEqual(norm(got), norm(expected));
    if (seg !== null) {
      const t = seg.time();
      for (let i = 1; i < t.length; i++) assert.ok(t[i - 1] <= t[i], 'time sorted');
      // bitmaps agree with ids
      const col = seg.stringColumn('s')!;
      const ids = col.ids();
      for (let id = 0; id < col.cardinality; id++) {
        const expect = [];
        for (let r = 0; r < ids.length; r++) if (ids[r] === id) expect.push(r);
        assert.deepEqual(col.bitmap(id).toArray(), expect);
      }
      const dict = col.dictionary();
      for (let i = 1; i < dict.length; i++) assert.ok(dict[i - 1] === null || compareUtf8(dict[i - 1] as string, dict[i] as string) < 0);
      // valuesInRange agrees with values
      const lc = seg.numericColumn('l')!;
      const all = lc.values();
      for (let s = 0; s <= seg.numRows; s += 3) assert.deepEqual(Array.from(lc.valuesInRange(s, s + 5)), Array.from(all.subarray(s, s + 5)));
    }
  }), { numRuns: 150 });
});

test('empty and one-row segments', () => {
  const empty: ColumnarData = { numRows: 0, time: new Float64Array(0), columns: [] };
  const seg = openSegment(writeSegment(empty), ID);
  assert.equal(seg.numRows, 0);
  assert.equal(seg.dataInterval.start, seg.dataInterval.end);
  assert.equal(seg.time().length, 0);
  const one = buildSegments([{ __time: 5, s: 'only', x: 2 }], schema(true), { segmentVersion: 'v' });
  const s1 = openSegment(one[0].bytes, one[0].id);
  assert.equal(s1.numRows, 1);
  assert.deepEqual(s1.dataInterval, { start: 5, end: 6 });
  assert.equal(s1.stringColumn('s')!.value(s1.stringColumn('s')!.ids()[0]), 'only');
  assert.equal(s1.stringColumn('s')!.lookupId('nope'), -1);
});

test('unicode dictionary is in UTF-8 byte order with null first and distinct from empty string', () => {
  const vals = ['b', '\uffff', '😀', 'a', '', null, 'é'];
  const built = buildSegments(vals.map((s, i) => ({ __time: i, s })), schema(false), { segmentVersion: 'v' });
  const col = openSegment(built[0].bytes, built[0].id).stringColumn('s')!;
  assert.deepEqual(col.dictionary(), [null, '', 'a', 'b', 'é', '\uffff', '😀']);
  assert.equal(col.lookupId(''), 1);
  assert.equal(col.lookupId(null), 0);
  assert.equal(col.lookupId('😀'), 6);
  const sorted = Buffer.compare(Buffer.from('\uffff'), Buffer.from('😀'));
  assert.equal(sorted, -1);
});

test('LONG values beyond 2^53 stay exact', () => {
  const big = 9007199254740993n;
  const data: ColumnarData = {
    numRows: 3, time: Float64Array.of(1, 2, 3),
    columns: [{ kind: 'numeric', name: 'v', type: 'LONG', role: 'metric', values: Float64Array.of(1, Number(big), -5), exact: BigInt64Array.of(1n, big, -5n), nulls: null }],
  };
  const seg = openSegment(writeSegment(data), ID);
  const col = seg.numericColumn('v')!;
  assert.deepEqual(Array.from(col.exactLongs()!), [1n, big, -5n]);
  assert.equal(col.values()[2], -5);
  // ingest path: longSum over string input beyond 2^53
  const built = buildSegments([{ __time: 1, s: 'a', x: 1, big: '9007199254740993' }, { __time: 1, s: 'a', big: '10' }], {
    ...schema(true), metricsSpec: [{ type: 'longSum', name: 'big', fieldName: 'big' }],
  }, { segmentVersion: 'v' });
  const b = openSegment(built[0].bytes, built[0].id).numericColumn('big')!;
  assert.deepEqual(Array.from(b.exactLongs()!), [9007199254741003n]);
  // small longs: no exact array
  const small = openSegment(buildSegments([{ __time: 1, l: 5 }], schema(false), { segmentVersion: 'v' })[0].bytes, ID);
  assert.equal(small.numericColumn('l')!.exactLongs(), null);
});

test('numeric nulls and min/max', () => {
  const built = buildSegments([{ __time: 1, l: 4 }, { __time: 2, l: null }, { __time: 3, l: '-7' }], schema(false), { segmentVersion: 'v' });
  const col = openSegment(built[0].bytes, built[0].id).numericColumn('l')!;
  assert.deepEqual(col.nulls()!.toArray(), [1]);
  assert.equal(col.min, -7);
  assert.equal(col.max, 4);
  assert.deepEqual(Array.from(col.values()), [4, 0, -7]);
});

test('segments open from SharedArrayBuffer-backed bytes without copying', () => {
  const built = buildSegments([{ __time: 1, s: 'a', x: 1 }, { __time: 2, s: 'b', x: 2 }], schema(false), { segmentVersion: 'v' });
  const shared = toShared(built[0].bytes);
  assert.ok(shared.buffer instanceof SharedArrayBuffer);
  const seg = openSegment(shared, built[0].id);
  assert.deepEqual(canon(readRows(seg)), canon(readRows(openSegment(built[0].bytes, built[0].id))));
  assert.equal(seg.sizeBytes, shared.byteLength);
});

test('hand-written portable bitmaps match CRoaring byte for byte', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300000 }), { maxLength: 6000 }), (vals) => {
    const sorted = vals.sort((a, b) => a - b);
    const mine = serializePortable(sorted);
    const lib = new RoaringBitmap32(sorted).serialize('portable');
    assert.deepEqual(Buffer.from(mine), Buffer.from(lib));
  }), { numRuns: 40 });
  const dense = Array.from({ length: 10000 }, (_, i) => i * 2);
  assert.deepEqual(Buffer.from(serializePortable(dense)), Buffer.from(new RoaringBitmap32(dense).serialize('portable')));
});

test('bit packing round-trips at every width', () => {
  for (let w = 0; w <= 31; w++) {
    const max = w === 0 ? 0 : 2 ** w - 1;
    const src = Int32Array.from({ length: 77 }, (_, i) => (i * 2654435761) % (max + 1));
    const out = new Int32Array(77);
    unpack(pack(src, 0, 77, w), 77, w, out, 0);
    assert.deepEqual(out, src, `width ${w}`);
  }
});

test('a dimension with a million distinct values', () => {
  const n = 1_000_000;
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  const dictionary = Array.from({ length: n }, (_, i) => `v${String(i).padStart(7, '0')}`);
  const data: ColumnarData = { numRows: n, time: new Float64Array(n), columns: [{ kind: 'string', name: 'u', dictionary, ids, offsets: null, values: null, createBitmapIndex: true }] };
  const bytes = writeSegment(data);
  const seg = openSegment(bytes, ID);
  const col = seg.stringColumn('u')!;
  assert.equal(col.cardinality, n);
  assert.equal(col.lookupId('v0999999'), 999999);
  assert.deepEqual(col.bitmap(123456).toArray(), [123456]);
  assert.equal(col.ids()[777777], 777777);
  const mem = new MemorySegment(ID, data);
  assert.equal(mem.stringColumn('u')!.lookupId('v0000042'), 42);
});
