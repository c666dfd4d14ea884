/**
 * Cuts a query's persisted segments into worker tasks of about equal rows.
 * Query types whose per-segment partials merge exactly whatever the row
 * split (timeseries, topN, groupBy) are cut inside segments too (row-range
 * tasks), so two workers stay balanced on three segments and a long scan
 * yields to other queries' tasks between its pieces; other types are batched
 * by whole segments.
 */
import type { Segment } from '../../storage/segment.ts';
import { lowerBoundTime } from '../../storage/row-range-segment.ts';
import type { Interval } from '../../common/interval.ts';
import type { NativeQuery, QueryType, TopNQuery } from '../model/query.ts';
import { topNKeepCount } from '../engines/top-n-pruning.ts';
import type { DimensionSpec } from '../model/dimension-spec.ts';

/** A segment and the row range [from, to) of it a query touches. */
export interface TouchedSegment<T> {
  readonly item: T;
  readonly seg: Segment;
  readonly from: number;
  readonly to: number;
}

/** Part of a task: rows [from, to) of one segment. */
export interface TaskPiece<T> {
  readonly item: T;
  readonly from: number;
  readonly to: number;
  /** True when the piece is the whole segment (no row range needed). */
  readonly whole: boolean;
}

/** Query types whose partials merge exactly however a segment's rows are split (topN only while nothing is pruned). */
export function splitsWithinSegments(queryType: QueryType): boolean {
  return queryType === 'timeseries' || queryType === 'topN' || queryType === 'groupBy';
}

/** Groups per segment above which a grouped query is not cut inside segments. */
export const MAX_SPLIT_GROUPS = 10_000;
/** Assumed distinct values of a grouping dimension that is not a physical string column (numbers, expressions). */
const UNKNOWN_CARDINALITY = 100;

function physicalDimension(spec: DimensionSpec | undefined): string | null {
  if (typeof spec === 'string') return spec;
  if (typeof spec !== 'object' || spec === null) return null;
  const o = spec as { dimension?: unknown; delegate?: DimensionSpec };
  if (typeof o.dimension === 'string') return o.dimension;
  return o.delegate === undefined ? null : physicalDimension(o.delegate);
}

/**
 * Whether a query may be cut into row-range tasks: timeseries always; topN
 * and groupBy only when their groups per segment are few (the product of the
 * grouping dimensions' dictionary sizes in `sample`), since every piece's
 * partial carries all its groups back to be merged on the calling thread,
 * where one whole-segment task would finalize in the worker.
 */
export function maySplit(q: NativeQuery, sample: Segment | undefined, touched: readonly Segment[] = sample === undefined ? [] : [sample]): boolean {
  if (!splitsWithinSegments(q.queryType)) return false;
  if (q.queryType === 'timeseries') return true;
  // topN prunes each partial to its best max(threshold, minTopNThreshold) values: a piece must never hold more
  // distinct values than that, or the answer would depend on how the segment was cut.
  if (q.queryType === 'topN' && !fitsTopNKeep(q, touched)) return false;
  const dims: readonly (DimensionSpec | undefined)[] = q.queryType === 'topN' ? [q.dimension] : q.queryType === 'groupBy' ? (q.dimensions ?? []) : [];
  let groups = 1;
  for (const d of dims) {
    const name = physicalDimension(d);
    const col = name === null ? undefined : sample?.column(name)?.type === 'STRING' ? sample.stringColumn(name) : undefined;
    groups *= col === undefined ? UNKNOWN_CARDINALITY : Math.max(1, col.cardinality);
    if (groups > MAX_SPLIT_GROUPS) return false;
  }
  return true;
}

/** True when every touched segment's topN dimension has at most the values a topN partial keeps. */
function fitsTopNKeep(q: TopNQuery, touched: readonly Segment[]): boolean {
  const name = physicalDimension(q.dimension);
  if (name === null) return false;
  const keep = topNKeepCount(q);
  for (const seg of touched) {
    const col = seg.column(name)?.type === 'STRING' ? seg.stringColumn(name) : undefined;
    if (col === undefined || col.cardinality > keep) return false;
  }
  return true;
}

/**
 * Fewest rows worth a worker task of this query type (amortises the message
 * round trip and the merge). Aggregating a row costs a few nanoseconds, so a
 * timeseries piece must be large; a grouped row costs tens of times more.
 */
