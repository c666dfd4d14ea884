/** SQL -> native translation: the shapes Druid's planner produces for the common cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calciteFixture } from './support/calcite-fixture.ts';
import { planQuery } from '../../planner/engine/create-sql-engine.ts';
import { nativeLeaves } from '../../planner/native/explain.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import type { DruidSqlCase } from './support/druid-case-compare.ts';

const ETERNITY = '-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z';

async function plan(sql: string, context: Record<string, unknown> = {}): Promise<{ queries: Record<string, unknown>[]; broker: string[] }> {
  const fx = await calciteFixture();
  const p = planQuery(sql, [], fx.session(context), fx.catalog);
  const queries = nativeLeaves(p.rel).map((l) => l.query as unknown as Record<string, unknown>);
  const broker: string[] = [];
  const walk = (r: typeof p.rel) => {
    if (r.kind === 'native' || r.kind === 'scan' || r.kind === 'values') return;
    broker.push(r.kind);
    if (r.kind === 'join') { walk(r.left); walk(r.right); } else if (r.kind === 'setOp') r.inputs.forEach(walk); else walk(r.input);
  };
  walk(p.rel);
  return { queries, broker };
}

async function single(sql: string, context: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const { queries } = await plan(sql, context);
  assert.equal(queries.length, 1, `one native query for ${sql}`);
  return queries[0];
}

test('COUNT(*) over a table is a timeseries with granularity all', async () => {
  const q = await single('SELECT COUNT(*), SUM(cnt), SUM(m2), MIN(m1), MAX(cnt) FROM foo');
  assert.equal(q.queryType, 'timeseries');
  assert.deepEqual(q.granularity, { type: 'all' });
  assert.deepEqual(q.intervals, { type: 'intervals', intervals: [ETERNITY] });
  assert.deepEqual(q.aggregations, [
    { type: 'count', name: 'a0' },
    { type: 'longSum', name: 'a1', fieldName: 'cnt' },
    { type: 'doubleSum', name: 'a2', fieldName: 'm2' },
    { type: 'doubleMin', name: 'a3', fieldName: 'm1' },
    { type: 'longMax', name: 'a4', fieldName: 'cnt' },
  ]);
});

test('GROUP BY a time floor is a timeseries with a period granularity in the session zone', async () => {
  const q = await single('SELECT FLOOR(__time TO MONTH), COUNT(*) FROM foo GROUP BY 1', { sqlTimeZone: 'America/Los_Angeles' });
  assert.equal(q.queryType, 'timeseries');
  assert.deepEqual(q.granularity, { type: 'period', period: 'P1M', timeZone: 'America/Los_Angeles' });
  assert.equal((q.context as Record<string, unknown>).skipEmptyBuckets, true);
  const desc = await single("SELECT TIME_FLOOR(__time, 'P1D') AS d, COUNT(*) FROM foo GROUP BY 1 ORDER BY d DESC LIMIT 2");
  assert.equal(desc.descending, true);
  assert.equal(desc.limit, 2);
});

test('one dimension ordered by a metric with a limit is a topN; approximate topN can be turned off', async () => {
  const q = await single('SELECT dim1, COUNT(*) AS c FROM foo GROUP BY dim1 ORDER BY c DESC LIMIT 3');
  assert.equal(q.queryType, 'topN');
  assert.deepEqual(q.dimension, { type: 'default', dimension: 'dim1', outputName: 'd0', outputType: 'STRING' });
  assert.deepEqual(q.metric, { type: 'numeric', metric: 'a0' });
  assert.equal(q.threshold, 3);
  const asc = await single('SELECT dim1, SUM(m1) AS s FROM foo GROUP BY dim1 ORDER BY s LIMIT 3');
  assert.deepEqual(asc.metric, { type: 'inverted', metric: { type: 'numeric', metric: 'a0' } });
  const exact = await single('SELECT dim1, COUNT(*) AS c FROM foo GROUP BY dim1 ORDER BY c DESC LIMIT 3', { useApproximateTopN: false });
  assert.equal(exact.queryType, 'groupBy');
  assert.deepEqual(exact.limitSpec, { type: 'default', columns: [{ dimension: 'a0', direction: 'descending', dimensionOrder: 'numeric' }], limit: 3 });
});

test('other aggregations are groupBy with virtual columns, filtered aggregators and limitSpec', async () => {
  const q = await single("SELECT dim1, UPPER(dim2) AS u, COUNT(*) FILTER (WHERE m1 > 2), COUNT(dim2) FROM foo WHERE dim1 <> 'x' GROUP BY 1, 2 ORDER BY dim1 LIMIT 5 OFFSET 1");
  assert.equal(q.queryType, 'groupBy');
  assert.deepEqual(q.virtualColumns, [{ type: 'expression', name: 'v0', expression: 'upper("dim2")', outputType: 'STRING' }]);
  assert.deepEqual(q.dimensions, [
    { type: 'default', dimension: 'dim1', outputName: 'd0', outputType: 'STRING' },
    { type: 'default', dimension: 'v0', outputName: 'd1', outputType: 'STRING' },
  ]);
  assert.deepEqual(q.filter, { type: 'not', field: { type: 'equals', column: 'dim1', matchValueType: 'STRING', matchValue: 'x' } });
  assert.deepEqual(q.aggregations, [
    { type: 'filtered', filter: { type: 'range', column: 'm1', matchValueType: 'LONG', lower: 2, lowerOpen: true }, aggregator: { type: 'count', name: 'a0' }, name: 'a0' },
    { type: 'filtered', filter: { type: 'not', field: { type: 'null', column: 'dim2' } }, aggregator: { type: 'count', name: 'a1' }, name: 'a1' },
  ]);
  assert.deepEqual(q.limitSpec, { type: 'default', columns: [{ dimension: 'd0', direction: 'ascending', dimensionOrder: 'lexicographic' }], limit: 5, offset: 1 });
});

test('GROUPING SETS become subtotalsSpec; COUNT(DISTINCT) is cardinality unless exact is asked for', async () => {
  const q = await single('SELECT dim1, dim2, SUM(cnt) FROM foo GROUP BY GROUPING SETS ((dim1, dim2), (dim1))');
  assert.deepEqual(q.subtotalsSpec, [['d0', 'd1'], ['d0']]);
  const approx = await single('SELECT COUNT(DISTINCT dim1) FROM foo');
  assert.deepEqual(approx.aggregations, [{ type: 'cardinality', name: 'a0', fields: ['dim1'], round: true }]);
  const exact = await plan('SELECT COUNT(DISTINCT dim1) FROM foo', { useApproximateCountDistinct: false });
  assert.equal(exact.queries[0].queryType, 'scan');
  assert.ok(exact.broker.includes('aggregate'));
});

test('AVG is a sum and a count of non-null values, divided on the broker', async () => {
  const q = await single('SELECT AVG(m1) FROM foo');
  assert.deepEqual(q.aggregations, [
    { type: 'doubleSum', name: 'a0:sum', fieldName: 'm1' },
    { type: 'filtered', filter: { type: 'not', field: { type: 'null', column: 'm1' } }, aggregator: { type: 'count', name: 'a0:count' }, name: 'a0:count' },
  ]);
});

test('conditions on __time become exact query intervals, including ORs and open ends', async () => {
  const a = await single("SELECT COUNT(*) FROM foo WHERE __time >= TIMESTAMP '2000-01-01' AND __time < TIMESTAMP '2000-01-02'");
  assert.deepEqual(a.intervals, { type: 'intervals', intervals: ['2000-01-01T00:00:00.000Z/2000-01-02T00:00:00.000Z'] });
  assert.equal(a.filter, undefined);
  const b = await single("SELECT COUNT(*) FROM foo WHERE __time < '2000-01-02' OR (__time > '2001-01-01' AND __time <= '2001-01-02')");
  assert.deepEqual((b.intervals as { intervals: string[] }).intervals, [
    '-146136543-09-08T08:23:32.096Z/2000-01-02T00:00:00.000Z',
    '2001-01-01T00:00:00.001Z/2001-01-02T00:00:00.001Z',
  ]);
  const c = await single("SELECT COUNT(*) FROM foo WHERE __time = TIMESTAMP '2000-01-01' AND dim1 = 'a'");
  assert.deepEqual((c.intervals as { intervals: string[] }).intervals, ['2000-01-01T00:00:00.000Z/2000-01-01T00:00:00.001Z']);
  assert.deepEqual(c.filter, { type: 'equals', column: 'dim1', matchValueType: 'STRING', matchValue: 'a' });
  const none = await single("SELECT COUNT(*) FROM foo WHERE __time > '2001-01-01' AND __time < '2000-01-01'");
  assert.deepEqual((none.intervals as { intervals: string[] }).intervals, []);
  const folded = await single('SELECT COUNT(*) FROM foo WHERE __time >= CURRENT_TIMESTAMP - INTERVAL \'1\' DAY', { sqlCurrentTimestamp: '2000-01-02T00:00:00Z' });
  assert.deepEqual((folded.intervals as { intervals: string[] }).intervals, ['2000-01-01T00:00:00.000Z/146140482-04-24T15:36:27.903Z']);
});

test('filters: IN lists, LIKE, IS NULL, ranges, NOT IN with NULL, expression fallback', async () => {
  const q = await single("SELECT COUNT(*) FROM numfoo WHERE dim1 IN ('b', 'a') AND dim2 LIKE 'a%' AND dim3 IS NULL AND l1 >= 3 AND dbl1 < 2.5 AND LOWER(dim4) = 'a'");
  assert.deepEqual(q.filter, {
    type: 'and', fields: [
      { type: 'inType', column: 'dim1', matchValueType: 'STRING', sortedValues: ['a', 'b'] },
      { type: 'like', dimension: 'dim2', pattern: 'a%' },
      { type: 'null', column: 'dim3' },
      { type: 'range', column: 'l1', matchValueType: 'LONG', lower: 3 },
      { type: 'range', column: 'dbl1', matchValueType: 'DOUBLE', upper: 2.5, upperOpen: true },
      { type: 'expression', expression: `(lower("dim4") == 'a')` },
    ],
  });
  const n = await single("SELECT COUNT(*) FROM foo WHERE dim1 NOT IN ('a', NULL)");
  assert.deepEqual(n.filter, { type: 'false' });
});

test('plain selects are scans of just the needed columns, with limits and time order pushed', async () => {
  const q = await single("SELECT dim1, m1 * 2 FROM foo WHERE dim2 = 'a' LIMIT 3");
  assert.equal(q.queryType, 'scan');
  assert.deepEqual(q.columns, ['dim1', 'm1']);
  assert.equal(q.limit, 3);
  assert.equal(q.resultFormat, 'compactedList');
  const t = await single('SELECT __time, dim1 FROM foo ORDER BY __time DESC LIMIT 2');
  assert.equal(t.order, 'descending');
  assert.equal(t.limit, 2);
  const sorted = await plan('SELECT dim1 FROM foo ORDER BY dim1 LIMIT 2');
  assert.equal(sorted.queries[0].limit, undefined, 'a sort on a non-time column cannot limit the scan');
  assert.ok(sorted.broker.includes('sort'));
});

test('joins, unions and windows run on the broker over native leaves', async () => {
  const j = await plan('SELECT f.dim1, l.v FROM foo f JOIN lookup.lookyloo l ON f.dim2 = l.k');
  assert.equal(j.queries.length, 1);
  assert.ok(j.broker.includes('join'));
  const u = await plan('SELECT COUNT(*) FROM foo UNION ALL SELECT COUNT(*) FROM numfoo');
  assert.deepEqual(u.queries.map((q) => q.queryType), ['timeseries', 'timeseries']);
  const w = await plan('SELECT dim1, ROW_NUMBER() OVER (ORDER BY m1) FROM foo');
  assert.ok(w.broker.includes('window'));
});

test('EXPLAIN PLAN FOR returns PLAN, RESOURCES and ATTRIBUTES like Druid', async () => {
  const fx = await calciteFixture();
  const r = await fx.engine.execute('EXPLAIN PLAN FOR SELECT dim1, COUNT(*) AS cnt FROM foo GROUP BY dim1', [], fx.session());
  assert.deepEqual(r.columns.map((c) => c.name), ['PLAN', 'RESOURCES', 'ATTRIBUTES']);
  const rows: unknown[][] = [];
  for await (const row of r.rows) rows.push([...row]);
  const [planText, resources, attributes] = rows[0] as string[];
  const parsed = JSON.parse(planText) as { query: NativeQuery; signature: unknown[]; columnMappings: unknown[] }[];
  assert.equal(parsed[0].query.queryType, 'groupBy');
  assert.deepEqual(parsed[0].signature, [{ name: 'd0', type: 'STRING' }, { name: 'a0', type: 'LONG' }]);
  assert.deepEqual(parsed[0].columnMappings, [{ queryColumn: 'd0', outputColumn: 'dim1' }, { queryColumn: 'a0', outputColumn: 'cnt' }]);
  assert.deepEqual(JSON.parse(resources), [{ name: 'foo', type: 'DATASOURCE' }]);
  assert.deepEqual(JSON.parse(attributes), { statementType: 'SELECT' });
});

test("native plans agree with Druid's on filters, dimensions and aggregations for its own test queries", async () => {
  const fx = await calciteFixture();
  const cases = (JSON.parse(readFileSync(new URL('../../../shared/data/druid-cases/sql_calcite_quidem.json', import.meta.url), 'utf8')) as { cases: DruidSqlCase[] }).cases;
  const picked = cases.filter((c) => c.druidNativePlan && /^SqlQuidem\/(grouping_sets_single_value_filter#0|aggfilter#0|interval_arithmetic#[0-4])/.test(c.name));
  assert.ok(picked.length >= 3);
  const norm = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  for (const c of picked) {
    const p = planQuery(c.query, [], fx.session(c.context ?? {}), fx.catalog);
    const mine = nativeLeaves(p.rel)[0].query as unknown as Record<string, unknown>;
    const druid = c.druidNativePlan!;
    for (const key of ['queryType', 'filter', 'intervals', 'dimensions', 'aggregations', 'subtotalsSpec']) {
      if (druid[key] === undefined && mine[key] === undefined) continue;
      if (key === 'aggregations' && druid[key] === undefined && Array.isArray(mine[key]) && (mine[key] as unknown[]).length === 0) continue;
      assert.equal(norm(mine[key]), norm(druid[key]), `${c.name}: ${key}`);
    }
  }
});

test('IS [NOT] DISTINCT FROM, interval arithmetic and TIME_FLOOR bounds push down as filters and intervals', async () => {
  const q = await single("SELECT COUNT(*) FROM foo WHERE TIME_FLOOR(__time, 'PT1H') BETWEEN TIMESTAMP '2000-01-01 00:30:00' AND TIMESTAMP '2000-01-02 00:00:00' AND (UPPER(dim1) IS NOT DISTINCT FROM dim2 OR __time - INTERVAL '1' MONTH > TIMESTAMP '1999-12-01 00:00:00')");
  assert.equal(q.queryType, 'timeseries');
  // floor >= 00:30 means __time >= 01:00; floor <= 2000-01-02 means __time < 2000-01-02T01:00.
  assert.deepEqual(q.intervals, { type: 'intervals', intervals: ['2000-01-01T01:00:00.000Z/2000-01-02T01:00:00.000Z'] });
  assert.deepEqual(q.filter, {
    type: 'expression',
    expression: "(notdistinctfrom(upper(\"dim1\"),\"dim2\") || (timestamp_shift(\"__time\",'P1M',-1,'UTC') > 944006400000))",
  });
});

test('APPROX_QUANTILE(_DS) pushes down as a quantilesDoublesSketch read through a quantile post-aggregator', async () => {
  const q = await single("SELECT dim2, APPROX_QUANTILE_DS(m1, 0.5, 64), APPROX_QUANTILE(m1 * 2, 0.9) FILTER (WHERE dim1 <> '') FROM foo GROUP BY dim2");
  assert.equal(q.queryType, 'groupBy');
  assert.deepEqual(q.virtualColumns, [{ type: 'expression', name: 'v0', expression: '("m1" * 2)', outputType: 'DOUBLE' }]);
  assert.deepEqual(q.aggregations, [
    { type: 'quantilesDoublesSketch', name: 'a0:agg', fieldName: 'm1', k: 64 },
    {
      type: 'filtered', name: 'a1:agg', filter: { type: 'not', field: { type: 'equals', column: 'dim1', matchValueType: 'STRING', matchValue: '' } },
      aggregator: { type: 'quantilesDoublesSketch', name: 'a1:agg', fieldName: 'v0' },
    },
  ]);
  assert.deepEqual(q.postAggregations, [
    { type: 'quantilesDoublesSketchToQuantile', name: 'a0', field: { type: 'fieldAccess', name: 'a0:agg', fieldName: 'a0:agg' }, fraction: 0.5 },
    { type: 'quantilesDoublesSketchToQuantile', name: 'a1', field: { type: 'fieldAccess', name: 'a1:agg', fieldName: 'a1:agg' }, fraction: 0.9 },
  ]);
});
