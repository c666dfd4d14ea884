/** Constant folding: calls whose arguments are all literals are evaluated once, at plan time. */
import type { BExpr } from './rel.ts';
import { compileExpr } from './eval.ts';
import type { EvalContext } from './scalar-functions.ts';

/** Functions that must not fold (their result is not a plain literal value). */
const KEEP = new Set(['ARRAY', 'ROW', '$OUTER']);

/** Folds `e` when it is a call over literals; anything that fails to evaluate is left as it is. */
export function foldConstants(e: BExpr, ctx: EvalContext): BExpr {
  if (e.kind !== 'call' || KEEP.has(e.fn) || e.type === 'OTHER' || e.type === 'ARRAY') return e;
  if (!e.args.every((a) => a.kind === 'lit')) return e;
  try {
    const v = compileExpr(e, ctx)([]);
    if (Array.isArray(v) || (typeof v === 'object' && v !== null)) return e;
    return { kind: 'lit', value: v === undefined ? null : v, type: e.type };
  } catch {
    return e;
  }
}
