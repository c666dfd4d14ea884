/**
 * Runs per-segment tasks one at a time on this thread, highest priority
 * first and round-robin among queries of equal priority, yielding to the
 * event loop between tasks so that timeouts, cancellation and new queries
 * are seen promptly.
 */
export interface ScheduledTask<T> {
  readonly priority: number;
  readonly queryKey: string;
  run(): T;
}

interface Entry {
  readonly task: ScheduledTask<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly seq: number;
}

export class TaskScheduler {
  private readonly queue: Entry[] = [];
  private seq = 0;
  private running = false;
  /** How many tasks each query has run (for fairness). */
  private readonly served = new Map<string, number>();

  submit<T>(task: ScheduledTask<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as (v: unknown) => void, reject, seq: this.seq++ });
      this.pump();
    });
  }

  /** Number of tasks waiting. */
  get pending(): number {
    return this.queue.length;
  }

  private pickNext(): Entry | undefined {
    if (this.queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i];
      const b = this.queue[best];
      if (a.task.priority !== b.task.priority) { if (a.task.priority > b.task.priority) best = i; continue; }
      const sa = this.served.get(a.task.queryKey) ?? 0;
      const sb = this.served.get(b.task.queryKey) ?? 0;
      if (sa !== sb) { if (sa < sb) best = i; continue; }
      if (a.seq < b.seq) best = i;
    }
    return this.queue.splice(best, 1)[0];
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => {
      const e = this.pickNext();
      if (e !== undefined) {
        this.served.set(e.task.queryKey, (this.served.get(e.task.queryKey) ?? 0) + 1);
        try {
          e.resolve(e.task.run());
        } catch (err) {
          e.reject(err);
        }
        if (!this.queue.some((x) => x.task.queryKey === e.task.queryKey)) this.served.delete(e.task.queryKey);
      }
      this.running = false;
      if (this.queue.length > 0) this.pump();
    });
  }
}
