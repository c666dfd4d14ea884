/**
 * Native pushdown: rewrites parts of a bound plan that read one data source
 * into native queries (scan, timeseries, topN, groupBy). What cannot be
 * expressed natively stays as broker operators above the native leaves, so
 * results never depend on which parts were pushed.
 */
import type { Aggregator, PostAggregator } from '../../query/model/aggregation.ts';
import type { DimensionSpec } from '../../query/model/dimension-spec.ts';
import type { Filter } from '../../query/model/filter.ts';
import type { GroupByQuery, NativeQuery, ScanQuery, TimeseriesQuery, TopNQuery } from '../../query/model/query.ts';
import type { VirtualColumn } from '../../query/model/virtual-column.ts';
import type { AggCall, BExpr, Rel, RelColumn } from '../rel.ts';
import type { CatalogTable } from '../catalog.ts';
import type { SqlType } from '../sql-engine.ts';
import { exprKey } from '../rel.ts';
import { conjuncts, refsOf } from '../exec/join-operator.ts';
import { druidOutputType, toDruidExpression, type ExprTranslationContext } from './druid-expression.ts';
import { toNativeFilter } from './native-filter.ts';
import { ALL, intersect, rangesToIntervals, timeRanges, timeColumnIndex, type Range } from './time-intervals.ts';
import { isIntegral } from '../types.ts';

export interface PushDownOptions {
  readonly timeZone: string;
  readonly now: number;
  readonly useApproximateCountDistinct: boolean;
  readonly useApproximateTopN: boolean;
  /** Query context passed on to native queries. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Largest topN threshold (Druid's maxTopNLimit). */
  readonly maxTopNLimit?: number;
}

/** Rewrites a plan, pushing as much as possible into native queries. */
export function pushDown(rel: Rel, opts: PushDownOptions): Rel {
  return new PushDown(opts).rewrite(rel);
}

/** A chain of project/filter nodes over a data source scan, flattened into scan-column terms. */
interface SourceChain {
  readonly table: CatalogTable;
  readonly scanColumns: readonly RelColumn[];
  /** Conjuncts over scan columns. */
  readonly conds: readonly BExpr[];
  /** The chain's output columns as expressions over scan columns. */
  readonly outputs: readonly BExpr[];
}

/** Replaces refs in `e` with `mapping[index]`. */
function inline(e: BExpr, mapping: readonly BExpr[]): BExpr {
  switch (e.kind) {
    case 'ref': return mapping[e.index];
    case 'call': return { ...e, args: e.args.map((a) => inline(a, mapping)) };
    case 'subquery': return e.operand ? { ...e, operand: inline(e.operand, mapping) } : e;
    default: return e;
  }
}

function remap(e: BExpr, map: ReadonlyMap<number, number>): BExpr {
  switch (e.kind) {
    case 'ref': return { ...e, index: map.get(e.index)! };
    case 'call': return { ...e, args: e.args.map((a) => remap(a, map)) };
    case 'subquery': return e.operand ? { ...e, operand: remap(e.operand, map) } : e;
    default: return e;
  }
}

function hasSubquery(e: BExpr): boolean {
  if (e.kind === 'subquery') return true;
  return e.kind === 'call' && e.args.some(hasSubquery);
}

const ref = (index: number, type: SqlType): BExpr => ({ kind: 'ref', index, type });

class PushDown {
  constructor(private readonly opts: PushDownOptions) {}

  private get ctxBase() { return { timeZone: this.opts.timeZone, now: this.opts.now }; }

