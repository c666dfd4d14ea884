/** Shared helpers for expression tests. */
import { compileRowEvaluator, type ExprType } from '../../query/expression/index.ts';

/** Evaluates expression text against a plain row; column types come from `types` (else inferred per value). */
export function ev(text: string, row: Record<string, unknown> = {}, types: Record<string, ExprType> = {}): unknown {
  return compileRowEvaluator(text, (n) => types[n])((n) => row[n]);
}
