/** pgbench per-transaction log parsing: microsecond latencies from the third field, failures counted, exact percentiles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePgbenchLog, percentileMs } from '../../bench/lib/concurrency.ts';
import { toMarkdown, type BenchReport } from '../../bench/lib/report.ts';

// As pgbench 15 writes it with -l: client_id transaction_no time(us) script_no time_epoch time_us.
const LOG = `0 1 568 0 1795450334 909859
0 2 104 0 1795450334 909968
0 3 84 3 1795450334 910055
1 1 failed 0 1795450334 910100
1 2 6020 1 1795450334 915853

1 3 79 0 1795450334 916045
`;

test('parsePgbenchLog: sub-millisecond latencies in microseconds, failed lines counted, blank lines ignored', () => {
  const { latenciesUs, failed } = parsePgbenchLog(LOG);
  assert.deepEqual(latenciesUs, [568, 104, 84, 6020, 79]);
  assert.equal(failed, 1);
  // The script number and the epoch are never taken for the latency.
  assert.deepEqual(parsePgbenchLog('2 7 1234 5 1795450334 916045 12\n').latenciesUs, [1234]);
});

test('percentileMs: nearest rank over sorted microseconds, in milliseconds', () => {
  const sorted = Float64Array.from(parsePgbenchLog(LOG).latenciesUs).sort();
  assert.equal(percentileMs(sorted, 0.5), 0.104);
  assert.equal(percentileMs(sorted, 0.99), 6.02);
  assert.equal(percentileMs(sorted, 0), 0.079);
  assert.equal(percentileMs(Float64Array.of(300), 0.5), 0.3);
  assert.ok(Number.isNaN(percentileMs(new Float64Array(0), 0.5)));
});

test('the concurrency table shows sub-millisecond latencies instead of rounding them to 0', () => {
  const report = {
    date: '2026-01-01', machine: 'm', cores: 2, command: 'npm run bench', rows: 1, days: 1, ssbScaleFactor: null, ssbRows: 0,
    load: {}, queries: [], scanRates: {}, connectMs: {}, peakRssBytes: 0,
    concurrency: { PostgreSQL: [{ clients: 1, tps: 5000, p50: 0.084, p99: 0.568, transactions: 5, failed: 0 }] },
  } as unknown as BenchReport;
  assert.match(toMarkdown(report, []), /\| PostgreSQL \| 1 \| 5000\.0 \| 0\.08 \| 0\.57 \| 0 \|/);
});
