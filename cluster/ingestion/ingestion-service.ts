/**
 * Ingestion in one process: batch tasks (Druid task specs), bulk loads (the
 * quickstart) and streaming inserts (SQL INSERT ... VALUES) that are visible
 * to the next query through an incremental index and handed off to segments
 * when memory fills up or the node shuts down.
 *
 * Versions: a batch load without appendToExisting publishes a new version
 * (overshadowing older data in its intervals); appends and hand-offs reuse the
 * newest version of the interval with new partition numbers.
 */
import { randomUUID } from 'node:crypto';
import { errors, asNemetonError, NemetonError } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import type { Interval } from '../../common/interval.ts';
import { join } from 'node:path';
import type { BuiltSegment } from '../../storage/build-segments.ts';
import type { Segment } from '../../storage/segment.ts';
import type { Partitioning } from '../../storage/merge/partition-rows.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import type { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import type { MetadataStore, SegmentRecord, TaskRecord } from '../metadata/metadata-store.ts';
import type { SegmentPublisher, SegmentToPublish } from '../segment-publisher.ts';
import type { DataNode } from '../data-node.ts';
import { parseBatchIngestionSpec, type BatchIngestionSpec } from './ingestion-spec.ts';
import { readInputBatches, type InputProgress } from './input-reader.ts';
import { createRowPipeline, parseErrorReport, type ParseError, type RowStats } from './row-pipeline.ts';

const log = logger('ingestion');

export interface IngestionDeps {
  readonly metadata: MetadataStore;
  readonly publisher: SegmentPublisher;
  readonly segments: LocalSegmentSource;
  readonly dataNode: DataNode;
  readonly tmpDir: string;
  readonly maxRowsInMemory: number;
}

export interface ProgressListener {
  (phase: 'reading' | 'building' | 'publishing' | 'done', rows: number, total?: number): void;
}

/** Live progress of a batch task: input rows and bytes read so far, and the phase. */
export interface TaskProgress extends InputProgress {
  phase: 'reading' | 'building' | 'publishing' | 'done';
  /** Raw records read (parsed or not). */
  rowsRead: number;
}

/** Options of ingestRows. */
export interface IngestRowsOptions {
  /** Keep existing data of the intervals (new partitions of the newest version). */
  readonly append?: boolean;
  readonly onProgress?: ProgressListener;
  /** Expected row count, passed to onProgress. */
  readonly total?: number;
  /** Dynamic partitioning: at most this many rows per segment. */
  readonly maxRowsPerSegment?: number;
  /** Secondary partitioning (hashed / range / dynamic); wins over maxRowsPerSegment. */
  readonly partitioning?: Partitioning;
  /** Rows held in memory before a persist to disk (default 1,000,000). */
  readonly maxRowsInMemory?: number;
  /** Segment ids marked unused in the same metadata transaction that publishes the new ones (REPLACE). */
  readonly retire?: readonly string[];
}

/**
 * Rows pushed by a producer: it calls `add` once per row (the row is read at
 * once and not kept, so the producer may reuse nothing but must not mutate it
 * during the call) and resolves when its input ends; throwing abandons the load.
 */
export type RowProducer = (add: (row: InputRow) => void) => Promise<void>;

interface TaskState {
  status: TaskRecord['status'];
  progress: TaskProgress;
  stats: RowStats;
  parseErrors: ParseError[];
  error: string | null;
  segments: number;
  done: Promise<void>;
}

export class IngestionService {
  private readonly tasks = new Map<string, TaskState>();
  private readonly fresh = new Map<string, IncrementalIndex>();
  private readonly schemas = new Map<string, DataSchema>();
  private handoffChain: Promise<unknown> = Promise.resolve();
  /** Hand-offs whose publish failed: built segments kept for a retry, rows served from `standIn` meanwhile. */
  private readonly unpublished: { name: string; schema: DataSchema; built: BuiltSegment[]; standIn: { segments(): Segment[] } }[] = [];

  constructor(private readonly deps: IngestionDeps) {}

  private taskRunner: string | undefined;

  /**
   * Cluster mode: the name of this process (`host:port`), recorded as `runner` in the payload of every
   * task it starts from now on, so a recovering process fails only its own tasks and others can tell
   * whose tasks are orphaned.
   */
  setTaskRunner(name: string): void {
    this.taskRunner = name;
  }

  private withRunner(payload: Record<string, unknown>): Record<string, unknown> {
    return this.taskRunner === undefined ? payload : { ...payload, runner: this.taskRunner };
  }

