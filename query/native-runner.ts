/**
 * The one entry point for running a native query, wherever its segments live:
 * in this process (local segments and fresh data) or, on a broker, spread over
 * other processes. Results are Druid's JSON shapes (query/model/result.ts).
 */
import type { NativeQuery } from './model/query.ts';

export interface RunOptions {
  /** Aborted on cancel (DELETE /druid/v2/{id}, pgwire CancelRequest) or client disconnect. */
  readonly signal?: AbortSignal;
}

export interface NativeQueryRunner {
  run(query: NativeQuery, options?: RunOptions): Promise<unknown[]>;
  /**
   * Optional: run() as a lazy stream of result chunks whose concatenation is
   * run()'s result. Scans stream batch by batch, so the whole result never
   * sits in memory; stopping the iteration (return()) or the signal ends the
   * query. Errors (bad query, cancel, timeout) are thrown from next().
   */
  runStream?(query: NativeQuery, options?: RunOptions): AsyncIterable<unknown[]>;
}

