import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { HyperLogLog } from '../../storage/sketches/hll.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { truncate } from '../../storage/time/granularity.ts';
import { readRows, sumColumn } from './helpers.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const canon = (rows: Record<string, unknown>[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

const rollupSchema: DataSchema = {
  dataSource: 'r',
  dimensionsSpec: { dimensions: [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }] },
  metricsSpec: [
    { type: 'count', name: 'cnt' }, { type: 'longSum', name: 'sum', fieldName: 'v' },
    { type: 'doubleMin', name: 'mn', fieldName: 'v' }, { type: 'longMax', name: 'mx', fieldName: 'v' },
  ],
  queryGranularity: 'minute', segmentGranularity: 'hour', rollup: true,
};

/** A plain-object reference rollup. */
function naiveRollup(rows: { __time: number; a: string | null; b: string | null; v: number | null }[]): Record<string, unknown>[] {
  const groups = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const t = truncate(r.__time, 'minute');
    const key = JSON.stringify([t, r.a, r.b]);
    let g = groups.get(key);
    if (!g) {
      g = { __time: t, a: r.a, b: r.b, cnt: 0, sum: null, mn: null, mx: null };
      groups.set(key, g);
    }
    g.cnt = (g.cnt as number) + 1;
    if (r.v !== null) {
      g.sum = g.sum === null ? r.v : (g.sum as number) + r.v;
      g.mn = g.mn === null ? r.v : Math.min(g.mn as number, r.v);
      g.mx = g.mx === null ? r.v : Math.max(g.mx as number, r.v);
    }
  }
  return [...groups.values()];
}

const rowArb = fc.record({
  __time: fc.integer({ min: 0, max: 3 * 3_600_000 }),
  a: fc.option(fc.constantFrom('x', 'y', ''), { nil: null }),
  b: fc.option(fc.constantFrom('p', 'q'), { nil: null }),
  v: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
});

test('rollup matches a naive reference, in memory, persisted+merged, and after hand-off', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-test-'));
  try {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (rows, maxRows) => {
      const expected = canon(naiveRollup(rows));
      const mem = new IncrementalIndex(rollupSchema);
      for (const r of rows) mem.add(r);
      assert.deepEqual(canon(readRows(mem.snapshot())), expected);
      const spill = new IncrementalIndex(rollupSchema, { maxRowsInMemory: maxRows, persistDir: dir, blockRows: 4 });
      for (const r of rows) spill.add(r);
      const built = spill.handoff('v1');
      const got = built.flatMap((b) => readRows(openSegment(b.bytes, b.id)));
      assert.deepEqual(canon(got), expected);
      for (const b of built) {
        const seg = openSegment(b.bytes, b.id);
        assert.ok(seg.dataInterval.start >= b.id.interval.start && seg.dataInterval.end <= b.id.interval.end);
      }
    }), { numRuns: 100 });
    assert.deepEqual(fs.readdirSync(dir), [], 'persisted pieces are deleted after hand-off');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('rollup off keeps every row; queryGranularity still truncates', () => {
  const idx = new IncrementalIndex({ ...rollupSchema, rollup: false });
  idx.add({ __time: 61_000, a: 'x', v: 1 });
  idx.add({ __time: 62_000, a: 'x', v: 1 });
  const rows = readRows(idx.snapshot());
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.__time), [60_000, 60_000]);
});

test('schema discovery adds string dimensions in arrival order; late dimensions are null before', () => {
  const idx = new IncrementalIndex({ dataSource: 'd', dimensionsSpec: { dimensions: [], dimensionExclusions: ['skip'] }, metricsSpec: [{ type: 'count', name: 'cnt' }], queryGranularity: 'none', segmentGranularity: 'day', rollup: true });
  idx.add({ __time: 1, x: 'a', skip: 'z' });
  idx.add({ __time: 1, x: 'a', y: 5 });
  idx.add({ __time: 1, x: 'a', y: null });
  const seg = idx.snapshot();
  assert.deepEqual(seg.dimensions, ['x', 'y']);
  assert.deepEqual(canon(readRows(seg)), canon([{ __time: 1, x: 'a', y: null, cnt: 2 }, { __time: 1, x: 'a', y: '5', cnt: 1 }]));
  const snap1 = idx.snapshot();
  assert.equal(snap1, seg, 'snapshot cached until the next add');
  idx.add({ __time: 2, x: 'b' });
  assert.notEqual(idx.snapshot(), seg);
  assert.equal(idx.snapshot().isMutable, true);
});

