/**
 * What every native query engine provides: per-segment work that yields a
 * plain serialisable partial, an associative merge of partials, and a
 * finalize step that produces Druid's JSON result. A broker can run the first
 * step elsewhere and ship the partials.
 */
import type { SegmentView } from '../engine/segment-view.ts';
import type { NativeQuery } from '../model/query.ts';

export interface QueryEngine<Q extends NativeQuery = NativeQuery, P = unknown> {
  processSegment(query: Q, view: SegmentView): P;
  merge(query: Q, partials: readonly P[]): P;
  finalize(query: Q, merged: P): unknown[];
}
