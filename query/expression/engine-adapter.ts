/**
 * Registers this expression engine with the query engines' bridge
 * (query/engine/expression-bridge.ts). Parsed expressions are cached by text.
 */
import { registerExpressionEngine } from '../engine/expression-bridge.ts';
import type { Segment } from '../../storage/segment.ts';
import type { Expr } from './ast.ts';
import { expressionColumns } from './analysis.ts';
import { parseExpression } from './parser.ts';
import { compileRowEvaluator } from './row-evaluator.ts';
import { evaluateOverSegment } from './vector-evaluator.ts';
import { vectorToArray } from './vector.ts';
import type { ColumnTypeResolver } from './types.ts';

const parsed = new Map<string, Expr>();

/** Parses with a bounded cache (expressions repeat across segments and queries). */
export function parseCached(text: string): Expr {
  let e = parsed.get(text);
  if (e === undefined) {
    e = parseExpression(text);
    if (parsed.size > 1024) parsed.clear();
    parsed.set(text, e);
  }
  return e;
}

/** Installs the engine into the bridge; safe to call more than once. */
export function installExpressionEngine(): void {
  registerExpressionEngine({
    evaluateRows: (expression: string, segment: Segment) => vectorToArray(evaluateOverSegment(parseCached(expression), segment, 0, segment.numRows)),
    evaluateColumn: (expression: string, segment: Segment) => {
      const v = evaluateOverSegment(parseCached(expression), segment, 0, segment.numRows);
      return v.kind === 'number' ? { numbers: { values: v.values, nulls: v.nulls } } : { rows: vectorToArray(v) };
    },
    // The optional resolver lets callers say which inputs are DOUBLE (a doubleSum of 3.0 is
    // otherwise indistinguishable from LONG 3 in JS); the bridge interface may pass it later.
    compileRowFunction: (expression: string, columnType?: ColumnTypeResolver) => compileRowEvaluator(parseCached(expression), columnType),
    requiredColumns: (expression: string) => expressionColumns(parseCached(expression)),
  });
}
