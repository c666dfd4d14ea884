/** Cross-query virtual column cache, small queries on the calling thread, pre-started workers, lone-task finalization. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryExecutor } from '../../query/index.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { toShared } from '../../storage/shared-bytes.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { cachedVirtualColumn, cacheVirtualColumn, isCacheableExpression, setVirtualColumnBudget, virtualColumnCacheStats } from '../../query/engine/virtual-column-cache.ts';
import { numericColumnFromTyped } from '../../query/engine/materialized-columns.ts';
import { arraySegment } from '../query/fixtures/array-segment.ts';

const DAY = Date.UTC(2020, 0, 1);

function source(days: number): LocalSegmentSource {
  const rows: InputRow[] = Array.from({ length: days * 1000 }, (_, i) => ({
    __time: DAY + Math.floor(i / 1000) * 86400000 + (i % 1000) * 60000, channel: `#c${i % 7}`, page: `p${i % 13}`, added: i % 100,
  }));
  const schema: DataSchema = {
    dataSource: 'w', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
    dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'page', type: 'string' }, { name: 'added', type: 'long' }] }, metricsSpec: [],
  };
  const src = new LocalSegmentSource();
  for (const b of buildSegments(rows, schema, { segmentVersion: 'v1' })) src.addSegment(b.id, openSegment(toShared(b.bytes), b.id));
  return src;
}

const IV = ['2020-01-01/2020-01-04'];
const hourly = {
  queryType: 'groupBy', dataSource: 'w', intervals: IV, granularity: 'all',
  virtualColumns: [{ type: 'expression', name: 'v0', expression: "timestamp_floor(__time, 'PT6H')", outputType: 'LONG' }],
  dimensions: [{ type: 'default', dimension: 'v0', outputName: 'h', outputType: 'LONG' }, 'channel'],
  aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }],
  limitSpec: { type: 'default', columns: [{ dimension: 's', direction: 'descending' }], limit: 5 },
};

test('virtual column cache: repeated queries reuse evaluated columns with identical results; budget evicts', async () => {
  const ex = createQueryExecutor({ segments: source(3), workers: 0 });
  const before = virtualColumnCacheStats().entries;
  const first = await ex.run(hourly);
  const cached = virtualColumnCacheStats().entries;
  assert.ok(cached >= before + 3, `${before} -> ${cached}`);
  assert.deepEqual(await ex.run(hourly), first);
  assert.equal(virtualColumnCacheStats().entries, cached);
  const prev = setVirtualColumnBudget(0);
  assert.equal(virtualColumnCacheStats().bytes, 0);
  assert.deepEqual(await ex.run(hourly), first);
  setVirtualColumnBudget(prev);
  await ex.close();
});

test('virtual column cache: mutable segments and lookups are never cached', () => {
  const seg = arraySegment('t', { start: 0, end: DAY }, [{ name: 'x', type: 'LONG' }], [{ __time: 0, x: 1 }]);
  const col = numericColumnFromTyped(Float64Array.of(1), null, 'LONG');
  cacheVirtualColumn({ ...seg, isMutable: true }, 'k', col);
  assert.equal(cachedVirtualColumn({ ...seg, isMutable: true }, 'k'), undefined);
  cacheVirtualColumn(seg, 'k', col);
  assert.equal(cachedVirtualColumn(seg, 'k'), col);
  assert.equal(isCacheableExpression("lookup(channel, 'x')"), false);
  assert.equal(isCacheableExpression('added * 2'), true);
});

test('minRowsForWorkers keeps small queries on the calling thread; prestarted workers answer the same', async () => {
  const src = source(3);
  const small = createQueryExecutor({ segments: src, workers: 2, minRowsForWorkers: 10_000 });
  const big = createQueryExecutor({ segments: src, workers: 2, prestartWorkers: true });
  const local = createQueryExecutor({ segments: src, workers: 0 });
  try {
    const topN = { queryType: 'topN', dataSource: 'w', intervals: ['2020-01-02/2020-01-03'], granularity: 'all', dimension: 'page', metric: 's', threshold: 3, aggregations: [{ type: 'longSum', name: 's', fieldName: 'added' }] };
    for (const q of [hourly, topN]) {
      const want = await local.run(q);
      assert.deepEqual(await small.run(q), want);
      assert.deepEqual(await big.run(q), want);
    }
    assert.equal(small.stats().workerTasks, 0);
    assert.ok(small.stats().localTasks >= 4);
    assert.ok(big.stats().workerTasks >= 4);
    assert.equal(big.stats().localTasks, 0);
  } finally {
    await small.close();
    await big.close();
    await local.close();
  }
});

test('batchWholeSegments: balanced batches, a multiple of the workers when segments allow, in segment order', async () => {
  const { batchWholeSegments } = await import('../../query/executor/task-plan.ts');
  const items = (rows: number[]) => rows.map((numRows, i) => ({ item: i, seg: { numRows } as never, from: 0, to: numRows }));
  const shape = (rows: number[], workers: number) => batchWholeSegments(items(rows), workers, 250_000).map((b) => b.map((x) => x.item));
  assert.deepEqual(shape([], 2), []);
  assert.deepEqual(shape([1_000_000], 2), [[0]]);
  // Seven small segments (600k rows) on two workers: two batches of about half the rows each.
  assert.deepEqual(shape(Array(7).fill(86_000), 2), [[0, 1, 2, 3], [4, 5, 6]]);
  // Tiny queries still use every worker.
  assert.deepEqual(shape([1000, 1000, 1000], 2), [[0, 1], [2]]);
  // Big segments: one task each, up to four tasks per worker.
  assert.equal(shape(Array(12).fill(1_500_000), 2).length, 8);
  for (const b of [shape(Array(7).fill(1_430_000), 2), shape([5, 900_000, 10, 700_000, 3], 2)]) {
    assert.deepEqual(b.flat(), [...b.flat()].sort((x, y) => x - y));
  }
});
