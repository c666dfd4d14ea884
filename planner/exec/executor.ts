/**
 * Runs a relational plan on the broker: native leaves through the
 * NativeQueryRunner, everything else with row-wise operators. Every
 * materialised row set is bounded by env.maxRows.
 */
import type { BExpr, Rel } from '../rel.ts';
import type { ExecEnv } from './environment.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import { checkCancelled, checkRows } from './environment.ts';
import { compileExpr, compilePredicate, inKey, type Row, type SubqueryResults } from '../eval.ts';
import { aggregateRows } from './aggregate-operator.ts';
import { windowRows } from './window-operator.ts';
import { sortRows } from './sort-operator.ts';
import { joinRows } from './join-operator.ts';
import { nativeResultRows } from './native-results.ts';
import { rowKey, valueKey } from '../values.ts';
import { errors } from '../../common/errors.ts';
import { ETERNITY_INTERVAL } from '../native/time-intervals.ts';
import { runCorrelated, subqueryValue } from './correlated.ts';

/** Executes a plan and returns all of its rows. */
export async function executeRel(rel: Rel, env: ExecEnv): Promise<Row[]> {
  checkCancelled(env);
  const sub = await prepareSubqueries(rel, env);
  const e: ExecEnv = sub ? { ...env, compile: { ...env.compile, subqueries: sub } } : env;
  switch (rel.kind) {
    case 'scan': return scanTable(rel, e);
    case 'native': {
      // A scan without a limit is bounded by the row limit (one extra row detects the overflow).
      const q = rel.query.queryType === 'scan' && rel.query.limit === undefined ? { ...rel.query, limit: e.maxRows + 1 } : rel.query;
      const results = await e.runner.run(withQueryId(q, e), e.signal ? { signal: e.signal } : undefined);
      const rows = nativeResultRows(rel.resultShape, results, rel.columns);
      checkRows(e, rows.length);
      return rows;
    }
    case 'values': {
      const rows = rel.rows.map((r) => r.map((x) => compileExpr(x, e.compile)([])));
      return rows;
    }
    case 'filter': {
      const input = await executeRel(rel.input, e);
      const ce = await withCorrelated([rel.cond], input, e);
      const pred = compilePredicate(rel.cond, ce.compile);
      return input.filter(pred);
    }
    case 'project': {
      const input = await executeRel(rel.input, e);
      const ce = await withCorrelated(rel.exprs, input, e);
      const evals = rel.exprs.map((x) => compileExpr(x, ce.compile));
      return input.map((r) => evals.map((f) => { const v = f(r); return v === undefined ? null : v; }));
    }
    case 'aggregate': return aggregateRows(rel, await executeRel(rel.input, e), e);
    case 'window': return windowRows(rel, await executeRel(rel.input, e), e);
    case 'sort': return sortRows(await executeRel(rel.input, e), rel.keys, e.compile, rel.limit, rel.offset);
    case 'distinct': {
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const r of await executeRel(rel.input, e)) { const k = rowKey(r); if (!seen.has(k)) { seen.add(k); out.push(r); } }
      return out;
    }
    case 'join': {
      const [l, r] = await Promise.all([executeRel(rel.left, e), executeRel(rel.right, e)]);
      return joinRows(rel, l, r, e);
    }
    case 'setOp': return setOp(rel, await Promise.all(rel.inputs.map((i) => executeRel(i, e))));
    case 'unnest': {
      const input = await executeRel(rel.input, e);
      const ev = compileExpr(rel.expr, e.compile);
      const out: Row[] = [];
      for (const r of input) {
        const v = ev(r);
        const list = Array.isArray(v) ? v : v === null || v === undefined ? (isMultiValueSource(rel) ? [null] : []) : [v];
        list.forEach((x, i) => out.push(rel.withOrdinality ? [...r, x, i + 1] : [...r, x]));
        if ((out.length & 4095) === 0) checkRows(e, out.length);
      }
      checkRows(e, out.length);
      return out;
    }
  }
}

function isMultiValueSource(rel: Extract<Rel, { kind: 'unnest' }>): boolean {
  return rel.expr.kind === 'ref' && rel.input.columns[rel.expr.index]?.multiValue === true;
}

function withQueryId(q: NativeQuery, env: ExecEnv): NativeQuery {
  return { ...q, context: { ...(q.context ?? {}), ...(q.context?.queryId ? {} : { sqlQueryId: env.queryId }) } } as NativeQuery;
}

async function scanTable(rel: Extract<Rel, { kind: 'scan' }>, env: ExecEnv): Promise<Row[]> {
  const t = rel.table;
  if (t.kind !== 'datasource') {
    if (!t.rows) throw errors.unsupported(`Reading table ${t.schema}.${t.name}`);
    const rows = await t.rows();
    checkRows(env, rows.length);
    return rows.map((r) => r.slice());
  }
  const fetch = rel.fetch ?? rel.columns.map((_c, i) => i);
  const fetched = fetch.length > 0 ? fetch : [Math.max(0, rel.columns.findIndex((c) => c.name === '__time'))];
  const columns = fetched.map((i) => rel.columns[i].name);
  const query: NativeQuery = {
    queryType: 'scan', dataSource: { type: 'table', name: t.name },
    intervals: { type: 'intervals', intervals: [ETERNITY_INTERVAL] },
    columns, resultFormat: 'compactedList', limit: env.maxRows + 1, legacy: false,
  };
  const results = await env.runner.run(withQueryId(query, env), env.signal ? { signal: env.signal } : undefined);
  const got = nativeResultRows({ type: 'scan', fields: columns }, results, fetched.map((i) => rel.columns[i]));
  checkRows(env, got.length);
  if (fetched.length === rel.columns.length) return got;
  const width = rel.columns.length;
  return got.map((r) => {
    const full = new Array<unknown>(width).fill(null);
    for (let k = 0; k < fetched.length; k++) full[fetched[k]] = r[k];
    return full;
  });
}

