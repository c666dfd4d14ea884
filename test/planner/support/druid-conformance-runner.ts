/**
 * Runs Apache Druid's SQL cases of one file (shared/data/druid-cases) through
 * the real engine over the calcite fixture, with native pushdown or
 * broker-only, and fails on any difference not listed as known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calciteFixture } from './calcite-fixture.ts';
import { compareWithCase, type DruidSqlCase } from './druid-case-compare.ts';

/** Known differences, each with its reason. */
export const KNOWN: Record<string, string> = {
  'CalciteArrays/testUnnestExtractionFn#0': "MV_TO_ARRAY of a row stored as [''] keeps '' (Druid drops it)",
  'CalciteJoin/testInnerJoinTableLookupLookupWithFilterWithOuterLimitWithAllColumns@all_disabled#0': 'hyperUnique bytes differ from Druid HLL serialization',
  'CalciteJoin/testInnerJoinTableLookupLookupWithFilterWithoutLimitWithAllColumns@all_disabled#0': 'hyperUnique bytes differ from Druid HLL serialization',
  'CalciteJoin/testJoinOnGroupByInsteadOfTimeseriesWithFloorOnTimeWithNoAggregateMultipleValues#0': 'ANY_VALUE(mv, n, false) should pick one value of a multi-value row',
  'qaAggFuncs/array_agg_timestamp_test001.std/test001/A01': 'ARRAY of TIMESTAMP elements: the result carries no element type, so it renders as epoch ms',
  'qaWin/sql_order_by.all/test_sql_test_order_by/A1_Q1': 'rows tied on every ORDER BY key come out in a different (equally valid) order on the broker',
  'CalciteWindow/lead_lag': 'LAG/LEAD over an empty OVER () depend on input row order, which SQL leaves open (broker order is time order)',
  'CalciteArrays/testUnnestThriceWithFiltersOnDimAndAllUnnestColumns#0': "Druid's answer is wrong: its plan names two nested unnests j0.unnest, so 'Baz' and 'Hello' filter one column; ours is the SQL answer",
  'CalciteArrays/testUnnestThriceWithFiltersOnDimAndAllUnnestColumnsArrayColumns#0': 'Druid plan names two nested unnests j0.unnest (same bug as above); ours is the SQL answer',
  'CalciteWindow/wikipediaAggregationsMultipleOrdering': 'ROW_NUMBER over ORDER BY SUM(delta) with ties: tied rows numbered in a different (equally valid) order on the broker',
  'CalciteWindow/wikipediaAggregationsMultipleOrderingDesc': 'ROW_NUMBER over ORDER BY SUM(delta) DESC with ties: tied rows numbered in a different (equally valid) order on the broker',
  'qaSql/aggr_general.std/aggr_general/A10_q_grpby': 'APPROX_COUNT_DISTINCT: our HLL estimate differs from Druid HLL (1841 vs 1825 in the first hour)',
  'qaSql/aggr_general.std/aggr_general/A21_q_grpby': 'broker only: EARLIEST(agent) over COMPLEX<json> gives the first value; Druid gives null for it',
};

/**
 * Registers one test running every case of `file` (optionally the cases with
 * index % parts === part) in `mode`, over the fixture's tables (or only the
 * data sources named in `tables`, when the cases read nothing else).
 */
export function conformanceTest(file: string, mode: 'native' | 'broker', part?: { index: number; of: number }, tables?: readonly string[]): void {
  const all = (JSON.parse(readFileSync(new URL(`../../../../shared/data/druid-cases/${file}`, import.meta.url), 'utf8')) as { cases: DruidSqlCase[] }).cases;
  const cases = part === undefined ? all : all.filter((_c, i) => i % part.of === part.index);
  const label = part === undefined ? '' : ` part ${part.index + 1}/${part.of}`;
  test(`druid-cases/${file} (${mode})${label}: ${cases.length} cases`, async (t) => {
    const fx = await calciteFixture(tables);
    const engine = mode === 'native' ? fx.engine : fx.brokerEngine;
    const failures: string[] = [];
    let passed = 0;
    for (const c of cases) {
      let diff: string | null;
      try {
        const r = await engine.execute(c.query, [], fx.session(c.context ?? {}));
        const rows: unknown[][] = [];
        for await (const row of r.rows) rows.push([...row]);
        diff = compareWithCase(c, r.columns, rows);
      } catch (e) {
        diff = `error: ${(e as Error).message}`;
      }
      if (diff === null) { passed++; continue; }
      if (KNOWN[c.name] !== undefined) continue;
      failures.push(`${c.name}: ${c.query.replace(/\s+/g, ' ').slice(0, 160)}\n  ${diff.slice(0, 300)}`);
    }
    t.diagnostic(`${passed}/${cases.length} cases match Druid`);
    assert.deepEqual(failures, []);
    assert.ok(passed >= cases.length - Object.keys(KNOWN).length);
  });
}
