/** Druid's QA test_sql cases (native, half 1 of 2) over the test_sql table alone; see druid-conformance.test.ts. */
import { conformanceTest } from './support/druid-conformance-runner.ts';

conformanceTest('sql_qa_test_sql.json', 'native', { index: 0, of: 2 }, ['test_sql']);
