/** Approximate distinct counts: HLL (cardinality, hyperUnique) and KMV theta (thetaSketch, HLLSketch*). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryExecutor } from '../../query/index.ts';
import { arraySegment, listSource } from './fixtures/array-segment.ts';

const DAY = Date.UTC(2021, 0, 1);
const COLS = [{ name: 'user', type: 'STRING' as const }, { name: 'n', type: 'LONG' as const }];

function segments(distinct: number, rowsPerSegment: number, count: number) {
  return Array.from({ length: count }, (_, s) => arraySegment('d', { start: DAY, end: DAY + 86400000 },
    COLS, Array.from({ length: rowsPerSegment }, (_, i) => ({ __time: DAY + i, user: `u${(s * 7919 + i * 31) % distinct}`, n: i % 17 })), s));
}

const query = (aggs: unknown[], post: unknown[] = []) => ({ queryType: 'timeseries', dataSource: 'd', intervals: ['2021-01-01/2021-01-02'], granularity: 'all', aggregations: aggs, postAggregations: post });

test('theta and HLLSketch aggregators are exact below their size and merge across segments', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments(500, 400, 3)) });
  const [row] = (await ex.run(query(
    [{ type: 'thetaSketch', name: 't', fieldName: 'user' }, { type: 'HLLSketchBuild', name: 'h', fieldName: 'user', lgK: 12 }, { type: 'cardinality', name: 'c', fields: ['user'], round: true }],
    [{ type: 'thetaSketchEstimate', name: 'te', field: { type: 'fieldAccess', fieldName: 't' } }],
  ))) as { result: Record<string, number> }[];
  assert.equal(row.result.t, 500);
  assert.equal(row.result.h, 500);
  assert.equal(row.result.te, 500);
  assert.ok(Math.abs(row.result.c - 500) <= 500 * 0.07, `hll estimate ${row.result.c}`);
});

test('theta sketch estimates beyond its nominal size within a few percent', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments(20000, 10000, 4)) });
  const [row] = (await ex.run(query([{ type: 'thetaSketch', name: 't', fieldName: 'user', size: 1024 }, { type: 'cardinality', name: 'c', fields: ['user'] }]))) as { result: Record<string, number> }[];
  // 4 segments x 10000 rows over 20000 distinct users: every user appears.
  assert.ok(Math.abs(row.result.t - 20000) < 20000 * 0.1, `theta estimate ${row.result.t}`);
  assert.ok(Math.abs(row.result.c - 20000) < 20000 * 0.07, `hll estimate ${row.result.c}`);
  assert.ok(!Number.isInteger(row.result.c) || row.result.c !== 20000);
});

test('cardinality byRow counts distinct tuples; grouped sketches are per group', async () => {
  const ex = createQueryExecutor({ segments: listSource(segments(50, 200, 1)) });
  const [row] = (await ex.run(query([{ type: 'cardinality', name: 'c', fields: ['user', 'n'], byRow: true, round: true }]))) as { result: Record<string, number> }[];
  // (user, n) pairs: i -> (31 i mod 50, i mod 17) over i < 200: 200 distinct pairs.
  assert.ok(Math.abs(row.result.c - 200) <= 12, `${row.result.c}`);
  const gb = (await ex.run({ queryType: 'groupBy', dataSource: 'd', intervals: ['2021-01-01/2021-01-02'], granularity: 'all', dimensions: ['n'], aggregations: [{ type: 'thetaSketch', name: 't', fieldName: 'user' }] })) as { event: { n: number; t: number } }[];
  assert.equal(gb.length, 17);
  assert.equal(gb.find((r) => r.event.n === 0)!.event.t, 12);
});

test('quantilesDoublesSketch: exact below k, rank error within a few percent beyond, mergeable', async () => {
  const COLS2 = [{ name: 'x', type: 'DOUBLE' as const }];
  const segs = Array.from({ length: 4 }, (_, s) => arraySegment('q', { start: DAY, end: DAY + 86400000 }, COLS2,
    Array.from({ length: 5000 }, (_, i) => ({ __time: DAY + i, x: ((i * 4 + s) * 7919) % 20000 })), s));
  const ex = createQueryExecutor({ segments: listSource(segs) });
  const q = (fieldK: number) => ({
    queryType: 'timeseries', dataSource: 'q', intervals: ['2021-01-01/2021-01-02'], granularity: 'all',
    aggregations: [{ type: 'quantilesDoublesSketch', name: 's', fieldName: 'x', k: fieldK }],
    postAggregations: [0.1, 0.5, 0.9].map((f) => ({ type: 'quantilesDoublesSketchToQuantile', name: `q${f}`, field: { type: 'fieldAccess', fieldName: 's' }, fraction: f })),
  });
  const [row] = (await ex.run(q(128))) as { result: Record<string, number> }[];
  assert.equal(row.result.s, 20000);
  // Values are a permutation of 0..19999: the true q-quantile is 20000 q.
  for (const f of [0.1, 0.5, 0.9]) assert.ok(Math.abs(row.result[`q${f}`] - 20000 * f) < 20000 * 0.03, `q${f}=${row.result[`q${f}`]}`);
  const [exact] = (await ex.run(q(65536))) as { result: Record<string, number> }[];
  assert.equal(exact.result['q0.5'], 10000);
});
