/**
 * Streaming native results: a scan query's result batches are produced
 * segment by segment, one batch of at most `batchSize` rows at a time, so a
 * result of any size never sits whole in memory. Time-ordered scans visit
 * segments in time order and merge only segments whose rows overlap in time;
 * offset and limit apply across the whole stream. Other query types (and scans
 * ordered by non-time columns, which need every row before the first) are run
 * whole and yielded as one chunk.
 *
 * The concatenation of the yielded chunks equals what `run()` returns for the
 * same query (ties in time between overlapping segments resolve in segment
 * order, as run() does when every segment runs on the same thread).
 */
import { randomUUID } from 'node:crypto';
import { errors, NemetonError } from '../../common/errors.ts';
import type { Segment } from '../../storage/segment.ts';
import { segmentIdToString } from '../../storage/segment.ts';
import { SegmentView } from '../engine/segment-view.ts';
import { selectionSize, type Selection } from '../engine/selection.ts';
import { queryParts } from '../engines/query-parts.ts';
import { selectSegmentRows } from '../engines/segment-rows.ts';
import { scanColumns, scanOrder } from '../engines/scan.ts';
import type { NativeQuery, ScanQuery } from '../model/query.ts';
import type { RunOptions } from '../native-runner.ts';
import { parseQuery } from '../parse-query.ts';
import { contextPriority } from './admission.ts';

/** What a stream shares with the executor's run(): a query id, a priority and the signal that stops it. */
export interface StreamRunState {
  readonly queryId: string;
  readonly priority: number;
  readonly signal: AbortSignal;
}

/** The executor services a stream needs. */
export interface ScanStreamDeps {
  /** The query's segments, resolved exactly as run() resolves them (tables, unions, inline, subqueries). */
  resolveSegments(query: NativeQuery, state: StreamRunState): Promise<Segment[]>;
  /** The materialised path, for queries that cannot stream. */
  run(query: NativeQuery, options: RunOptions): Promise<unknown[]>;
  /** Timeout when the query context sets none, in ms. */
  readonly defaultTimeoutMs: number;
}

/** One Druid scan result batch. */
interface ScanBatch {
  readonly segmentId: string;
  readonly columns: string[];
  readonly events: unknown[];
}

/** Default rows per result batch (Druid's scan batchSize default). */
const DEFAULT_BATCH_SIZE = 20480;

/** True when a scan query can stream: no ordering by columns other than __time. */
export function isStreamableScan(q: NativeQuery): q is ScanQuery {
  if (q.queryType !== 'scan') return false;
  const ob = q.orderBy;
  return ob === undefined || ob.length === 0 || (ob.length === 1 && ob[0].columnName === '__time');
}

/**
 * Runs a native query as a stream of result chunks (each an array of Druid
 * result items; for scans, of `{segmentId, columns, events}` batches). The
 * query context's `timeout` and `options.signal` stop it between batches with
 * the same errors run() raises; returning early from the iteration releases
 * everything. Validation errors surface on the first `next()`.
 */
export async function* streamNativeResults(raw: unknown, options: RunOptions, deps: ScanStreamDeps): AsyncGenerator<unknown[], void, undefined> {
  const q = parseQuery(raw);
  if (!isStreamableScan(q)) {
    yield await deps.run(q, options);
    return;
  }
  const guard = startGuard(q, options, deps.defaultTimeoutMs);
  try {
    checkAborted(guard.state);
    const segments = await deps.resolveSegments(q, guard.state);
    checkAborted(guard.state);
    let first = true;
    for (const chunk of scanChunks(q, segments)) {
      // Between chunks, let other work run (a cancel request, other sessions): a
      // consumer that never waits would otherwise hold the event loop for the whole result.
      if (!first) await yieldToEventLoop();
      first = false;
      checkAborted(guard.state);
      yield chunk;
    }
    checkAborted(guard.state);
  } finally {
    guard.dispose();
  }
}

