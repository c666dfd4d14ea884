/**
 * partitionsSpec in batch tasks: hashed, single_dim and range tasks publish
 * several core partitions of one version per interval, and every query
 * answers exactly as over the same data loaded with dynamic partitioning.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestionFixture, type IngestionFixture } from './service-fixture.ts';

let fx: IngestionFixture;
before(() => { fx = ingestionFixture(); });
after(() => fx.close());

const lines: string[] = [];
let seed = 99;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
for (let i = 0; i < 4000; i++) {
  lines.push(JSON.stringify({
    ts: new Date(Date.UTC(2024, 2, 1) + Math.floor(rnd() * 3 * 86_400_000)).toISOString(),
    page: `page${Math.floor(rnd() * 300)}`, user: `u${Math.floor(rnd() * 50)}`, lang: ['en', 'de', 'fr', 'ja'][Math.floor(rnd() * 4)], added: Math.floor(rnd() * 100),
  }));
}
const DATA = `${lines.join('\n')}\n`;

function spec(dataSource: string, partitionsSpec?: Record<string, unknown>, extra: { append?: boolean } = {}) {
  return {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource, timestampSpec: { column: 'ts', format: 'iso' }, dimensionsSpec: { dimensions: ['page', 'user', 'lang'] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' }],
        granularitySpec: { segmentGranularity: 'day', queryGranularity: 'hour', rollup: true },
      },
      ioConfig: { type: 'index_parallel', inputSource: { type: 'inline', data: DATA }, inputFormat: { type: 'json' }, ...(extra.append ? { appendToExisting: true } : {}) },
      tuningConfig: { type: 'index_parallel', forceGuaranteedRollup: partitionsSpec !== undefined, ...(partitionsSpec ? { partitionsSpec } : {}) },
    },
  };
}

async function answers(dataSource: string): Promise<unknown[]> {
  const q = (body: Record<string, unknown>) => fx.executor.run({ dataSource, intervals: ['2024/2025'], ...body } as never);
  return [
    await q({ queryType: 'timeseries', granularity: 'day', aggregations: [{ type: 'longSum', name: 'rows', fieldName: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'count', name: 'stored' }] }),
    await q({ queryType: 'groupBy', granularity: 'all', dimensions: ['lang', 'user'], aggregations: [{ type: 'longSum', name: 'added', fieldName: 'added' }], limitSpec: { type: 'default', columns: ['lang', 'user'] } }),
    await q({ queryType: 'topN', granularity: 'all', dimension: 'page', metric: 'added', threshold: 10, aggregations: [{ type: 'longSum', name: 'added', fieldName: 'added' }] }),
    await q({ queryType: 'timeseries', granularity: 'all', filter: { type: 'selector', dimension: 'page', value: 'page7' }, aggregations: [{ type: 'longSum', name: 'rows', fieldName: 'count' }] }),
  ];
}

let baseline: unknown[];
before(async () => {
  const r = await fx.runTask(spec('base'));
  assert.equal(r.status, 'SUCCESS');
  baseline = await answers('base');
});

async function checkPartitioned(dataSource: string, partitionsSpec: Record<string, unknown>, minPerDay: number): Promise<void> {
  const r = await fx.runTask(spec(dataSource, partitionsSpec));
  assert.equal(r.status, 'SUCCESS', r.payload.errorMsg);
  const segs = await fx.metadata.usedSegments(dataSource);
  const byDay = new Map<number, typeof segs>();
  for (const s of segs) byDay.set(s.interval.start, [...(byDay.get(s.interval.start) ?? []), s]);
  assert.equal(byDay.size, 3);
  for (const day of byDay.values()) {
    assert.ok(day.length >= minPerDay, `${day.length} partitions`);
    assert.equal(new Set(day.map((s) => s.version)).size, 1, 'one version per interval');
    assert.deepEqual(day.map((s) => s.partitionNum).sort((a, b) => a - b), day.map((_, i) => i));
  }
  assert.equal(r.payload.segmentsPublished, segs.length);
  assert.deepEqual(await answers(dataSource), baseline);
}

test('hashed numShards: 3 shards per day, answers unchanged', () => checkPartitioned('hashed', { type: 'hashed', numShards: 3, partitionDimensions: ['page'] }, 3));
test('hashed targetRowsPerSegment over all dimensions: answers unchanged', () => checkPartitioned('hashed_target', { type: 'hashed', targetRowsPerSegment: 300 }, 3));
test('single_dim: answers unchanged', () => checkPartitioned('single', { type: 'single_dim', partitionDimension: 'page', targetRowsPerSegment: 300 }, 3));
test('range on two dimensions with maxRowsPerSegment: answers unchanged', () => checkPartitioned('range', { type: 'range', partitionDimensions: ['lang', 'user'], maxRowsPerSegment: 400 }, 2));

test('bad partitionsSpecs are refused before anything runs', async () => {
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'hashed', numShards: 2, targetRowsPerSegment: 10 })), /numShards or targetRowsPerSegment, not both/);
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'range', targetRowsPerSegment: 10 })), /partitionDimensions must be an array/);
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'single_dim', partitionDimension: 'page' })), /needs targetRowsPerSegment or maxRowsPerSegment/);
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'hashed', numShards: 0 })), /numShards must be a positive integer/);
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'hashed', numShards: 2 }, { append: true })), /cannot be used with appendToExisting/);
  await assert.rejects(fx.ingestion.submitTask(spec('bad', { type: 'linear' })), /partitionsSpec type \[linear\] is not supported/);
  const r = await fx.runTask(spec('bad_dim', { type: 'hashed', numShards: 2, partitionDimensions: ['nope'] }));
  assert.equal(r.status, 'FAILED');
  assert.match(r.payload.errorMsg, /\[nope\] is not a dimension/);
  assert.equal((await fx.metadata.usedSegments('bad_dim')).length, 0);
});
