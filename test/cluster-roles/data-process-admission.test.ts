/**
 * A data process's side of query admission: partials of one query (one per
 * segment on a historical) share one admission slot; its limits refuse with
 * Query capacity exceeded; lanes it does not know are ignored; and tasks run
 * in the order of the broker's forwarded cost estimate, not of the rows this
 * process happens to hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { createQueryExecutor } from '../../query/executor/query-executor.ts';
import { ESTIMATED_COST_CONTEXT_KEY } from '../../query/executor/task-order.ts';
import { parseQuery } from '../../query/parse-query.ts';
import { withPartialAdmission } from '../../server/data-process-admission.ts';
import { listSource } from '../query/fixtures/array-segment.ts';
import { sampleSegments } from '../query/fixtures/sample-data.ts';

const countQuery = (context: Record<string, unknown>) => parseQuery({
  queryType: 'timeseries', dataSource: 'wikipedia', intervals: ['2015-09-12/2015-09-14'], granularity: 'all', aggregations: [{ type: 'count', name: 'c' }], context,
});
const isCapacity = (e: unknown) => e instanceof NemetonError && e.code === 'Query capacity exceeded' && e.httpStatus === 429 && e.sqlState === '53300';

test('per-segment partials of one query share one slot; another query beyond the limit is refused; unknown lanes are ignored', async () => {
  const segments = sampleSegments();
  const inner = createQueryExecutor({ segments: listSource(segments), workers: 0, admission: { maxConcurrentQueries: 1, maxQueuedQueries: 0, lanes: { low: 1 } } });
  const ex = withPartialAdmission(inner);
  const q = countQuery({ queryId: 'a', lane: 'only-on-the-broker' });
  const parts = segments.map((s) => ex.runPartial(q, [s]));
  assert.deepEqual(inner.admission.stats(), { running: 1, queued: 0, lanes: {} });
  await assert.rejects(ex.runPartial(countQuery({ queryId: 'b' }), segments), isCapacity);
  const merged = ex.mergeAndFinalize(q, await Promise.all(parts));
  assert.deepEqual(merged, [{ timestamp: '2015-09-12T00:00:00.000Z', result: { c: 7 } }]);
  assert.deepEqual(inner.admission.stats(), { running: 0, queued: 0, lanes: {} });
  // The slot is free again, and a query naming a lane this process has takes it.
  const low = ex.runPartial(countQuery({ queryId: 'c', lane: 'low' }), segments);
  assert.deepEqual(inner.admission.stats().lanes, { low: 1 });
  await low;
  assert.deepEqual(inner.admission.stats(), { running: 0, queued: 0, lanes: {} });
  await inner.close();
});

test('a partial waiting for a slot runs once the slot is free; aborting it while it waits gives its place up', async () => {
  const inner = createQueryExecutor({ segments: listSource(sampleSegments()), workers: 0, admission: { maxConcurrentQueries: 1, maxQueuedQueries: 2 } });
  const ex = withPartialAdmission(inner);
  const gate = await inner.admission.acquire({ queryId: 'gate', priority: 0 });
  const ac = new AbortController();
  const aborted = ex.runPartial(countQuery({ queryId: 'x' }), sampleSegments(), { signal: ac.signal });
  const waiting = ex.runPartial(countQuery({ queryId: 'y' }), sampleSegments());
  assert.equal(inner.admission.stats().queued, 2);
  ac.abort(new Error('client went away'));
  await assert.rejects(aborted, /client went away/);
  assert.equal(inner.admission.stats().queued, 1);
  gate();
  assert.ok(await waiting);
  assert.deepEqual(inner.admission.stats(), { running: 0, queued: 0, lanes: {} });
  await inner.close();
});

test('tasks of concurrent partials run by the forwarded cost: the cheap query overtakes the heavy one submitted first', async () => {
  const segments = sampleSegments();
  const ex = createQueryExecutor({ segments: listSource(segments), workers: 0 });
  const order: string[] = [];
  const heavy = ex.runPartial(countQuery({ queryId: 'heavy', [ESTIMATED_COST_CONTEXT_KEY]: 1e12 }), segments).then(() => order.push('heavy'));
  const cheap = ex.runPartial(countQuery({ queryId: 'cheap', [ESTIMATED_COST_CONTEXT_KEY]: 10 }), segments).then(() => order.push('cheap'));
  await Promise.all([heavy, cheap]);
  assert.deepEqual(order, ['cheap', 'heavy']);
  // Without an estimate both are cheap by their rows here: admission order decides.
  order.length = 0;
  const a = ex.runPartial(countQuery({ queryId: 'a' }), segments).then(() => order.push('a'));
  const b = ex.runPartial(countQuery({ queryId: 'b' }), segments).then(() => order.push('b'));
  await Promise.all([a, b]);
  assert.deepEqual(order, ['a', 'b']);
  await ex.close();
});
