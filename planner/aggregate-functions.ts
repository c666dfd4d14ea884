/** Which SQL functions are aggregates, and their result types. */
import type { SqlType } from './sql-engine.ts';
import { isApprox, isIntegral } from './types.ts';

const AGGREGATES = new Set([
  'COUNT', 'SUM', 'SUM0', '$SUM0', 'MIN', 'MAX', 'AVG', 'APPROX_COUNT_DISTINCT', 'APPROX_COUNT_DISTINCT_BUILTIN',
  'APPROX_COUNT_DISTINCT_DS_HLL', 'APPROX_COUNT_DISTINCT_DS_THETA', 'EARLIEST', 'LATEST', 'EARLIEST_BY', 'LATEST_BY',
  'ANY_VALUE', 'STRING_AGG', 'LISTAGG', 'ARRAY_AGG', 'BIT_AND', 'BIT_OR', 'BIT_XOR', 'STDDEV', 'STDDEV_POP',
  'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP', 'BOOL_AND', 'BOOL_OR', 'EVERY', 'GROUPING', 'ARRAY_CONCAT_AGG',
  'APPROX_QUANTILE', 'APPROX_QUANTILE_DS',
]);

/** True for aggregate function names (upper case). */
export function isAggregateFunction(name: string): boolean {
  return AGGREGATES.has(name);
}

/** Result type of an aggregate over arguments of the given types. */
export function aggregateType(fn: string, argTypes: readonly SqlType[]): SqlType {
  const t = argTypes[0] ?? 'BIGINT';
  switch (fn) {
    case 'COUNT': case 'APPROX_COUNT_DISTINCT': case 'APPROX_COUNT_DISTINCT_BUILTIN': case 'APPROX_COUNT_DISTINCT_DS_HLL':
    case 'APPROX_COUNT_DISTINCT_DS_THETA': case 'GROUPING': case 'BIT_AND': case 'BIT_OR': case 'BIT_XOR':
      return 'BIGINT';
    case 'SUM': case 'SUM0': case '$SUM0':
      return isIntegral(t) || t === 'BOOLEAN' ? 'BIGINT' : 'DOUBLE';
    case 'AVG':
      return 'DOUBLE'; // Druid: AVG of integers is a DOUBLE
    case 'MIN': case 'MAX': case 'EARLIEST': case 'LATEST': case 'EARLIEST_BY': case 'LATEST_BY': case 'ANY_VALUE':
      return t === 'NULL' ? 'VARCHAR' : t === 'FLOAT' || t === 'REAL' ? 'FLOAT' : t;
    case 'STRING_AGG': case 'LISTAGG': return 'VARCHAR';
    case 'ARRAY_AGG': case 'ARRAY_CONCAT_AGG': return 'ARRAY';
    case 'BOOL_AND': case 'BOOL_OR': case 'EVERY': return 'BOOLEAN';
    default: return 'DOUBLE';
  }
}