test('multi-value handling, typed dimensions and numbers given as strings', () => {
  const s: DataSchema = {
    dataSource: 'm',
    dimensionsSpec: { dimensions: [
      { name: 'tags', type: 'string' }, { name: 'set', type: 'string', multiValueHandling: 'SORTED_SET' },
      { name: 'arr', type: 'string', multiValueHandling: 'ARRAY' }, { name: 'n', type: 'long' }, { name: 'f', type: 'float' },
    ] },
    metricsSpec: [{ type: 'floatSum', name: 'm1', fieldName: 'm1' }],
    queryGranularity: 'none', segmentGranularity: 'all', rollup: false,
  };
  const rows = buildSegments([
    { __time: 1, tags: ['b', 'a'], set: ['b', 'a', 'b'], arr: ['b', 'a', 'b'], n: '12', f: '1.5', m1: '2.0' },
    { __time: 2, tags: [], set: ['x'], arr: 'z', n: 'oops', f: 3, m1: 1 },
  ], s, { segmentVersion: 'v' }).flatMap((b) => readRows(openSegment(b.bytes, b.id)));
  assert.deepEqual(rows, [
    { __time: 1, tags: ['a', 'b'], set: ['a', 'b'], arr: ['b', 'a', 'b'], n: 12, f: 1.5, m1: 2 },
    { __time: 2, tags: null, set: 'x', arr: 'z', n: null, f: 3, m1: 1 },
  ]);
});

test('hyperUnique metrics roll up and merge across persisted pieces', () => {
  const s: DataSchema = { dataSource: 'h', dimensionsSpec: { dimensions: [{ name: 'g', type: 'string' }] }, metricsSpec: [{ type: 'hyperUnique', name: 'u', fieldName: 'user' }], queryGranularity: 'all', segmentGranularity: 'all', rollup: true };
  const rows: InputRow[] = Array.from({ length: 3000 }, (_, i) => ({ __time: i, g: 'one', user: `user${i % 1000}` }));
  const built = buildSegments(rows, s, { maxRowsInMemory: 700, segmentVersion: 'v' });
  const seg = openSegment(built[0].bytes, built[0].id);
  assert.equal(seg.numRows, 1);
  const est = HyperLogLog.deserialize(seg.complexColumn('u')!.get(0)).estimate();
  assert.ok(Math.abs(est - 1000) < 60, `estimate ${est}`);
});

test('bad rows are rejected with invalid input', () => {
  const idx = new IncrementalIndex(rollupSchema);
  assert.throws(() => idx.add({ __time: Number.NaN }), /valid __time/);
  assert.throws(() => new IncrementalIndex({ ...rollupSchema, metricsSpec: [{ type: 'bogus', name: 'z' } as never] }), /Unknown ingest aggregator/);
});

