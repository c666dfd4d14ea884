/**
 * The contract every aggregator implements. Work is split the way a broker
 * needs it: per segment an accumulator produces plain, serialisable partial
 * values per group; partials combine associatively; finalize turns a partial
 * into the value a result shows.
 */
import type { SegmentView } from '../engine/segment-view.ts';
import type { Selection } from '../engine/selection.ts';

/** Accumulates selected rows of one segment into per-group state. */
export interface SegmentAggregator {
  /**
   * Adds the selected rows. The k-th selected row goes to group `groups[k]`
   * (all to group 0 when groups is null). `numGroups` bounds every group id.
   */
  aggregate(sel: Selection, groups: Int32Array | null, numGroups: number): void;
  /** The partial value of a group (serialisable: number, string, null, array or plain object). */
  partial(group: number): unknown;
  /**
   * Optional fast path: every row r in [start, end) goes to group base + ids[r]
   * (grouping by one dictionary column over a contiguous row range). Callers
   * then ask `partial` only for groups that received at least one row, so an
   * implementation need not track which groups are empty.
   */
  aggregateByIds?(start: number, end: number, ids: Int32Array, base: number, numGroups: number): void;
  /** Optional: the caller has read every partial it needs; per-group storage may be reused (no call follows). */
  release?(): void;
}

export interface AggregatorFactory {
  readonly name: string;
  readonly type: string;
  /** Columns read (for segmentMetadata and query validation). */
  readonly columns: readonly string[];
  forSegment(view: SegmentView): SegmentAggregator;
  /** Partial of a group that saw no rows. */
  empty(): unknown;
  /** Associative merge of two partials. */
  combine(a: unknown, b: unknown): unknown;
  /** The value shown in results. */
  finalize(partial: unknown): unknown;
  /**
   * When a finalized value is compared (topN/limitSpec ordering): a comparator, nulls first.
   */
  compare(a: unknown, b: unknown): number;
}

/** Compares numbers with nulls first. */
export function compareNullableNumbers(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
