/**
 * The query engines' view of Druid's expression language. The expression
 * engine (query/expression/) registers itself here; engines call these
 * functions for virtual columns, expression filters and expression
 * post-aggregators. Until one is registered, expressions are unsupported.
 */
import { errors } from '../../common/errors.ts';
import type { Segment } from '../../storage/segment.ts';

/** Types an expression input can be declared as. */
export type InputType = 'LONG' | 'DOUBLE' | 'STRING';

/** An expression's values over a segment: typed numbers, or plain per-row values. */
export type EvaluatedColumn =
  | { readonly numbers: { readonly values: Float64Array; readonly nulls: Uint8Array | null }; readonly rows?: undefined }
  | { readonly rows: ArrayLike<unknown>; readonly numbers?: undefined };

/** What the query engines need from an expression engine. */
export interface ExpressionEngine {
  /** Values of `expression` for every row of `segment` (index = row number); strings, numbers, null or arrays. */
  evaluateRows(expression: string, segment: Segment): ArrayLike<unknown>;
  /**
   * Optional typed form of evaluateRows: numeric results stay in a Float64Array
   * (`nulls[r] === 1` marks a null row), anything else comes back as `rows`.
   */
  evaluateColumn?(expression: string, segment: Segment): EvaluatedColumn;
  /**
   * A function of named inputs (post-aggregation rows, having filters).
   * `inputType` tells the evaluator an input's type where the value alone can't
   * (a doubleSum of 3.0 is a DOUBLE, so `x / 2` is 1.5, not the LONG quotient 1).
   */
  compileRowFunction(expression: string, inputType?: (name: string) => InputType | undefined): (get: (name: string) => unknown) => unknown;
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