function readJsonLines(file: string): Record<string, unknown>[] {
  let text = fs.readFileSync(file);
  if (file.endsWith('.gz')) text = zlib.gunzipSync(text);
  return text.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('wikiticker sample: counts and metric totals with and without rollup', () => {
  const raw = readJsonLines(path.join(DATA, 'wikiticker-2015-09-12-sampled.json.gz'));
  assert.equal(raw.length, 39244);
  const rows = raw.map((r) => ({ ...r, __time: Date.parse(r.time as string) }));
  const strDims = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
  const plain: DataSchema = {
    dataSource: 'wikipedia',
    dimensionsSpec: { dimensions: [...strDims.map((name) => ({ name, type: 'string' as const })), { name: 'added', type: 'long' }, { name: 'deleted', type: 'long' }, { name: 'delta', type: 'long' }] },
    metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
  };
  const built = buildSegments(rows, plain, { segmentVersion: 'v' });
  assert.equal(built.length, 1);
  const seg = openSegment(built[0].bytes, built[0].id);
  assert.equal(seg.numRows, 39244);
  assert.equal(sumColumn(seg, 'added'), 9385573);
  assert.equal(sumColumn(seg, 'deleted'), 394298);
  assert.equal(sumColumn(seg, 'delta'), 8991275);
  assert.equal(seg.stringColumn('channel')!.cardinality, 51);
  assert.equal(seg.stringColumn('page')!.cardinality, 35143);
  assert.equal(seg.stringColumn('user')!.cardinality, 10531);
  assert.equal(seg.stringColumn('cityName')!.bitmap(0).size, 37091);
  assert.equal(seg.stringColumn('isRobot')!.lookupId('true') >= 0, true);
  const rolled: DataSchema = {
    dataSource: 'wikiticker',
    dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'page', type: 'string' }, { name: 'user', type: 'string' }] },
    metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }, { type: 'longSum', name: 'delta', fieldName: 'delta' }],
    queryGranularity: 'hour', segmentGranularity: 'day', rollup: true,
  };
  for (const maxRowsInMemory of [1_000_000, 5000]) {
    const r = buildSegments(rows, rolled, { segmentVersion: 'v', maxRowsInMemory });
    const s = openSegment(r[0].bytes, r[0].id);
    assert.ok(s.numRows < 39244 && s.numRows > 30000, `rolled rows ${s.numRows}`);
    assert.equal(sumColumn(s, 'count'), 39244);
    assert.equal(sumColumn(s, 'added'), 9385573);
    assert.equal(sumColumn(s, 'deleted'), 394298);
    assert.equal(sumColumn(s, 'delta'), 8991275);
  }
});

test('rollup-data.json: 9 rows become 5 at minute granularity', () => {
  const rows = readJsonLines(path.join(DATA, 'rollup-data.json')).map((r) => ({ ...r, __time: Date.parse(r.timestamp as string) }));
  const s: DataSchema = {
    dataSource: 'rollup-tutorial', dimensionsSpec: { dimensions: [{ name: 'srcIP', type: 'string' }, { name: 'dstIP', type: 'string' }] },
    metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'packets', fieldName: 'packets' }, { type: 'longSum', name: 'bytes', fieldName: 'bytes' }],
    queryGranularity: 'minute', segmentGranularity: 'day', rollup: true,
  };
  const segs = buildSegments(rows, s, { segmentVersion: 'v' }).map((b) => openSegment(b.bytes, b.id));
  assert.deepEqual(segs.map((x) => x.numRows), [3, 2]);
  const all = segs.flatMap(readRows);
  assert.deepEqual(all[0], { __time: Date.parse('2018-01-01T01:01:00Z'), srcIP: '1.1.1.1', dstIP: '2.2.2.2', count: 3, packets: 286, bytes: 35937 });
  assert.equal(all.reduce((a, r) => a + (r.packets as number), 0), 923);
  assert.equal(all.reduce((a, r) => a + (r.count as number), 0), 9);
});

test('sparse_column.jsonl: 10 rows become 8 with hour rollup; all-null dimensions exist', () => {
  const rows = readJsonLines(path.join(DATA, 'sparse_column.jsonl')).map((r) => ({ ...r, __time: Date.parse(r.time as string) }));
  const s: DataSchema = {
    dataSource: 'sparse', dimensionsSpec: { dimensions: ['dimB', 'dimA', 'dimC', 'dimD', 'dimE', 'dimF'].map((name) => ({ name, type: 'string' as const })) },
    metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'sum_metA', fieldName: 'metA' }],
    queryGranularity: 'hour', segmentGranularity: 'hour', rollup: true,
  };
  const segs = buildSegments(rows, s, { segmentVersion: 'v' }).map((b) => openSegment(b.bytes, b.id));
  assert.equal(segs.length, 1);
  const out = readRows(segs[0]);
  assert.equal(out.length, 8);
  assert.deepEqual(out.map((r) => [r.dimB, r.dimA, r.count]), [
    ['F', 'C', 1], ['J', 'C', 1], ['R', 'J', 1], ['S', 'Z', 1], ['T', 'H', 1], ['X', null, 1], ['X', 'H', 3], ['Z', 'H', 1],
  ]);
  assert.deepEqual(segs[0].stringColumn('dimD')!.dictionary(), [null]);
  assert.equal(sumColumn(segs[0], 'sum_metA'), 10);
});
