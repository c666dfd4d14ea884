/**
 * Apache Druid's own SQL test cases (shared/data/druid-cases) over every
 * table they use, run through the real engine with native pushdown and
 * broker-only. Every case runs; the known differences are listed with their
 * reason in support/druid-conformance-runner.ts. The 60 test_sql cases (78K
 * rows each) run in druid-conformance-test-sql-*.test.ts, split so each file
 * stays within the per-file time limit.
 */
import { conformanceTest } from './support/druid-conformance-runner.ts';

const FILES = ['sql_calcite_quidem.json', 'sql_calcite_join.json', 'sql_calcite_window.json', 'sql_qa_test_win.json', 'sql_qa_test_agg_funcs.json'];

for (const file of FILES) for (const mode of ['native', 'broker'] as const) conformanceTest(file, mode);
