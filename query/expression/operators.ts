/**
 * Scalar semantics of the unary and binary operators (Druid's
 * BinaryEvalOpExprBase with SQL-compatible nulls):
 * - any null operand gives null (except the three-valued `&&` and `||`);
 * - two STRING operands: `+` concatenates, comparisons compare strings,
 *   other arithmetic is an error (raised when the expression is compiled);
 * - LONG op LONG is LONG: `/` truncates, `%` keeps the dividend's sign, and
 *   division or modulo by zero gives null; `^` with a negative exponent gives null;
 * - otherwise DOUBLE (strings parse as numbers; unparseable gives null);
 * - comparisons and logical operators give LONG 1 or 0.
 */
import { NemetonError } from '../../common/errors.ts';
import type { BinaryOp } from './ast.ts';
import { isArrayType, numericType, operatorType, type MaybeType } from './types.ts';
import { arraysEqual, classify, compareStrings, toDouble, toStr, truthy } from './values.ts';

/** Static result type of a binary operator; throws 'Invalid input' for string arithmetic other than `+`. */
export function binaryResultType(op: BinaryOp, tl: MaybeType, tr: MaybeType, text?: string): MaybeType {
  if (op === '&&' || op === '||' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=') return 'LONG';
  const t = operatorType(tl, tr);
  if (t === 'STRING' && tl === 'STRING' && tr === 'STRING' && op !== '+') {
    throw new NemetonError(`operator '${op}' in expression ${text ?? ''} is not supported on type STRING`, { code: 'Invalid input' });
  }
  if (isArrayType(t) && !(isArrayType(tl) && isArrayType(tr))) return t;
  return t;
}

/** Long arithmetic; null for division/modulo by zero and negative powers. */
export function longArith(op: BinaryOp, a: number, b: number): number | null {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? null : Math.trunc(a / b);
    case '%': return b === 0 ? null : a % b;
    case '^': return b < 0 ? null : Math.trunc(a ** b);
    default: return null;
  }
}

/** IEEE double arithmetic (Java semantics). */
export function doubleArith(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '^': return Math.pow(a, b);
    default: return Number.NaN;
  }
}

function compareResult(op: BinaryOp, c: number): number {
  switch (op) {
    case '<': return c < 0 ? 1 : 0;
    case '<=': return c <= 0 ? 1 : 0;
    case '>': return c > 0 ? 1 : 0;
    case '>=': return c >= 0 ? 1 : 0;
    case '==': return c === 0 ? 1 : 0;
    case '!=': return c !== 0 ? 1 : 0;
    default: return 0;
  }
}

/** Numeric comparison with Java double semantics (NaN compares false except for !=). */
export function compareNumbers(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    default: return 0;
  }
}

/** Three-valued AND/OR over Druid truthiness; result 1, 0 or null. */
export function logical(op: '&&' | '||', a: unknown, b: unknown): number | null {
  const l = truthy(a), r = truthy(b);
  if (op === '&&') {
    if (l === false || r === false) return 0;
    return l === null || r === null ? null : 1;
  }
  if (l === true || r === true) return 1;
  return l === null || r === null ? null : 0;
}

/**
 * Binds a binary operator to its operands' static types. Unknown (null)
 * static types are resolved per value (integral numbers count as LONG).
 */
export function bindBinary(op: BinaryOp, tl: MaybeType, tr: MaybeType): (a: unknown, b: unknown) => unknown {
  if (op === '&&' || op === '||') return (a, b) => logical(op, a, b);
  const generic = bindGeneric(op, tl, tr);
  if ((tl === 'LONG' || tl === 'DOUBLE') && (tr === 'LONG' || tr === 'DOUBLE')) {
    const fast = numericFast(op, tl === 'LONG' && tr === 'LONG');
    return (a, b) => (typeof a === 'number' && typeof b === 'number' ? fast(a, b) : generic(a, b));
  }
  return generic;
}

/** Specialised numeric operator for operands known to be numbers. */
function numericFast(op: BinaryOp, isLong: boolean): (a: number, b: number) => number | null {
  switch (op) {
    case '+': return (a, b) => a + b;
    case '-': return (a, b) => a - b;
    case '*': return (a, b) => a * b;
    case '/': return isLong ? (a, b) => (b === 0 ? null : Math.trunc(a / b)) : (a, b) => a / b;
    case '%': return isLong ? (a, b) => (b === 0 ? null : a % b) : (a, b) => a % b;
    case '^': return isLong ? (a, b) => (b < 0 ? null : Math.trunc(a ** b)) : Math.pow;
    case '<': return (a, b) => (a < b ? 1 : 0);
    case '<=': return (a, b) => (a <= b ? 1 : 0);
    case '>': return (a, b) => (a > b ? 1 : 0);
    case '>=': return (a, b) => (a >= b ? 1 : 0);
    case '==': return (a, b) => (a === b ? 1 : 0);
    case '!=': return (a, b) => (a !== b ? 1 : 0);
    default: return () => null;
  }
}

function bindGeneric(op: BinaryOp, tl: MaybeType, tr: MaybeType): (a: unknown, b: unknown) => unknown {
  const isCompare = op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=';
  return (a, b) => {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    const ta = tl ?? classify(a), tb = tr ?? classify(b);
    if (isArrayType(ta) || isArrayType(tb)) {
      if (op === '==' || op === '!=') {
        const eq = Array.isArray(a) && Array.isArray(b) && arraysEqual(a, b);
        return (op === '==') === eq ? 1 : 0;
      }
      throw new NemetonError(`operator '${op}' is not supported on array types`, { code: 'Invalid input' });
    }
    if (ta === 'STRING' && tb === 'STRING') {
      const x = toStr(a, ta) as string, y = toStr(b, tb) as string;
      if (isCompare) return compareResult(op, compareStrings(x, y));
      return x + y;
    }
    const x = toDouble(a), y = toDouble(b);
    if (x === null || y === null) return null;
    if (isCompare) return compareNumbers(op, x, y);
    if (numericType(ta, tb) === 'LONG') return longArith(op, x, y);
    return doubleArith(op, x, y);
  };
}

/** Unary minus keeps LONG/DOUBLE (strings parse as DOUBLE); `!` gives LONG 1/0 or null. */
export function bindUnary(op: '-' | '!'): (a: unknown) => unknown {
  if (op === '!') return (a) => { const t = truthy(a); return t === null ? null : t ? 0 : 1; };
  return (a) => { const x = toDouble(a); return x === null ? null : x === 0 ? 0 : -x; };
}

/** Static type of a unary expression. */
export function unaryResultType(op: '-' | '!', t: MaybeType): MaybeType {
  if (op === '!') return 'LONG';
  return t === 'LONG' ? 'LONG' : t === null ? null : 'DOUBLE';
}