  rewrite(input: Rel): Rel {
    const rel = this.rewriteSubqueries(input);
    switch (rel.kind) {
      case 'aggregate': {
        const chain = this.chain(rel.input);
        if (chain) { const n = this.nativeAggregate(rel, chain); if (n) return n; }
        return { ...rel, input: this.rewrite(rel.input) };
      }
      case 'project': {
        const chain = this.chain(rel.input);
        if (chain) return this.nativeScan(chain, rel.exprs.map((e) => inline(e, chain.outputs)), rel.columns);
        return { ...rel, input: this.rewrite(rel.input) };
      }
      case 'filter': case 'scan': {
        const chain = this.chain(rel);
        if (chain) return this.nativeScan(chain, chain.outputs, rel.columns);
        if (rel.kind === 'filter') return { ...rel, input: this.rewrite(rel.input) };
        return rel;
      }
      case 'sort': return this.sort({ ...rel, input: this.rewrite(rel.input) });
      case 'window': case 'distinct': case 'unnest': return { ...rel, input: this.rewrite(rel.input) } as Rel;
      case 'join': return { ...rel, left: this.rewrite(rel.left), right: this.rewrite(rel.right) };
      case 'setOp': return { ...rel, inputs: rel.inputs.map((i) => this.rewrite(i)) };
      default: return rel;
    }
  }

  /** Pushes down the plans of subqueries used in this node's own expressions. */
  private rewriteSubqueries(rel: Rel): Rel {
    const fix = (e: BExpr): BExpr => {
      if (e.kind === 'subquery') return { ...e, rel: this.rewrite(e.rel), ...(e.operand ? { operand: fix(e.operand) } : {}) };
      if (e.kind === 'call' && e.args.some(hasSubquery)) return { ...e, args: e.args.map(fix) };
      return e;
    };
    switch (rel.kind) {
      case 'filter': return hasSubquery(rel.cond) ? { ...rel, cond: fix(rel.cond) } : rel;
      case 'project': return rel.exprs.some(hasSubquery) ? { ...rel, exprs: rel.exprs.map(fix) } : rel;
      case 'join': return rel.cond && hasSubquery(rel.cond) ? { ...rel, cond: fix(rel.cond) } : rel;
      default: return rel;
    }
  }

  /** Flattens project/filter nodes down to a data source scan; null if anything else is in between. */
  private chain(rel: Rel): SourceChain | null {
    switch (rel.kind) {
      case 'scan':
        if (rel.table.kind !== 'datasource') return null;
        return { table: rel.table, scanColumns: rel.columns, conds: [], outputs: rel.columns.map((c, i) => ref(i, c.type)) };
      case 'filter': {
        const inner = this.chain(rel.input);
        if (!inner || hasSubquery(rel.cond)) return null;
        return { ...inner, conds: [...inner.conds, ...conjuncts(inline(rel.cond, inner.outputs))] };
      }
      case 'project': {
        const inner = this.chain(rel.input);
        if (!inner || rel.exprs.some(hasSubquery)) return null;
        return { ...inner, outputs: rel.exprs.map((e) => inline(e, inner.outputs)) };
      }
      default: return null;
    }
  }

  private ctx(chain: SourceChain): ExprTranslationContext {
    return { columns: chain.scanColumns, ...this.ctxBase };
  }

  /** Splits conditions into query intervals, a native filter, and what must stay on the broker. */
  private conditions(chain: SourceChain): { intervals: string[]; filter: Filter | null; residual: BExpr[] } {
    const ti = timeColumnIndex(chain.scanColumns);
    let ranges: Range[] = [...ALL];
    const filters: Filter[] = [];
    const residual: BExpr[] = [];
    for (const c of chain.conds) {
      const r = ti >= 0 ? timeRanges(c, ti, this.opts.timeZone) : null;
      if (r) { ranges = intersect(ranges, r); continue; }
      const f = toNativeFilter(c, this.ctx(chain));
      if (f) filters.push(f); else residual.push(c);
    }
    const filter = filters.length === 0 ? null : filters.length === 1 ? filters[0] : { type: 'and' as const, fields: filters };
    return { intervals: ranges.length === 0 ? [] : rangesToIntervals(ranges), filter, residual };
  }

