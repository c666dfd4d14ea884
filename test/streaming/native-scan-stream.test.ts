/** Native scan streaming: the chunks concatenate to run()'s result; limit, order, cancel and timeout work mid-stream. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { narrowSource, sleep, T0, DAY } from './support/fixtures.ts';

// 6000 rows over 3 days, two or three partitions per day: partitions of a day overlap in time.
const { source, segments } = narrowSource('n', 6000, 3, 900);
const executor = createQueryExecutor({ segments: source, workers: 0 });

async function collect(it: AsyncIterable<unknown[]>): Promise<{ flat: unknown[]; chunks: number }> {
  const flat: unknown[] = [];
  let chunks = 0;
  for await (const c of it) { chunks++; flat.push(...c); }
  return { flat, chunks };
}

const base = { queryType: 'scan', dataSource: 'n', intervals: ['2024-01-01/2024-01-04'], resultFormat: 'compactedList', columns: ['__time', 'k', 'v'] };

test('fixture has overlapping partitions', () => {
  assert.ok(segments >= 7, `segments: ${segments}`);
});

test('streamed chunks concatenate to run()\'s result for every scan shape', async () => {
  const queries: Record<string, unknown>[] = [
    { ...base },
    { ...base, resultFormat: 'list' },
    { ...base, batchSize: 37 },
    { ...base, limit: 1234, offset: 77, batchSize: 100 },
    { ...base, order: 'ascending', batchSize: 250 },
    { ...base, order: 'descending', batchSize: 250 },
    { ...base, order: 'ascending', limit: 2500, offset: 1900 },
    { ...base, order: 'descending', limit: 10, offset: 5990 },
    { ...base, orderBy: [{ columnName: '__time', order: 'descending' }], limit: 3000 },
    { ...base, columns: undefined, limit: 300 },
    { ...base, intervals: ['2024-01-01T12:00/2024-01-02T06:00', '2024-01-03T01:00/2024-01-03T02:00'], order: 'ascending' },
    { ...base, filter: { type: 'in', dimension: 'k', values: ['k1', 'k7'] }, order: 'descending', batchSize: 64 },
    { ...base, filter: { type: 'bound', dimension: 'v', lower: '5000', ordering: 'numeric' } },
    { ...base, virtualColumns: [{ type: 'expression', name: 'w', expression: 'v * 2', outputType: 'LONG' }], columns: ['v', 'w'], filter: { type: 'expression', expression: 'w % 3 == 0' }, limit: 500 },
    { ...base, dataSource: { type: 'union', dataSources: ['n', 'n'] }, limit: 9000 },
    { ...base, dataSource: { type: 'inline', columnNames: ['__time', 'k', 'v'], columnTypes: ['LONG', 'STRING', 'LONG'], rows: [[T0, 'a', 1], [T0 + 1, 'b', 2]] } },
    { ...base, intervals: ['2030-01-01/2030-01-02'] },
    { ...base, limit: 0 },
    // Not streamable (ordering by a non-time column): yielded whole.
    { ...base, orderBy: [{ columnName: 'v', order: 'descending' }], limit: 5 },
    { queryType: 'timeseries', dataSource: 'n', intervals: ['2024-01-01/2024-01-04'], granularity: 'day', aggregations: [{ type: 'count', name: 'c' }] },
  ];
  for (const q of queries) {
    const expected = await executor.run(q);
    const { flat } = await collect(executor.runStream(q));
    assert.deepEqual(flat, expected, JSON.stringify(q));
  }
});

test('a scan streams in chunks of about batchSize rows, never the whole result at once', async () => {
  let maxRows = 0;
  let total = 0;
  let chunks = 0;
  for await (const chunk of executor.runStream({ ...base, batchSize: 500 })) {
    const rows = (chunk as { events: unknown[] }[]).reduce((s, b) => s + b.events.length, 0);
    maxRows = Math.max(maxRows, rows);
    total += rows;
    chunks++;
  }
  assert.equal(total, 6000);
  assert.ok(chunks >= 7, `chunks: ${chunks}`);
  assert.ok(maxRows < 1000, `largest chunk: ${maxRows} rows`);
});

test('time order holds across segments, ascending and descending', async () => {
  for (const order of ['ascending', 'descending'] as const) {
    const { flat } = await collect(executor.runStream({ ...base, order, batchSize: 333 }));
    const times = (flat as { events: unknown[][] }[]).flatMap((b) => b.events.map((e) => e[0] as number));
    assert.equal(times.length, 6000);
    for (let i = 1; i < times.length; i++) assert.ok(order === 'ascending' ? times[i] >= times[i - 1] : times[i] <= times[i - 1], `${order} at ${i}`);
  }
});

test('stopping the iteration early stops the scan; errors surface on the first next()', async () => {
  const it = executor.runStream({ ...base, batchSize: 100 })[Symbol.asyncIterator]();
  assert.equal((await it.next()).done, false);
  await it.return?.();
  assert.equal((await it.next()).done, true);
  await assert.rejects(collect(executor.runStream({ ...base, dataSource: { type: 'nope' } })), NemetonError);
  await assert.rejects(collect(executor.runStream({ ...base, filter: { type: 'expression', expression: 'nosuchfn(k)' } })));
});

test('the signal cancels a stream between chunks with Query cancelled', async () => {
  const ac = new AbortController();
  let got = 0;
  await assert.rejects(async () => {
    for await (const _ of executor.runStream({ ...base, batchSize: 100, context: { queryId: 'sq-1' } }, { signal: ac.signal })) {
      if (++got === 3) ac.abort();
    }
  }, (e: unknown) => e instanceof NemetonError && e.code === 'Query cancelled' && e.sqlState === '57014' && /sq-1/.test(e.message));
  assert.equal(got, 3);
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(collect(executor.runStream(base, { signal: pre.signal })), /cancelled/);
});

test('the context timeout ends a stream whose consumer is too slow', async () => {
  await assert.rejects(async () => {
    for await (const _ of executor.runStream({ ...base, batchSize: 100, context: { timeout: 40 } })) await sleep(15);
  }, (e: unknown) => e instanceof NemetonError && e.code === 'Query timeout');
});

test('rows appear in the right day when intervals cut segments', async () => {
  const q = { ...base, intervals: [`${new Date(T0 + DAY).toISOString()}/${new Date(T0 + 2 * DAY).toISOString()}`], order: 'ascending' };
  const { flat } = await collect(executor.runStream(q));
  const times = (flat as { events: unknown[][] }[]).flatMap((b) => b.events.map((e) => e[0] as number));
  assert.equal(times.length, 2000);
  assert.ok(times.every((t) => t >= T0 + DAY && t < T0 + 2 * DAY));
});
