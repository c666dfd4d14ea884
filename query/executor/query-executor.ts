/**
 * Runs native queries against a SegmentSource: resolves the data source,
 * splits the query into per-segment tasks (plain partial results), merges
 * and finalizes them. Tasks are scheduled by priority and fairly across
 * queries; query context `timeout` (ms) and `priority` and an AbortSignal are
 * honoured. This is what the HTTP server and the SQL planner call.
 */
import { randomUUID } from 'node:crypto';
import { errors, NemetonError } from '../../common/errors.ts';
import type { Segment, SegmentSource } from '../../storage/segment.ts';
import { segmentFromColumns, type RowsColumn } from '../engine/rows-segment.ts';
import { SegmentView } from '../engine/segment-view.ts';
import type { DataSourceSpec, NativeQuery } from '../model/query.ts';
import type { NativeQueryRunner, RunOptions } from '../native-runner.ts';
import { parseIntervals, parseQuery } from '../parse-query.ts';
import { engineFor } from './engines.ts';
import { innerResultsToSegment } from './inner-results.ts';
import { TaskScheduler } from './task-scheduler.ts';
import { WorkerPool } from './worker-pool.ts';
import { streamNativeResults } from './scan-stream.ts';
import { FileSegment } from '../../storage/format/segment-reader.ts';
import { segmentIdToString } from '../../storage/segment.ts';
import { availableParallelism } from 'node:os';

/**
 * Lookups are registered in this thread only (query/expression/lookup.ts), so
 * queries that use them run here rather than on worker threads.
 */