  private base(chain: SourceChain, intervals: string[], filter: Filter | null, virtualColumns: VirtualColumn[]) {
    return {
      dataSource: { type: 'table' as const, name: chain.table.name },
      intervals: { type: 'intervals' as const, intervals },
      ...(filter ? { filter } : {}),
      ...(virtualColumns.length > 0 ? { virtualColumns } : {}),
      context: { ...this.opts.context },
    };
  }

  /** project(filter*(scan)): a native scan of just the needed columns; the projection stays on the broker. */
  private nativeScan(chain: SourceChain, exprs: readonly BExpr[], columns: readonly RelColumn[]): Rel {
    const { intervals, filter, residual } = this.conditions(chain);
    const used = new Set<number>();
    for (const e of exprs) refsOf(e, used);
    for (const r of residual) refsOf(r, used);
    if (used.size === 0) { const ti = timeColumnIndex(chain.scanColumns); used.add(ti >= 0 ? ti : 0); }
    const ordered = [...used].sort((a, b) => a - b);
    const map = new Map(ordered.map((i, k) => [i, k]));
    const nativeColumns = ordered.map((i) => chain.scanColumns[i]);
    const query: ScanQuery = {
      queryType: 'scan', ...this.base(chain, intervals, filter, []),
      resultFormat: 'compactedList', columns: nativeColumns.map((c) => c.name), legacy: false,
    };
    let rel: Rel = {
      kind: 'native', query, columns: nativeColumns.map((c) => ({ name: c.name, type: c.type, ...(c.multiValue ? { multiValue: true } : {}) })),
      resultShape: { type: 'scan', fields: nativeColumns.map((c) => c.name) },
    };
    if (residual.length > 0) {
      const cond = residual.length === 1 ? residual[0] : { kind: 'call' as const, fn: 'AND', args: residual, type: 'BOOLEAN' as const };
      rel = { kind: 'filter', input: rel, cond: remap(cond, map), columns: rel.columns };
    }
    const projected = exprs.map((e) => remap(e, map));
    const identity = projected.length === rel.columns.length && projected.every((e, i) => e.kind === 'ref' && e.index === i);
    return identity ? rel : { kind: 'project', input: rel, exprs: projected, columns };
  }

