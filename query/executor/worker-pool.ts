/**
 * A hand-rolled worker_threads pool for per-segment work on persisted
 * segments whose bytes live in SharedArrayBuffers. Tasks queue by priority
 * (higher first) and round-robin across queries of equal priority; each idle
 * worker takes the next task. Workers are started lazily and do not keep the
 * process alive while idle.
 */
import { Worker } from 'node:worker_threads';
import { NemetonError, type DruidErrorCode } from '../../common/errors.ts';
import type { NativeQuery } from '../model/query.ts';
import type { WorkerReply, WorkerSegment, WorkerTask } from './segment-worker.ts';

interface Pending {
  readonly query: NativeQuery;
  readonly segments: readonly WorkerSegment[];
  readonly priority: number;
  readonly queryKey: string;
  readonly seq: number;
  readonly signal: AbortSignal;
  readonly finalize: boolean;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: Pending | null;
  taskId: number;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly served = new Map<string, number>();
  private seq = 0;
  private nextTaskId = 1;
  private closed = false;

  constructor(private readonly size: number) {}

  /** Number of worker threads. */
  get workers(): number {
    return this.size;
  }

  /**
   * Runs the per-segment step of `query` on each segment in one worker and
   * resolves to their merged partial, or with `finalize` to the query's
   * finalized result (when these segments are the query's only ones).
   */
  run(query: NativeQuery, segments: readonly WorkerSegment[], priority: number, queryKey: string, signal: AbortSignal, finalize = false): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ query, segments, priority, queryKey, seq: this.seq++, signal, finalize, resolve, reject });
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

  /** Starts one worker: registers the TypeScript loader, then loads segment-worker.ts. */
  private spawn(): Slot {
    const workerUrl = new URL('./segment-worker.ts', import.meta.url).href;
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`;
    const worker = new Worker(bootstrap, { eval: true });
    const slot: Slot = { worker, busy: null, taskId: 0 };
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on('error', (e) => this.onCrash(slot, e));
    worker.unref();
    return slot;
  }

  private pickNext(): Pending | undefined {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const p = this.queue[i];
      if (p.signal.aborted) continue;
      if (best < 0) { best = i; continue; }
      const b = this.queue[best];
      if (p.priority !== b.priority) { if (p.priority > b.priority) best = i; continue; }
      const sp = this.served.get(p.queryKey) ?? 0;
      const sb = this.served.get(b.queryKey) ?? 0;
      if (sp !== sb) { if (sp < sb) best = i; continue; }
      if (p.seq < b.seq) best = i;
    }
    // Drop aborted tasks.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const p = this.queue[i];
      if (p.signal.aborted && i !== best) {
        this.queue.splice(i, 1);
        p.reject(p.signal.reason);
        if (i < best) best--;
      }
    }
    return best < 0 ? undefined : this.queue.splice(best, 1)[0];
  }

  private dispatch(): void {
    if (this.slots.length === 0 && this.queue.length > 0) this.start();
    for (const slot of this.slots) {
      if (slot.busy !== null) continue;
      const p = this.pickNext();
      if (p === undefined) return;
      this.served.set(p.queryKey, (this.served.get(p.queryKey) ?? 0) + 1);
      slot.busy = p;
      slot.taskId = this.nextTaskId++;
      slot.worker.ref();
      const task: WorkerTask = { taskId: slot.taskId, query: p.query, segments: p.segments, finalize: p.finalize };
      slot.worker.postMessage(task);
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const p = slot.busy;
    slot.busy = null;
    // While closing, terminate() needs the worker referenced until it exits.
    if (!this.closed) slot.worker.unref();
    if (p !== null && reply.taskId === slot.taskId) {
      if (!this.queue.some((x) => x.queryKey === p.queryKey)) this.served.delete(p.queryKey);
      if (reply.ok) p.resolve(reply.partial);
      else p.reject(reply.error.name === 'NemetonError'
        ? new NemetonError(reply.error.message, { code: reply.error.code as DruidErrorCode })
        : new Error(reply.error.message));
    }
    this.dispatch();
  }

  private onCrash(slot: Slot, e: unknown): void {
    const p = slot.busy;
    slot.busy = null;
    p?.reject(e);
    // Replace the dead worker.
    this.slots = this.slots.filter((s) => s !== slot);
    if (!this.closed) {
      this.slots.push(this.spawn());
      this.dispatch();
    }
  }
}
