/** The query layer's entry point: the executor and the runner contract it implements. */
export { createQueryExecutor } from './executor/query-executor.ts';
export type { QueryExecutor, QueryExecutorOptions } from './executor/query-executor.ts';
export type { NativeQueryRunner, RunOptions } from './native-runner.ts';
