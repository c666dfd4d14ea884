/**
 * The order in which per-segment tasks of concurrent queries run, on worker
 * threads and on the calling thread alike: higher context `priority` first;
 * then cheap queries (the interactive lane, by a cost estimate from the plan)
 * ahead of heavy ones; then queries in the order they were admitted (the
 * earliest query finishes first instead of every query crawling along
 * together); then a query's own tasks in submission order.
 */
import type { QueryType } from '../model/query.ts';

/** Lane a task runs in: cheap queries (0, interactive) overtake heavy ones (1, batch). */
export type CostLane = 0 | 1;
export const INTERACTIVE_LANE: CostLane = 0;
export const BATCH_LANE: CostLane = 1;

/** Everything the scheduler needs to order one query's tasks. */
export interface TaskTicket {
  /** Context `priority` (higher runs first). */
  readonly priority: number;
  readonly lane: CostLane;
  /** Admission order of the query (lower is earlier). */
  readonly querySeq: number;
  /** Identifies the query (for cancellation and statistics). */
  readonly queryKey: string;
}

/** A queued task: its query's ticket and its own submission number. */
export interface OrderedTask {
  readonly ticket: TaskTicket;
  readonly seq: number;
}

/** Negative when `a` runs before `b`. */
export function compareTasks(a: OrderedTask, b: OrderedTask): number {
  if (a.ticket.priority !== b.ticket.priority) return b.ticket.priority - a.ticket.priority;
  if (a.ticket.lane !== b.ticket.lane) return a.ticket.lane - b.ticket.lane;
  if (a.ticket.querySeq !== b.ticket.querySeq) return a.ticket.querySeq - b.ticket.querySeq;
  return a.seq - b.seq;
}

/** Index of the task that runs next among `tasks` (which must not be empty), skipping those `skip` rejects. */
export function nextTaskIndex<T extends OrderedTask>(tasks: readonly T[], skip?: (t: T) => boolean): number {
  let best = -1;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (skip !== undefined && skip(t)) continue;
    if (best < 0 || compareTasks(t, tasks[best]) < 0) best = i;
  }
  return best;
}

/**
 * Relative CPU cost per row touched of each query type, measured on the
 * benchmark's Wikipedia data (a grouped row costs tens of times an aggregated
 * one).
 */
const COST_PER_ROW: Partial<Record<QueryType, number>> = {
  timeseries: 1,
  topN: 8,
  groupBy: 32,
  search: 8,
  scan: 4,
};

/** Estimated cost of a query touching `rows` rows (rows × the per-row weight of its type). */
export function estimateQueryCost(queryType: QueryType, rows: number): number {
  return rows * (COST_PER_ROW[queryType] ?? 1);
}

/** Default cost at or below which a query is interactive: a 4M-row aggregate or a 125K-row groupBy. */
export const DEFAULT_INTERACTIVE_COST = 4_000_000;

/**
 * Query context key under which a broker forwards its cost estimate of the
 * whole query to the data processes answering partials, so that they order
 * its tasks by the query's total cost rather than by their share of it.
 */
export const ESTIMATED_COST_CONTEXT_KEY = 'estimatedQueryCost';

/** The lane of a query of estimated cost `cost`. */
export function laneForCost(cost: number, interactiveCost = DEFAULT_INTERACTIVE_COST): CostLane {
  return cost <= interactiveCost ? INTERACTIVE_LANE : BATCH_LANE;
}
