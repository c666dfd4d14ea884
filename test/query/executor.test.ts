/** The executor: timeouts, cancellation, priority scheduling, and broker-style partial/merge. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import type { Segment } from '../../storage/segment.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { arraySegment, listSource } from './fixtures/array-segment.ts';
import { COLUMNS, DAY1, ROWS, sampleSegments } from './fixtures/sample-data.ts';

/** Segments whose time column takes `ms` of CPU to read. */
function slowSegments(count: number, ms: number, ds = 'slow'): Segment[] {
  return Array.from({ length: count }, (_, i) => {
    const seg = arraySegment(ds, { start: DAY1, end: DAY1 + 86400000 }, COLUMNS, ROWS.slice(0, 5), i);
    const time = seg.time;
    return { ...seg, time: () => { const until = performance.now() + ms; while (performance.now() < until); return time(); } };
  });
}

const count = (ds: string, context: Record<string, unknown> = {}) =>
  ({ queryType: 'timeseries', dataSource: ds, intervals: ['2015-09-12/2015-09-13'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }], context });

test('a query past its context timeout fails with Query timeout (HTTP 504)', async () => {
  const ex = createQueryExecutor({ segments: listSource(slowSegments(40, 5)) });
  await assert.rejects(ex.run(count('slow', { timeout: 30 })), (e: unknown) => {
    assert.ok(e instanceof NemetonError);
    assert.equal(e.code, 'Query timeout');
    assert.equal(e.httpStatus, 504);
    return true;
  });
});

test('aborting the signal cancels the query', async () => {
  const ex = createQueryExecutor({ segments: listSource(slowSegments(40, 5)) });
  const ac = new AbortController();
  const p = ex.run(count('slow', { queryId: 'q-42' }), { signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(p, (e: unknown) => e instanceof NemetonError && e.code === 'Query cancelled' && /q-42/.test(e.message));
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(ex.run(count('slow'), { signal: pre.signal }), /cancelled/);
});

test('a higher-priority query overtakes a running lower-priority one', async () => {
  const ex = createQueryExecutor({ segments: listSource([...slowSegments(30, 1, 'low'), ...slowSegments(3, 1, 'high')]) });
  const done: string[] = [];
  const low = ex.run(count('low', { priority: 0 })).then(() => done.push('low'));
  const high = ex.run(count('high', { priority: 10 })).then(() => done.push('high'));
  await Promise.all([low, high]);
  assert.deepEqual(done, ['high', 'low']);
});

test('a cheap query overtakes a heavy one of equal priority; heavy ones run in admission order', async () => {
  const src = listSource([...slowSegments(30, 1, 'a'), ...slowSegments(3, 1, 'b'), ...slowSegments(3, 1, 'c')]);
  // 'a' touches 150 rows, 'b' and 'c' 15: with an interactive cost of 100, only 'a' is heavy.
  const ex = createQueryExecutor({ segments: src, interactiveCost: 100 });
  const done: string[] = [];
  const a = ex.run(count('a')).then(() => done.push('a'));
  const b = ex.run(count('b')).then(() => done.push('b'));
  await Promise.all([a, b]);
  assert.deepEqual(done, ['b', 'a']);
  // Every query heavy: the earlier query finishes first instead of sharing turns with the later, smaller one.
  const fifo = createQueryExecutor({ segments: src, interactiveCost: 0 });
  const order: string[] = [];
  await Promise.all([fifo.run(count('a')).then(() => order.push('a')), fifo.run(count('c')).then(() => order.push('c'))]);
  assert.deepEqual(order, ['a', 'c']);
});

test('partials from separate data nodes merge to the single-node result', async () => {
  const segs = sampleSegments();
  const ex = createQueryExecutor({ segments: listSource(segs) });
  const q = { queryType: 'groupBy', dataSource: 'wiki', intervals: ['2015-09-12/2015-09-14'], granularity: 'day', dimensions: ['channel'], aggregations: [{ type: 'count', name: 'c' }, { type: 'stringFirst', name: 'f', fieldName: 'page' }] };
  const whole = await ex.run(q);
  const p1 = await ex.runPartial(q as never, [segs[0]]);
  const p2 = await ex.runPartial(q as never, [segs[1]]);
  // Partials survive a JSON round trip (what crosses the wire).
  const wire = [p1, p2].map((p) => JSON.parse(JSON.stringify(p)));
  assert.deepEqual(ex.mergeAndFinalize(q as never, wire), whole);
});
