/** One aggregate's running state on the broker (aggregates, window frames). */
export interface Accumulator {
  add(args: readonly unknown[]): void;
  /** Removes a row previously added (sliding window frames); absent when not invertible. */
  remove?(args: readonly unknown[]): void;
  result(): unknown;
}

export type AccumulatorFactory = () => Accumulator;
