/** Query scheduling: task order, admission control (limits, wait queue, lanes, 429) and row-range task plans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { compareTasks, estimateQueryCost, laneForCost, nextTaskIndex, type OrderedTask, type TaskTicket } from '../../query/executor/task-order.ts';
import { QueryAdmission } from '../../query/executor/admission.ts';
import { maySplit, minRowsPerTask, splitIntoTasks, taskCount, touchedRows, worthSplitting } from '../../query/executor/task-plan.ts';
import { parseQuery } from '../../query/parse-query.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { listSource } from './fixtures/array-segment.ts';
import { sampleSegments } from './fixtures/sample-data.ts';

const ticket = (t: Partial<TaskTicket>): TaskTicket => ({ priority: 0, lane: 0, querySeq: 0, queryKey: 'q', ...t });
const task = (seq: number, t: Partial<TaskTicket>): OrderedTask => ({ seq, ticket: ticket(t) });

const isCapacity = (e: unknown) => {
  assert.ok(e instanceof NemetonError, String(e));
  assert.equal(e.code, 'Query capacity exceeded');
  assert.equal(e.httpStatus, 429);
  assert.equal(e.sqlState, '53300');
  assert.equal(e.errorClass, 'org.apache.druid.query.QueryCapacityExceededException');
  return true;
};

test('task order: priority, then the interactive lane, then admission order, then submission order', () => {
  const tasks = [
    task(0, { querySeq: 1, lane: 1 }),
    task(1, { querySeq: 2, lane: 0 }),
    task(2, { querySeq: 3, lane: 1, priority: 5 }),
    task(3, { querySeq: 0, lane: 1 }),
    task(4, { querySeq: 2, lane: 0 }),
  ];
  const order: number[] = [];
  const left = [...tasks];
  while (left.length > 0) order.push(left.splice(nextTaskIndex(left), 1)[0].seq);
  assert.deepEqual(order, [2, 1, 4, 3, 0]);
  assert.ok(compareTasks(task(0, { priority: -1 }), task(1, { priority: 0, lane: 1 })) > 0);
  assert.equal(nextTaskIndex(tasks, (t) => t.seq !== 3), 3);
  assert.equal(nextTaskIndex([]), -1);
});

test('cost estimate: grouped rows weigh more than aggregated ones; the threshold picks the lane', () => {
  assert.ok(estimateQueryCost('groupBy', 1000) > estimateQueryCost('topN', 1000));
  assert.ok(estimateQueryCost('topN', 1000) > estimateQueryCost('timeseries', 1000));
  assert.equal(laneForCost(estimateQueryCost('timeseries', 1_000_000)), 0);
  assert.equal(laneForCost(estimateQueryCost('groupBy', 1_000_000)), 1);
  assert.equal(laneForCost(10, 5), 1);
});

test('admission: the total limit queues in priority then arrival order, and refuses once the queue is full', async () => {
  const adm = new QueryAdmission({ maxConcurrentQueries: 1, maxQueuedQueries: 2 });
  const r1 = await adm.acquire({ queryId: 'a', priority: 0 });
  const granted: string[] = [];
  const low = adm.acquire({ queryId: 'low', priority: 0 }).then((r) => { granted.push('low'); return r; });
  const high = adm.acquire({ queryId: 'high', priority: 10 }).then((r) => { granted.push('high'); return r; });
  await assert.rejects(adm.acquire({ queryId: 'x', priority: 100 }), isCapacity);
  assert.deepEqual(adm.stats(), { running: 1, queued: 2, lanes: {} });
  r1();
  r1(); // idempotent
  (await high)();
  (await low)();
  assert.deepEqual(granted, ['high', 'low']);
  assert.deepEqual(adm.stats(), { running: 0, queued: 0, lanes: {} });
});

test('admission: aborting a waiting query removes it from the queue', async () => {
  const adm = new QueryAdmission({ maxConcurrentQueries: 1, maxQueuedQueries: 1 });
  const r1 = await adm.acquire({ queryId: 'a', priority: 0 });
  const ac = new AbortController();
  const waiting = adm.acquire({ queryId: 'b', priority: 0 }, ac.signal);
  ac.abort(new Error('gone'));
  await assert.rejects(waiting, /gone/);
  assert.equal(adm.stats().queued, 0);
  const next = adm.acquire({ queryId: 'c', priority: 0 });
  r1();
  (await next)();
  assert.equal(adm.stats().running, 0);
});

test('admission: a full lane refuses at once; the low lane takes negative priorities; unknown lanes are bad input', async () => {
  const adm = new QueryAdmission({ lanes: { reports: 1, low: 1 } });
  const rep = await adm.acquire({ queryId: 'a', priority: 0, lane: 'reports' });
  await assert.rejects(adm.acquire({ queryId: 'b', priority: 0, lane: 'reports' }), (e: unknown) => isCapacity(e) && /reports/.test((e as Error).message));
  const lowOne = await adm.acquire({ queryId: 'c', priority: -1 });
  await assert.rejects(adm.acquire({ queryId: 'd', priority: -5 }), (e: unknown) => isCapacity(e) && /'low'/.test((e as Error).message));
  // Queries outside lanes are not limited by them.
  (await adm.acquire({ queryId: 'e', priority: 0 }))();
  await assert.rejects(adm.acquire({ queryId: 'f', priority: 0, lane: 'nope' }), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input' && /nope/.test(e.message));
  rep();
  lowOne();
  (await adm.acquire({ queryId: 'g', priority: 0, lane: 'reports' }))();
  assert.deepEqual(adm.stats(), { running: 0, queued: 0, lanes: {} });
});

const countQuery = (context: Record<string, unknown> = {}) =>
  ({ queryType: 'timeseries', dataSource: 'wikipedia', intervals: ['2015-09-12/2015-09-14'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }], context });

test('executor: a query over capacity fails with Query capacity exceeded; one that may wait runs after', async () => {
  const src = listSource(sampleSegments());
  const full = createQueryExecutor({ segments: src, workers: 0, admission: { maxConcurrentQueries: 1, maxQueuedQueries: 0 } });
  // run() takes its slot synchronously: the second call finds it taken.
  const first = full.run(countQuery());
  await assert.rejects(full.run(countQuery()), isCapacity);
  const want = await first;
  assert.equal(full.stats().running, 0);
  const queued = createQueryExecutor({ segments: src, workers: 0, admission: { maxConcurrentQueries: 1, maxQueuedQueries: 1 } });
  const both = [queued.run(countQuery()), queued.run(countQuery({ lane: undefined }))];
  assert.equal(queued.stats().queued, 1);
  assert.deepEqual(await Promise.all(both), [want, want]);
  const laned = createQueryExecutor({ segments: src, workers: 0, admission: { lanes: { closed: 0 } } });
  await assert.rejects(laned.run(countQuery({ lane: 'closed' })), isCapacity);
  assert.deepEqual(await laned.run(countQuery()), want);
});

test('executor: a query timing out while it waits for a slot gives the slot up', async () => {
  const src = listSource(sampleSegments());
  const ex = createQueryExecutor({ segments: src, workers: 0, admission: { maxConcurrentQueries: 1, maxQueuedQueries: 1 } });
  const release = await ex.admission.acquire({ queryId: 'holder', priority: 0 });
  await assert.rejects(ex.run(countQuery({ timeout: 1 })), (e: unknown) => e instanceof NemetonError && e.code === 'Query timeout');
  assert.equal(ex.stats().queued, 0);
  release();
  assert.equal((await ex.run(countQuery())).length, 1);
});

test('task plan: row ranges balance three segments over two workers; intervals clip the touched rows', () => {
  const seg = (numRows: number, start = 0) => ({ numRows, dataInterval: { start, end: start + numRows }, time: () => Float64Array.from({ length: numRows }, (_, i) => start + i) }) as never;
  const touched = [0, 1, 2].map((i) => ({ item: i, seg: seg(333_334), from: 0, to: 333_334 }));
  const tasks = splitIntoTasks(touched, 2, 250_000);
  assert.equal(tasks.length, 4);
  const rows = tasks.map((t) => t.reduce((s, p) => s + p.to - p.from, 0));
  assert.ok(Math.max(...rows) - Math.min(...rows) <= 1, String(rows));
  assert.equal(rows.reduce((a, b) => a + b), 1_000_002);
  // Pieces cover each segment exactly once, in order.
  for (const i of [0, 1, 2]) {
    const pieces = tasks.flat().filter((p) => p.item === i);
    assert.equal(pieces[0].from, 0);
    assert.equal(pieces[pieces.length - 1].to, 333_334);
    for (let j = 1; j < pieces.length; j++) assert.equal(pieces[j].from, pieces[j - 1].to);
  }
  assert.equal(tasks[0][0].whole, false);
  assert.deepEqual(splitIntoTasks([{ item: 0, seg: seg(1000), from: 0, to: 1000 }], 2, 250_000).map((t) => t.map((p) => [p.from, p.to, p.whole])), [[[0, 1000, true]]]);
  assert.equal(taskCount(100, 2, 250_000), 1);
  assert.equal(taskCount(600_000, 2, 100_000), 6);
  assert.equal(taskCount(10_000_000, 2, 100_000), 8);
  const s = seg(100, 1000);
  assert.deepEqual(touchedRows(s, [{ start: 0, end: 5000 }]), { from: 0, to: 100 });
  assert.deepEqual(touchedRows(s, [{ start: 1010, end: 1020 }, { start: 1050, end: 1060 }]), { from: 10, to: 60 });
  assert.deepEqual(touchedRows(s, [{ start: 0, end: 10 }]), { from: 0, to: 0 });
});

test('task plan: grouped queries are cut inside segments only when their groups are few', () => {
  const cards: Record<string, number> = { channel: 50, page: 90_000, countryName: 120 };
  const seg = {
    column: (n: string) => (n in cards ? { type: 'STRING' } : n === 'added' ? { type: 'LONG' } : undefined),
    stringColumn: (n: string) => (n in cards ? { cardinality: cards[n] } : undefined),
  } as never;
  const base = { dataSource: 'w', intervals: ['2020-01-01/2020-01-02'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }] };
  const q = (extra: Record<string, unknown>) => parseQuery({ ...base, ...extra });
  assert.equal(maySplit(q({ queryType: 'timeseries' }), seg), true);
  assert.equal(maySplit(q({ queryType: 'groupBy', dimensions: ['channel', 'countryName'] }), seg), true);
  assert.equal(maySplit(q({ queryType: 'groupBy', dimensions: ['page'] }), seg), false);
  assert.equal(maySplit(q({ queryType: 'topN', dimension: 'page', metric: 'c', threshold: 10 }), seg), false);
  assert.equal(maySplit(q({ queryType: 'topN', dimension: { type: 'default', dimension: 'channel', outputName: 'ch' }, metric: 'c', threshold: 10 }), seg), true);
  // Expressions and numbers count as 100 values each: two of them stay under the limit, three do not.
  assert.equal(maySplit(q({ queryType: 'groupBy', dimensions: ['v0', 'added'] }), seg), true);
  assert.equal(maySplit(q({ queryType: 'groupBy', dimensions: ['v0', 'added', 'v1'] }), seg), false);
  assert.equal(maySplit(q({ queryType: 'scan', limit: 5 }), seg), false);
});

test('task plan: segments are cut only when one holds two tasks of rows; timeseries pieces are large', () => {
  const t = (rows: number) => ({ item: 0, seg: { numRows: rows } as never, from: 0, to: rows });
  assert.equal(worthSplitting([t(333_333), t(333_333)], minRowsPerTask('groupBy')), true);
  assert.equal(worthSplitting([t(333_333), t(333_333)], minRowsPerTask('timeseries')), false);
  assert.equal(worthSplitting([t(5_000_000)], minRowsPerTask('timeseries')), true);
  assert.ok(minRowsPerTask('timeseries') > minRowsPerTask('groupBy'));
});

test('topN is cut into row ranges only while no piece can hold more values than a topN partial keeps', () => {
  const segWith = (cardinality: number) => ({
    column: (n: string) => (n === 'v' ? { type: 'STRING' } : undefined),
    stringColumn: (n: string) => (n === 'v' ? { cardinality } : undefined),
  }) as never;
  const small = segWith(20);
  const large = segWith(5_000);
  const topN = (context?: Record<string, unknown>) => parseQuery({ queryType: 'topN', dataSource: 'w', intervals: ['2020-01-01/2020-01-02'], granularity: 'all', dimension: 'v', metric: 'c', threshold: 1, aggregations: [{ type: 'count', name: 'c' }], ...(context ? { context } : {}) });
  assert.equal(maySplit(topN(), small, [small]), true);
  // K = max(1, 5) = 5 < 20 values: a piece's partial would be pruned, so the segment stays whole.
  assert.equal(maySplit(topN({ minTopNThreshold: 5 }), small, [small]), false);
  assert.equal(maySplit(topN({ minTopNThreshold: 20 }), small, [small]), true);
  // Every touched segment counts, not just the sample.
  assert.equal(maySplit(topN(), small, [small, large]), false);
});
