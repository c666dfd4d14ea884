/**
 * Tasks whose process is gone: in a cluster every task records the process that runs it (`runner` in its
 * payload). A task still RUNNING (or PENDING / WAITING) whose runner no longer heartbeats will never
 * finish; it is marked FAILED so task listings and sys.tasks tell the truth.
 */
import type { MetadataStore, TaskRecord } from '../metadata/metadata-store.ts';

const UNFINISHED = new Set<TaskRecord['status']>(['RUNNING', 'PENDING', 'WAITING']);

/** The process recorded as running a task, if any. */
export function taskRunner(task: TaskRecord): string | undefined {
  const r = (task.payload as { runner?: unknown }).runner;
  return typeof r === 'string' ? r : undefined;
}

/** Whether a task is unfinished and recorded as run by a process not in `live` (tasks without a runner are left alone). */
export function isOrphanedTask(task: TaskRecord, live: ReadonlySet<string>): boolean {
  const runner = taskRunner(task);
  return UNFINISHED.has(task.status) && runner !== undefined && !live.has(runner);
}

/** Marks the orphaned tasks FAILED; returns how many. */
export async function failOrphanedTasks(metadata: MetadataStore, live: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for (const t of await metadata.tasks()) {
    if (!isOrphanedTask(t, live)) continue;
    await metadata.updateTask(t.id, 'FAILED', { ...(t.report ?? {}), errorMsg: `The process running this task (${taskRunner(t)}) stopped before it finished` });
    n++;
  }
  return n;
}