  /** aggregate(chain): timeseries or groupBy (topN is decided by the sort above). */
  private nativeAggregate(agg: Extract<Rel, { kind: 'aggregate' }>, chain: SourceChain): Rel | null {
    const { intervals, filter, residual } = this.conditions(chain);
    if (residual.length > 0) return null;
    const ctx = this.ctx(chain);
    const virtualColumns: VirtualColumn[] = [];
    const vcByExpr = new Map<string, string>();
    const virtualFor = (e: BExpr): string | null => {
      if (e.kind === 'ref') return chain.scanColumns[e.index].name;
      const k = exprKey(e);
      const existing = vcByExpr.get(k);
      if (existing) return existing;
      const s = toDruidExpression(e, ctx);
      if (s === null) return null;
      const name = `v${virtualColumns.length}`;
      virtualColumns.push({ type: 'expression', name, expression: s, outputType: druidOutputType(e.type) });
      vcByExpr.set(k, name);
      return name;
    };
    const keys = agg.groupKeys.map((k) => inline(k, chain.outputs));
    if (keys.some((k) => k.type === 'ARRAY' || k.type === 'OTHER')) return null;
    // Timeseries: no keys, or a single TIME_FLOOR(__time) key.
    let granularity: unknown = { type: 'all' };
    let timeseries = false;
    const ti = timeColumnIndex(chain.scanColumns);
    if (!agg.groupingSets) {
      if (keys.length === 0) timeseries = true;
      else if (keys.length === 1) {
        const g = timeGranularity(keys[0], ti, this.opts.timeZone);
        if (g) { granularity = g; timeseries = true; }
      }
    }
    const dims: DimensionSpec[] = [];
    if (!timeseries) {
      for (let i = 0; i < keys.length; i++) {
        const name = virtualFor(keys[i]);
        if (name === null) return null;
        dims.push({ type: 'default', dimension: name, outputName: `d${i}`, outputType: druidOutputType(keys[i].type) as 'STRING' | 'LONG' | 'DOUBLE' | 'FLOAT' });
      }
    }
    // Aggregators.
    const aggregators: Aggregator[] = [];
    const postAggregations: PostAggregator[] = [];
    const nativeCols: RelColumn[] = keys.map((k, i) => ({ name: `d${i}`, type: agg.columns[i].type, ...(agg.columns[i].multiValue ? { multiValue: true } : {}) }));
    const finals: BExpr[] = keys.map((_k, i) => ref(i, agg.columns[i].type));
    let emptyRow: unknown[] | undefined = timeseries && keys.length === 0 ? [] : undefined;
    for (let j = 0; j < agg.aggs.length; j++) {
      const call = agg.aggs[j];
      const name = `a${j}`;
      const translated = this.aggregator({ ...call, args: call.args.map((a) => inline(a, chain.outputs)), ...(call.filter ? { filter: inline(call.filter, chain.outputs) } : {}) }, name, ctx, virtualFor);
      if (!translated) return null;
      const start = nativeCols.length;
      for (const part of translated.parts) {
        aggregators.push(part.aggregator);
        if (part.post) postAggregations.push(part.post);
        nativeCols.push({ name: part.name, type: part.type });
        emptyRow?.push(part.empty);
      }
      finals.push(translated.final(start));
    }
    const base = this.base(chain, intervals, filter, virtualColumns);
    let query: NativeQuery;
    let shape: Extract<Rel, { kind: 'native' }>['resultShape'];
    if (timeseries) {
      const q: TimeseriesQuery = {
        queryType: 'timeseries', ...base, granularity: granularity as TimeseriesQuery['granularity'],
        aggregations: aggregators, ...(postAggregations.length > 0 ? { postAggregations } : {}), context: { ...base.context, skipEmptyBuckets: true },
      };
      query = q;
      shape = { type: 'timeseries', fields: nativeCols.map((c, i) => (i < keys.length ? null : c.name)), ...(keys.length === 1 ? { timeField: 0 } : {}), ...(emptyRow ? { emptyRow } : {}) };
    } else {
      const q: GroupByQuery = {
        queryType: 'groupBy', ...base, granularity: { type: 'all' }, dimensions: dims, aggregations: aggregators,
        ...(postAggregations.length > 0 ? { postAggregations } : {}),
        ...(agg.groupingSets ? { subtotalsSpec: agg.groupingSets.map((s) => s.map((i) => `d${i}`)) } : {}),
      };
      query = q;
      shape = { type: 'groupBy', fields: nativeCols.map((c) => c.name) };
    }
    const native: Rel = { kind: 'native', query, columns: nativeCols, resultShape: shape };
    const identity = finals.length === nativeCols.length && finals.every((f, i) => f.kind === 'ref' && f.index === i);
    return identity ? native : { kind: 'project', input: native, exprs: finals, columns: agg.columns };
  }

