/**
 * Task reports keep the first maxSavedParseExceptions parse errors with their
 * reasons (Druid's ParseExceptionReport shape), count unparseable rows,
 * rows with unparseable numbers (processedWithError, kept) and rows thrown
 * away, and fail the task past maxParseExceptions without publishing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestionFixture, type IngestionFixture } from './service-fixture.ts';

let fx: IngestionFixture;
before(() => { fx = ingestionFixture(); });
after(() => fx.close());

const DATA = [
  '{"ts":"2020-01-01T00:00:00Z","d":"a","n":1}',
  '{oops',
  '[1,2]',
  '{"ts":"yesterday","d":"b","n":2}',
  '{"ts":"2020-01-01T01:00:00Z","d":"c","n":"lots"}',
  '{"ts":"2020-01-01T02:00:00Z","d":"d","n":"7"}',
  '{"ts":"2031-01-01T00:00:00Z","d":"e","n":3}',
  '{"d":"f","n":4}',
].join('\n');

function spec(dataSource: string, tuning: Record<string, unknown>) {
  return {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource, timestampSpec: { column: 'ts', format: 'iso' }, dimensionsSpec: { dimensions: ['d'] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'n', fieldName: 'n' }],
        granularitySpec: { rollup: false, intervals: ['2020/2021'] },
      },
      ioConfig: { inputSource: { type: 'inline', data: DATA }, inputFormat: { type: 'json' } },
      tuningConfig: { type: 'index_parallel', ...tuning },
    },
  };
}

test('report keeps every parse error with its type, input and reason; counts match', async () => {
  const r = await fx.runTask(spec('errs', {}));
  assert.equal(r.status, 'SUCCESS');
  assert.deepEqual(r.payload.rowStats.buildSegments, { processed: 2, processedBytes: Buffer.byteLength(DATA), processedWithError: 1, thrownAway: 1, unparseable: 4 });
  const events = r.payload.unparseableEvents.buildSegments as { errorType: string; input: string; details: string[]; timeOfExceptionMillis: number }[];
  assert.deepEqual(events.map((e) => e.errorType), ['unparseable', 'unparseable', 'unparseable', 'processedWithError', 'unparseable']);
  assert.match(events[0].details[0], /^Unable to parse row \[\{oops\]/);
  assert.equal(events[0].input, '{oops');
  assert.match(events[1].details[0], /not a JSON object: \[\[1,2\]\]/);
  assert.match(events[2].details[0], /Unparseable timestamp found!.*yesterday/);
  assert.match(events[3].details[0], /Unable to parse value \[lots\] for field \[n\] as a number/);
  assert.match(events[4].details[0], /Unparseable timestamp found!.*"d":"f"/);
  assert.ok(events.every((e) => Number.isFinite(e.timeOfExceptionMillis) && Array.isArray(e.details)));
  // The processedWithError row is kept, its bad number read as null.
  const [res] = await fx.executor.run({ queryType: 'timeseries', dataSource: 'errs', intervals: ['2020/2021'], granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }, { type: 'longSum', name: 'n', fieldName: 'n' }] } as never) as { result: { rows: number; n: number } }[];
  assert.deepEqual(res.result, { rows: 3, n: 8 });
});

test('maxSavedParseExceptions bounds the saved list, not the counts', async () => {
  const r = await fx.runTask(spec('errs2', { maxSavedParseExceptions: 2 }));
  assert.equal(r.status, 'SUCCESS');
  assert.equal(r.payload.rowStats.buildSegments.unparseable, 4);
  assert.equal(r.payload.unparseableEvents.buildSegments.length, 2);
  const none = await fx.runTask(spec('errs3', { maxSavedParseExceptions: 0 }));
  assert.deepEqual(none.payload.unparseableEvents.buildSegments, []);
});

test('past maxParseExceptions the task fails, names the limit, keeps the errors and publishes nothing', async () => {
  const r = await fx.runTask(spec('errs4', { maxParseExceptions: 2 }));
  assert.equal(r.status, 'FAILED');
  assert.match(r.payload.errorMsg, /Max parse exceptions \[2\] exceeded/);
  assert.equal(r.payload.unparseableEvents.buildSegments.length, 3);
  assert.equal((await fx.metadata.usedSegments('errs4')).length, 0);
  const stored = await fx.metadata.task(r.id);
  assert.equal(stored?.status, 'FAILED');
  assert.equal(((stored?.report as { ingestionStatsAndErrors: { payload: { unparseableEvents: { buildSegments: unknown[] } } } }).ingestionStatsAndErrors.payload.unparseableEvents.buildSegments).length, 3);
});
