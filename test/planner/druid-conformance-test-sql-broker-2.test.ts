/** Druid's QA test_sql cases (broker, half 2 of 2) over the test_sql table alone; see druid-conformance.test.ts. */
import { conformanceTest } from './support/druid-conformance-runner.ts';

conformanceTest('sql_qa_test_sql.json', 'broker', { index: 1, of: 2 }, ['test_sql']);
