/**
 * Column pruning for scans left on the broker: works out, top-down, which
 * columns of each data-source scan anything above reads, and marks the scan
 * to fetch only those (the others come back null, so no reference moves).
 */
import type { BExpr, Rel } from '../rel.ts';
import { refsOf } from '../exec/join-operator.ts';

function refs(exprs: readonly (BExpr | undefined)[], out: Set<number>): Set<number> {
  for (const e of exprs) if (e) refsOf(e, out);
  return out;
}

function all(n: number): Set<number> {
  return new Set(Array.from({ length: n }, (_v, i) => i));
}

/** Returns the plan with `fetch` set on every data-source scan. */
export function pruneScans(rel: Rel): Rel {
  return prune(rel, all(rel.columns.length));
}

function prune(rel: Rel, needed: Set<number>): Rel {
  switch (rel.kind) {
    case 'scan':
      if (rel.table.kind !== 'datasource') return rel;
      return { ...rel, fetch: [...needed].filter((i) => i < rel.columns.length).sort((a, b) => a - b) };
    case 'native': {
      // A native scan reads results by field name (absent fields come back null): fetch only what is read.
      const q = rel.query as { queryType?: string; columns?: readonly string[] };
      if (q.queryType !== 'scan' || rel.resultShape.type !== 'scan' || !Array.isArray(q.columns)) return rel;
      const fields = rel.resultShape.fields;
      const keep = new Set(fields.filter((_f, i) => needed.has(i)));
      if (keep.size === 0 && fields.length > 0) keep.add(fields[0]);
      const columns = q.columns.filter((c) => keep.has(c) || !fields.includes(c));
      return columns.length === q.columns.length ? rel : { ...rel, query: { ...rel.query, columns } as typeof rel.query };
    }
    case 'values': return rel;
    case 'project': {
      const inner = refs(rel.exprs.filter((_e, i) => needed.has(i)), new Set());
      return { ...rel, input: prune(rel.input, inner) };
    }
    case 'filter': return { ...rel, input: prune(rel.input, refs([rel.cond], new Set(needed))) };
    case 'sort': return { ...rel, input: prune(rel.input, refs(rel.keys.map((k) => k.expr), new Set(needed))) };
    case 'aggregate': {
      const inner = refs([...rel.groupKeys, ...rel.aggs.flatMap((a) => [...a.args, a.filter, ...(a.orderBy ?? []).map((o) => o.expr)])], new Set());
      return { ...rel, input: prune(rel.input, inner) };
    }
    case 'window': {
      const width = rel.input.columns.length;
      const inner = new Set([...needed].filter((i) => i < width));
      refs(rel.calls.flatMap((c) => [...c.args, ...c.partitionBy, ...c.orderBy.map((o) => o.expr)]), inner);
      return { ...rel, input: prune(rel.input, inner) };
    }
    case 'unnest': {
      const width = rel.input.columns.length;
      const inner = refs([rel.expr], new Set([...needed].filter((i) => i < width)));
      return { ...rel, input: prune(rel.input, inner) };
    }
    case 'distinct': return { ...rel, input: prune(rel.input, all(rel.input.columns.length)) };
    case 'setOp': return { ...rel, inputs: rel.inputs.map((i) => prune(i, all(i.columns.length))) };
    case 'join': {
      const nl = rel.left.columns.length;
      const both = refs([rel.cond], new Set(needed));
      const left = new Set([...both].filter((i) => i < nl));
      const right = new Set([...both].filter((i) => i >= nl).map((i) => i - nl));
      return { ...rel, left: prune(rel.left, left), right: prune(rel.right, right) };
    }
  }
}
