/**
 * Runs per-segment tasks one at a time on this thread in task-order.ts's
 * order (priority, cost lane, query admission order), yielding to the event
 * loop between tasks so that timeouts, cancellation and new queries are seen
 * promptly.
 */
import { nextTaskIndex, type TaskTicket } from './task-order.ts';

export interface ScheduledTask<T> {
  readonly ticket: TaskTicket;
  run(): T;
}

interface Entry {
  readonly task: ScheduledTask<unknown>;
  readonly ticket: TaskTicket;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly seq: number;
}

export class TaskScheduler {
  private readonly queue: Entry[] = [];
  private seq = 0;
  private running = false;

  submit<T>(task: ScheduledTask<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ task, ticket: task.ticket, resolve: resolve as (v: unknown) => void, reject, seq: this.seq++ });
      this.pump();
    });
  }

  /** Number of tasks waiting. */
  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => {
      const i = nextTaskIndex(this.queue);
      if (i >= 0) {
        const e = this.queue.splice(i, 1)[0];
        try {
          e.resolve(e.task.run());
        } catch (err) {
          e.reject(err);
        }
      }
      this.running = false;
      if (this.queue.length > 0) this.pump();
    });
  }
}
