/**
 * Ingest-time sketch and first/last metrics: stored as COMPLEX columns, rolled
 * up in the incremental index and across persisted pieces, readable by the
 * query-time aggregators.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { createQueryExecutor } from '../../query/index.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { deserializeTheta, serializeTheta, trimTheta, unionTheta } from '../../storage/sketches/theta-sketch.ts';
import { addValues, deserializeQuantiles, emptyQuantiles, quantileOf, serializeQuantiles } from '../../storage/sketches/quantiles-sketch.ts';
import { deserializePair, serializePair } from '../../storage/sketches/time-value-pair.ts';

const schema = (rollup = true, queryGranularity: DataSchema['queryGranularity'] = 'day'): DataSchema => ({
  dataSource: 'cx',
  dimensionsSpec: { dimensions: [{ name: 'g', type: 'string' }] },
  metricsSpec: [
    { type: 'count', name: 'cnt' },
    { type: 'thetaSketch', name: 'theta', fieldName: 'user' },
    { type: 'HLLSketchBuild', name: 'hll', fieldName: 'user' },
    { type: 'quantilesDoublesSketch', name: 'q', fieldName: 'x' },
    { type: 'stringFirst', name: 'fu', fieldName: 'user' },
    { type: 'stringLast', name: 'lu', fieldName: 'user' },
    { type: 'longFirst', name: 'fx', fieldName: 'x' },
    { type: 'doubleLast', name: 'lx', fieldName: 'x' },
    { type: 'floatFirst', name: 'ffx', fieldName: 'x' },
  ],
  queryGranularity, segmentGranularity: 'day', rollup,
});

const T0 = Date.UTC(2024, 0, 1);
function rows(): InputRow[] {
  const out: InputRow[] = [];
  // Times deliberately not in order: first/last must follow time, not arrival.
  for (let i = 0; i < 200; i++) {
    const t = T0 + ((i * 7919) % 200) * 60_000;
    out.push({ __time: t, g: i % 2 === 0 ? 'even' : 'odd', user: `u${i % 37}`, x: ((i * 7919) % 200) + 0.5 });
  }
  return out;
}

async function query(opts: { maxRowsInMemory?: number }, qg: DataSchema['queryGranularity'] = 'day'): Promise<unknown[]> {
  const source = new LocalSegmentSource();
  for (const b of buildSegments(rows(), schema(true, qg), { segmentVersion: 'v1', ...opts })) source.addSegment(b.id, openSegment(b.bytes, b.id));
  const ex = createQueryExecutor({ segments: source });
  return ex.run({
    queryType: 'groupBy', dataSource: 'cx', granularity: 'all', intervals: ['2024-01-01/2024-01-02'], dimensions: ['g'],
    aggregations: [
      { type: 'longSum', name: 'cnt', fieldName: 'cnt' },
      { type: 'thetaSketch', name: 'theta', fieldName: 'theta' },
      { type: 'HLLSketchMerge', name: 'hll', fieldName: 'hll' },
      { type: 'quantilesDoublesSketch', name: 'q', fieldName: 'q', k: 128 },
      { type: 'stringFirst', name: 'fu', fieldName: 'fu' },
      { type: 'stringLast', name: 'lu', fieldName: 'lu' },
      { type: 'longFirst', name: 'fx', fieldName: 'fx' },
      { type: 'doubleLast', name: 'lx', fieldName: 'lx' },
      { type: 'floatFirst', name: 'ffx', fieldName: 'ffx' },
    ],
    postAggregations: [{ type: 'quantilesDoublesSketchToQuantile', name: 'median', field: { type: 'fieldAccess', fieldName: 'q' }, fraction: 0.5 }],
  } as never);
}

test('sketch and first/last ingest metrics roll up and answer query-time aggregators', async () => {
  const res = (await query({})) as { event: Record<string, unknown> }[];
  const byG = new Map(res.map((r) => [r.event.g, r.event]));
  const even = byG.get('even')!;
  const odd = byG.get('odd')!;
  assert.equal(even.cnt, 100);
  // users u0..u36 on even i: i%37 over even i covers all 37 residues within 200 rows.
  const distinct = (parity: number) => new Set(rows().filter((_, i) => i % 2 === parity).map((r) => r.user)).size;
  assert.equal(even.theta, distinct(0));
  assert.equal(even.hll, distinct(0));
  assert.equal(odd.theta, distinct(1));
  assert.equal(even.q, 100);
  // Earliest even row: the even i whose (i*7919)%200 is smallest.
  const evens = rows().filter((_, i) => i % 2 === 0).sort((a, b) => a.__time - b.__time);
  assert.equal(even.fu, evens[0].user);
  assert.equal(even.lu, evens[evens.length - 1].user);
  assert.equal(even.fx, Math.trunc(evens[0].x as number));
  assert.equal(even.lx, evens[evens.length - 1].x);
  assert.equal(even.ffx, Math.fround(evens[0].x as number));
  const xs = evens.map((r) => r.x as number).sort((a, b) => a - b);
  assert.equal(even.median, xs[50]);
});

test('persisted pieces merge sketches and pairs to the same answers as one in-memory index', async () => {
  const whole = await query({});
  // Minute granularity keeps ~200 rows, so a 7-row limit persists ~28 pieces that the handoff merges.
  const pieces = await query({ maxRowsInMemory: 7 }, 'minute');
  assert.deepEqual(pieces, whole);
  const hourly = await query({ maxRowsInMemory: 3 }, 'hour');
  assert.deepEqual(hourly, whole);
});

test('without rollup every row keeps its own sketch; query-time union still counts distinct users', async () => {
  const source = new LocalSegmentSource();
  const built = buildSegments(rows(), schema(false), { segmentVersion: 'v1' });
  const seg = openSegment(built[0].bytes, built[0].id);
  assert.equal(seg.numRows, 200);
  assert.equal(seg.column('theta')?.complexType, 'thetaSketch');
  assert.equal(seg.column('hll')?.complexType, 'HLLSketch');
  assert.equal(seg.column('fu')?.complexType, 'serializablePairLongString');
  source.addSegment(built[0].id, seg);
  const res = (await createQueryExecutor({ segments: source }).run({
    queryType: 'timeseries', dataSource: 'cx', granularity: 'all', intervals: ['2024/2025'],
    aggregations: [{ type: 'thetaSketch', name: 't', fieldName: 'theta' }],
  } as never)) as { result: { t: number } }[];
  assert.equal(res[0].result.t, 37);
});

test('sketch and pair serializations round-trip', () => {
  const t = trimTheta([0.5, 0.1, 0.3, 0.2], 2, 1);
  assert.deepEqual(t, { k: 2, theta: 0.3, hashes: [0.1, 0.2] });
  assert.deepEqual(deserializeTheta(serializeTheta(t)), t);
  assert.deepEqual(unionTheta(t, { k: 4, theta: 1, hashes: [0.05] }).hashes, [0.05, 0.1]);
  assert.deepEqual(deserializeTheta(new Uint8Array(0), 8), { k: 8, theta: 1, hashes: [] });
  let q = emptyQuantiles(8);
  for (let i = 0; i < 100; i++) q = addValues(q as never, [i]);
  const back = deserializeQuantiles(serializeQuantiles(q));
  assert.deepEqual(back, q);
  assert.ok(Math.abs(quantileOf(back, 0.5) - 50) <= 10);
  for (const p of [{ t: 5, v: 'héllo' }, { t: -1, v: 2.5 }, { t: 0, v: null }]) assert.deepEqual(deserializePair(serializePair(p)), p);
  assert.equal(deserializePair(new Uint8Array(0)), null);
});
