/**
 * Runs native queries against a SegmentSource: resolves the data source,
 * splits the query into per-segment tasks (plain partial results; large
 * segments into row-range tasks), merges and finalizes them. Queries pass
 * admission control first (admission.ts: a total limit, a bounded wait queue
 * and lanes); tasks run in task-order.ts's order (context `priority`, then
 * cheap queries ahead of heavy ones by a cost estimate, then admission
 * order). Query context `timeout` (ms), `priority`, `lane` and an AbortSignal
 * are honoured. This is what the HTTP server and the SQL planner call.
 */
import { randomUUID } from 'node:crypto';
import { errors, NemetonError } from '../../common/errors.ts';
import type { Interval } from '../../common/interval.ts';
import type { Segment, SegmentSource } from '../../storage/segment.ts';
import { segmentFromColumns, type RowsColumn } from '../engine/rows-segment.ts';
import { SegmentView } from '../engine/segment-view.ts';
import type { DataSourceSpec, NativeQuery } from '../model/query.ts';
import type { NativeQueryRunner, RunOptions } from '../native-runner.ts';
import { parseIntervals, parseQuery } from '../parse-query.ts';
import { engineFor } from './engines.ts';
import { innerResultsToSegment } from './inner-results.ts';
import { TaskScheduler } from './task-scheduler.ts';
import { contextPriority, QueryAdmission, type AdmissionOptions, type Release } from './admission.ts';
import { estimateQueryCost, ESTIMATED_COST_CONTEXT_KEY, laneForCost, type TaskTicket } from './task-order.ts';
import { batchWholeSegments, maySplit, MIN_ROWS_PER_BATCH, minRowsPerTask, splitIntoTasks, touchedRows, worthSplitting, type TouchedSegment } from './task-plan.ts';
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
  let v = lookupUse.get(q);
  if (v === undefined) {
    const text = JSON.stringify(q);
    v = text.includes('"registeredLookup"') || /lookup\s*\(/i.test(text);
    lookupUse.set(q, v);
  }
  return v;
}
const lookupUse = new WeakMap<NativeQuery, boolean>();

/** A query's parsed intervals, once per query object (segment resolution and task planning both need them). */
function queryIntervals(q: NativeQuery): Interval[] {
  let v = parsedIntervals.get(q);
  if (v === undefined) {
    v = parseIntervals((q as { intervals?: unknown }).intervals);
    parsedIntervals.set(q, v);
  }
  return v;
}
const parsedIntervals = new WeakMap<NativeQuery, Interval[]>();

/** The key a worker caches an opened segment under: its id and where its shared bytes are. */
function workerKey(seg: Segment, bytes: Uint8Array): string {
  let k = workerKeys.get(seg);
  if (k === undefined) {
    k = `${segmentIdToString(seg.id)}@${bytes.byteOffset}+${bytes.byteLength}`;
    workerKeys.set(seg, k);
  }
  return k;
}
const workerKeys = new WeakMap<Segment, string>();
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
  /**
   * Admission control: `maxConcurrentQueries` (0 = no limit, the default),
   * `maxQueuedQueries` waiting beyond it, and `lanes` (name → most queries at
   * once; context `lane` picks one, a `low` lane takes negative priorities).
   */
  readonly admission?: AdmissionOptions;
  /**
   * Estimated cost (rows touched × per-type weight, task-order.ts) at or below
   * which a query's tasks run in the interactive lane, ahead of heavier ones.
   */
  readonly interactiveCost?: number;
  /** Fewest rows per worker task (default per query type, task-plan.ts); lower values split segments finer. */
  readonly minRowsPerTask?: number;
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
  /** Segment tasks run so far (worker pieces and calling-thread segments) and admission counts now. */
  stats(): { workerTasks: number; localTasks: number; running: number; queued: number };
  /** The executor's admission control (to inspect, or to hold a slot in tests and tools). */
  readonly admission: QueryAdmission;
  /** Stops worker threads. */
  close(): Promise<void>;
}