function setOp(rel: Extract<Rel, { kind: 'setOp' }>, inputs: Row[][]): Row[] {
  if (rel.op === 'UNION') {
    const all = inputs.flat();
    if (rel.all) return all;
    const seen = new Set<string>();
    return all.filter((r) => { const k = rowKey(r); if (seen.has(k)) return false; seen.add(k); return true; });
  }
  const [first, ...rest] = inputs;
  let current = first;
  for (const other of rest) {
    const counts = new Map<string, number>();
    for (const r of other) { const k = rowKey(r); counts.set(k, (counts.get(k) ?? 0) + 1); }
    const out: Row[] = [];
    const emitted = new Set<string>();
    for (const r of current) {
      const k = rowKey(r);
      const c = counts.get(k) ?? 0;
      if (rel.op === 'INTERSECT') {
        if (c === 0) continue;
        if (rel.all) { counts.set(k, c - 1); out.push(r); } else if (!emitted.has(k)) { emitted.add(k); out.push(r); }
      } else {
        if (rel.all) { if (c > 0) { counts.set(k, c - 1); continue; } out.push(r); } else if (c === 0 && !emitted.has(k)) { emitted.add(k); out.push(r); }
      }
    }
    current = out;
  }
  return current;
}

/** `env` extended with the values of the correlated subqueries in `exprs` for the outer tuples of `rows`. */
async function withCorrelated(exprs: readonly BExpr[], rows: readonly Row[], env: ExecEnv): Promise<ExecEnv> {
  const lookup = await runCorrelated(exprs, rows, env, executeRel);
  if (!lookup) return env;
  const parent = env.compile.subqueries;
  const subqueries: SubqueryResults = {
    scalar: (id) => parent?.scalar(id) ?? null,
    exists: (id) => parent?.exists(id) ?? false,
    inSet: (id) => parent?.inSet(id) ?? { keys: new Set(), hasNull: false },
    correlated: lookup,
  };
  return { ...env, compile: { ...env.compile, subqueries } };
}

/** Runs the uncorrelated subqueries used by this node's own expressions (correlated ones run per row; see withCorrelated). */
async function prepareSubqueries(rel: Rel, env: ExecEnv): Promise<SubqueryResults | undefined> {
  const subs: Extract<BExpr, { kind: 'subquery' }>[] = [];
  const visit = (e: BExpr) => {
    if (e.kind === 'subquery') { if (!e.correlated) subs.push(e); if (e.operand) visit(e.operand); }
    else if (e.kind === 'call') e.args.forEach(visit);
  };
  for (const e of ownExprs(rel)) visit(e);
  if (subs.length === 0) return env.compile.subqueries;
  const scalars = new Map<number, unknown>();
  const exists = new Map<number, boolean>();
  const sets = new Map<number, { keys: Set<string>; hasNull: boolean }>();
  await Promise.all(subs.map(async (s) => {
    const rows = await executeRel(s.rel, env);
    if (s.mode === 'scalar' || s.mode === 'array') scalars.set(s.id, subqueryValue(s, rows));
    else if (s.mode === 'exists') exists.set(s.id, rows.length > 0);
    else {
      const keys = new Set<string>();
      let hasNull = false;
      for (const r of rows) {
        if (r.length > 1) {
          if (r.some((x) => x === null || x === undefined)) hasNull = true; else keys.add(inKey(r));
          continue;
        }
        const v = r[0];
        if (v === null || v === undefined) hasNull = true;
        else keys.add(valueKey(typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v));
      }
      sets.set(s.id, { keys, hasNull });
    }
  }));
  const parent = env.compile.subqueries;
  return {
    scalar: (id) => (scalars.has(id) ? scalars.get(id) : parent ? parent.scalar(id) : null),
    exists: (id) => (exists.has(id) ? exists.get(id)! : parent ? parent.exists(id) : false),
    inSet: (id) => sets.get(id) ?? parent?.inSet(id) ?? { keys: new Set(), hasNull: false },
  };
}

/** The expressions a node evaluates itself (not its inputs'). */
export function ownExprs(rel: Rel): BExpr[] {
  switch (rel.kind) {
    case 'filter': return [rel.cond];
    case 'project': return [...rel.exprs];
    case 'aggregate': return [...rel.groupKeys, ...rel.aggs.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : [])])];
    case 'window': return rel.calls.flatMap((c) => [...c.args, ...c.partitionBy, ...c.orderBy.map((o) => o.expr)]);
    case 'sort': return rel.keys.map((k) => k.expr);
    case 'join': return rel.cond ? [rel.cond] : [];
    case 'unnest': return [rel.expr];
    case 'values': return rel.rows.flat();
    default: return [];
  }
}
