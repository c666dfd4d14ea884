/** Fresh-data hand-off: a failed publish loses nothing and is retried; streamed columns are never dropped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentCache } from '../../cluster/segment-cache.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { DataNode } from '../../cluster/data-node.ts';
import { IngestionService } from '../../cluster/ingestion/ingestion-service.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { createQueryExecutor } from '../../query/index.ts';

async function setup(failFirstPublish: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-handoff-'));
  const metadata = new SqliteMetadataStore(':memory:');
  const deep = new LocalDeepStorage(join(dir, 'deep'));
  const segments = new LocalSegmentSource();
  const dataNode = new DataNode(metadata, new SegmentCache(join(dir, 'cache'), deep), segments, openSegment);
  const publisher = new SegmentPublisher(deep, metadata);
  let failures = failFirstPublish ? 1 : 0;
  const flaky = Object.assign(Object.create(publisher), {
    publish: (...args: Parameters<SegmentPublisher['publish']>) => (failures-- > 0 ? Promise.reject(new Error('deep storage unavailable')) : publisher.publish(...args)),
  }) as SegmentPublisher;
  const ingestion = new IngestionService({ metadata, publisher: flaky, segments, dataNode, tmpDir: join(dir, 'tmp'), maxRowsInMemory: 1_000_000 });
  const executor = createQueryExecutor({ segments, workers: 0 });
  const count = async (ds: string) => ((await executor.run({ queryType: 'timeseries', dataSource: ds, intervals: ['2000/3000'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }] })) as { result: { c: number } }[])[0]?.result.c ?? 0;
  const close = async () => { await executor.close(); await metadata.close(); rmSync(dir, { recursive: true, force: true }); };
  return { ingestion, metadata, executor, count, close };
}

test('a failed hand-off keeps the rows queryable and publishes them on the next hand-off', async () => {
  const s = await setup(true);
  try {
    s.ingestion.insertRows('ev', [{ __time: Date.UTC(2021, 0, 1), k: 'a' }, { __time: Date.UTC(2021, 0, 2), k: 'b' }]);
    await assert.rejects(s.ingestion.handoff('ev'), /deep storage unavailable/);
    assert.equal(await s.count('ev'), 2, 'rows stay visible after the failed publish');
    assert.equal((await s.metadata.usedSegments('ev')).length, 0);
    s.ingestion.insertRows('ev', [{ __time: Date.UTC(2021, 0, 3), k: 'c' }]);
    assert.equal(await s.count('ev'), 3);
    await s.ingestion.shutdown(); // retries the failed publish, then hands off the newer rows
    assert.equal(await s.count('ev'), 3, 'no row lost, none counted twice');
    assert.equal((await s.metadata.usedSegments('ev')).reduce((n, r) => n + r.numRows, 0), 3);
  } finally {
    await s.close();
  }
});

test('streaming into a data source with pinned dimensions keeps the columns an insert brings', async () => {
  const s = await setup(false);
  try {
    await s.ingestion.ingestRows({
      dataSource: 'pinned', dimensionsSpec: { dimensions: [{ name: 'k', type: 'string' }] }, metricsSpec: [],
      queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
    }, [{ __time: Date.UTC(2021, 0, 1), k: 'a' }]);
    s.ingestion.insertRows('pinned', [{ __time: Date.UTC(2021, 0, 2), k: 'b', extra: 'x' }]);
    const events = (await s.executor.run({ queryType: 'groupBy', dataSource: 'pinned', intervals: ['2000/3000'], granularity: 'all', dimensions: ['extra'], aggregations: [{ type: 'count', name: 'c' }] }) as { event: Record<string, unknown> }[]).map((r) => r.event);
    assert.deepEqual(events, [{ extra: null, c: 1 }, { extra: 'x', c: 1 }]);
  } finally {
    await s.close();
  }
});