  /**
   * Marks tasks left RUNNING by a previous process as FAILED (only those `isOrphan` accepts, when given:
   * in a cluster other processes' tasks keep running); loads known schemas.
   */
  async recover(options: { isOrphan?: (task: TaskRecord) => boolean } = {}): Promise<void> {
    for (const t of await this.deps.metadata.tasks()) {
      if ((t.status === 'RUNNING' || t.status === 'PENDING' || t.status === 'WAITING') && (options.isOrphan?.(t) ?? true)) {
        await this.deps.metadata.updateTask(t.id, 'FAILED', { ...(t.report ?? {}), errorMsg: 'The process running this task stopped before it finished' });
      }
    }
    for (const ds of await this.deps.metadata.dataSources()) {
      const schema = (ds.schema as { dataSchema?: DataSchema }).dataSchema;
      if (schema) this.schemas.set(ds.name, schema);
    }
  }

  /**
   * Places built segments: a new version gets complete partition sets (hidden
   * until every partition is served); appends take the newest existing version
   * of their interval and the next partition numbers, in extendable sets.
   */
  private async place(dataSource: string, built: readonly BuiltSegment[], append: boolean): Promise<SegmentToPublish[]> {
    const numRows = (b: BuiltSegment) => openSegment(b.bytes, b.id).numRows;
    if (!append) {
      const perInterval = new Map<string, number>();
      for (const b of built) perInterval.set(`${b.id.interval.start}/${b.id.interval.end}`, (perInterval.get(`${b.id.interval.start}/${b.id.interval.end}`) ?? 0) + 1);
      return built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: numRows(b), numPartitions: perInterval.get(`${b.id.interval.start}/${b.id.interval.end}`)! }));
    }
    const targets = await this.appendTargets(dataSource);
    return built.map((b) => {
      const key = `${b.id.interval.start}/${b.id.interval.end}`;
      const target = targets.get(key);
      if (!target) {
        targets.set(key, { version: b.id.version, nextPartition: b.id.partitionNum + 1 });
        return { id: b.id, bytes: b.bytes, numRows: numRows(b), numPartitions: 0 };
      }
      const id = { ...b.id, version: target.version, partitionNum: target.nextPartition++ };
      return { id, bytes: b.bytes, numRows: numRows(b), numPartitions: 0 };
    });
  }

  /**
   * Publishes placed segments (and retires `retire` in the same metadata transaction), records the data
   * source, and serves the new segments (dropping retired ones).
   */
  private async publish(schema: DataSchema, toPublish: readonly SegmentToPublish[], retire: readonly string[] = []): Promise<SegmentRecord[]> {
    const records = retire.length > 0 ? await this.deps.publisher.publish(toPublish, undefined, retire) : await this.deps.publisher.publish(toPublish);
    if (records === null) throw errors.invalidInput('Publish was refused by the metadata store');
    await this.deps.metadata.upsertDataSource({ name: schema.dataSource, createdAt: new Date().toISOString(), schema: { dataSchema: schema } });
    this.schemas.set(schema.dataSource, schema);
    await this.deps.dataNode.load(records);
    if (retire.length > 0) await this.deps.dataNode.sync();
    return records;
  }

  /** The newest version and next partition number per interval of a data source (for appends). */
  private async appendTargets(dataSource: string): Promise<Map<string, { version: string; nextPartition: number }>> {
    const out = new Map<string, { version: string; nextPartition: number }>();
    for (const s of await this.deps.metadata.usedSegments(dataSource)) {
      const k = `${s.interval.start}/${s.interval.end}`;
      const cur = out.get(k);
      if (!cur || s.version > cur.version) out.set(k, { version: s.version, nextPartition: s.partitionNum + 1 });
      else if (s.version === cur.version) cur.nextPartition = Math.max(cur.nextPartition, s.partitionNum + 1);
    }
    return out;
  }

  /**
   * Loads rows into new segments and publishes them. `append` keeps existing
   * data in the same intervals; otherwise the new version overshadows it.
   */
  async ingestRows(
    schema: DataSchema,
    rows: Iterable<InputRow> | AsyncIterable<InputRow> | RowProducer,
    options: IngestRowsOptions = {},
  ): Promise<{ rows: number; segments: SegmentRecord[] }> {
    const index = this.newIndex(schema, options.maxRowsInMemory);
    let count = 0;
    let built: BuiltSegment[];
    try {
      if (typeof rows === 'function') {
        await rows((r) => {
          index.add(r);
          if (++count % 50_000 === 0) options.onProgress?.('reading', count, options.total);
        });
      } else if (Symbol.asyncIterator in rows) {
        for await (const r of rows) {
          index.add(r);
          if (++count % 50_000 === 0) options.onProgress?.('reading', count, options.total);
        }
      } else {
        for (const r of rows) {
          index.add(r);
          if (++count % 50_000 === 0) options.onProgress?.('reading', count, options.total);
        }
      }
      options.onProgress?.('building', count, options.total);
      built = index.handoff(new Date().toISOString(), options.partitioning ?? options.maxRowsPerSegment);
    } finally {
      index.close();
    }
    options.onProgress?.('publishing', count, options.total);
    const records = await this.publish(schema, await this.place(schema.dataSource, built, options.append === true), options.retire);
    options.onProgress?.('done', count, options.total);
    return { rows: count, segments: records };
  }

  /**
   * A batch incremental index persisting into its own directory under tmpDir. `excludeFields` are never
   * discovered as dimensions (a task's timestamp column, as in Druid's schemaless ingestion).
   */
  private newIndex(schema: DataSchema, maxRowsInMemory = 1_000_000, excludeFields: readonly string[] = []): IncrementalIndex {
    return new IncrementalIndex(schema, {
      maxRowsInMemory, maxBytesInMemory: 1024 * 1024 * 1024, excludeFields,
      persistDir: join(this.deps.tmpDir, `build-${randomUUID()}`), removePersistDirOnClose: true,
    });
  }

  /**
   * REPLACE: publishes the rows as a new version and retires every older
   * segment inside `intervals` in one metadata transaction (so intervals the
   * new data leaves empty become empty too, and a failure changes nothing).
   * Rows outside the intervals are refused before anything is written.
   */
  async replaceRows(schema: DataSchema, rows: readonly InputRow[] | RowProducer, intervals: readonly Interval[]): Promise<{ rows: number; segments: SegmentRecord[] }> {
    const check = (r: InputRow) => {
      if (!intervals.some((iv) => iv.start <= r.__time && r.__time < iv.end)) {
        throw errors.invalidInput(`Row with __time [${new Date(r.__time).toISOString()}] is outside the REPLACE intervals`);
      }
    };
    if (typeof rows !== 'function') rows.forEach(check);
    const source: readonly InputRow[] | RowProducer = typeof rows !== 'function' ? rows : (add) => rows((r) => { check(r); add(r); });
    const old = (await this.deps.metadata.usedSegments(schema.dataSource))
      .filter((s) => intervals.some((iv) => iv.start <= s.interval.start && s.interval.end <= iv.end));
    const retire = old.map((s) => s.id);
    if (typeof source === 'function' || source.length > 0) return this.ingestRows(schema, source, { retire });
    await this.deps.metadata.markUnused(retire);
    await this.deps.dataNode.sync();
    return { rows: 0, segments: [] };
  }

  /**
   * Runs a SQL INSERT/REPLACE load as a task recorded in the metadata store
   * (type 'query_controller', as Druid's SQL ingestion reports): RUNNING while
   * `work` runs, then SUCCESS or FAILED with a report. Waits for the load, so
   * the rows are visible to the next query; rethrows the load's error.
   */
  async runSqlTask(dataSource: string, sql: Record<string, unknown>, work: () => Promise<{ rows: number; segments: readonly SegmentRecord[] }>): Promise<{ taskId: string; rows: number }> {
    const id = `query-${randomUUID()}`;
    const now = new Date().toISOString();
    await this.deps.metadata.insertTask({ id, type: 'query_controller', dataSource, status: 'RUNNING', createdAt: now, updatedAt: now, payload: this.withRunner(sql), report: null });
    const state: TaskState = { status: 'RUNNING', progress: { phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes: 0 }, stats: { processed: 0, processedBytes: 0, processedWithError: 0, thrownAway: 0, unparseable: 0 }, parseErrors: [], error: null, segments: 0, done: Promise.resolve() };
    this.tasks.set(id, state);
    try {
      const result = await work();
      state.stats.processed = result.rows;
      state.segments = result.segments.length;
      state.status = 'SUCCESS';
      return { taskId: id, rows: result.rows };
    } catch (e) {
      state.status = 'FAILED';
      state.error = asNemetonError(e).message;
      throw e;
    } finally {
      await this.deps.metadata.updateTask(id, state.status, this.reportOf(state));
    }
  }

  /**
   * Validates a Druid task spec and starts it; returns the task id at once.
   * Follow it with taskProgress / taskReport, or await waitForTask.
   */
  async submitTask(rawSpec: unknown): Promise<string> {
    const spec = parseBatchIngestionSpec(rawSpec);
    const id = typeof (rawSpec as { id?: unknown }).id === 'string'
      ? (rawSpec as { id: string }).id
      : `${spec.type}_${spec.dataSchema.dataSource}_${randomUUID().slice(0, 8)}_${new Date().toISOString()}`;
    if (this.tasks.has(id) || (await this.deps.metadata.task(id))) throw errors.invalidInput(`Task [${id}] already exists`);
    const now = new Date().toISOString();
    await this.deps.metadata.insertTask({ id, type: spec.type, dataSource: spec.dataSchema.dataSource, status: 'RUNNING', createdAt: now, updatedAt: now, payload: this.withRunner(rawSpec as Record<string, unknown>), report: null });
    const state: TaskState = { status: 'RUNNING', progress: { phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes: 0 }, stats: { processed: 0, processedBytes: 0, processedWithError: 0, thrownAway: 0, unparseable: 0 }, parseErrors: [], error: null, segments: 0, done: Promise.resolve() };
    this.tasks.set(id, state);
    state.done = this.runBatch(id, spec, state);
    return id;
  }

  private async runBatch(id: string, spec: BatchIngestionSpec, state: TaskState): Promise<void> {
    const pipeline = createRowPipeline(spec);
    state.stats = pipeline.stats;
    state.parseErrors = pipeline.parseErrors;
    const progress = state.progress;
    const index = this.newIndex(spec.dataSchema, spec.tuningConfig.maxRowsInMemory, [spec.timestampSpec.column]);
    try {
      const maxErrors = spec.tuningConfig.maxParseExceptions;
      for await (const batch of readInputBatches(spec.inputSource, spec.inputFormat, progress)) {
        for (let i = 0; i < batch.length; i++) {
          const row = pipeline.accept(batch[i]);
          if (row) index.add(row);
          if (pipeline.stats.unparseable + pipeline.stats.processedWithError > maxErrors) {
            throw errors.invalidInput(`Max parse exceptions [${maxErrors}] exceeded`);
          }
        }
        progress.rowsRead += batch.length;
        pipeline.stats.processedBytes = progress.bytesRead;
      }
      pipeline.stats.processedBytes = progress.bytesRead;
      progress.phase = 'building';
      const built = index.handoff(new Date().toISOString(), spec.tuningConfig.partitioning);
      progress.phase = 'publishing';
      const records = await this.publish(spec.dataSchema, await this.place(spec.dataSchema.dataSource, built, spec.appendToExisting));
      state.segments = records.length;
      state.status = 'SUCCESS';
      log.info(`task ${id}: ${pipeline.stats.processed} rows in ${records.length} segments`);
    } catch (e) {
      state.status = 'FAILED';
      state.error = asNemetonError(e).message;
      log.warn(`task ${id} failed: ${state.error}`);
    } finally {
      index.close();
      progress.phase = 'done';
    }
    await this.deps.metadata.updateTask(id, state.status, this.reportOf(state));
  }

  private reportOf(state: TaskState): Record<string, unknown> {
    return {
      ingestionStatsAndErrors: {
        type: 'ingestionStatsAndErrors',
        taskId: null,
        payload: {
          ingestionState: state.status === 'RUNNING' ? 'BUILD_SEGMENTS' : 'COMPLETED',
          rowStats: { buildSegments: { ...state.stats } },
          unparseableEvents: { buildSegments: state.parseErrors.map(parseErrorReport) },
          errorMsg: state.error,
          segmentsPublished: state.segments,
        },
      },
    };
  }

  /** Waits for a task started by this process (tests, CLI). */
  async waitForTask(id: string): Promise<void> {
    await this.tasks.get(id)?.done;
  }

  /** Live progress of a task started by this process (undefined for unknown or other processes' tasks). */
  taskProgress(id: string): Readonly<TaskProgress> | undefined {
    return this.tasks.get(id)?.progress;
  }

  async taskStatus(id: string): Promise<Record<string, unknown>> {
    const live = this.tasks.get(id);
    const record = await this.deps.metadata.task(id);
    if (!record && !live) throw new NemetonError(`Task [${id}] not found`, { code: 'Not found' });
    const status = live?.status ?? record!.status;
    return {
      task: id,
      status: {
        id,
        type: record?.type ?? 'index_parallel',
        createdTime: record?.createdAt,
        status,
        statusCode: status,
        runnerStatusCode: status === 'RUNNING' ? 'RUNNING' : 'NONE',
        duration: record ? Date.parse(record.updatedAt) - Date.parse(record.createdAt) : -1,
        dataSource: record?.dataSource,
        errorMsg: live?.error ?? (record?.report as { ingestionStatsAndErrors?: { payload?: { errorMsg?: string } } } | null)?.ingestionStatsAndErrors?.payload?.errorMsg ?? null,
      },
    };
  }

  async taskReport(id: string): Promise<Record<string, unknown> | null> {
    const live = this.tasks.get(id);
    if (live) return this.reportOf(live);
    return (await this.deps.metadata.task(id))?.report ?? null;
  }

  /** The schema a data source was created with (for INSERT into an existing data source). */
  schemaOf(dataSource: string): DataSchema | undefined {
    return this.schemas.get(dataSource);
  }

  /**
   * Streaming insert: rows go into the data source's incremental index and are
   * visible to the next query. Creates the data source when it does not exist.
   */
  insertRows(dataSource: string, rows: readonly InputRow[], schemaIfNew?: DataSchema): number {
    let index = this.fresh.get(dataSource);
    if (!index) {
      const known = this.schemas.get(dataSource);
      const schema: DataSchema = known
        ? {
          // Existing dimensions keep their types and order; columns this insert brings are added (typed when the
          // statement says how) and anything else is discovered, so new columns appear instead of being dropped.
          ...known,
          dimensionsSpec: {
            ...known.dimensionsSpec,
            dimensions: [
              ...known.dimensionsSpec.dimensions,
              ...(schemaIfNew?.dimensionsSpec.dimensions ?? []).filter((d) => !known.dimensionsSpec.dimensions.some((k) => k.name === d.name)),
            ],
            useSchemaDiscovery: true,
          },
        }
        : schemaIfNew ?? {
          dataSource, dimensionsSpec: { dimensions: [], useSchemaDiscovery: true }, metricsSpec: [],
          queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
        };
      index = new IncrementalIndex(schema, { maxRowsInMemory: Number.MAX_SAFE_INTEGER });
      this.fresh.set(dataSource, index);
      this.schemas.set(dataSource, schema);
      this.deps.segments.addIncremental(dataSource, index);
    }
    for (const r of rows) index.add(r);
    if (index.numRows >= this.deps.maxRowsInMemory) {
      // If this fails the rows stay queryable in memory and the next hand-off (or shutdown) publishes them.
      this.handoff(dataSource).catch((e) => log.error(`hand-off of [${dataSource}] failed: ${asNemetonError(e).message}`));
    }
    return rows.length;
  }

  /** Persists fresh data of one (or every) data source into published segments. */
  handoff(dataSource?: string): Promise<void> {
    const run = async () => {
      // Hand-offs whose publish failed before are retried first; their rows stayed queryable meanwhile.
      for (const pending of [...this.unpublished]) {
        if (dataSource !== undefined && pending.name !== dataSource) continue;
        await this.publish(pending.schema, await this.place(pending.name, pending.built, true));
        this.deps.segments.removeIncremental(pending.name, pending.standIn);
        this.unpublished.splice(this.unpublished.indexOf(pending), 1);
        log.info(`published ${pending.built.length} segments of [${pending.name}] on retry`);
      }
      const names = dataSource === undefined ? [...this.fresh.keys()] : [dataSource];
      for (const name of names) {
        const index = this.fresh.get(name);
        if (!index || index.numRows === 0) continue;
        this.fresh.delete(name); // new inserts go to a new index from here on
        const schema = this.schemas.get(name)!;
        // Keep the rows visible until their published segments are served.
        const frozen = index.segments();
        const standIn = { segments: () => frozen };
        this.deps.segments.addIncremental(name, standIn);
        this.deps.segments.removeIncremental(name, index);
        const rowCount = index.numRows;
        const built = index.handoff(new Date().toISOString());
        try {
          await this.publish(schema, await this.place(name, built, true));
        } catch (e) {
          this.unpublished.push({ name, schema, built, standIn });
          throw e;
        }
        this.deps.segments.removeIncremental(name, standIn);
        log.info(`handed off ${rowCount} fresh rows of [${name}] into ${built.length} segments`);
      }
    };
    const next = this.handoffChain.then(run, run);
    this.handoffChain = next.catch(() => {});
    return next;
  }


  /** Fresh rows not yet handed off, per data source. */
  freshRowCounts(): Map<string, number> {
    return new Map([...this.fresh.entries()].map(([k, v]) => [k, v.numRows]));
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.tasks.values()].map((t) => t.done));
    await this.handoff();
  }
}

