/** The worker pool's task order with stand-in workers driven by hand: priority, cheap lane, admission order, bounded pipelining. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool, type PoolWorker } from '../../query/executor/worker-pool.ts';
import type { WorkerReply, WorkerTask } from '../../query/executor/segment-worker.ts';
import type { TaskTicket } from '../../query/executor/task-order.ts';
import type { NativeQuery } from '../../query/model/query.ts';

/** Workers that only record the tasks posted to them; `finish` answers the oldest one. */
function fakeWorkers() {
  const workers: { posted: WorkerTask[]; reply: (r: WorkerReply) => void }[] = [];
  const spawn = (): PoolWorker => {
    const w = { posted: [] as WorkerTask[], reply: (_r: WorkerReply) => {} };
    workers.push(w);
    return {
      postMessage: (t) => { w.posted.push(t); },
      on: ((event: string, fn: (x: never) => void) => { if (event === 'message') w.reply = fn as (r: WorkerReply) => void; }) as PoolWorker['on'],
      ref: () => {}, unref: () => {}, terminate: async () => 0,
    };
  };
  const finish = (i: number) => {
    const w = workers[i];
    const t = w.posted.shift()!;
    w.reply({ taskId: t.taskId, ok: true, partial: (t.query as unknown as { name: string }).name });
    return (t.query as unknown as { name: string }).name;
  };
  return { workers, spawn, finish };
}

const q = (name: string) => ({ name }) as unknown as NativeQuery;
const ticket = (t: Partial<TaskTicket>): TaskTicket => ({ priority: 0, lane: 1, querySeq: 0, queryKey: 'q', ...t });
const signal = new AbortController().signal;

test('pool: one worker, depth 1: a high-priority task, then a cheap one, overtake queued heavy tasks', async () => {
  const { spawn, finish, workers } = fakeWorkers();
  const pool = new WorkerPool(1, 1, spawn);
  const results: Promise<unknown>[] = [];
  for (const n of ['heavy-1', 'heavy-2', 'heavy-3']) results.push(pool.run(q(n), [], ticket({ querySeq: 1, queryKey: 'heavy' }), signal));
  results.push(pool.run(q('later-heavy'), [], ticket({ querySeq: 2, queryKey: 'later' }), signal));
  results.push(pool.run(q('cheap'), [], ticket({ querySeq: 3, lane: 0, queryKey: 'cheap' }), signal));
  results.push(pool.run(q('urgent'), [], ticket({ querySeq: 4, priority: 10, queryKey: 'urgent' }), signal));
  assert.equal(workers[0].posted.length, 1);
  const order: string[] = [];
  for (let i = 0; i < 6; i++) order.push(finish(0));
  assert.deepEqual(order, ['heavy-1', 'urgent', 'cheap', 'heavy-2', 'heavy-3', 'later-heavy']);
  assert.deepEqual(await Promise.all(results), ['heavy-1', 'heavy-2', 'heavy-3', 'later-heavy', 'cheap', 'urgent']);
  await pool.close();
});

test('pool: depth 2 keeps a second task posted, so a new cheap task waits behind at most one', async () => {
  const { spawn, finish, workers } = fakeWorkers();
  const pool = new WorkerPool(2, 2, spawn);
  const done: Promise<unknown>[] = [];
  for (let i = 0; i < 6; i++) done.push(pool.run(q(`h${i}`), [], ticket({ querySeq: 1 }), signal));
  // Both workers got one task first, then a second each.
  assert.deepEqual(workers.map((w) => w.posted.map((t) => (t.query as unknown as { name: string }).name)), [['h0', 'h2'], ['h1', 'h3']]);
  done.push(pool.run(q('cheap'), [], ticket({ querySeq: 2, lane: 0 }), signal));
  assert.equal(finish(0), 'h0');
  assert.deepEqual(workers[0].posted.map((t) => (t.query as unknown as { name: string }).name), ['h2', 'cheap']);
  // Aborted queued tasks are dropped with the signal's reason.
  const ac = new AbortController();
  const dropped = pool.run(q('dropped'), [], ticket({ querySeq: 0 }), ac.signal);
  ac.abort(new Error('stop'));
  while (workers.some((w) => w.posted.length > 0)) for (const i of [0, 1]) if (workers[i].posted.length > 0) finish(i);
  await assert.rejects(dropped, /stop/);
  assert.equal((await Promise.all(done)).length, 7);
  await pool.close();
});