export function minRowsPerTask(queryType: QueryType): number {
  return queryType === 'topN' || queryType === 'groupBy' ? 100_000 : queryType === 'timeseries' ? 1_000_000 : 250_000;
}

/** Fewest rows per whole-segment batch. */
export const MIN_ROWS_PER_BATCH = 250_000;

/**
 * Whether cutting inside segments pays: only when some segment holds more
 * than two tasks' worth of rows (otherwise whole segments balance well enough
 * and skip the cost of row-range views).
 */
export function worthSplitting<T>(touched: readonly TouchedSegment<T>[], minRows: number): boolean {
  return touched.some((t) => t.to - t.from >= 2 * minRows);
}

/**
 * The rows of `seg` inside the union hull of `intervals` (rows are sorted by
 * time). Reads the time column only when the intervals cut the segment.
 */
export function touchedRows(seg: Segment, intervals: readonly Interval[]): { from: number; to: number } {
  if (intervals.length === 0) return { from: 0, to: 0 };
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const iv of intervals) { start = Math.min(start, iv.start); end = Math.max(end, iv.end); }
  const di = seg.dataInterval;
  if (seg.numRows === 0 || (start <= di.start && end >= di.end)) return { from: 0, to: seg.numRows };
  if (end <= di.start || start >= di.end) return { from: 0, to: 0 };
  const time = seg.time();
  return { from: lowerBoundTime(time, start), to: lowerBoundTime(time, end) };
}

/**
 * Number of tasks for `total` rows: as many as keep each at least `minRows`
 * (at most four per worker), rounded up to a multiple of the worker count.
 */
export function taskCount(total: number, workers: number, minRows: number): number {
  const w = Math.max(1, workers);
  const k = Math.max(1, Math.min(w * 4, Math.floor(total / minRows)));
  return k === 1 ? 1 : Math.ceil(k / w) * w;
}

/** Splits the touched rows into `taskCount` tasks of about equal rows, cutting inside segments. */
export function splitIntoTasks<T>(touched: readonly TouchedSegment<T>[], workers: number, minRows: number): TaskPiece<T>[][] {
  const live = touched.filter((t) => t.to > t.from);
  if (live.length === 0) return [];
  const total = live.reduce((s, t) => s + (t.to - t.from), 0);
  const k = taskCount(total, workers, minRows);
  const tasks: TaskPiece<T>[][] = [];
  let cur: TaskPiece<T>[] = [];
  let done = 0;
  for (const t of live) {
    let from = t.from;
    while (from < t.to) {
      const target = Math.round(((tasks.length + 1) * total) / k);
      const take = tasks.length === k - 1 ? t.to - from : Math.min(t.to - from, target - done);
      const to = from + take;
      cur.push({ item: t.item, from, to, whole: from === 0 && to === t.seg.numRows });
      done += take;
      from = to;
      if (done >= target && tasks.length < k - 1) {
        tasks.push(cur);
        cur = [];
      }
    }
  }
  if (cur.length > 0) tasks.push(cur);
  return tasks;
}

/**
 * Groups whole segments into tasks of about equal rows: a multiple of the
 * worker count when there are enough segments (up to four per worker), none
 * much smaller than `minRows`, consecutive segments cut at cumulative targets.
 */
export function batchWholeSegments<T>(touched: readonly TouchedSegment<T>[], workers: number, minRows: number): TaskPiece<T>[][] {
  const items = touched;
  if (items.length === 0) return [];
  const total = items.reduce((s, x) => s + x.seg.numRows, 0);
  let k = Math.max(1, Math.min(items.length, workers * 4, Math.floor(total / minRows)));
  k = k < workers ? Math.min(workers, items.length) : Math.min(items.length, Math.ceil(k / workers) * workers);
  const batches: TaskPiece<T>[][] = [];
  let cur: TaskPiece<T>[] = [];
  let rows = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    cur.push({ item: it.item, from: 0, to: it.seg.numRows, whole: true });
    rows += it.seg.numRows;
    const left = items.length - i - 1;
    const batchesLeft = k - batches.length - 1;
    if (batchesLeft > 0 && (rows >= ((batches.length + 1) * total) / k || left <= batchesLeft)) {
      batches.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}
