/**
 * What the broker does before it fans a query out: admission control over
 * every query it receives (the one-process executor's admission.ts: a total
 * limit, a bounded wait queue and lanes; full → Query capacity exceeded, HTTP
 * 429, SQLSTATE 53300), and the context the data processes receive: the
 * query id, `priority`, the lane admission chose (so data processes lane the
 * query as the broker did, after Druid's broker) and a cost estimate of the
 * whole query from the timeline (segments × rows), so that each data process
 * orders the query's tasks by its total cost as one process would, not by
 * its own share of it.
 */
import { randomUUID } from 'node:crypto';
import { errors, NemetonError } from '../../common/errors.ts';
import type { Interval } from '../../common/interval.ts';
import { contextPriority, capacityExceeded, type QueryAdmission, type Release } from '../../query/executor/admission.ts';
import { ESTIMATED_COST_CONTEXT_KEY, estimateQueryCost } from '../../query/executor/task-order.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import type { RealtimeSegmentView, ServedSegmentView } from './broker-server-view.ts';

/** The admission facts of a query, from its context. */
export interface BrokerQueryIdentity {
  readonly queryId: string;
  readonly priority: number;
  /** Context `lane` as given, if any. */
  readonly lane?: string;
}

/** Query id (given, else a new one), `priority` (default 0) and `lane` of a query context. */
export function queryIdentity(context: Readonly<Record<string, unknown>> | undefined): BrokerQueryIdentity {
  const ctx = context ?? {};
  const queryId = typeof ctx.queryId === 'string' && ctx.queryId !== '' ? ctx.queryId : randomUUID();
  const priority = contextPriority(ctx.priority);
  return typeof ctx.lane === 'string' && ctx.lane !== '' ? { queryId, priority, lane: ctx.lane } : { queryId, priority };
}

/**
 * Takes an admission slot for the query, waiting at most `timeoutMs` (then
 * Query timeout) and giving up when `signal` aborts. Refusals (full lane, full
 * queue: Query capacity exceeded; unknown lane: Invalid input) are immediate.
 */
export async function admitQuery(admission: QueryAdmission, who: BrokerQueryIdentity, timeoutMs: number, signal?: AbortSignal): Promise<Release> {
  if (signal?.aborted) throw abortReason(signal, who.queryId);
  const waiting = new AbortController();
  const onAbort = () => waiting.abort(abortReason(signal!, who.queryId));
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => waiting.abort(errors.timeout(timeoutMs)), timeoutMs) : undefined;
  try {
    return await admission.acquire(who, waiting.signal);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Why a wait ended: the caller's own error when it is one of ours, else Query cancelled. */
function abortReason(signal: AbortSignal, queryId: string): Error {
  return signal.reason instanceof NemetonError ? signal.reason : errors.cancelled(queryId);
}

/**
 * Rows a query touches by the broker's view: each segment's rows times the
 * share of its interval the query's intervals cover, plus the realtime
 * processes' fresh rows.
 */
export function estimatedRows(segments: readonly ServedSegmentView[], realtime: readonly RealtimeSegmentView[], intervals: readonly Interval[]): number {
  let rows = 0;
  for (const s of segments) rows += s.record.numRows * coveredShare(s.record.interval, intervals);
  for (const r of realtime) rows += r.info.freshRows;
  return Math.round(rows);
}

/** The share (0..1) of `of` that `intervals` cover (overlapping query intervals are not double counted beyond 1). */
function coveredShare(of: Interval, intervals: readonly Interval[]): number {
  const length = of.end - of.start;
  if (!(length > 0)) return 1;
  let covered = 0;
  for (const i of intervals) covered += Math.max(0, Math.min(of.end, i.end) - Math.max(of.start, i.start));
  return Math.min(1, covered / length);
}

/**
 * The query as the data processes receive it: its context carries the query
 * id, the priority, the lane admission placed it in (when any) and the
 * broker's cost estimate of the whole query (task-order.ts's weights).
 */
export function forwardedQuery(query: NativeQuery, who: BrokerQueryIdentity, lane: string | null, rows: number): NativeQuery {
  const context: Record<string, unknown> = {
    ...(query.context ?? {}),
    queryId: who.queryId,
    priority: who.priority,
    [ESTIMATED_COST_CONTEXT_KEY]: estimateQueryCost(query.queryType, rows),
  };
  if (lane !== null) context.lane = lane;
  return { ...query, context } as NativeQuery;
}

/** Query capacity exceeded reported by a data process, as the broker's own (HTTP 429, SQLSTATE 53300). */
export function dataProcessCapacityExceeded(server: string, message: string | undefined): NemetonError {
  return capacityExceeded(`${server} is at query capacity: ${message ?? 'Query capacity exceeded'}`);
}