function usesLookups(q: NativeQuery): boolean {
  const text = JSON.stringify(q);
  return text.includes('"registeredLookup"') || /lookup\s*\(/i.test(text);
}
// Registers the expression engine with the bridge (virtual columns, expression filters/post-aggregators).
import '../expression/index.ts';

export interface QueryExecutorOptions {
  readonly segments: SegmentSource;
  /**
   * Worker threads for persisted segments whose bytes are in shared memory
   * (default: available parallelism; 0 runs everything on the calling thread).
   * Mutable and in-memory segments always run on the calling thread.
   */
  readonly workers?: number;
  /** Timeout when the query context sets none, in ms (default 300000). */
  readonly defaultTimeoutMs?: number;
  /**
   * Start the worker threads now instead of on the first query (each loads
   * the TypeScript loader, about a second of CPU); default false.
   */
  readonly prestartWorkers?: boolean;
  /**
   * Queries whose persisted segments hold fewer rows than this in total run
   * on the calling thread: a worker round trip costs more than the work
   * (default 0: everything persisted goes to workers; 65536 suits a node serving queries).
   */
  readonly minRowsForWorkers?: number;
}

export interface QueryExecutor extends NativeQueryRunner {
  /** Validates and runs a query (raw JSON or a NativeQuery); resolves to Druid's JSON result array. */
  run(query: NativeQuery | unknown, options?: RunOptions): Promise<unknown[]>;
  /** run() as a stream of result chunks (scans: batch by batch, never whole); see scan-stream.ts. */
  runStream(query: NativeQuery | unknown, options?: RunOptions): AsyncIterable<unknown[]>;
  /**
   * The merged, unfinalized partial of a query over the given segments (a data
   * node's answer to a broker). Serialisable with msgpackr/JSON.
   */
  runPartial(query: NativeQuery, segments: readonly Segment[], options?: RunOptions): Promise<unknown>;
  /** Merges partials (from data nodes) and finalizes them into Druid's result. */
  mergeAndFinalize(query: NativeQuery, partials: readonly unknown[]): unknown[];
  /** Segment tasks run so far: on worker threads and on the calling thread. */
  stats(): { workerTasks: number; localTasks: number };
  /** Stops worker threads. */
  close(): Promise<void>;
}

interface RunState {
  readonly queryId: string;
  readonly priority: number;
  readonly signal: AbortSignal;
}

function checkAborted(state: RunState): void {
  if (state.signal.aborted) {
    const reason = state.signal.reason;
    throw reason instanceof NemetonError ? reason : errors.cancelled(state.queryId);
  }
}

/** Creates the executor. */
export function createQueryExecutor(options: QueryExecutorOptions): QueryExecutor {
  const scheduler = new TaskScheduler();
  const poolSize = options.workers ?? availableParallelism();
  const pool = poolSize > 0 ? new WorkerPool(poolSize) : null;
  if (pool !== null && options.prestartWorkers === true) pool.prestart();
  const minRowsForWorkers = options.minRowsForWorkers ?? 0;
  const counters = { workerTasks: 0, localTasks: 0 };

  /** The shared bytes of a persisted segment a worker can open, or null. */
  function sharedBytes(seg: Segment): Uint8Array | null {
    if (pool === null || seg.isMutable || !(seg instanceof FileSegment)) return null;
    const bytes = seg.file.bytes;
    return bytes.buffer instanceof SharedArrayBuffer ? bytes : null;
  }
  const defaultTimeout = options.defaultTimeoutMs ?? 300000;

  /**
   * Runs the per-segment step on every segment. With `finalizeAlone`, when all
   * segments go to one worker task (so its merged partial is the whole
   * answer), the worker also finalizes and `final` is Druid's result: the
   * main thread then neither receives nor merges every group.
   */
  async function processSegments(q: NativeQuery, segments: readonly Segment[], state: RunState, finalizeAlone = false): Promise<{ partials: unknown[]; final?: unknown[] }> {
    const engine = engineFor(q);
    const vcs = (q as { virtualColumns?: [] }).virtualColumns ?? [];
    const shared: { seg: Segment; bytes: Uint8Array }[] = [];
    const local: Segment[] = [];
    let persistedRows = 0;
    for (const seg of segments) persistedRows += seg.isMutable ? 0 : seg.numRows;
    const mainThreadOnly = pool !== null && (usesLookups(q) || persistedRows < minRowsForWorkers);
    for (const seg of segments) {
      const bytes = mainThreadOnly ? null : sharedBytes(seg);
      if (bytes !== null) shared.push({ seg, bytes }); else local.push(seg);
    }
    const work: Promise<unknown>[] = [];
    const batches = batchForWorkers(shared, pool?.workers ?? 1);
    const alone = finalizeAlone && local.length === 0 && batches.length === 1;
    for (const batch of batches) {
      counters.workerTasks += batch.length;
      work.push(pool!.run(q, batch.map(({ seg, bytes }) => ({ key: `${segmentIdToString(seg.id)}@${bytes.byteOffset}+${bytes.byteLength}`, id: seg.id, bytes })), state.priority, state.queryId, state.signal, alone));
    }
    if (alone) return { partials: [], final: (await work[0]) as unknown[] };
    for (const seg of local) {
      counters.localTasks++;
      work.push(scheduler.submit({
        priority: state.priority,
        queryKey: state.queryId,
        run: () => {
          checkAborted(state);
          return engine.processSegment(q, new SegmentView(seg, vcs));
        },
      }));
    }
    return { partials: await Promise.all(work) };
  }

  async function resolveSegments(q: NativeQuery, ds: DataSourceSpec, state: RunState): Promise<Segment[]> {
    if (typeof ds === 'string') return options.segments.segmentsFor(ds, parseIntervals((q as { intervals?: unknown }).intervals));
    switch (ds.type) {
      case 'table': return resolveSegments(q, ds.name, state);
      case 'union': {
        const out: Segment[] = [];
        for (const d of ds.dataSources) out.push(...(await resolveSegments(q, d, state)));
        return out;
      }
      case 'inline': {
        const timeIdx = ds.columnNames.indexOf('__time');
        const cols = ds.columnNames.map((name, i) => {
          const t = ds.columnTypes?.[i]?.toUpperCase();
          const type: RowsColumn['type'] = t === 'LONG' || t === 'DOUBLE' || t === 'FLOAT' || t === 'STRING' ? t : undefined;
          return { name, type };
        });
        const values = ds.columnNames.map((_, i) => ds.rows.map((r) => r[i] ?? null));
        const time = timeIdx < 0 ? null : ds.rows.map((r) => Number(r[timeIdx] ?? 0));
        return [segmentFromColumns('inline', cols, values, time)];
      }
      case 'query': {
        const inner = ds.query;
        const results = await execute(inner, state);
        return [innerResultsToSegment(inner, results)];
      }
      default:
        throw errors.unsupported(`Data source type [${(ds as { type: string }).type}]`);
    }
  }

  async function execute(q: NativeQuery, state: RunState): Promise<unknown[]> {
    checkAborted(state);
    const segments = await resolveSegments(q, q.dataSource, state);
    const engine = engineFor(q);
    const { partials, final } = await processSegments(q, segments, state, finalizesInWorker(q));
    checkAborted(state);
    return final ?? engine.finalize(q, engine.merge(q, partials));
  }

  return {
    async run(raw: unknown, runOptions: RunOptions = {}): Promise<unknown[]> {
      const q = parseQuery(raw);
      const ctx = q.context ?? {};
      const queryId = typeof ctx.queryId === 'string' ? ctx.queryId : randomUUID();
      const timeout = typeof ctx.timeout === 'number' ? ctx.timeout : Number(ctx.timeout ?? defaultTimeout);
      const priority = typeof ctx.priority === 'number' ? ctx.priority : Number(ctx.priority ?? 0) || 0;
      const controller = new AbortController();
      const onAbort = () => controller.abort(errors.cancelled(queryId));
      if (runOptions.signal !== undefined) {
        if (runOptions.signal.aborted) throw errors.cancelled(queryId);
        runOptions.signal.addEventListener('abort', onAbort, { once: true });
      }
      let timer: NodeJS.Timeout | undefined;
      const state: RunState = { queryId, priority, signal: controller.signal };
      const timeoutPromise = new Promise<never>((_, reject) => {
        if (timeout > 0 && Number.isFinite(timeout)) {
          timer = setTimeout(() => {
            const e = errors.timeout(timeout);
            controller.abort(e);
            reject(e);
          }, timeout);
        }
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      try {
        return await Promise.race([execute(q, state), timeoutPromise]);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        runOptions.signal?.removeEventListener('abort', onAbort);
        if (!controller.signal.aborted) controller.abort(errors.cancelled(queryId));
      }
    },

    async runPartial(query: NativeQuery, segments: readonly Segment[], runOptions: RunOptions = {}): Promise<unknown> {
      const q = parseQuery(query);
      const state: RunState = { queryId: String(q.context?.queryId ?? randomUUID()), priority: Number(q.context?.priority ?? 0) || 0, signal: runOptions.signal ?? new AbortController().signal };
      const engine = engineFor(q);
      return engine.merge(q, (await processSegments(q, segments, state)).partials);
    },

    mergeAndFinalize(query: NativeQuery, partials: readonly unknown[]): unknown[] {
      const q = parseQuery(query);
      const engine = engineFor(q);
      return engine.finalize(q, engine.merge(q, partials));
    },

    runStream(raw: unknown, runOptions: RunOptions = {}): AsyncIterable<unknown[]> {
      return streamNativeResults(raw, runOptions, { resolveSegments: (q, state) => resolveSegments(q, q.dataSource, state), run: (q, o) => this.run(q, o), defaultTimeoutMs: defaultTimeout });
    },

    stats: () => ({ ...counters }),

    async close(): Promise<void> {
      await pool?.close();
    },
  };
}

/**
 * Query types whose finalized result is plain data and usually much smaller
 * than their partial (all groups), so a lone worker task finalizes them.
 */
function finalizesInWorker(q: NativeQuery): boolean {
  return q.queryType === 'topN' || q.queryType === 'groupBy';
}

/** Rows a worker task should cover at least (amortises the message round trip). */
const MIN_ROWS_PER_TASK = 250_000;

/**
 * Groups segments into worker tasks: a multiple of the worker count when
 * there are enough segments (up to about four tasks per worker, for balance),
 * none much smaller than MIN_ROWS_PER_TASK rows, and batches of about equal
 * row counts (consecutive segments, cut at cumulative row targets).
 */
export function batchForWorkers<T extends { seg: Segment }>(items: readonly T[], workers: number): T[][] {
  if (items.length === 0) return [];
  const total = items.reduce((s, x) => s + x.seg.numRows, 0);
  let k = Math.max(1, Math.min(items.length, workers * 4, Math.floor(total / MIN_ROWS_PER_TASK)));
  k = k < workers ? Math.min(workers, items.length) : Math.min(items.length, Math.ceil(k / workers) * workers);
  const batches: T[][] = [];
  let cur: T[] = [];
  let rows = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    cur.push(it);
    rows += it.seg.numRows;
    const left = items.length - i - 1;
    const batchesLeft = k - batches.length - 1;
    // Close at the cumulative target, or when every remaining item must start its own batch.
    if (batchesLeft > 0 && (rows >= ((batches.length + 1) * total) / k || left <= batchesLeft)) {
      batches.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}
