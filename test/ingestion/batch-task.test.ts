/**
 * Batch ingestion end to end: Druid task specs over the shared sample files,
 * through the ingestion service into published, served segments, checked with
 * native queries against the facts in ../shared/data/README.md.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
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
import { createQueryExecutor, type QueryExecutor } from '../../query/executor/query-executor.ts';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const haveShared = existsSync(join(SHARED, 'wikiticker-2015-09-12-sampled.json.gz'));

let dir: string;
let metadata: SqliteMetadataStore;
let segments: LocalSegmentSource;
let ingestion: IngestionService;
let executor: QueryExecutor;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nemeton-batch-'));
  metadata = new SqliteMetadataStore(':memory:');
  const deep = new LocalDeepStorage(join(dir, 'deep'));
  segments = new LocalSegmentSource();
  const dataNode = new DataNode(metadata, new SegmentCache(join(dir, 'cache'), deep), segments, openSegment);
  ingestion = new IngestionService({ metadata, publisher: new SegmentPublisher(deep, metadata), segments, dataNode, tmpDir: join(dir, 'tmp'), maxRowsInMemory: 100_000 });
  executor = createQueryExecutor({ segments });
});

after(async () => {
  await executor.close();
  await metadata.close();
  rmSync(dir, { recursive: true, force: true });
});

function wikiSpec(dataSource: string, rollup: boolean, extra: Record<string, unknown> = {}) {
  return {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource,
        timestampSpec: { column: 'time', format: 'iso' },
        dimensionsSpec: { dimensions: ['channel', 'page', 'user'] },
        metricsSpec: [
          { type: 'count', name: 'count' },
          { type: 'longSum', name: 'added', fieldName: 'added' },
          { type: 'longSum', name: 'deleted', fieldName: 'deleted' },
          { type: 'longSum', name: 'delta', fieldName: 'delta' },
        ],
        granularitySpec: { segmentGranularity: 'day', queryGranularity: rollup ? 'hour' : 'none', rollup, intervals: ['2015-09-12/2015-09-13'] },
        ...extra,
      },
      ioConfig: { type: 'index_parallel', inputSource: { type: 'local', baseDir: SHARED, filter: 'wikiticker-2015-09-12-sampled.json.gz' }, inputFormat: { type: 'json' } },
      tuningConfig: { type: 'index_parallel' },
    },
  };
}

async function totals(dataSource: string) {
  const [row] = await executor.run({
    queryType: 'timeseries', dataSource, intervals: ['2015-09-12/2015-09-13'], granularity: 'all',
    aggregations: [
      { type: 'longSum', name: 'rows', fieldName: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' },
      { type: 'longSum', name: 'deleted', fieldName: 'deleted' }, { type: 'longSum', name: 'delta', fieldName: 'delta' },
      { type: 'count', name: 'stored' },
    ],
  }) as { result: Record<string, number> }[];
  return row.result;
}

test('wikiticker through an index_parallel task, without and with rollup', { skip: !haveShared && 'shared data not present' }, async () => {
  const plain = await ingestion.submitTask(wikiSpec('wiki_plain', false));
  await ingestion.waitForTask(plain);
  assert.equal(((await ingestion.taskStatus(plain)).status as { status: string }).status, 'SUCCESS');
  const t = await totals('wiki_plain');
  assert.deepEqual([t.rows, t.added, t.deleted, t.delta, t.stored], [39_244, 9_385_573, 394_298, 8_991_275, 39_244]);

  const rolled = await ingestion.submitTask(wikiSpec('wiki_rollup', true));
  await ingestion.waitForTask(rolled);
  const r = await totals('wiki_rollup');
  assert.deepEqual([r.rows, r.added, r.deleted, r.delta], [39_244, 9_385_573, 394_298, 8_991_275]);
  assert.ok(r.stored < 39_244, `rollup should combine rows, stored ${r.stored}`);
  const report = await ingestion.taskReport(rolled) as { ingestionStatsAndErrors: { payload: { rowStats: { buildSegments: Record<string, number> } } } };
  assert.equal(report.ingestionStatsAndErrors.payload.rowStats.buildSegments.processed, 39_244);
  assert.equal(report.ingestionStatsAndErrors.payload.rowStats.buildSegments.unparseable, 0);
});

test('rollup-data.json: 9 rows roll up to 5 at minute granularity', { skip: !haveShared && 'shared data not present' }, async () => {
  const id = await ingestion.submitTask({
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: 'rollup_tutorial',
        timestampSpec: { column: 'timestamp', format: 'iso' },
        dimensionsSpec: { dimensions: ['srcIP', 'dstIP'] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'packets', fieldName: 'packets' }, { type: 'longSum', name: 'bytes', fieldName: 'bytes' }],
        granularitySpec: { segmentGranularity: 'week', queryGranularity: 'minute', rollup: true },
      },
      ioConfig: { inputSource: { type: 'inline', data: readFileSync(join(SHARED, 'rollup-data.json'), 'utf8') }, inputFormat: { type: 'json' } },
    },
  });
  await ingestion.waitForTask(id);
  const [res] = await executor.run({ queryType: 'timeseries', dataSource: 'rollup_tutorial', intervals: ['2000/3000'], granularity: 'all', aggregations: [{ type: 'count', name: 'stored' }, { type: 'longSum', name: 'count', fieldName: 'count' }] }) as { result: Record<string, number> }[];
  assert.deepEqual(res.result, { stored: 5, count: 9 });
});

test('bad rows are counted, not silently dropped; a failing task leaves data untouched', async () => {
  const inline = '{"ts":"2020-01-01T00:00:00Z","d":"a"}\n{not json}\n{"ts":"yesterday","d":"b"}\n{"ts":"2030-01-01T00:00:00Z","d":"c"}\n';
  const id = await ingestion.submitTask({
    type: 'index_parallel',
    spec: {
      dataSchema: { dataSource: 'messy', timestampSpec: { column: 'ts', format: 'iso' }, dimensionsSpec: { dimensions: ['d'] }, granularitySpec: { rollup: false, intervals: ['2020/2021'] } },
      ioConfig: { inputSource: { type: 'inline', data: inline }, inputFormat: { type: 'json' } },
    },
  });
  await ingestion.waitForTask(id);
  const stats = ((await ingestion.taskReport(id)) as { ingestionStatsAndErrors: { payload: { rowStats: { buildSegments: Record<string, number> }; unparseableEvents: { buildSegments: unknown[] } } } }).ingestionStatsAndErrors.payload;
  assert.deepEqual(stats.rowStats.buildSegments, { processed: 1, processedBytes: Buffer.byteLength(inline), processedWithError: 0, thrownAway: 1, unparseable: 2 });
  assert.equal(stats.unparseableEvents.buildSegments.length, 2);

  const before = (await metadata.usedSegments()).length;
  const failing = await ingestion.submitTask({
    type: 'index_parallel',
    spec: {
      dataSchema: { dataSource: 'messy', timestampSpec: { column: 'ts' }, dimensionsSpec: { dimensions: ['d'] } },
      ioConfig: { inputSource: { type: 'local', baseDir: join(dir, 'does-not-exist') }, inputFormat: { type: 'json' } },
    },
  });
  await ingestion.waitForTask(failing);
  const status = (await ingestion.taskStatus(failing)).status as { status: string; errorMsg: string };
  assert.equal(status.status, 'FAILED');
  assert.match(status.errorMsg, /does-not-exist/);
  assert.equal((await metadata.usedSegments()).length, before);
  await assert.rejects(ingestion.submitTask({ type: 'index_parallel', spec: { dataSchema: { dataSource: 'x' } } }), /timestampSpec|ioConfig/);
});

test('streaming inserts are visible at once and survive hand-off', async () => {
  ingestion.insertRows('events', [{ __time: Date.UTC(2021, 0, 1), kind: 'a', n: 1 }, { __time: Date.UTC(2021, 0, 2), kind: 'b', n: 2 }]);
  const count = async () => ((await executor.run({ queryType: 'timeseries', dataSource: 'events', intervals: ['2000/3000'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }] })) as { result: { c: number } }[])[0].result.c;
  assert.equal(await count(), 2);
  await ingestion.handoff('events');
  assert.equal(await count(), 2);
  ingestion.insertRows('events', [{ __time: Date.UTC(2021, 0, 1, 5), kind: 'c', n: 3 }]);
  assert.equal(await count(), 3);
  await ingestion.handoff();
  assert.equal(await count(), 3);
  assert.ok((await metadata.usedSegments('events')).length >= 2);
});

test('maxRowsPerSegment (dynamic partitions) splits an interval into several partitions of one version', { skip: !haveShared && 'shared data not present' }, async () => {
  const spec = wikiSpec('wiki_parts', false);
  (spec.spec as Record<string, unknown>).tuningConfig = { type: 'index_parallel', partitionsSpec: { type: 'dynamic', maxRowsPerSegment: 10_000 } };
  const id = await ingestion.submitTask(spec);
  await ingestion.waitForTask(id);
  const segs = await metadata.usedSegments('wiki_parts');
  assert.equal(segs.length, 4);
  assert.equal(new Set(segs.map((s) => s.version)).size, 1);
  assert.deepEqual(segs.map((s) => s.partitionNum).sort(), [0, 1, 2, 3]);
  assert.ok(segs.every((s) => s.numRows <= 10_000 && s.numPartitions === 4));
  const t = await totals('wiki_parts');
  assert.deepEqual([t.stored, t.added], [39_244, 9_385_573]);
});

test('schemaless batch ingestion discovers every field but the timestamp column and metric inputs', async () => {
  const id = await ingestion.submitTask({
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: 'schemaless', timestampSpec: { column: 'ts', format: 'millis' }, dimensionsSpec: { dimensions: [] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'v', fieldName: 'v' }],
        granularitySpec: { segmentGranularity: 'day', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { type: 'index_parallel', inputSource: { type: 'inline', data: '{"ts":1704067200000,"k":"a","v":1}\n{"ts":1704067260000,"k":"b","v":2,"extra":"x"}' }, inputFormat: { type: 'json' } },
    },
  });
  await ingestion.waitForTask(id);
  const used = await metadata.usedSegments('schemaless');
  assert.equal(used.length, 1);
  assert.deepEqual(used[0].payload.dimensions, ['k', 'extra']);
  assert.deepEqual(used[0].payload.metrics, ['count', 'v']);
});
