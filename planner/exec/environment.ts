/** What broker operators need while running one statement. */
import type { NativeQueryRunner } from '../../query/native-runner.ts';
import type { CompileContext } from '../eval.ts';
import { errors } from '../../common/errors.ts';

export interface ExecEnv {
  readonly runner: NativeQueryRunner;
  readonly compile: CompileContext;
  readonly signal?: AbortSignal;
  /** Largest number of rows any operator may materialise. */
  readonly maxRows: number;
  readonly queryContext: Readonly<Record<string, unknown>>;
  readonly queryId: string;
}

/** Throws errors.resourceLimit when a materialised row set grows past the limit. */
export function checkRows(env: ExecEnv, n: number): void {
  if (n > env.maxRows) {
    throw errors.resourceLimit(`Subquery generated results beyond maximum[${env.maxRows}] rows; raise maxSubqueryRows or make the query more selective`);
  }
}

/** Throws errors.cancelled when the statement was cancelled. */
export function checkCancelled(env: ExecEnv): void {
  if (env.signal?.aborted) throw errors.cancelled(env.queryId);
}
