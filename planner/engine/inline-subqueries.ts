/**
 * Runs uncorrelated subqueries before the main plan is pushed down and
 * replaces them with literals: scalar -> value, EXISTS -> boolean,
 * IN -> an IN list (which then becomes a native inType filter). Large IN
 * results stay as subqueries evaluated on the broker.
 */
import type { BExpr, Rel } from '../rel.ts';
import type { ExecEnv } from '../exec/environment.ts';
import { executeRel } from '../exec/executor.ts';
import { errors } from '../../common/errors.ts';

/** IN subqueries with more values than this stay on the broker. */
const MAX_IN_LIST = 10000;

/** Replaces subqueries in `rel` (not inside other subqueries' plans) with literals. `prepare` plans each subquery first. */
export async function inlineSubqueries(rel: Rel, env: ExecEnv, prepare: (r: Rel) => Rel): Promise<Rel> {
  const fix = async (e: BExpr): Promise<BExpr> => {
    if (e.kind === 'call') {
      const args = await Promise.all(e.args.map(fix));
      return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
    }
    if (e.kind !== 'subquery' || e.correlated) return e;
    const sub = await inlineSubqueries(e.rel, env, prepare);
    const rows = await executeRel(prepare(sub), env);
    if (e.mode === 'array') return { kind: 'call', fn: 'ARRAY', args: rows.map((r) => ({ kind: 'lit', value: r[0] ?? null, type: sub.columns[0].type })), type: 'ARRAY' };
    if (e.mode === 'scalar') {
      if (rows.length > 1) throw errors.invalidInput('Scalar subquery returned more than one row');
      return { kind: 'lit', value: rows.length === 0 ? null : rows[0][0] ?? null, type: e.type };
    }
    if (e.mode === 'exists') return { kind: 'lit', value: rows.length > 0, type: 'BOOLEAN' };
    const operand = await fix(e.operand!);
    if (rows.length === 0) return { kind: 'lit', value: false, type: 'BOOLEAN' };
    if (rows.length > MAX_IN_LIST || rows[0].length !== 1 || (operand.kind === 'call' && operand.fn === 'ROW')) return { ...e, operand, rel: sub };
    const colType = sub.columns[0].type;
    const seen = new Set<unknown>();
    const list: BExpr[] = [];
    for (const r of rows) {
      const v = r[0] ?? null;
      if (seen.has(v)) continue;
      seen.add(v);
      list.push({ kind: 'lit', value: v, type: v === null ? 'NULL' : colType });
    }
    return { kind: 'call', fn: 'IN', args: [operand, ...list], type: 'BOOLEAN' };
  };
  switch (rel.kind) {
    case 'filter': return { ...rel, input: await inlineSubqueries(rel.input, env, prepare), cond: await fix(rel.cond) };
    case 'project': return { ...rel, input: await inlineSubqueries(rel.input, env, prepare), exprs: await Promise.all(rel.exprs.map(fix)) };
    case 'join': return { ...rel, left: await inlineSubqueries(rel.left, env, prepare), right: await inlineSubqueries(rel.right, env, prepare), ...(rel.cond ? { cond: await fix(rel.cond) } : {}) };
    case 'setOp': return { ...rel, inputs: await Promise.all(rel.inputs.map((i) => inlineSubqueries(i, env, prepare))) };
    case 'aggregate': case 'window': case 'sort': case 'distinct': case 'unnest':
      return { ...rel, input: await inlineSubqueries(rel.input, env, prepare) } as Rel;
    default: return rel;
  }
}
