/**
 * A hand-rolled worker_threads pool for per-segment work on persisted
 * segments whose bytes live in SharedArrayBuffers. Each worker takes the
 * next task in task-order.ts's order (priority, cost lane, query admission
 * order) and holds up to `depth` tasks at once (default 2: the next task is
 * already there when one finishes, so a busy calling thread does not leave
 * workers idle; a newly arrived cheap query waits for at most one task). Workers are started lazily and do not keep the
 * process alive while idle.
 */
import { Worker } from 'node:worker_threads';
import { NemetonError, type DruidErrorCode } from '../../common/errors.ts';
import type { NativeQuery } from '../model/query.ts';
import type { WorkerReply, WorkerSegment, WorkerTask } from './segment-worker.ts';
import { nextTaskIndex, type TaskTicket } from './task-order.ts';

interface Pending {
  readonly query: NativeQuery;
  readonly segments: readonly WorkerSegment[];
  readonly ticket: TaskTicket;
  readonly seq: number;
  readonly signal: AbortSignal;
  readonly finalize: boolean;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** What the pool needs of a worker thread (a stand-in in tests drives tasks by hand). */
export interface PoolWorker {
  postMessage(task: WorkerTask): void;
  on(event: 'message', listener: (reply: WorkerReply) => void): unknown;
  on(event: 'error', listener: (e: unknown) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Slot {
  readonly worker: PoolWorker;
  /** Tasks posted and not answered yet, by task id (answered in posting order). */
  readonly inflight: Map<number, Pending>;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private seq = 0;
  private nextTaskId = 1;
  private closed = false;

  /** `size` workers holding up to `depth` tasks each; `spawnWorker` replaces the segment worker thread (tests). */
  constructor(private readonly size: number, private readonly depth = 2, private readonly spawnWorker?: () => PoolWorker) {}

  /** Number of worker threads. */
  get workers(): number {
    return this.size;
  }

  /**
   * Runs the per-segment step of `query` on each segment in one worker and
   * resolves to their merged partial, or with `finalize` to the query's
   * finalized result (when these segments are the query's only ones).
   */
  run(query: NativeQuery, segments: readonly WorkerSegment[], ticket: TaskTicket, signal: AbortSignal, finalize = false): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ query, segments, ticket, seq: this.seq++, signal, finalize, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('worker pool closed'));
    // An unref'd worker would not keep the loop alive until its exit is reported.
    await Promise.all(this.slots.map((s) => { s.worker.ref(); return s.worker.terminate(); }));
    this.slots = [];
  }

  /** Starts the worker threads now (idempotent); they stay idle and unreferenced until tasks arrive. */
  prestart(): void {
    if (!this.closed && this.slots.length === 0) this.start();
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Starts one worker and wires its replies. */
  private spawn(): Slot {
    const worker = this.spawnWorker?.() ?? this.spawnThread();
    const slot: Slot = { worker, inflight: new Map() };
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on('error', (e) => this.onCrash(slot, e));
    worker.unref();
    return slot;
  }

  /**
   * Starts a segment worker thread. From source it registers the TypeScript loader, then loads segment-worker.ts;
   * compiled to JavaScript (this file is a .js) it loads segment-worker.js directly.
   */
  private spawnThread(): PoolWorker {
    const compiled = import.meta.url.endsWith('.js');
    const workerUrl = new URL(compiled ? './segment-worker.js' : './segment-worker.ts', import.meta.url).href;
    const worker = compiled ? new Worker(new URL(workerUrl)) : new Worker(
      `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`,
      { eval: true });
    return worker as PoolWorker;
  }

  private pickNext(): Pending | undefined {
    // Drop aborted tasks.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const p = this.queue[i];
      if (p.signal.aborted) {
        this.queue.splice(i, 1);
        p.reject(p.signal.reason);
      }
    }
    const best = nextTaskIndex(this.queue);
    return best < 0 ? undefined : this.queue.splice(best, 1)[0];
  }

  private dispatch(): void {
    if (this.slots.length === 0 && this.queue.length > 0) this.start();
    // Fill every worker to one task first, then top them up to the depth.
    for (let level = 1; level <= Math.max(1, this.depth); level++) {
      for (const slot of this.slots) {
        if (slot.inflight.size >= level) continue;
        const p = this.pickNext();
        if (p === undefined) return;
        const taskId = this.nextTaskId++;
        slot.inflight.set(taskId, p);
        slot.worker.ref();
        const task: WorkerTask = { taskId, query: p.query, segments: p.segments, finalize: p.finalize };
        slot.worker.postMessage(task);
      }
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const p = slot.inflight.get(reply.taskId);
    slot.inflight.delete(reply.taskId);
    // While closing, terminate() needs the worker referenced until it exits.
    if (!this.closed && slot.inflight.size === 0) slot.worker.unref();
    if (p !== undefined) {
      if (reply.ok) p.resolve(reply.partial);
      else p.reject(reply.error.name === 'NemetonError'
        ? new NemetonError(reply.error.message, { code: reply.error.code as DruidErrorCode })
        : new Error(reply.error.message));
    }
    this.dispatch();
  }

  private onCrash(slot: Slot, e: unknown): void {
    for (const p of slot.inflight.values()) p.reject(e);
    slot.inflight.clear();
    // Replace the dead worker.
    this.slots = this.slots.filter((s) => s !== slot);
    if (!this.closed) {
      this.slots.push(this.spawn());
      this.dispatch();
    }
  }
}