/** A query's run state with its timeout armed and the caller's signal linked. */
function startGuard(q: NativeQuery, options: RunOptions, defaultTimeoutMs: number): { state: StreamRunState; dispose(): void } {
  const ctx = q.context ?? {};
  const queryId = typeof ctx.queryId === 'string' ? ctx.queryId : randomUUID();
  const timeout = typeof ctx.timeout === 'number' ? ctx.timeout : Number(ctx.timeout ?? defaultTimeoutMs);
  const priority = contextPriority(ctx.priority);
  const controller = new AbortController();
  const parent = options.signal;
  if (parent?.aborted) throw errors.cancelled(queryId);
  const onAbort = () => controller.abort(errors.cancelled(queryId));
  parent?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (timeout > 0 && Number.isFinite(timeout)) {
    timer = setTimeout(() => controller.abort(errors.timeout(timeout)), timeout);
    timer.unref();
  }
  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort(errors.cancelled(queryId));
  };
  controller.signal.addEventListener('abort', () => { if (timer !== undefined) clearTimeout(timer); }, { once: true });
  return { state: { queryId, priority, signal: controller.signal }, dispose };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkAborted(state: StreamRunState): void {
  if (state.signal.aborted) {
    const reason = state.signal.reason;
    throw reason instanceof NemetonError ? reason : errors.cancelled(state.queryId);
  }
}

/** A segment as the stream reads it: its selected rows and row readers. */
interface SegmentCursor {
  /** Position of the segment in the resolved list (tie-break between overlapping segments). */
  readonly index: number;
  readonly segmentId: string;
  readonly columns: string[];
  readonly readers: ((row: number) => unknown)[];
  readonly time: Float64Array;
  readonly sel: Selection;
  readonly size: number;
  readonly descending: boolean;
  /** Selected rows consumed so far. */
  pos: number;
}

function openCursor(q: ScanQuery, seg: Segment, index: number, descending: boolean): SegmentCursor {
  const parts = queryParts(q);
  const view = new SegmentView(seg, q.virtualColumns ?? []);
  const columns = scanColumns(q, seg);
  const sel = selectSegmentRows(view, parts.intervals, parts.filter);
  return {
    index, segmentId: segmentIdToString(seg.id), columns, readers: columns.map((c) => view.rowValue(c)),
    time: view.time(), sel, size: selectionSize(sel), descending, pos: 0,
  };
}

/** Row number of the cursor's k-th selected row in its scan direction. */
function rowAt(c: SegmentCursor, k: number): number {
  const i = c.descending ? c.size - 1 - k : k;
  return c.sel.rows === null ? c.sel.start + i : c.sel.rows[i];
}

/** Builds result batches the way the materialising scan does: a new batch per segment change or full batch. */
class BatchWriter {
  private pending: ScanBatch[] = [];
  private pendingRows = 0;
  private cur: ScanBatch | null = null;
  private curIndex = -1;

  constructor(private readonly batchSize: number, private readonly compact: boolean) {}

  /** Appends row `r` of cursor `c`. */
  add(c: SegmentCursor, r: number): void {
    if (this.cur === null || this.curIndex !== c.index || this.cur.events.length >= this.batchSize) {
      this.cur = { segmentId: c.segmentId, columns: c.columns, events: [] };
      this.curIndex = c.index;
      this.pending.push(this.cur);
    }
    const readers = c.readers;
    if (this.compact) {
      const row = new Array<unknown>(readers.length);
      for (let i = 0; i < readers.length; i++) row[i] = readers[i](r);
      this.cur.events.push(row);
    } else {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < readers.length; i++) obj[c.columns[i]] = readers[i](r);
      this.cur.events.push(obj);
    }
    this.pendingRows++;
  }

  /** True when enough rows wait to be handed out. */
  get full(): boolean {
    return this.pendingRows >= this.batchSize;
  }

  /**
   * Hands out the waiting batches. The open batch stays (and may still grow)
   * unless it is full or `all` is set, so batch boundaries do not depend on
   * when chunks are handed out.
   */
  take(all = false): ScanBatch[] {
    const cur = this.cur;
    if (all || cur === null || cur.events.length >= this.batchSize) {
      const out = this.pending;
      this.pending = [];
      this.pendingRows = 0;
      this.cur = null;
      return out;
    }
    const out = this.pending.slice(0, -1);
    this.pending = [cur];
    this.pendingRows = cur.events.length;
    return out;
  }
}

