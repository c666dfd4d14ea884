/**
 * A Kafka supervisor in one process: splits the topic's partitions over `taskCount` tasks (partition p
 * goes to task p mod taskCount, as Druid groups them), runs them, restarts a failed task from the
 * committed offsets after a back-off, and retries when the broker or topic is not reachable. A task's
 * hand-off does not end it: it goes on reading from its end offsets (Druid would start a new task).
 */
import { randomUUID } from 'node:crypto';
import { asNemetonError } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import { KafkaTask, type KafkaTaskDeps, type KafkaTaskStatus } from './kafka-task.ts';
import type { KafkaSupervisorSpec } from './kafka-supervisor-spec.ts';

const log = logger('kafka-supervisor');

/** Druid's supervisor states (the ones this implementation reaches). */
export type SupervisorState = 'PENDING' | 'RUNNING' | 'SUSPENDED' | 'STOPPING' | 'UNHEALTHY_SUPERVISOR' | 'UNHEALTHY_TASKS';

export class KafkaSupervisor {
  private tasks: KafkaTask[] = [];
  private state: SupervisorState = 'PENDING';
  private stopping = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastError: string | null = null;
  private partitions: number[] = [];
  private readonly restartDelayMs: number;

  constructor(readonly spec: KafkaSupervisorSpec, private readonly deps: KafkaTaskDeps, options: { restartDelayMs?: number } = {}) {
    this.restartDelayMs = options.restartDelayMs ?? 2000;
  }

  get id(): string {
    return this.spec.id;
  }

  /** Starts the tasks; on a broker/topic problem the supervisor turns UNHEALTHY_SUPERVISOR and retries. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.tryStart();
  }

  private async tryStart(): Promise<void> {
    if (this.stopping) return;
    const probe = this.deps.supplierFactory({ bootstrapServers: this.spec.bootstrapServers, clientId: `nemeton-supervisor-${this.id}` });
    try {
      this.partitions = await probe.partitionIds(this.spec.topic);
    } catch (e) {
      this.fail(asNemetonError(e).message);
      return;
    } finally {
      await probe.close();
    }
    const groups: number[][] = [];
    for (const p of this.partitions) (groups[p % this.spec.taskCount] ??= []).push(p);
    try {
      for (const parts of groups) if (parts !== undefined && !this.stopping) await this.launch(parts);
    } catch (e) {
      const running = this.tasks;
      this.tasks = [];
      await Promise.all(running.map((t) => t.stop('discard')));
      this.fail(asNemetonError(e).message);
      return;
    }
    if (!this.stopping) {
      this.state = 'RUNNING';
      this.lastError = null;
    }
  }

  private fail(message: string): void {
    this.state = 'UNHEALTHY_SUPERVISOR';
    this.lastError = message;
    log.warn(`supervisor ${this.id}: ${message}; retrying in ${this.restartDelayMs} ms`);
    this.schedule(() => this.tryStart());
  }

  private schedule(fn: () => Promise<void>): void {
    if (this.stopping || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void fn();
    }, this.restartDelayMs);
  }

  private async launch(partitions: number[]): Promise<void> {
    const task = new KafkaTask(`index_kafka_${this.id}_${randomUUID().slice(0, 8)}`, partitions, this.spec, this.deps);
    await task.run();
    this.tasks.push(task);
    void task.finished().then(() => this.onTaskEnd(task));
  }

  private onTaskEnd(task: KafkaTask): void {
    if (this.stopping || task.status().state !== 'FAILED') return;
    this.state = 'UNHEALTHY_TASKS';
    this.lastError = task.status().error;
    const relaunch = async (): Promise<void> => {
      if (this.stopping) return;
      try {
        await this.launch([...task.partitions]);
        this.tasks = this.tasks.filter((t) => t !== task);
        if (this.tasks.every((t) => t.status().state !== 'FAILED')) this.state = 'RUNNING';
      } catch (e) {
        this.lastError = asNemetonError(e).message;
        this.schedule(relaunch);
      }
    };
    this.schedule(relaunch);
  }

  /** Hands off every task now (publishes what was read). */
  async handoff(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.requestHandoff()));
  }

  /** Stops all tasks: `publish` hands off first, `discard` leaves unpublished rows to be re-read. */
  async stop(mode: 'publish' | 'discard', finalState: SupervisorState = 'SUSPENDED'): Promise<void> {
    this.stopping = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.state = 'STOPPING';
    const running = this.tasks;
    this.tasks = [];
    await Promise.all(running.map((t) => t.stop(mode)));
    this.state = finalState;
  }

  /** Marks a supervisor that is not started (suspended at creation or restart). */
  markSuspended(): void {
    this.state = 'SUSPENDED';
  }

  get currentState(): SupervisorState {
    return this.state;
  }

  get healthy(): boolean {
    return this.state !== 'UNHEALTHY_SUPERVISOR' && this.state !== 'UNHEALTHY_TASKS';
  }

  taskStatuses(): KafkaTaskStatus[] {
    return this.tasks.map((t) => t.status());
  }

  /** Druid's supervisor status payload. */
  status(): Record<string, unknown> {
    const tasks = this.taskStatuses();
    const currentOffsets: Record<string, number> = {};
    for (const t of tasks) Object.assign(currentOffsets, t.currentOffsets);
    const sum = (k: keyof KafkaTaskStatus['rowStats']) => tasks.reduce((n, t) => n + t.rowStats[k], 0);
    return {
      dataSource: this.spec.dataSchema.dataSource,
      stream: this.spec.topic,
      topic: this.spec.topic,
      partitions: this.partitions.length,
      replicas: this.spec.replicas,
      durationSeconds: Math.round(this.spec.taskDurationMs / 1000),
      activeTasks: tasks.map((t) => ({
        id: t.id,
        partitions: t.partitions,
        state: t.state,
        startingOffsets: t.startOffsets,
        currentOffsets: t.currentOffsets,
        freshRows: t.freshRows,
        handoffs: t.handoffs,
        publishedSegments: t.publishedSegments,
        error: t.error,
      })),
      publishingTasks: tasks.filter((t) => t.state === 'PUBLISHING').map((t) => ({ id: t.id })),
      currentOffsets,
      suspended: this.state === 'SUSPENDED',
      healthy: this.healthy,
      state: this.state,
      detailedState: this.detailedState(),
      recentErrors: this.lastError === null ? [] : [{ timestamp: new Date().toISOString(), message: this.lastError }],
      rowStats: {
        processed: sum('processed'),
        processedBytes: sum('processedBytes'),
        processedWithError: sum('processedWithError'),
        thrownAway: sum('thrownAway'),
        unparseable: sum('unparseable'),
      },
      unparseableEvents: tasks.flatMap((t) => t.unparseableEvents.map((e) => e.details)).slice(0, 50),
    };
  }

  /** Druid's finer-grained state name. */
  detailedState(): string {
    switch (this.state) {
      case 'UNHEALTHY_SUPERVISOR': return /not available|does not exist|topic/i.test(this.lastError ?? '') ? 'UNABLE_TO_CONNECT_TO_STREAM' : 'UNHEALTHY_SUPERVISOR';
      case 'PENDING': return 'CONNECTING_TO_STREAM';
      default: return this.state;
    }
  }
}
