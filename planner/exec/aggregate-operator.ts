/** Broker-side hash aggregation with grouping sets and multi-value key expansion. */
import type { AggCall, Rel } from '../rel.ts';
import type { ExecEnv } from './environment.ts';
import { compileExpr, compilePredicate, type CompileContext, type Row } from '../eval.ts';
import { makeComparator } from './sort-operator.ts';
import { accumulatorFactory, type Accumulator } from './accumulators.ts';
import { rowKey } from '../values.ts';
import { checkRows } from './environment.ts';

type AggregateRel = Extract<Rel, { kind: 'aggregate' }>;

/**
 * Ordered aggregates (STRING_AGG(x, ',' ORDER BY y)): rows are buffered with
 * their sort keys and fed to the plain accumulator in order at the end.
 * The ORDER BY expressions ride along as extra trailing arguments.
 */
function orderedFactory(call: AggCall, ctx: CompileContext): () => Accumulator {
  const inner = accumulatorFactory(call, ctx.timeZone);
  const keys = call.orderBy!;
  const n = call.args.length;
  const cmp = makeComparator(keys.map((k, i) => ({ ...k, expr: { kind: 'ref' as const, index: i, type: k.expr.type } })), ctx);
  return () => {
    const buffered: { key: unknown[]; args: readonly unknown[] }[] = [];
    return {
      add(args) { buffered.push({ key: args.slice(n) as unknown[], args: args.slice(0, n) }); },
      result() {
        buffered.sort((a, b) => cmp(a.key, b.key));
        const acc = inner();
        for (const b of buffered) acc.add(b.args);
        return acc.result();
      },
    };
  };
}

/** Groups `rows` by the rel's keys (per grouping set) and evaluates its aggregate calls. */
export function aggregateRows(rel: AggregateRel, rows: readonly Row[], env: ExecEnv): Row[] {
  const ctx = env.compile;
  const keyEvals = rel.groupKeys.map((k) => compileExpr(k, ctx));
  const multi = rel.groupKeys.map((k) => k.kind === 'ref' && (rel.input.columns[k.index]?.multiValue ?? false));
  const aggs = rel.aggs.map((a) => ({
    call: a,
    args: [...a.args, ...(a.orderBy ?? []).map((o) => o.expr)].map((x) => compileExpr(x, ctx)),
    filter: a.filter ? compilePredicate(a.filter, ctx) : null,
    factory: a.fn === 'GROUPING' ? null : a.orderBy && a.orderBy.length > 0 ? orderedFactory(a, ctx) : accumulatorFactory(a, ctx.timeZone),
  }));
  const nKeys = rel.groupKeys.length;
  const sets = rel.groupingSets ?? [rel.groupKeys.map((_k, i) => i)];
  const out: Row[] = [];
  for (const set of sets) {
    const inSet = new Array<boolean>(nKeys).fill(false);
    for (const i of set) inSet[i] = true;
    const groups = new Map<string, { key: unknown[]; accs: (Accumulator | null)[] }>();
    const order: string[] = [];
    const addTo = (key: unknown[], row: Row) => {
      const k = rowKey(key);
      let g = groups.get(k);
      if (!g) {
        g = { key, accs: aggs.map((a) => (a.factory ? a.factory() : null)) };
        groups.set(k, g);
        order.push(k);
        checkRows(env, groups.size);
      }
      for (let j = 0; j < aggs.length; j++) {
        const a = aggs[j];
        if (!g.accs[j]) continue;
        if (a.filter && !a.filter(row)) continue;
        g.accs[j]!.add(a.args.map((ev) => ev(row)));
      }
    };
    for (const row of rows) {
      const key = new Array<unknown>(nKeys).fill(null);
      let expand = -1;
      for (let i = 0; i < nKeys; i++) {
        if (!inSet[i]) continue;
        const v = keyEvals[i](row);
        key[i] = v === undefined ? null : v;
        if (multi[i] && Array.isArray(v)) expand = i;
      }
      if (expand < 0) { addTo(key, row); continue; }
      // Multi-value keys: one group per value (an empty list groups as null); cross product over several.
      let keys: unknown[][] = [key];
      for (let i = 0; i < nKeys; i++) {
        if (!inSet[i] || !multi[i] || !Array.isArray(key[i])) continue;
        const values = key[i] as unknown[];
        const vs = values.length === 0 ? [null] : [...new Set(values)];
        keys = keys.flatMap((kk) => vs.map((v) => { const c = kk.slice(); c[i] = v; return c; }));
      }
      for (const k of keys) addTo(k, row);
    }
    if (groups.size === 0 && set.length === 0 && rel.groupKeys.length === 0) {
      groups.set('', { key: [], accs: aggs.map((a) => (a.factory ? a.factory() : null)) });
      order.push('');
    }
    for (const k of order) {
      const g = groups.get(k)!;
      const row: unknown[] = g.key.slice();
      for (let j = 0; j < aggs.length; j++) {
        const acc = g.accs[j];
        if (acc) { row.push(acc.result()); continue; }
        // GROUPING(k1, k2...): bit set for each argument not in this grouping set.
        let mask = 0;
        for (const arg of aggs[j].call.args) mask = (mask << 1) | (inSet[Number((arg as { value: number }).value)] ? 0 : 1);
        row.push(mask);
      }
      out.push(row);
    }
  }
  return out;
}
