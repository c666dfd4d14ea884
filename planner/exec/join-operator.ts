/**
 * Broker-side joins: a hash join on the equality conjuncts of the condition
 * (left-side expression = right-side expression), the remaining conjuncts
 * checked per candidate pair; nested loops when there are no equalities.
 */
import type { BExpr, Rel } from '../rel.ts';
import type { ExecEnv } from './environment.ts';
import { checkRows } from './environment.ts';
import { compileExpr, compilePredicate, type Row } from '../eval.ts';
import { rowKey } from '../values.ts';

type JoinRel = Extract<Rel, { kind: 'join' }>;

/** Splits a condition into AND-ed conjuncts. */
export function conjuncts(e: BExpr | undefined): BExpr[] {
  if (!e) return [];
  if (e.kind === 'call' && e.fn === 'AND') return e.args.flatMap(conjuncts);
  return [e];
}

/** Column indexes an expression reads. */
export function refsOf(e: BExpr, out: Set<number> = new Set()): Set<number> {
  if (e.kind === 'ref') out.add(e.index);
  else if (e.kind === 'call') for (const a of e.args) refsOf(a, out);
  else if (e.kind === 'subquery' && e.operand) refsOf(e.operand, out);
  return out;
}

/** Rewrites refs by subtracting `shift` (to evaluate a right-side expression on right rows alone). */
export function shiftRefs(e: BExpr, shift: number): BExpr {
  if (e.kind === 'ref') return { ...e, index: e.index - shift };
  if (e.kind === 'call') return { ...e, args: e.args.map((a) => shiftRefs(a, shift)) };
  if (e.kind === 'subquery' && e.operand) return { ...e, operand: shiftRefs(e.operand, shift) };
  return e;
}

/** Joins materialised inputs. */
export function joinRows(rel: JoinRel, left: readonly Row[], right: readonly Row[], env: ExecEnv): Row[] {
  const nl = rel.left.columns.length;
  const nr = rel.right.columns.length;
  const leftKeys: BExpr[] = [];
  const rightKeys: BExpr[] = [];
  const residual: BExpr[] = [];
  for (const c of conjuncts(rel.cond)) {
    if (c.kind === 'call' && (c.fn === '=' || c.fn === 'IS NOT DISTINCT FROM') && c.args.length === 2) {
      const a = refsOf(c.args[0]);
      const b = refsOf(c.args[1]);
      const allLeft = (s: Set<number>) => s.size > 0 && [...s].every((i) => i < nl);
      const allRight = (s: Set<number>) => s.size > 0 && [...s].every((i) => i >= nl);
      if (c.fn === '=' && allLeft(a) && allRight(b)) { leftKeys.push(c.args[0]); rightKeys.push(shiftRefs(c.args[1], nl)); continue; }
      if (c.fn === '=' && allRight(a) && allLeft(b)) { leftKeys.push(c.args[1]); rightKeys.push(shiftRefs(c.args[0], nl)); continue; }
    }
    residual.push(c);
  }
  const ctx = env.compile;
  const resid = residual.length === 0 ? null : compilePredicate(residual.length === 1 ? residual[0] : { kind: 'call', fn: 'AND', args: residual, type: 'BOOLEAN' }, ctx);
  const lk = leftKeys.map((k) => compileExpr(k, ctx));
  const rk = rightKeys.map((k) => compileExpr(k, ctx));
  const nullsRight = new Array<unknown>(nr).fill(null);
  const nullsLeft = new Array<unknown>(nl).fill(null);
  const out: Row[] = [];
  const rightMatched = new Uint8Array(right.length);
  const emit = (r: Row) => { out.push(r); if ((out.length & 1023) === 0) checkRows(env, out.length); };

  let candidates: (l: Row) => readonly number[];
  if (lk.length > 0) {
    const table = new Map<string, number[]>();
    right.forEach((r, i) => {
      const key = rk.map((f) => f(r));
      if (key.some((v) => v === null || v === undefined)) return; // null never equals
      const k = rowKey(key);
      let list = table.get(k);
      if (!list) { list = []; table.set(k, list); }
      list.push(i);
    });
    const none: number[] = [];
    candidates = (l) => {
      const key = lk.map((f) => f(l));
      if (key.some((v) => v === null || v === undefined)) return none;
      return table.get(rowKey(key)) ?? none;
    };
  } else {
    const all = right.map((_r, i) => i);
    candidates = () => all;
  }
  for (const l of left) {
    let matched = false;
    for (const i of candidates(l)) {
      const row = [...l, ...right[i]];
      if (resid && !resid(row)) continue;
      matched = true;
      rightMatched[i] = 1;
      emit(row);
    }
    if (!matched && (rel.joinType === 'LEFT' || rel.joinType === 'FULL')) emit([...l, ...nullsRight]);
  }
  if (rel.joinType === 'RIGHT' || rel.joinType === 'FULL') {
    right.forEach((r, i) => { if (!rightMatched[i]) emit([...nullsLeft, ...r]); });
  }
  checkRows(env, out.length);
  return out;
}