/**
 * The result chunks of a streamable scan over resolved segments, lazily:
 * each chunk holds about `batchSize` rows.
 */
export function* scanChunks(q: ScanQuery, segments: readonly Segment[]): Generator<unknown[], void, undefined> {
  const batchSize = q.batchSize !== undefined && q.batchSize > 0 ? q.batchSize : DEFAULT_BATCH_SIZE;
  const writer = new BatchWriter(batchSize, q.resultFormat === 'compactedList');
  const order = scanOrder(q); // never 'columns' here: isStreamableScan excludes it
  const descending = order === 'descending';
  let skip = q.offset ?? 0;
  let remaining = q.limit ?? Number.POSITIVE_INFINITY;
  const groups = order === 'none' ? segments.map((s, i) => [{ seg: s, index: i }]) : timeGroups(segments, descending);
  for (const group of groups) {
    if (remaining <= 0) break;
    if (group.length === 1) {
      const c = openCursor(q, group[0].seg, group[0].index, descending);
      if (skip >= c.size) { skip -= c.size; continue; }
      c.pos = skip;
      skip = 0;
      while (c.pos < c.size && remaining > 0) {
        const end = Math.min(c.size, c.pos + batchSize, c.pos + remaining);
        for (let k = c.pos; k < end; k++) writer.add(c, rowAt(c, k));
        remaining -= end - c.pos;
        c.pos = end;
        if (writer.full) { const out = writer.take(); if (out.length > 0) yield out; }
      }
      continue;
    }
    const cursors = group.map((g) => openCursor(q, g.seg, g.index, descending)).filter((c) => c.size > 0);
    for (;;) {
      if (remaining <= 0) break;
      const c = nextInTime(cursors, descending);
      if (c === null) break;
      const r = rowAt(c, c.pos++);
      if (skip > 0) { skip--; continue; }
      writer.add(c, r);
      remaining--;
      if (writer.full) { const out = writer.take(); if (out.length > 0) yield out; }
    }
  }
  const rest = writer.take(true);
  if (rest.length > 0) yield rest;
}

/** The cursor whose next row comes first in time order (ties: lowest segment index), or null when all are done. */
function nextInTime(cursors: readonly SegmentCursor[], descending: boolean): SegmentCursor | null {
  let best: SegmentCursor | null = null;
  let bestTime = 0;
  for (const c of cursors) {
    if (c.pos >= c.size) continue;
    const t = c.time[rowAt(c, c.pos)];
    if (best === null || (descending ? t > bestTime : t < bestTime) || (t === bestTime && c.index < best.index)) {
      best = c;
      bestTime = t;
    }
  }
  return best;
}

/**
 * Segments grouped so that groups do not overlap in time (by the times their
 * rows actually hold), in time order (reversed when descending). Empty
 * segments are dropped; each entry keeps the segment's resolved position.
 */
export function timeGroups(segments: readonly Segment[], descending: boolean): { seg: Segment; index: number }[][] {
  const items = segments.map((seg, index) => ({ seg, index })).filter((x) => x.seg.dataInterval.end > x.seg.dataInterval.start);
  items.sort((a, b) => a.seg.dataInterval.start - b.seg.dataInterval.start || a.index - b.index);
  const groups: { seg: Segment; index: number }[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const it of items) {
    if (groups.length > 0 && it.seg.dataInterval.start < groupEnd) {
      groups[groups.length - 1].push(it);
      groupEnd = Math.max(groupEnd, it.seg.dataInterval.end);
    } else {
      groups.push([it]);
      groupEnd = it.seg.dataInterval.end;
    }
  }
  for (const g of groups) g.sort((a, b) => a.index - b.index);
  return descending ? groups.reverse() : groups;
}
