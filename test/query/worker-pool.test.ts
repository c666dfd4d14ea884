/** Persisted segments in shared memory run on worker threads and give the same results as the calling thread. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryExecutor } from '../../query/index.ts';
import { mapLookupProvider, setLookupProvider } from '../../query/expression/lookup.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { toShared } from '../../storage/shared-bytes.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

const DAY = Date.UTC(2020, 0, 1);

function source(): LocalSegmentSource {
  const rows: InputRow[] = Array.from({ length: 3000 }, (_, i) => ({
    __time: DAY + Math.floor(i / 1000) * 86400000 + (i % 1000) * 60000,
    channel: `#c${i % 7}`, page: `p${i % 13}`, added: i % 100,
  }));
  const schema: DataSchema = {
    dataSource: 'w', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
    dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'page', type: 'string' }] },
    metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }],
  };
  const src = new LocalSegmentSource();
  for (const b of buildSegments(rows, schema, { segmentVersion: 'v1' })) src.addSegment(b.id, openSegment(toShared(b.bytes), b.id));
  return src;
}

test('worker threads and the calling thread agree on every query type', async () => {
  const src = source();
  const withWorkers = createQueryExecutor({ segments: src, workers: 2 });
  const local = createQueryExecutor({ segments: src, workers: 0 });
  const iv = ['2020-01-01/2020-01-04'];
  const queries = [
    { queryType: 'timeseries', dataSource: 'w', intervals: iv, granularity: 'day', filter: { type: 'in', dimension: 'channel', values: ['#c1', '#c2'] }, aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }] },
    { queryType: 'topN', dataSource: 'w', intervals: iv, granularity: 'all', dimension: 'page', metric: 's', threshold: 3, aggregations: [{ type: 'longSum', name: 's', fieldName: 'added' }] },
    { queryType: 'groupBy', dataSource: 'w', intervals: iv, granularity: 'hour', dimensions: ['channel'], virtualColumns: [{ type: 'expression', name: 'v', expression: 'added * 2' }], aggregations: [{ type: 'longSum', name: 'v', fieldName: 'v' }] },
    { queryType: 'scan', dataSource: 'w', intervals: iv, limit: 5, columns: ['__time', 'page'], order: 'descending' },
  ];
  try {
    for (const q of queries) assert.deepEqual(await withWorkers.run(q), await local.run(q), q.queryType);
    assert.ok(withWorkers.stats().workerTasks >= 12, JSON.stringify(withWorkers.stats()));
    assert.equal(local.stats().workerTasks, 0);
    // Lookups live in this thread: such queries stay here.
    setLookupProvider(mapLookupProvider({ ch: { '#c1': 'one' } }));
    const before = withWorkers.stats().localTasks;
    const lookedUp = await withWorkers.run({ queryType: 'groupBy', dataSource: 'w', intervals: iv, granularity: 'all', dimensions: [{ type: 'extraction', dimension: 'channel', outputName: 'c', extractionFn: { type: 'registeredLookup', lookup: 'ch' } }], aggregations: [{ type: 'count', name: 'n' }] }) as { event: { c: string | null; n: number } }[];
    setLookupProvider(null);
    assert.deepEqual(lookedUp.map((r) => r.event.c), [null, 'one']);
    assert.equal(withWorkers.stats().localTasks - before, 3);
    // Errors inside a worker come back as errors of the query.
    await assert.rejects(withWorkers.run({ ...queries[0], filter: { type: 'expression', expression: 'nosuchfn(channel)' } }));
  } finally {
    await withWorkers.close();
    await local.close();
  }
});

test('row-range worker tasks (segments cut into pieces) give the same results as whole segments', async () => {
  const src = source();
  const split = createQueryExecutor({ segments: src, workers: 2, minRowsPerTask: 200 });
  const local = createQueryExecutor({ segments: src, workers: 0 });
  const iv = ['2020-01-01T05:00/2020-01-03T07:30'];
  const queries = [
    { queryType: 'timeseries', dataSource: 'w', intervals: iv, granularity: 'hour', filter: { type: 'in', dimension: 'channel', values: ['#c1', '#c2'] }, aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }] },
    { queryType: 'topN', dataSource: 'w', intervals: iv, granularity: 'all', dimension: 'page', metric: 's', threshold: 4, filter: { type: 'selector', dimension: 'channel', value: '#c3' }, aggregations: [{ type: 'longSum', name: 's', fieldName: 'added' }] },
    { queryType: 'groupBy', dataSource: 'w', intervals: iv, granularity: 'day', dimensions: ['channel', 'page'], virtualColumns: [{ type: 'expression', name: 'v', expression: 'added * 2' }], aggregations: [{ type: 'longSum', name: 'v', fieldName: 'v' }, { type: 'count', name: 'n' }], limitSpec: { type: 'default', columns: [{ dimension: 'v', direction: 'descending' }], limit: 7 } },
  ];
  try {
    for (const q of queries) {
      const before = split.stats().workerTasks;
      assert.deepEqual(await split.run(q), await local.run(q), q.queryType);
      // About 2,150 rows touched in 200-row pieces: more pieces than the three segments.
      assert.ok(split.stats().workerTasks - before > 3, `${q.queryType}: ${split.stats().workerTasks - before} pieces`);
    }
  } finally {
    await split.close();
    await local.close();
  }
});