  private aggregator(call: AggCall, name: string, ctx: ExprTranslationContext, virtualFor: (e: BExpr) => string | null):
    { parts: { aggregator: Aggregator; name: string; type: SqlType; empty: unknown; post?: PostAggregator }[]; final: (start: number) => BExpr } | null {
    const arg = call.args[0];
    const col = arg?.kind === 'ref' ? ctx.columns[arg.index] : undefined;
    const fieldOrExpr = (e: BExpr): { fieldName: string } | { expression: string } | null => {
      if (e.kind === 'ref') return { fieldName: ctx.columns[e.index].name };
      const s = toDruidExpression(e, ctx);
      return s === null ? null : { expression: s };
    };
    let filter: Filter | null = null;
    if (call.filter) { filter = toNativeFilter(call.filter, ctx); if (!filter) return null; }
    const wrap = (a: Aggregator, n: string): Aggregator => (filter ? { type: 'filtered', filter, aggregator: a, name: n } : a);
    const single = (a: Aggregator, type: SqlType, empty: unknown = null) => ({ parts: [{ aggregator: wrap(a, name), name, type, empty }], final: (s: number) => ref(s, call.type) });
    const numericKind = (t: SqlType) => (isIntegral(t) || t === 'TIMESTAMP' || t === 'BOOLEAN' ? 'long' : 'double');
    switch (call.fn) {
      case 'COUNT': {
        if (call.args.length === 0) return single({ type: 'count', name }, 'BIGINT', 0);
        if (call.distinct) {
          if (!this.opts.useApproximateCountDistinct) return null;
          const dim = virtualFor(arg);
          if (dim === null) return null;
          return single({ type: 'cardinality', name, fields: [dim], round: true }, 'BIGINT', 0);
        }
        const notNull = toNativeFilter({ kind: 'call', fn: 'IS NOT NULL', args: [arg], type: 'BOOLEAN' }, ctx);
        if (!notNull) return null;
        const inner: Aggregator = { type: 'filtered', filter: filter ? { type: 'and', fields: [filter, notNull] } : notNull, aggregator: { type: 'count', name }, name };
        return { parts: [{ aggregator: inner, name, type: 'BIGINT', empty: 0 }], final: (s) => ref(s, 'BIGINT') };
      }
      case 'APPROX_COUNT_DISTINCT': case 'APPROX_COUNT_DISTINCT_BUILTIN': {
        if (col && col.type === 'OTHER') return single({ type: 'hyperUnique', name, fieldName: col.name, round: true }, 'BIGINT', 0);
        const dim = virtualFor(arg);
        if (dim === null) return null;
        return single({ type: 'cardinality', name, fields: [dim], round: true }, 'BIGINT', 0);
      }
      case 'SUM': case 'SUM0': {
        if (call.distinct) return null;
        const src = fieldOrExpr(arg);
        if (!src) return null;
        const kind = numericKind(arg.type);
        const a = { type: kind === 'long' ? 'longSum' : 'doubleSum', name, ...src } as Aggregator;
        return single(a, kind === 'long' ? 'BIGINT' : 'DOUBLE');
      }
      case 'MIN': case 'MAX': {
        if (arg.type === 'VARCHAR' || arg.type === 'ARRAY' || arg.type === 'OTHER') return null;
        const src = fieldOrExpr(arg);
        if (!src) return null;
        const kind = numericKind(arg.type);
        const a = { type: `${kind}${call.fn === 'MIN' ? 'Min' : 'Max'}`, name, ...src } as Aggregator;
        return single(a, kind === 'long' ? call.type : 'DOUBLE');
      }
      case 'AVG': {
        if (call.distinct) return null;
        const src = fieldOrExpr(arg);
        const notNull = toNativeFilter({ kind: 'call', fn: 'IS NOT NULL', args: [arg], type: 'BOOLEAN' }, ctx);
        if (!src || !notNull) return null;
        const kind = numericKind(arg.type);
        const sumName = `${name}:sum`;
        const countName = `${name}:count`;
        const sum = wrap({ type: kind === 'long' ? 'longSum' : 'doubleSum', name: sumName, ...src } as Aggregator, sumName);
        const count: Aggregator = { type: 'filtered', filter: filter ? { type: 'and', fields: [filter, notNull] } : notNull, aggregator: { type: 'count', name: countName }, name: countName };
        const resultType = call.type;
        return {
          parts: [
            { aggregator: sum, name: sumName, type: kind === 'long' ? 'BIGINT' : 'DOUBLE', empty: null },
            { aggregator: count, name: countName, type: 'BIGINT', empty: 0 },
          ],
          final: (s) => ({
            kind: 'call', fn: 'CASE', type: resultType,
            args: [
              { kind: 'call', fn: '=', args: [ref(s + 1, 'BIGINT'), { kind: 'lit', value: 0, type: 'BIGINT' }], type: 'BOOLEAN' },
              { kind: 'lit', value: null, type: resultType },
              { kind: 'call', fn: '/', args: [ref(s, kind === 'long' ? 'BIGINT' : 'DOUBLE'), ref(s + 1, 'BIGINT')], type: resultType },
            ],
          }),
        };
      }
      case 'APPROX_QUANTILE': case 'APPROX_QUANTILE_DS': {
        // A quantiles sketch aggregator, read through a quantile post-aggregator (Druid's plan for APPROX_QUANTILE_DS).
        if (call.distinct || !isNumericType(arg.type)) return null;
        const fraction = call.args[1]?.kind === 'lit' ? Number((call.args[1] as { value: unknown }).value) : Number.NaN;
        if (!(fraction >= 0 && fraction <= 1)) return null;
        const kArg = call.args[2];
        if (kArg !== undefined && kArg.kind !== 'lit') return null;
        const k = kArg === undefined ? undefined : Number((kArg as { value: unknown }).value);
        const field = virtualFor(arg);
        if (field === null) return null;
        const sketchName = `${name}:agg`;
        const sketch = wrap({ type: 'quantilesDoublesSketch', name: sketchName, fieldName: field, ...(k !== undefined ? { k } : {}) }, sketchName);
        const post: PostAggregator = { type: 'quantilesDoublesSketchToQuantile', name, field: { type: 'fieldAccess', name: sketchName, fieldName: sketchName }, fraction };
        return { parts: [{ aggregator: sketch, name, type: 'DOUBLE', empty: null, post }], final: (st) => ref(st, call.type) };
      }
      case 'EARLIEST_BY': case 'LATEST_BY': case 'ANY_VALUE': {
        if (!col) return null;
        const timeArg = call.args[1];
        if (call.fn !== 'ANY_VALUE' && !(timeArg?.kind === 'ref' && ctx.columns[timeArg.index].name === '__time')) return null;
        const kind = col.type === 'VARCHAR' ? 'string' : isIntegral(col.type) || col.type === 'TIMESTAMP' ? 'long' : col.type === 'FLOAT' ? 'float' : 'double';
        const suffix = call.fn === 'EARLIEST_BY' ? 'First' : call.fn === 'LATEST_BY' ? 'Last' : 'Any';
        const maxBytes = call.args[2]?.kind === 'lit' ? Number((call.args[2] as { value: unknown }).value) : undefined;
        const a = { type: `${kind}${suffix}`, name, fieldName: col.name, ...(kind === 'string' ? { maxStringBytes: maxBytes ?? 1024 } : {}) } as Aggregator;
        return single(a, call.type);
      }
    }
    return null;
  }

