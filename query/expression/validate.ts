/**
 * Parse-time checks, as Druid makes them while parsing: every function exists,
 * has an acceptable number of arguments, and lambdas appear only as the first
 * argument of apply functions. Errors carry the 1-based position of the call.
 */
import { NemetonError } from '../../common/errors.ts';
import type { Expr } from './ast.ts';
import { findFunction } from './functions/registry.ts';
import './functions/index.ts';

const APPLY = new Set(['map', 'filter', 'fold', 'any', 'all', 'cartesian_map', 'cartesian_fold']);

function fail(message: string, pos: number): NemetonError {
  return new NemetonError(message, { code: 'Invalid input', position: pos + 1 });
}

/** Throws NemetonError 'Invalid input' for the first invalid call or misplaced lambda in `expr`. */
export function validateExpression(expr: Expr, lambdaAllowed = false): void {
  switch (expr.kind) {
    case 'unary': validateExpression(expr.operand); return;
    case 'binary': validateExpression(expr.left); validateExpression(expr.right); return;
    case 'lambda':
      if (!lambdaAllowed) throw fail('Invalid expression: a lambda is only allowed as the first argument of an apply function', expr.pos);
      validateExpression(expr.body);
      return;
    case 'call': {
      if (APPLY.has(expr.name)) {
        const first = expr.args[0];
        if (first === undefined || first.kind !== 'lambda') throw fail(`Function[${expr.name}] needs a lambda expression as its first argument`, expr.pos);
        const min = expr.name === 'fold' || expr.name === 'cartesian_fold' ? 3 : 2;
        if (expr.args.length < min) throw fail(`Function[${expr.name}] needs at least ${min} arguments, got ${expr.args.length}`, expr.pos);
        expr.args.forEach((a, i) => validateExpression(a, i === 0));
        return;
      }
      const def = findFunction(expr.name);
      if (def === undefined) throw fail(`Function[${expr.name}] is not supported`, expr.pos);
      const n = expr.args.length;
      if (n < def.minArgs || n > def.maxArgs) {
        const want = def.minArgs === def.maxArgs ? `${def.minArgs}` : def.maxArgs === Infinity ? `at least ${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
        throw fail(`Function[${expr.name}] needs ${want} argument${want === '1' ? '' : 's'}, got ${n}`, expr.pos);
      }
      for (const a of expr.args) validateExpression(a);
      return;
    }
    default: return;
  }
}
