/**
 * Regression tests for bugs the differential test found, and checks that the
 * differential machinery itself can fail (comparison, determinism).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDiffRows, loadNemeton, seededRandom } from './fixtures/differential-table.ts';
import { DiffQueryGenerator } from './fixtures/differential-query-gen.ts';
import { cellsEqual, resultsEqual, runNemeton } from './fixtures/differential-compare.ts';
import { quantileAccumulator } from '../../planner/exec/quantile-accumulator.ts';
import type { SqlSessionContext } from '../../planner/sql-engine.ts';
import type { NativeQuery } from '../../query/model/query.ts';

const SESSION: SqlSessionContext = { queryContext: { useApproximateCountDistinct: false }, user: 't', database: 'druid', settings: new Map() };

test('count-only timeseries with a filter keeps filtered aggregators filtered (COUNT(col) with WHERE)', async () => {
  const rows = generateDiffRows(2, 600);
  const nem = loadNemeton(rows);
  const lo = Date.UTC(2024, 0, 1, 20);
  const hi = Date.UTC(2024, 0, 2, 6);
  const expectedCountry = rows.filter((r) => r.country !== undefined && r.user_id !== undefined && (r.user_id as number) < 12 && r.__time >= lo && r.__time < hi).length;
  const expectedAll = rows.filter((r) => r.user_id !== undefined && (r.user_id as number) < 12 && r.__time >= lo && r.__time < hi).length;
  assert.notEqual(expectedCountry, expectedAll, 'the data must tell the two counts apart');
  const query = {
    queryType: 'timeseries', dataSource: { type: 'table', name: 'diff' }, intervals: { type: 'intervals', intervals: ['2000-01-01/2030-01-01'] },
    granularity: { type: 'all' },
    filter: { type: 'and', fields: [{ type: 'range', column: 'user_id', matchValueType: 'LONG', upper: 12, upperOpen: true }, { type: 'range', column: '__time', matchValueType: 'LONG', lower: lo, upper: hi, upperOpen: true }] },
    aggregations: [
      { type: 'filtered', filter: { type: 'not', field: { type: 'null', column: 'country' } }, aggregator: { type: 'count', name: 'c' }, name: 'c' },
    ],
  } as unknown as NativeQuery;
  const res = (await nem.runner.run(query)) as { result: { c: number } }[];
  assert.equal(res[0].result.c, expectedCountry);
  const sql = `SELECT COUNT("country"), COUNT(*) FILTER (WHERE "country" IS NOT NULL), COUNT(*) FROM diff WHERE "user_id" < 12 AND __time >= TIMESTAMP '2024-01-01 20:00:00' AND __time < TIMESTAMP '2024-01-02 06:00:00'`;
  for (const engine of [nem.engine, nem.brokerEngine]) assert.deepEqual(await runNemeton(engine, sql, SESSION), [[expectedCountry, expectedCountry, expectedAll]]);
});

test('SUM(CASE WHEN c THEN x ELSE 0 END) is NULL when no row matches (Druid plans it as a filtered SUM)', async () => {
  const nem = loadNemeton(generateDiffRows(3, 200));
  const sql = `SELECT SUM(CASE WHEN "added" > 100000 THEN "added" ELSE 0 END), SUM(CASE WHEN "added" > 100000 THEN "added" ELSE 1 END) FROM diff`;
  for (const engine of [nem.engine, nem.brokerEngine]) assert.deepEqual(await runNemeton(engine, sql, SESSION), [[null, 200]]);
});

test('APPROX_QUANTILE(_DS) runs on the broker with the native sketch semantics', async () => {
  const acc = quantileAccumulator('APPROX_QUANTILE_DS');
  for (const v of [5, null, 1, 4, 2, 6, 3]) acc.add([v, 0.5]);
  assert.equal(acc.result(), 4);
  const empty = quantileAccumulator('APPROX_QUANTILE');
  assert.equal(empty.result(), null);
  assert.throws(() => quantileAccumulator('APPROX_QUANTILE').add([1, 2]), /between 0 and 1/);
  const nem = loadNemeton(generateDiffRows(4, 100));
  for (const engine of [nem.engine, nem.brokerEngine]) {
    const [[lo, hi]] = await runNemeton(engine, 'SELECT APPROX_QUANTILE_DS("added", 0.0), APPROX_QUANTILE("added", 1.0) FROM diff', SESSION);
    const [[min, max]] = await runNemeton(engine, 'SELECT MIN("added"), MAX("added") FROM diff', SESSION);
    assert.deepEqual([lo, hi], [min, max]);
  }
});

test('comparison: timestamps and integers are exact, other numbers within 1e-9, NULL only equals NULL', () => {
  assert.equal(cellsEqual(1704067200000, 1704067200001), false);
  assert.equal(cellsEqual(0.1 + 0.2, 0.3), true);
  assert.equal(cellsEqual(1.5, 1.5001), false);
  assert.equal(cellsEqual(null, 0), false);
  assert.equal(cellsEqual('', null), false);
  assert.equal(resultsEqual([[1, 'a'], [2, 'b']], [[2, 'b'], [1, 'a']], false), true);
  assert.equal(resultsEqual([[1, 'a'], [2, 'b']], [[2, 'b'], [1, 'a']], true), false);
  assert.equal(resultsEqual([[1, 'a'], [1, 'a']], [[1, 'a']], false), false);
  assert.equal(resultsEqual([[1704067200000, null]], [[1704067200999, null]], false), false);
});

test('query generation is reproducible from the seed', () => {
  const take = (seed: number) => { const g = new DiffQueryGenerator(seededRandom(seed)); return Array.from({ length: 50 }, () => g.next().nemeton); };
  assert.deepEqual(take(7), take(7));
  assert.notDeepEqual(take(7), take(8));
  assert.deepEqual(generateDiffRows(5, 20), generateDiffRows(5, 20));
});

test('broker TIME_FLOOR with a multiple period in a zone counts from 1970-01-01 local, as the native engine does', async () => {
  const nem = loadNemeton(generateDiffRows(1, 300));
  // Pacific/Chatham: +12:45 in 1970, +13:45 (daylight time) in January 2024, so 6-hour buckets start at :15 past 23/05/11/17 UTC.
  const session: SqlSessionContext = { ...SESSION, queryContext: { sqlTimeZone: 'Pacific/Chatham' } };
  const sql = `SELECT TIME_FLOOR(__time, 'PT6H'), COUNT(*) FROM diff GROUP BY 1 ORDER BY 1 LIMIT 2`;
  const native = await runNemeton(nem.engine, sql, session);
  const broker = await runNemeton(nem.brokerEngine, sql, session);
  assert.deepEqual(broker, native);
  assert.equal(new Date(native[0][0] as number).toISOString(), '2023-12-31T23:15:00.000Z');
  const literal = await runNemeton(nem.brokerEngine, `SELECT TIME_FLOOR(TIMESTAMP '2024-01-02 03:00:00', 'PT6H'), TIME_FLOOR(TIMESTAMP '2024-01-02 03:00:00', 'PT1H')`, session);
  // 03:00 local is 13:15Z on Jan 1: the 6-hour bucket began at 11:15Z; the hour floors the local wall clock (13:15Z).
  assert.deepEqual(literal, [[Date.UTC(2024, 0, 1, 11, 15), Date.UTC(2024, 0, 1, 13, 15)]]);
});

test('a multi-value row with no values is NULL to expression filters too (NOT MV_CONTAINS / mv_length keep it out)', async () => {
  const rows = [
    { __time: Date.UTC(2024, 0, 1, 0), tags: ['red', 'blue'] },
    { __time: Date.UTC(2024, 0, 1, 1), tags: ['blue'] },
    { __time: Date.UTC(2024, 0, 1, 2), tags: [] },
    { __time: Date.UTC(2024, 0, 1, 3) },
    { __time: Date.UTC(2024, 0, 1, 4), tags: [''] },
  ];
  const nem = loadNemeton(rows);
  for (const where of [`NOT MV_CONTAINS(tags, 'red')`, `NOT MV_OVERLAP(tags, ARRAY['red'])`, `NOT (MV_LENGTH(tags) > 1)`, `tags <> 'red'`]) {
    for (const engine of [nem.engine, nem.brokerEngine]) {
      assert.deepEqual(await runNemeton(engine, `SELECT TIME_EXTRACT(__time, 'HOUR') FROM diff WHERE ${where}`, SESSION), [[1], [4]], where);
    }
  }
});
