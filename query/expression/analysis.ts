/** Static questions about an expression: which columns it reads, whether it is constant. */
import type { Expr } from './ast.ts';

/** Names of the input columns `expr` reads (lambda parameters excluded), sorted, without duplicates. */
export function expressionColumns(expr: Expr): string[] {
  const out = new Set<string>();
  collect(expr, new Set(), out);
  return [...out].sort();
}

function collect(e: Expr, bound: ReadonlySet<string>, out: Set<string>): void {
  switch (e.kind) {
    case 'identifier': if (!bound.has(e.name)) out.add(e.name); return;
    case 'unary': collect(e.operand, bound, out); return;
    case 'binary': collect(e.left, bound, out); collect(e.right, bound, out); return;
    case 'call': for (const a of e.args) collect(a, bound, out); return;
    case 'lambda': {
      const inner = new Set(bound);
      for (const p of e.params) inner.add(p);
      collect(e.body, inner, out);
      return;
    }
    default: return;
  }
}

/** True when `expr` reads no column and calls no time-dependent function (now()). */
export function isConstant(expr: Expr): boolean {
  return expressionColumns(expr).length === 0 && !callsNow(expr);
}

/** True when the expression calls now() anywhere (its value then changes between evaluations). */
export function callsNow(e: Expr): boolean {
  switch (e.kind) {
    case 'call': return e.name === 'now' || e.args.some(callsNow);
    case 'unary': return callsNow(e.operand);
    case 'binary': return callsNow(e.left) || callsNow(e.right);
    case 'lambda': return callsNow(e.body);
    default: return false;
  }
}

/**
 * Columns that `expr` uses only at scalar positions: these can be evaluated
 * per dictionary value, and multi-value columns among them map per value.
 * `arrayPositions(fn)` tells which argument positions of a function take arrays.
 */
export function columnsUsedAsArrays(expr: Expr, arrayPositions: (name: string, args: readonly Expr[]) => readonly number[] | 'all'): Set<string> {
  const out = new Set<string>();
  const visit = (e: Expr, bound: ReadonlySet<string>) => {
    switch (e.kind) {
      case 'call': {
        const apply = APPLY_FUNCTIONS.has(e.name);
        const pos = apply ? 'all' : arrayPositions(e.name, e.args);
        e.args.forEach((a, i) => {
          if (a.kind === 'identifier' && !bound.has(a.name) && (pos === 'all' || pos.includes(i))) out.add(a.name);
          visit(a, bound);
        });
        return;
      }
      case 'unary': visit(e.operand, bound); return;
      case 'binary': visit(e.left, bound); visit(e.right, bound); return;
      case 'lambda': {
        const inner = new Set(bound);
        for (const p of e.params) inner.add(p);
        visit(e.body, inner);
        return;
      }
      default: return;
    }
  };
  visit(expr, new Set());
  return out;
}

const APPLY_FUNCTIONS = new Set(['map', 'filter', 'fold', 'any', 'all', 'cartesian_map', 'cartesian_fold']);
