/**
 * Differential test: thousands of seeded random queries run on Nemeton in
 * native-pushdown and broker-only modes and on DuckDB over the same rows;
 * every result must agree. Shapes: grouped aggregates (dimension, expression
 * and TIME_FLOOR/FLOOR/DATE_TRUNC keys; COUNT/SUM/MIN/MAX/AVG/exact COUNT
 * DISTINCT/FILTER/expressions over aggregates; HAVING; ORDER BY + LIMIT/OFFSET),
 * global aggregates (incl. empty input), scans, DISTINCT, nested aggregates
 * (subquery and WITH), IN (subquery), GROUPING SETS/ROLLUP/CUBE, UNION ALL,
 * joins of aggregated subqueries, window functions and grouping on a
 * multi-value dimension; filters with =, <>, IN, NOT IN, LIKE (+ESCAPE),
 * BETWEEN, IS [NOT] NULL, AND/OR/NOT, __time ranges and expressions; one query
 * in five runs in a non-UTC sqlTimeZone.
 *
 * Env: NEMETON_DIFF_SEED (default 20240101), NEMETON_DIFF_QUERIES (default
 * 2000), NEMETON_DIFF_ROWS (default 1000). A failure prints the seed, both SQL
 * texts and both results.
 *
 * Druid semantics encoded on the DuckDB side (Druid's intended behaviour, not
 * bugs): BIGINT / BIGINT is integer division (DuckDB `//`); SUBSTRING starting
 * past the end is NULL; SUM(CASE WHEN c THEN x ELSE 0 END) is SUM(x) FILTER
 * (WHERE c), NULL when nothing matches; the empty grouping set yields no
 * grand-total row over no input rows; multiple-hour/minute TIME_FLOOR periods
 * in a zone count from 1970-01-01T00:00 local (that date's offset); NULLs sort
 * first ascending, last descending.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMismatch, runDifferential } from './fixtures/differential-run.ts';

const seed = Number(process.env.NEMETON_DIFF_SEED ?? 20240101);
const queries = Number(process.env.NEMETON_DIFF_QUERIES ?? 2000);
const rows = Number(process.env.NEMETON_DIFF_ROWS ?? 1000);

test(`differential: ${queries} random queries agree with DuckDB (seed ${seed})`, async (t) => {
  const result = await runDifferential({ seed, queries, rows });
  const ms = result.ms;
  t.diagnostic(`${result.queries} queries x 2 modes in ${Math.round(ms.total)} ms (native ${Math.round(ms.native)}, broker ${Math.round(ms.broker)}, duckdb ${Math.round(ms.duckdb)})`);
  const shown = result.mismatches.slice(0, 10).map((m) => describeMismatch(m, seed));
  assert.equal(result.mismatches.length, 0, `${result.mismatches.length} mismatches (rerun with NEMETON_DIFF_SEED=${seed}):\n\n${shown.join('\n\n')}`);
});