  /** Sort/limit over native results: groupBy limitSpec, topN, timeseries order, scan limit. */
  private sort(rel: Extract<Rel, { kind: 'sort' }>): Rel {
    let input = rel.input;
    let projectExprs: readonly BExpr[] | null = null;
    let project: Extract<Rel, { kind: 'project' }> | null = null;
    if (input.kind === 'project' && input.input.kind === 'native') { project = input; projectExprs = input.exprs; input = input.input; }
    if (input.kind !== 'native') return rel;
    const native = input;
    // Map sort keys to native output columns.
    const keyCols: { index: number; descending: boolean; nullsFirst: boolean }[] = [];
    for (const k of rel.keys) {
      let e = k.expr;
      if (projectExprs && e.kind === 'ref') e = projectExprs[e.index];
      if (e.kind !== 'ref') return rel;
      keyCols.push({ index: e.index, descending: k.descending, nullsFirst: k.nullsFirst });
    }
    const rebuild = (q: NativeQuery, shape = native.resultShape): Rel => {
      const n: Rel = { ...native, query: q, resultShape: shape };
      return project ? { ...project, input: n } : n;
    };
    const q = native.query;
    const limit = rel.limit;
    const offset = rel.offset ?? 0;
    if (q.queryType === 'groupBy' && !q.subtotalsSpec) {
      const fields = (native.resultShape as { fields: readonly (string | null)[] }).fields;
      // topN: one dimension, ordered by one metric, with a limit and no offset.
      if (this.opts.useApproximateTopN && !q.postAggregations && q.dimensions.length === 1 && keyCols.length === 1 && limit !== undefined && offset === 0
        && limit <= (this.opts.maxTopNLimit ?? 100000) && keyCols[0].index >= 1) {
        const metric = fields[keyCols[0].index]!;
        const topN: TopNQuery = {
          queryType: 'topN', dataSource: q.dataSource, intervals: q.intervals, ...(q.filter ? { filter: q.filter } : {}),
          ...(q.virtualColumns ? { virtualColumns: q.virtualColumns } : {}), granularity: { type: 'all' }, dimension: q.dimensions[0],
          metric: keyCols[0].descending ? { type: 'numeric', metric } : { type: 'inverted', metric: { type: 'numeric', metric } },
          threshold: limit, aggregations: q.aggregations ?? [], ...(q.context ? { context: q.context } : {}),
        };
        return rebuild(topN, { type: 'topN', fields });
      }
      const columns = keyCols.map((k) => ({
        dimension: fields[k.index]!, direction: k.descending ? 'descending' as const : 'ascending' as const,
        dimensionOrder: isNumericType(native.columns[k.index].type) ? 'numeric' as const : 'lexicographic' as const,
      }));
      // Native ordering puts nulls first ascending and last descending, like SQL's default here.
      if (keyCols.some((k) => k.nullsFirst === k.descending)) return rel;
      const limitSpec = { type: 'default' as const, columns, ...(limit !== undefined ? { limit } : {}), ...(offset > 0 ? { offset } : {}) };
      return rebuild({ ...q, limitSpec });
    }
    if (q.queryType === 'timeseries') {
      const timeField = (native.resultShape as { timeField?: number }).timeField;
      if (keyCols.length > 1 || (keyCols.length === 1 && keyCols[0].index !== timeField)) return rel;
      const descending = keyCols.length === 1 && keyCols[0].descending;
      if (offset > 0) return rel;
      return rebuild({ ...q, ...(descending ? { descending: true } : {}), ...(limit !== undefined ? { limit } : {}) });
    }
    if (q.queryType === 'scan') {
      const timeIdx = native.columns.findIndex((c) => c.name === '__time');
      if (keyCols.length > 1 || (keyCols.length === 1 && keyCols[0].index !== timeIdx)) {
        return rel;
      }
      const order = keyCols.length === 1 ? (keyCols[0].descending ? 'descending' as const : 'ascending' as const) : undefined;
      return rebuild({ ...q, ...(order ? { order } : {}), ...(limit !== undefined ? { limit } : {}), ...(offset > 0 ? { offset } : {}) });
    }
    return rel;
  }
}

function isNumericType(t: SqlType): boolean {
  return t !== 'VARCHAR' && t !== 'ARRAY' && t !== 'OTHER';
}

/** A period granularity when `e` is TIME_FLOOR(__time, period) in the session zone. */
function timeGranularity(e: BExpr, timeIndex: number, tz: string): unknown {
  if (e.kind !== 'call' || e.fn !== 'TIME_FLOOR') return null;
  const [t, p, origin, zone] = e.args;
  if (!(t.kind === 'ref' && t.index === timeIndex) || p.kind !== 'lit' || typeof p.value !== 'string') return null;
  if (origin && !(origin.kind === 'lit' && origin.value === null)) return null;
  const z = zone && zone.kind === 'lit' && typeof zone.value === 'string' ? zone.value : zone ? null : tz;
  if (z === null) return null;
  return { type: 'period', period: p.value, timeZone: z };
}
