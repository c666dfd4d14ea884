/** Running queries by id, so DELETE /druid/v2/{id} and pgwire cancel can abort them. */
import { randomUUID } from 'node:crypto';

export class QueryRegistry {
  private readonly running = new Map<string, AbortController>();

  /** Registers a query; the returned `done` must be called when it ends. */
  start(queryId: string | undefined, parent?: AbortSignal): { queryId: string; signal: AbortSignal; done: () => void } {
    const id = queryId ?? randomUUID();
    const controller = new AbortController();
    if (parent) {
      if (parent.aborted) controller.abort(parent.reason);
      else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
    }
    this.running.set(id, controller);
    return { queryId: id, signal: controller.signal, done: () => { if (this.running.get(id) === controller) this.running.delete(id); } };
  }

  /** Aborts a running query; false when no such query runs. */
  cancel(queryId: string): boolean {
    const c = this.running.get(queryId);
    if (!c) return false;
    c.abort(new Error(`Query [${queryId}] was cancelled`));
    this.running.delete(queryId);
    return true;
  }

  size(): number {
    return this.running.size;
  }
}
