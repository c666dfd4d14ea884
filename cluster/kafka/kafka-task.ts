/**
 * One Kafka indexing task: reads its partitions from the committed offsets (or earliest/latest when
 * none), turns messages into rows, and adds them to an incremental index registered with the segment
 * source, so rows are queryable as soon as they are polled. Past maxRowsInMemory the index persists to
 * disk (bounded memory). At taskDuration, maxRowsPerSegment, or on request it hands off: merges, then
 * publishes the segments and the end offsets in one metadata transaction, serves them, and goes on
 * from the end offsets. Rows not yet published are simply re-read after a crash, so nothing is lost or
 * counted twice.
 */
import { join } from 'node:path';
import { asNemetonError, errors } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import type { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import type { Segment } from '../../storage/segment.ts';
import type { DataNode } from '../data-node.ts';
import { createRowPipeline, type ParseError, type RowPipeline, type RowStats } from '../ingestion/row-pipeline.ts';
import { createMessageParser, type MessageParser } from './kafka-message-parser.ts';
import type { KafkaSupervisorSpec } from './kafka-supervisor-spec.ts';
import type { OffsetCommitter } from './offset-committer.ts';
import type { RecordSupplier, RecordSupplierFactory } from './record-supplier.ts';

const log = logger('kafka-task');

export interface KafkaTaskDeps {
  readonly segments: LocalSegmentSource;
  readonly dataNode: DataNode;
  readonly committer: OffsetCommitter;
  readonly supplierFactory: RecordSupplierFactory;
  /** Directory for intermediate persists. */
  readonly tmpDir: string;
}

export type KafkaTaskState = 'STARTING' | 'READING' | 'PUBLISHING' | 'STOPPED' | 'FAILED';

/** What a task reports in the supervisor status. */
export interface KafkaTaskStatus {
  readonly id: string;
  readonly partitions: readonly number[];
  readonly state: KafkaTaskState;
  readonly startOffsets: Record<string, number>;
  readonly currentOffsets: Record<string, number>;
  readonly rowStats: RowStats;
  readonly unparseableEvents: readonly ParseError[];
  readonly freshRows: number;
  readonly publishedSegments: number;
  readonly handoffs: number;
  readonly error: string | null;
}

export class KafkaTask {
  private state: KafkaTaskState = 'STARTING';
  private supplier: RecordSupplier | null = null;
  private index: IncrementalIndex | null = null;
  private readonly pipeline: RowPipeline;
  private readonly parse: MessageParser;
  private start = new Map<number, number>();
  private rowsSinceHandoff = 0;
  private periodStart = Date.now();
  private lastPersist = Date.now();
  private handoffWaiters: (() => void)[] = [];
  private stopMode: 'none' | 'publish' | 'discard' = 'none';
  private loop: Promise<void> | null = null;
  private error: string | null = null;
  private publishedSegments = 0;
  private handoffs = 0;
  private minTime = -Infinity;
  private maxTime = Infinity;

  constructor(
    readonly id: string,
    readonly partitions: readonly number[],
    private readonly spec: KafkaSupervisorSpec,
    private readonly deps: KafkaTaskDeps,
  ) {
    this.pipeline = createRowPipeline(spec.rowSpec);
    this.parse = createMessageParser(spec.inputFormat);
  }

  /** Starts reading; resolves once the start offsets are known and the loop runs. Throws when the broker or topic is unusable. */
  async run(): Promise<void> {
    const supplier = this.deps.supplierFactory({ bootstrapServers: this.spec.bootstrapServers, clientId: `nemeton-${this.id}` });
    this.supplier = supplier;
    try {
      supplier.assign(this.spec.topic, this.partitions);
      await this.positionFromCommitted();
    } catch (e) {
      await supplier.close();
      this.state = 'FAILED';
      this.error = asNemetonError(e).message;
      throw e;
    }
    this.index = this.newIndex();
    this.deps.segments.addIncremental(this.spec.dataSchema.dataSource, this.index);
    this.startPeriod();
    this.state = 'READING';
    this.loop = this.readLoop();
  }

  private newIndex(): IncrementalIndex {
    return new IncrementalIndex(this.spec.dataSchema, {
      maxRowsInMemory: this.spec.maxRowsInMemory,
      ...(this.spec.maxBytesInMemory === undefined ? {} : { maxBytesInMemory: this.spec.maxBytesInMemory }),
      persistDir: join(this.deps.tmpDir, this.id.replace(/[^A-Za-z0-9._-]/g, '_')),
      excludeFields: [this.spec.rowSpec.timestampSpec.column],
    });
  }

  private startPeriod(): void {
    this.periodStart = Date.now();
    this.minTime = this.spec.lateMessageRejectionPeriodMs === null ? -Infinity : this.periodStart - this.spec.lateMessageRejectionPeriodMs;
    this.maxTime = this.spec.earlyMessageRejectionPeriodMs === null ? Infinity : this.periodStart + this.spec.taskDurationMs + this.spec.earlyMessageRejectionPeriodMs;
  }

  /** Seeks every partition to its committed offset, else to earliest/latest per useEarliestOffset. */
  private async positionFromCommitted(): Promise<void> {
    const supplier = this.supplier!;
    const committed = await this.deps.committer.committed();
    const missing = this.partitions.filter((p) => !committed.has(p));
    const fallback = missing.length === 0 ? new Map<number, number>()
      : this.spec.useEarliestOffset ? await supplier.earliestOffsets() : await supplier.latestOffsets();
    this.start = new Map();
    for (const p of this.partitions) {
      const c = committed.get(p);
      if (c !== undefined) this.start.set(p, c);
      supplier.seek(p, c ?? fallback.get(p) ?? 0);
    }
  }

  private async readLoop(): Promise<void> {
    const supplier = this.supplier!;
    try {
      while (this.stopMode === 'none') {
        const now = Date.now();
        if (this.handoffWaiters.length > 0 || now - this.periodStart >= this.spec.taskDurationMs || this.rowsSinceHandoff >= this.spec.maxRowsPerSegment) {
          await this.handoff();
          continue;
        }
        if (now - this.lastPersist >= this.spec.intermediatePersistPeriodMs) {
          this.index!.persist();
          this.lastPersist = now;
        }
        const records = await supplier.poll(this.spec.pollTimeoutMs);
        for (const r of records) this.ingest(r.value);
        if (this.pipeline.stats.unparseable > this.spec.maxParseExceptions) {
          throw errors.invalidInput(`Max parse exceptions [${this.spec.maxParseExceptions}] exceeded`);
        }
      }
      if (this.stopMode === 'publish') await this.handoff();
      this.state = 'STOPPED';
    } catch (e) {
      this.state = 'FAILED';
      this.error = asNemetonError(e).message;
      log.warn(`task ${this.id} failed: ${this.error}`);
    } finally {
      this.releaseWaiters();
      if (this.index !== null) {
        this.deps.segments.removeIncremental(this.spec.dataSchema.dataSource, this.index);
        this.index.close();
        this.index = null;
      }
      await supplier.close();
    }
  }

  private ingest(value: Uint8Array | null): void {
    const stats = this.pipeline.stats;
    if (value !== null) stats.processedBytes += value.byteLength;
    for (const item of this.parse(value)) {
      const row = this.pipeline.accept(item);
      if (row === null) continue;
      if (row.__time < this.minTime || row.__time >= this.maxTime) {
        this.pipeline.uncount();
        stats.thrownAway++;
        continue;
      }
      try {
        this.index!.add(row);
        this.rowsSinceHandoff++;
      } catch (e) {
        this.pipeline.uncount();
        stats.unparseable++;
        if (this.pipeline.parseErrors.length < this.spec.rowSpec.tuningConfig.maxSavedParseExceptions) {
          this.pipeline.parseErrors.push({ timestamp: new Date().toISOString(), input: JSON.stringify(row).slice(0, 1000), details: asNemetonError(e).message });
        }
      }
    }
  }

  /**
   * Publishes everything read so far with the current positions as end offsets; on a stale commit
   * (another writer advanced the offsets) the unpublished rows are dropped and reading restarts from
   * the stored offsets.
   */
  private async handoff(): Promise<void> {
    const supplier = this.supplier!;
    const index = this.index!;
    const dataSource = this.spec.dataSchema.dataSource;
    const end = new Map<number, number>();
    for (const p of this.partitions) end.set(p, supplier.position(p)!);
    const moved = this.partitions.some((p) => end.get(p) !== this.start.get(p));
    const waiters = this.handoffWaiters;
    this.handoffWaiters = [];
    if (!moved) {
      this.startPeriod();
      for (const w of waiters) w();
      return;
    }
    this.state = 'PUBLISHING';
    // Keep the rows queryable until their segments are served.
    const frozen: Segment[] = index.segments();
    const standIn = { segments: () => frozen };
    this.deps.segments.addIncremental(dataSource, standIn);
    this.deps.segments.removeIncremental(dataSource, index);
    try {
      const built = index.numRows > 0 || index.persistedCount > 0 ? index.handoff(new Date().toISOString()) : [];
      const result = await this.deps.committer.publish(built, this.start, end);
      if (result.ok) {
        this.publishedSegments += result.records.length;
        this.handoffs++;
        try {
          await this.deps.dataNode.load(result.records);
        } catch (e) {
          log.error(`task ${this.id}: published segments could not be served yet: ${asNemetonError(e).message}`);
        }
        this.start = end;
        log.info(`task ${this.id}: handed off ${result.records.length} segments; offsets ${JSON.stringify(Object.fromEntries(end))}`);
      } else {
        log.warn(`task ${this.id}: publish refused (${result.reason}); re-reading from the stored offsets`);
        index.close();
        await this.positionFromCommitted();
      }
    } catch (e) {
      // Nothing was committed: drop the in-memory rows and read them again from the committed offsets.
      log.warn(`task ${this.id}: hand-off failed (${asNemetonError(e).message}); re-reading from the stored offsets`);
      index.close();
      await this.positionFromCommitted();
    } finally {
      this.deps.segments.removeIncremental(dataSource, standIn);
      this.deps.segments.addIncremental(dataSource, index);
      this.rowsSinceHandoff = 0;
      this.lastPersist = Date.now();
      this.startPeriod();
      if (this.state === 'PUBLISHING') this.state = 'READING';
      for (const w of waiters) w();
    }
  }

  private releaseWaiters(): void {
    const waiters = this.handoffWaiters;
    this.handoffWaiters = [];
    for (const w of waiters) w();
  }

  /** Hands off now (publishes what was read); resolves when done. */
  requestHandoff(): Promise<void> {
    if (this.loop === null || this.state === 'STOPPED' || this.state === 'FAILED') return Promise.resolve();
    return new Promise((resolve) => this.handoffWaiters.push(resolve));
  }

  /** Stops the task: `publish` hands off first; `discard` drops unpublished rows (they are re-read later). */
  async stop(mode: 'publish' | 'discard'): Promise<void> {
    if (this.stopMode === 'none') this.stopMode = mode;
    await this.loop;
  }

  /** Resolves when the read loop ends (stop or failure). */
  finished(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  status(): KafkaTaskStatus {
    const current: Record<string, number> = {};
    for (const p of this.partitions) {
      const pos = this.supplier?.position(p);
      if (pos !== undefined) current[String(p)] = pos;
    }
    return {
      id: this.id,
      partitions: this.partitions,
      state: this.state,
      startOffsets: Object.fromEntries([...this.start].map(([p, o]) => [String(p), o])),
      currentOffsets: current,
      rowStats: { ...this.pipeline.stats },
      unparseableEvents: [...this.pipeline.parseErrors],
      freshRows: this.rowsSinceHandoff,
      publishedSegments: this.publishedSegments,
      handoffs: this.handoffs,
      error: this.error,
    };
  }
}
