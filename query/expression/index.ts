/**
 * Druid's expression language: parse, type, and evaluate per row or
 * vectorised over a Segment. Importing this module also registers the engine
 * with query/engine/expression-bridge.ts.
 *
 * Semantics (SQL-compatible null handling, strict booleans, as current Druid):
 * - Values: LONG/DOUBLE are JS numbers, STRING strings, arrays JS arrays,
 *   COMPLEX<json> plain JS values, null is SQL NULL. Booleans are LONG 1/0.
 * - LONG op LONG stays LONG (`/` truncates); any DOUBLE makes DOUBLE; two
 *   STRINGs: `+` concatenates and comparisons compare strings (UTF-16 order),
 *   other operators are an 'Invalid input' error; a STRING with a number
 *   parses as DOUBLE (unparseable gives null). Null operands give null.
 * - Differences from Druid, on purpose: LONG division or modulo by zero gives
 *   null (Druid raises ArithmeticException); LONG `^` with a negative exponent
 *   gives null; LONGs beyond ±2^53 lose precision in arithmetic.
 * - `&&` and `||` share one precedence level and are three-valued.
 * - Multi-value strings (rows given as arrays, empty rows as null) used at
 *   scalar positions are implicitly mapped per value: each column bound once
 *   per combination (Druid's cartesian_map rewrite); results are arrays.
 * - Time functions use storage/time (Joda patterns, periods, zones).
 */
export type { Expr, LiteralExpr, ArrayLiteralExpr, IdentifierExpr, UnaryExpr, BinaryExpr, CallExpr, LambdaExpr, BinaryOp, UnaryOp } from './ast.ts';
export type { ExprType, MaybeType, ColumnTypeResolver } from './types.ts';
export { parseTypeName } from './types.ts';
export { parseExpression } from './parser.ts';
export { stringifyExpression } from './stringify.ts';
export { expressionColumns, isConstant } from './analysis.ts';
export { compileRowEvaluator, outputType, type RowEvaluator } from './row-evaluator.ts';
export { evaluateOverSegment, segmentColumnType } from './vector-evaluator.ts';
export { evaluateDictionaryEncoded, type DictionaryEncodedVector } from './dictionary-evaluator.ts';
export { vectorToArray, vectorValueAt, vectorLength, vectorTruthMask, type ExprVector } from './vector.ts';
export { validateExpression } from './validate.ts';
export { setLookupProvider, mapLookupProvider, type LookupProvider, type LookupFn } from './lookup.ts';
export { registerFunctions, findFunction, functionNames } from './functions/index.ts';
export type { FunctionDef, BindInput, FunctionImpl, NumericKernel } from './functions/index.ts';
export { truthy as expressionTruthy, javaDoubleToString, castTo } from './values.ts';
export { installExpressionEngine, parseCached } from './engine-adapter.ts';

import { installExpressionEngine } from './engine-adapter.ts';
installExpressionEngine();
