/** ORDER BY comparators and the sort/limit operator. */
import type { SortKey } from '../rel.ts';
import { compileExpr, type CompileContext, type Row } from '../eval.ts';
import { compareValues } from '../values.ts';

/** A row comparator for sort keys (nulls placed per key). */
export function makeComparator(keys: readonly SortKey[], ctx: CompileContext): (a: Row, b: Row) => number {
  const evals = keys.map((k) => compileExpr(k.expr, ctx));
  return (a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = evals[i](a);
      const y = evals[i](b);
      const xn = x === null || x === undefined;
      const yn = y === null || y === undefined;
      if (xn || yn) {
        if (xn && yn) continue;
        return (xn ? -1 : 1) * (keys[i].nullsFirst ? 1 : -1);
      }
      const c = compareValues(x, y);
      if (c !== 0) return keys[i].descending ? -c : c;
    }
    return 0;
  };
}

/** Compares precomputed key tuples (see `keyTuples`). */
export function compareKeyTuples(keys: readonly SortKey[], a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < keys.length; i++) {
    const x = a[i];
    const y = b[i];
    const xn = x === null || x === undefined;
    const yn = y === null || y === undefined;
    if (xn || yn) {
      if (xn && yn) continue;
      return (xn ? -1 : 1) * (keys[i].nullsFirst ? 1 : -1);
    }
    const c = compareValues(x, y);
    if (c !== 0) return keys[i].descending ? -c : c;
  }
  return 0;
}

/** Evaluates the sort keys of every row once (decorate-sort-undecorate). */
export function keyTuples(rows: readonly Row[], keys: readonly SortKey[], ctx: CompileContext): unknown[][] {
  const evals = keys.map((k) => compileExpr(k.expr, ctx));
  return rows.map((r) => evals.map((f) => f(r)));
}

/** Sorts (stable) and applies OFFSET/LIMIT. */
export function sortRows(rows: Row[], keys: readonly SortKey[], ctx: CompileContext, limit?: number, offset?: number): Row[] {
  let out = rows;
  if (keys.length > 0) {
    const tuples = keyTuples(rows, keys, ctx);
    const idx = rows.map((_r, i) => i);
    idx.sort((a, b) => compareKeyTuples(keys, tuples[a], tuples[b]) || a - b);
    out = idx.map((i) => rows[i]);
  }
  const start = offset ?? 0;
  if (start > 0 || limit !== undefined) out = out.slice(start, limit === undefined ? undefined : start + limit);
  return out;
}
