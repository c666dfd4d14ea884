/** Per-row evaluation: compile once, then call per row with a getter. */
import type { Expr } from './ast.ts';
import { compile, compileTopLevel, type Getter } from './compile.ts';
import { parseExpression } from './parser.ts';
import type { ColumnTypeResolver, MaybeType } from './types.ts';

/** Evaluates a compiled expression for one row; returns number | string | null | unknown[]. */
export type RowEvaluator = (get: (name: string) => unknown) => unknown;

/**
 * Compiles `expr` (an AST or expression text) into a per-row evaluator.
 * `columnType` gives the static type of input columns; when a column's type is
 * unknown, values are typed as they come (integral numbers as LONG, other
 * numbers DOUBLE, strings STRING, arrays multi-value). Values from `get` may be
 * number, string, null/undefined, bigint, boolean, or arrays (multi-value rows).
 * Throws NemetonError 'Invalid input' for unknown functions or bad arguments.
 */
export function compileRowEvaluator(expr: Expr | string, columnType?: ColumnTypeResolver): RowEvaluator {
  const ast = typeof expr === 'string' ? parseExpression(expr) : expr;
  const c = compileTopLevel(ast, { columnType });
  const ev = c.eval;
  if (c.constant) {
    const value = ev(() => null);
    return () => value;
  }
  return (get: Getter) => {
    const v = ev(get);
    return v === undefined ? null : v;
  };
}

/**
 * The static output type of `expr` given input column types (Druid's
 * Expr.getOutputType): null when it cannot be known (e.g. only null inputs).
 */
export function outputType(expr: Expr | string, columnType?: ColumnTypeResolver): MaybeType {
  const ast = typeof expr === 'string' ? parseExpression(expr) : expr;
  return compile(ast, { columnType }).type;
}
