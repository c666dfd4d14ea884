/**
 * Correlated subqueries on the broker: for each distinct tuple of outer
 * values a node's rows hold, the subquery's plan runs once with its
 * `$OUTER(k)` references replaced by those values. Meant for catalog-sized
 * inputs (what PostgreSQL clients send against pg_catalog); the number of
 * runs is bounded by the row limit.
 */
import type { BExpr, Rel } from '../rel.ts';
import type { ExecEnv } from './environment.ts';
import type { Row } from '../eval.ts';
import { compileExpr } from '../eval.ts';
import { checkCancelled, checkRows } from './environment.ts';
import { rowKey } from '../values.ts';
import { errors } from '../../common/errors.ts';

type Subquery = Extract<BExpr, { kind: 'subquery' }>;

/** Correlated subqueries among `exprs` (not inside other subqueries' plans). */
export function correlatedSubqueries(exprs: readonly BExpr[]): Subquery[] {
  const out: Subquery[] = [];
  const visit = (e: BExpr) => {
    if (e.kind === 'subquery') { if (e.correlated) out.push(e); if (e.operand) visit(e.operand); }
    else if (e.kind === 'call') e.args.forEach(visit);
  };
  exprs.forEach(visit);
  return out;
}

/** `rel` with `$OUTER(k)` replaced by `values[k]` (nested subqueries' own plans are left alone: their outer is `rel`). */
export function bindOuter(rel: Rel, values: readonly unknown[]): Rel {
  const x = (e: BExpr): BExpr => {
    if (e.kind === 'call') {
      if (e.fn === '$OUTER') {
        const k = Number((e.args[0] as { value: unknown }).value);
        const v = values[k];
        return { kind: 'lit', value: v === undefined ? null : v, type: e.type };
      }
      return { ...e, args: e.args.map(x) };
    }
    if (e.kind === 'subquery') return e.operand ? { ...e, operand: x(e.operand) } : e;
    return e;
  };
  const r = (input: Rel) => bindOuter(input, values);
  switch (rel.kind) {
    case 'scan': case 'native': return rel;
    case 'values': return { ...rel, rows: rel.rows.map((row) => row.map(x)) };
    case 'filter': return { ...rel, input: r(rel.input), cond: x(rel.cond) };
    case 'project': return { ...rel, input: r(rel.input), exprs: rel.exprs.map(x) };
    case 'aggregate':
      return {
        ...rel, input: r(rel.input), groupKeys: rel.groupKeys.map(x),
        aggs: rel.aggs.map((a) => ({ ...a, args: a.args.map(x), ...(a.filter ? { filter: x(a.filter) } : {}), ...(a.orderBy ? { orderBy: a.orderBy.map((o) => ({ ...o, expr: x(o.expr) })) } : {}) })),
      };
    case 'window':
      return { ...rel, input: r(rel.input), calls: rel.calls.map((c) => ({ ...c, args: c.args.map(x), partitionBy: c.partitionBy.map(x), orderBy: c.orderBy.map((o) => ({ ...o, expr: x(o.expr) })) })) };
    case 'sort': return { ...rel, input: r(rel.input), keys: rel.keys.map((k) => ({ ...k, expr: x(k.expr) })) };
    case 'distinct': return { ...rel, input: r(rel.input) };
    case 'join': return { ...rel, left: r(rel.left), right: r(rel.right), ...(rel.cond ? { cond: x(rel.cond) } : {}) };
    case 'setOp': return { ...rel, inputs: rel.inputs.map(r) };
    case 'unnest': return { ...rel, input: r(rel.input), expr: x(rel.expr) };
  }
}

/** The value a subquery's rows stand for: scalar value, EXISTS boolean or ARRAY elements. */
export function subqueryValue(s: Subquery, rows: readonly Row[]): unknown {
  switch (s.mode) {
    case 'scalar':
      if (rows.length > 1) throw errors.invalidInput('Scalar subquery returned more than one row');
      return rows.length === 0 ? null : rows[0][0] ?? null;
    case 'exists': return rows.length > 0;
    case 'array': return rows.map((r) => r[0] ?? null);
    case 'in': throw errors.unsupported('Correlated IN subquery');
  }
}

/**
 * Runs every correlated subquery of `exprs` for the outer tuples of `rows`.
 * Returns a lookup (subquery id, outer values) -> value, or undefined when
 * `exprs` hold none.
 */
export async function runCorrelated(
  exprs: readonly BExpr[], rows: readonly Row[], env: ExecEnv, execute: (rel: Rel, env: ExecEnv) => Promise<Row[]>,
): Promise<((id: number, outer: readonly unknown[]) => unknown) | undefined> {
  const subs = correlatedSubqueries(exprs);
  if (subs.length === 0) return undefined;
  const results = new Map<number, Map<string, unknown>>();
  for (const s of subs) {
    const outerOf = compileExpr(s.operand!, env.compile);
    const byKey = new Map<string, unknown>();
    for (const row of rows) {
      const outer = outerOf(row) as unknown[];
      const key = rowKey(outer);
      if (byKey.has(key)) continue;
      checkRows(env, byKey.size);
      // Catalog scans resolve without I/O: let the event loop run now and then so a cancel request gets through.
      if ((byKey.size & 127) === 127) { await new Promise((resolve) => setImmediate(resolve)); checkCancelled(env); }
      byKey.set(key, subqueryValue(s, await execute(bindOuter(s.rel, outer), env)));
    }
    results.set(s.id, byKey);
  }
  return (id, outer) => results.get(id)?.get(rowKey(outer)) ?? null;
}
