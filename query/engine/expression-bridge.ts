/**
 * The query engines' view of Druid's expression language. The expression
 * engine (query/expression/) registers itself here; engines call these
 * functions for virtual columns, expression filters and expression
 * post-aggregators. Until one is registered, expressions are unsupported.
 */
import { errors } from '../../common/errors.ts';
import type { Segment } from '../../storage/segment.ts';

/** What the query engines need from an expression engine. */
export interface ExpressionEngine {
  /** Values of `expression` for every row of `segment` (index = row number); strings, numbers, null or arrays. */
  evaluateRows(expression: string, segment: Segment): ArrayLike<unknown>;
  /** A function of named inputs (post-aggregation rows, having filters). */
  compileRowFunction(expression: string): (get: (name: string) => unknown) => unknown;
  /** Names of the columns/identifiers the expression reads. */
  requiredColumns?(expression: string): string[];
}

let engine: ExpressionEngine | null = null;

/** Installs the expression engine (called once at startup or by query/expression itself). */
export function registerExpressionEngine(e: ExpressionEngine): void {
  engine = e;
}

/** The registered engine; throws 'Unsupported operation' when none is. */
export function expressionEngine(): ExpressionEngine {
  if (engine === null) throw errors.unsupported('Expressions (virtual columns, expression filters and post-aggregators)');
  return engine;
}