interface RunState {
  readonly queryId: string;
  readonly priority: number;
  /** Admission order (earlier queries' tasks run first within a priority and lane). */
  readonly querySeq: number;
  readonly signal: AbortSignal;
  /** Cost estimate of the whole query made elsewhere (a broker's, for a partial); else estimated from the rows here. */
  readonly estimatedCost?: number;
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
  const admission = new QueryAdmission(options.admission);
  let querySeq = 0;

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
    const shared: TouchedSegment<{ seg: Segment; bytes: Uint8Array }>[] = [];
    const local: Segment[] = [];
    let persistedRows = 0;
    for (const seg of segments) persistedRows += seg.isMutable ? 0 : seg.numRows;
    const mainThreadOnly = pool !== null && (usesLookups(q) || persistedRows < minRowsForWorkers);
    const intervals = queryIntervals(q);
    let rows = 0;
    for (const seg of segments) {
      const bytes = mainThreadOnly ? null : sharedBytes(seg);
      if (bytes !== null) {
        const t = { item: { seg, bytes }, seg, ...touchedRows(seg, intervals) };
        rows += t.to - t.from;
        shared.push(t);
      } else {
        rows += seg.numRows;
        local.push(seg);
      }
    }
    const ticket: TaskTicket = {
      priority: state.priority, querySeq: state.querySeq, queryKey: state.queryId,
      lane: laneForCost(state.estimatedCost ?? estimateQueryCost(q.queryType, rows), options.interactiveCost),
    };
    const work: Promise<unknown>[] = [];
    const workers = pool?.workers ?? 1;
    const minRows = options.minRowsPerTask ?? minRowsPerTask(q.queryType);
    let tasks = worthSplitting(shared, minRows) && maySplit(q, shared[0]?.seg, shared.map((t) => t.seg)) ? splitIntoTasks(shared, workers, minRows) : [];
    if (tasks.length === 0) tasks = batchWholeSegments(shared, workers, options.minRowsPerTask ?? MIN_ROWS_PER_BATCH);
    const alone = finalizeAlone && local.length === 0 && tasks.length === 1;
    for (const task of tasks) {
      counters.workerTasks += task.length;
      const pieces = task.map(({ item: { seg, bytes }, from, to, whole }) => ({
        key: workerKey(seg, bytes), id: seg.id, bytes, ...(whole ? {} : { from, to }),
      }));
      work.push(pool!.run(q, pieces, ticket, state.signal, alone));
    }
    if (alone) return { partials: [], final: (await work[0]) as unknown[] };
    for (const seg of local) {
      counters.localTasks++;
      work.push(scheduler.submit({
        ticket,
        run: () => {
          checkAborted(state);
          return engine.processSegment(q, new SegmentView(seg, vcs));
        },
      }));
    }
    return { partials: await Promise.all(work) };
  }

  async function resolveSegments(q: NativeQuery, ds: DataSourceSpec, state: RunState): Promise<Segment[]> {
    if (typeof ds === 'string') return options.segments.segmentsFor(ds, queryIntervals(q));
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
      const priority = contextPriority(ctx.priority);
      const controller = new AbortController();
      const onAbort = () => controller.abort(errors.cancelled(queryId));
      if (runOptions.signal !== undefined) {
        if (runOptions.signal.aborted) throw errors.cancelled(queryId);
        runOptions.signal.addEventListener('abort', onAbort, { once: true });
      }
      // Admission decides synchronously (run, wait or refuse), in call order.
      const admitted = admission.acquire({ queryId, priority, lane: typeof ctx.lane === 'string' ? ctx.lane : undefined }, controller.signal);
      let timer: NodeJS.Timeout | undefined;
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
      let release: Release | undefined;
      try {
        release = await Promise.race([admitted, timeoutPromise]);
        const state: RunState = { queryId, priority, querySeq: querySeq++, signal: controller.signal };
        return await Promise.race([execute(q, state), timeoutPromise]);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        runOptions.signal?.removeEventListener('abort', onAbort);
        if (!controller.signal.aborted) controller.abort(errors.cancelled(queryId));
        // A slot granted after the query gave up is handed straight back.
        if (release !== undefined) release();
        else admitted.then((r) => r(), () => {});
      }
    },

    async runPartial(query: NativeQuery, segments: readonly Segment[], runOptions: RunOptions = {}): Promise<unknown> {
      const q = parseQuery(query);
      const forwardedCost = q.context?.[ESTIMATED_COST_CONTEXT_KEY];
      const state: RunState = {
        queryId: String(q.context?.queryId ?? randomUUID()), priority: Number(q.context?.priority ?? 0) || 0, querySeq: querySeq++, signal: runOptions.signal ?? new AbortController().signal,
        // A broker's estimate over all of the query's segments orders its tasks here as one process would.
        ...(typeof forwardedCost === 'number' && Number.isFinite(forwardedCost) && forwardedCost >= 0 ? { estimatedCost: forwardedCost } : {}),
      };
      const engine = engineFor(q);
      return engine.merge(q, (await processSegments(q, segments, state)).partials);
    },

    mergeAndFinalize(query: NativeQuery, partials: readonly unknown[]): unknown[] {
      const q = parseQuery(query);
      const engine = engineFor(q);
      return engine.finalize(q, engine.merge(q, partials));
    },

    runStream(raw: unknown, runOptions: RunOptions = {}): AsyncIterable<unknown[]> {
      return streamNativeResults(raw, runOptions, { resolveSegments: (q, state) => resolveSegments(q, q.dataSource, { ...state, querySeq: querySeq++ }), run: (q, o) => this.run(q, o), defaultTimeoutMs: defaultTimeout });
    },

    stats: () => ({ ...counters, running: admission.stats().running, queued: admission.stats().queued }),

    admission,

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
