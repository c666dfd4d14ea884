/**
 * The binder: resolves an AST against the Catalog and produces a typed
 * relational plan (planner/rel.ts). Names resolve case-sensitively; unknown
 * tables raise errors.tableNotFound (42P01), unknown columns
 * errors.columnNotFound (42703). Correlated subqueries are rejected with
 * errors.unsupported rather than answered wrongly.
 */
import type { Expr, FromItem, OrderItem, Query, SelectQuery, WindowSpec } from './ast.ts';
import type { AggCall, BExpr, Rel, RelColumn, SortKey, WindowCall } from './rel.ts';
import type { Catalog, CatalogTable } from './catalog.ts';
import type { SqlType } from './sql-engine.ts';
import { exprKey } from './rel.ts';
import { errors, NemetonError } from '../common/errors.ts';
import { arithmeticType, commonType, isApprox, isNumeric, isTemporal, sqlTypeOf } from './types.ts';
import { aggregateType, isAggregateFunction } from './aggregate-functions.ts';
import { SCALAR_FUNCTIONS, type EvalContext } from './scalar-functions.ts';
import { parseTimestamp } from './time-functions.ts';
import { expandRollupCube } from './parser.ts';
import { informationSchemaTable } from './information-schema.ts';
import { toNumber } from './values.ts';
import { foldConstants } from './constant-fold.ts';

export interface BindOptions {
  readonly catalog: Catalog;
  readonly parameters: readonly unknown[];
  readonly timeZone: string;
  /** Druid query context (useApproximateCountDistinct...). */
  readonly queryContext: Readonly<Record<string, unknown>>;
  /** The statement's CURRENT_TIMESTAMP (epoch ms), for constant folding. Default: now. */
  readonly now?: number;
  /**
   * Filled in for parameters without values (describe): the type each `$n`
   * is compared or combined with, when the binder can tell.
   */
  readonly parameterTypes?: SqlType[];
  /** Who runs the statement (current_user, current_setting()... fold with it). */
  readonly session?: EvalContext['session'];
}

/** The names and plan of a bound query. */
export interface BoundQuery {
  readonly rel: Rel;
  readonly columns: readonly RelColumn[];
}

const WINDOW_ONLY = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE']);

interface Scope {
  readonly columns: readonly RelColumn[];
  readonly ctes: ReadonlyMap<string, BoundQuery>;
}

/** How expressions bind at a given stage of a SELECT. */
interface Mode {
  readonly scope: Scope;
  /** After GROUP BY: input scope plus maps from group keys / aggregate AST nodes to output columns. */
  readonly agg?: { readonly input: Scope; readonly keyIndex: ReadonlyMap<string, number>; readonly aggIndex: ReadonlyMap<Expr, number> };
  /** Window calls already computed: AST node -> column index. */
  readonly windows?: ReadonlyMap<Expr, number>;
  readonly allowAggregates?: boolean;
}

let subqueryIds = 0;

/** Binds a query. */
export function bindQuery(q: Query, opts: BindOptions): BoundQuery {
  return new Binder(opts).query(q, { columns: [], ctes: new Map() });
}

/** The enclosing query's scope while a subquery binds, and the outer columns it has used so far. */
interface OuterFrame {
  readonly scope: Scope;
  /** Outer column indexes in first-use order; `$OUTER(k)` reads captured[k]. */
  readonly captured: number[];
}

/** Column names that are PostgreSQL niladic functions when no column has that name. */
const NILADIC: Record<string, string> = {
  CURRENT_USER: 'CURRENT_USER', SESSION_USER: 'SESSION_USER', USER: 'CURRENT_USER', CURRENT_ROLE: 'CURRENT_ROLE',
  CURRENT_SCHEMA: 'CURRENT_SCHEMA', CURRENT_CATALOG: 'CURRENT_CATALOG',
};

/** Casts to PostgreSQL object-identifier types resolve names through the catalog. */
const REG_CASTS: Record<string, string> = {
  REGCLASS: 'PG_REGCLASS', REGTYPE: 'PG_REGTYPE', REGNAMESPACE: 'PG_REGNAMESPACE', REGPROC: 'PG_REGPROC', REGPROCEDURE: 'PG_REGPROC',
};

class Binder {
  /** Placeholders of parameters without values (describe), by object identity. */
  private readonly unboundParams = new WeakMap<BExpr, number>();
  /** Scopes of the queries enclosing the subquery being bound, innermost last. */
  private readonly outer: OuterFrame[] = [];

  constructor(private readonly opts: BindOptions) {}

  /** Records the type a placeholder parameter meets. */
  private noteParam(p: BExpr, other: BExpr): void {
    const idx = this.unboundParams.get(p);
    const sink = this.opts.parameterTypes;
    if (idx === undefined || !sink || other.type === 'NULL' || other.type === 'OTHER') return;
    if (sink[idx - 1] === undefined || sink[idx - 1] === 'VARCHAR') sink[idx - 1] = other.type;
  }

  private coerce(a: BExpr, b: BExpr): [BExpr, BExpr] {
    this.noteParam(a, b);
    this.noteParam(b, a);
    return coerceComparison(a, b, this.opts.timeZone);
  }

  query(q: Query, outer: Scope): BoundQuery {
    switch (q.kind) {
      case 'with': {
        const ctes = new Map(outer.ctes);
        for (const cte of q.ctes) {
          const b = this.query(cte.query, { columns: [], ctes });
          ctes.set(cte.name, renameColumns(uniquify(b), cte.name, cte.columns));
        }
        return this.query(q.body, { columns: [], ctes });
      }
      case 'select': return this.select(q, outer);
      case 'values': {
        const rows = q.rows.map((r) => r.map((e) => this.expr(e, { scope: { columns: [], ctes: outer.ctes } })));
        const width = rows[0].length;
        if (rows.some((r) => r.length !== width)) throw errors.invalidInput('VALUES rows must all have the same number of columns');
        const columns: RelColumn[] = [];
        for (let c = 0; c < width; c++) {
          let t: SqlType = 'NULL';
          for (const r of rows) t = commonType(t, r[c].type);
          columns.push({ name: `EXPR$${c}`, type: t === 'NULL' ? 'VARCHAR' : t });
        }
        const rel: Rel = { kind: 'values', columns, rows };
        return this.orderLimit({ rel, columns }, q.orderBy, q.limit, q.offset, outer);
      }
      case 'setOp': {
        const inputs: BoundQuery[] = [];
        const flatten = (x: Query) => {
          if (x.kind === 'setOp' && x.op === q.op && x.all === q.all && !x.orderBy && !x.limit && !x.offset) { flatten(x.left); flatten(x.right); } else inputs.push(this.query(x, { columns: [], ctes: outer.ctes }));
        };
        flatten(q.left);
        flatten(q.right);
        const width = inputs[0].columns.length;
        for (const b of inputs) {
          if (b.columns.length !== width) throw errors.invalidInput(`Column count mismatch in ${q.op}`);
        }
        const columns = inputs[0].columns.map((c, i) => ({ name: c.name, type: inputs.reduce<SqlType>((t, b) => commonType(t, b.columns[i].type), 'NULL') }));
        const rel: Rel = { kind: 'setOp', op: q.op, all: q.all, inputs: inputs.map((b) => b.rel), columns };
        return this.orderLimit({ rel, columns }, q.orderBy, q.limit, q.offset, outer);
      }
    }
  }

  /** ORDER BY / LIMIT over a finished relation whose output columns are visible by name and ordinal. */
  private orderLimit(b: BoundQuery, orderBy: readonly OrderItem[] | undefined, limit: Expr | undefined, offset: Expr | undefined, outer: Scope): BoundQuery {
    if (!orderBy && !limit && !offset) return b;
    const scope: Scope = { columns: b.columns, ctes: outer.ctes };
    const keys = (orderBy ?? []).map((o) => this.sortKey(o, this.ordinalOrExpr(o.expr, b.columns, { scope })));
    const rel: Rel = { kind: 'sort', input: b.rel, keys, ...this.limitOffset(limit, offset), columns: b.columns };
    return { rel, columns: b.columns };
  }

  private ordinalOrExpr(e: Expr, columns: readonly RelColumn[], mode: Mode): BExpr {
    if (e.kind === 'literal' && e.type === 'number') {
      const n = Number(e.value);
      if (!Number.isInteger(n) || n < 1 || n > columns.length) throw errors.invalidInput(`Ordinal out of range: ${e.value}`);
      return { kind: 'ref', index: n - 1, type: columns[n - 1].type };
    }
    return this.expr(e, mode);
  }

  private sortKey(o: OrderItem, expr: BExpr): SortKey {
    return { expr, descending: o.descending, nullsFirst: o.nullsFirst ?? !o.descending };
  }

  private limitOffset(limit: Expr | undefined, offset: Expr | undefined): { limit?: number; offset?: number } {
    const lit = (e: Expr, what: string) => {
      const v = this.expr(e, { scope: { columns: [], ctes: new Map() } });
      const n = v.kind === 'lit' ? toNumber(v.value) : null;
      if (n === null || !Number.isInteger(n) || n < 0) throw errors.invalidInput(`${what} must be a non-negative integer literal`);
      return n;
    };
    return { ...(limit ? { limit: lit(limit, 'LIMIT') } : {}), ...(offset ? { offset: lit(offset, 'OFFSET') } : {}) };
  }

  // ---- SELECT ---------------------------------------------------------------
  private select(q: SelectQuery, outer: Scope): BoundQuery {
    let input: BoundQuery = q.from ? this.from(q.from, outer) : { rel: { kind: 'values', columns: [], rows: [[]] }, columns: [] };
    const inScope: Scope = { columns: input.columns, ctes: outer.ctes };
    if (q.where) {
      const cond = this.expr(q.where, { scope: inScope });
      input = { rel: { kind: 'filter', input: input.rel, cond, columns: input.columns }, columns: input.columns };
    }

    // Expand * in the select list.
    const items: { expr: Expr; name: string; alias?: string }[] = [];
    q.items.forEach((it, idx) => {
      if (it.expr.kind === 'star') {
        const qual = it.expr.qualifier;
        let any = false;
        input.columns.forEach((c) => {
          if (c.hidden) return;
          if (qual && c.table !== qual[qual.length - 1]) return;
          any = true;
          items.push({ expr: { kind: 'column', pos: it.pos, path: c.table ? [c.table, c.name] : [c.name] }, name: c.name });
        });
        if (!any && qual) throw errors.tableNotFound(qual.join('.'));
        return;
      }
      const name = it.alias ?? (it.expr.kind === 'column' ? it.expr.path[it.expr.path.length - 1] : `EXPR$${idx}`);
      items.push({ expr: it.expr, name, ...(it.alias !== undefined ? { alias: it.alias } : {}) });
    });

    // Aggregation?
    const aggNodes: Expr[] = [];
    for (const it of items) collectAggregates(it.expr, aggNodes);
    if (q.having) collectAggregates(q.having, aggNodes);
    for (const o of q.orderBy ?? []) collectAggregates(o.expr, aggNodes);
    const aggregating = q.groupBy !== undefined || aggNodes.length > 0 || q.having !== undefined;

    let mode: Mode = { scope: inScope };
    let current = input;
    if (aggregating) {
      const res = this.aggregate(q, items, aggNodes, input, inScope);
      current = res.bound;
      mode = res.mode;
      if (q.having) {
        const cond = this.expr(q.having, mode);
        current = { rel: { kind: 'filter', input: current.rel, cond, columns: current.columns }, columns: current.columns };
      }
    } else if (q.having) throw errors.invalidInput('HAVING requires GROUP BY or aggregates');

    // Window functions.
    const winNodes: Expr[] = [];
    for (const it of items) collectWindows(it.expr, winNodes);
    for (const o of q.orderBy ?? []) collectWindows(o.expr, winNodes);
    if (winNodes.length > 0) {
      const calls: WindowCall[] = winNodes.map((w) => this.windowCall(w as Extract<Expr, { kind: 'call' }>, mode, q));
      const base = current.columns.length;
      const columns = [...current.columns, ...calls.map((c, i) => ({ name: `w${i}`, type: c.type, hidden: true }))];
      current = { rel: { kind: 'window', input: current.rel, calls, columns }, columns };
      const windows = new Map<Expr, number>();
      winNodes.forEach((w, i) => windows.set(w, base + i));
      mode = { ...mode, scope: { columns, ctes: mode.scope.ctes }, windows };
    }

    // Projection.
    const exprs = items.map((it) => this.expr(it.expr, mode));
    const outColumns: RelColumn[] = items.map((it, i) => ({ name: it.name, type: exprs[i].type, ...(multiValueOf(exprs[i], current.columns) ? { multiValue: true } : {}) }));
    // ORDER BY keys: ordinal, output alias, or expression (added as hidden column when not projected).
    const keyExprs: SortKey[] = [];
    const hidden: BExpr[] = [];
    const exprKeys = exprs.map(exprKey);
    for (const o of q.orderBy ?? []) {
      let ref: BExpr | undefined;
      if (o.expr.kind === 'literal' && o.expr.type === 'number') ref = this.ordinalOrExpr(o.expr, outColumns, mode);
      else if (o.expr.kind === 'column' && o.expr.path.length === 1) {
        const wanted = o.expr.path[0];
        const idx = items.findIndex((it) => it.name === wanted && (it.alias !== undefined || it.expr.kind === 'column'));
        if (idx >= 0) ref = { kind: 'ref', index: idx, type: outColumns[idx].type };
      }
      if (!ref) {
        const b = this.expr(o.expr, mode);
        const k = exprKey(b);
        const idx = exprKeys.indexOf(k);
        if (idx >= 0) ref = { kind: 'ref', index: idx, type: b.type };
        else {
          if (q.distinct) throw errors.invalidInput('ORDER BY expressions must appear in the select list when SELECT DISTINCT is used');
          ref = { kind: 'ref', index: exprs.length + hidden.length, type: b.type };
          hidden.push(b);
        }
      }
      keyExprs.push(this.sortKey(o, ref));
    }
    const projColumns = [...outColumns, ...hidden.map((h, i) => ({ name: `$o${i}`, type: h.type, hidden: true }))];
    let rel: Rel = { kind: 'project', input: current.rel, exprs: [...exprs, ...hidden], columns: projColumns };
    if (q.distinct) rel = { kind: 'distinct', input: rel, columns: projColumns };
    if (keyExprs.length > 0 || q.limit || q.offset) {
      rel = { kind: 'sort', input: rel, keys: keyExprs, ...this.limitOffset(q.limit, q.offset), columns: projColumns };
    }
    if (hidden.length > 0) {
      rel = { kind: 'project', input: rel, exprs: outColumns.map((c, i) => ({ kind: 'ref', index: i, type: c.type })), columns: outColumns };
    }
    return { rel, columns: outColumns };
  }

  private aggregate(q: SelectQuery, items: readonly { expr: Expr; name: string; alias?: string }[], aggNodes: Expr[], input: BoundQuery, inScope: Scope) {
    const inMode: Mode = { scope: inScope };
    const keys: BExpr[] = [];
    const keyIndex = new Map<string, number>();
    const addKey = (e: Expr): number => {
      let b: BExpr;
      if (e.kind === 'literal' && e.type === 'number') {
        const n = Number(e.value);
        if (!Number.isInteger(n) || n < 1 || n > items.length) throw errors.invalidInput(`Ordinal out of range in GROUP BY: ${e.value}`);
        b = this.expr(items[n - 1].expr, inMode);
      } else if (e.kind === 'column' && e.path.length === 1 && !inScope.columns.some((c) => c.name === (e.path[0]))) {
        const it = items.find((x) => x.alias === e.path[0]);
        b = it ? this.expr(it.expr, inMode) : this.expr(e, inMode);
      } else b = this.expr(e, inMode);
      const k = exprKey(b);
      let idx = keyIndex.get(k);
      if (idx === undefined) { idx = keys.length; keys.push(b); keyIndex.set(k, idx); }
      return idx;
    };
    let groupingSets: number[][] | undefined;
    const sets: number[][] = [[]];
    let explicitSets = false;
    for (const g of q.groupBy ?? []) {
      if (g.kind === 'expr') { const i = addKey(g.expr); for (const s of sets) s.push(i); continue; }
      if (g.kind === 'empty') continue;
      explicitSets = true;
      const raw = g.kind === 'sets' ? g.sets : expandRollupCube(g);
      const idxSets = raw.map((s) => s.map(addKey));
      const next: number[][] = [];
      for (const s of sets) for (const t of idxSets) next.push([...s, ...t]);
      sets.length = 0;
      sets.push(...next);
    }
    if (explicitSets) groupingSets = sets.map((s) => [...new Set(s)]);

    const aggs: AggCall[] = [];
    const aggKeyIndex = new Map<string, number>();
    const aggIndex = new Map<Expr, number>();
    for (const node of aggNodes) {
      const call = this.aggCall(node as Extract<Expr, { kind: 'call' }>, inMode, keyIndex);
      const k = JSON.stringify([call.fn, call.distinct, call.args.map(exprKey), call.filter ? exprKey(call.filter) : null, (call.orderBy ?? []).map((o) => [exprKey(o.expr), o.descending])]);
      let idx = aggKeyIndex.get(k);
      if (idx === undefined) { idx = aggs.length; aggs.push(call); aggKeyIndex.set(k, idx); }
      aggIndex.set(node, keys.length + idx);
    }
    const columns: RelColumn[] = [
      ...keys.map((k, i) => ({ name: `d${i}`, type: k.type, ...(multiValueOf(k, input.columns) ? { multiValue: true } : {}) })),
      ...aggs.map((a, i) => ({ name: `a${i}`, type: a.type })),
    ];
    const rel: Rel = { kind: 'aggregate', input: input.rel, groupKeys: keys, ...(groupingSets ? { groupingSets } : {}), aggs, columns };
    const mode: Mode = { scope: { columns, ctes: inScope.ctes }, agg: { input: inScope, keyIndex, aggIndex } };
    return { bound: { rel, columns }, mode };
  }

  private aggCall(original: Extract<Expr, { kind: 'call' }>, mode: Mode, keyIndex: ReadonlyMap<string, number>): AggCall {
    const node = caseToFilter(original);
    const fn = node.name === 'LISTAGG' ? 'STRING_AGG' : node.name === 'SUM0' || node.name === '$SUM0' ? 'SUM0' : node.name;
    for (const a of node.args) { const inner: Expr[] = []; collectAggregates(a, inner); if (inner.length) throw errors.invalidInput('Aggregate calls cannot be nested'); }
    if (fn === 'GROUPING') {
      const args = node.args.map((a) => {
        const b = this.expr(a, mode);
        const idx = keyIndex.get(exprKey(b));
        if (idx === undefined) throw errors.invalidInput('GROUPING arguments must be GROUP BY expressions');
        return { kind: 'lit', value: idx, type: 'BIGINT' } as BExpr;
      });
      return { fn, args, distinct: false, type: 'BIGINT' };
    }
    const args = node.star ? [] : node.args.map((a) => this.expr(a, mode));
    const filter = node.filter ? this.expr(node.filter, mode) : undefined;
    const orderBy = node.orderBy ? node.orderBy.map((o) => this.sortKey(o, this.expr(o.expr, mode))) : undefined;
    let name = fn;
    // EARLIEST/LATEST(x) order by __time of the input.
    if ((fn === 'EARLIEST' || fn === 'LATEST') && args.length >= 1) {
      const t = mode.scope.columns.findIndex((c) => c.name === '__time');
      if (t < 0) throw errors.invalidInput(`${fn} needs a __time column; use ${fn}_BY`);
      args.splice(1, 0, { kind: 'ref', index: t, type: 'TIMESTAMP' });
      name = `${fn}_BY`;
      if (args.length > 3) args.length = 3; // (value, time, maxBytes)
    } else if (fn === 'EARLIEST_BY' || fn === 'LATEST_BY') {
      if (args.length < 2) throw errors.invalidInput(`${fn} requires at least two arguments`);
    } else if (fn === 'COUNT' && args.length > 1) throw errors.invalidInput('COUNT takes at most one argument');
    const type = aggregateType(fn, args.map((a) => a.type));
    return { fn: name, args, distinct: node.distinct, ...(filter ? { filter } : {}), ...(orderBy ? { orderBy } : {}), type };
  }

  private windowCall(node: Extract<Expr, { kind: 'call' }>, mode: Mode, q: SelectQuery): WindowCall {
    let spec: WindowSpec = node.over!;
    if (spec.ref) {
      const named = q.windows?.find((w) => w.name === spec.ref);
      if (!named) throw errors.invalidInput(`Window [${spec.ref}] is not defined`);
      spec = { ...named.spec, ...(spec.partitionBy.length ? { partitionBy: spec.partitionBy } : {}), ...(spec.orderBy.length ? { orderBy: spec.orderBy } : {}), ...(spec.frame ? { frame: spec.frame } : {}) };
    }
    const args = node.star ? [] : node.args.map((a) => this.expr(a, mode));
    const partitionBy = spec.partitionBy.map((p) => this.expr(p, mode));
    const orderBy = spec.orderBy.map((o) => this.sortKey(o, this.expr(o.expr, mode)));
    const frameBound = (b: { type: string; offset?: Expr }) => {
      if (!b.offset) return { type: b.type };
      const v = this.expr(b.offset, mode);
      const n = v.kind === 'lit' ? toNumber(v.value) : null;
      if (n === null) throw errors.unsupported('Non-literal window frame offset');
      return { type: b.type, offset: n };
    };
    const frame = spec.frame ? { unit: spec.frame.unit, start: frameBound(spec.frame.start), end: frameBound(spec.frame.end) } : undefined;
    let type: SqlType;
    switch (node.name) {
      case 'ROW_NUMBER': case 'RANK': case 'DENSE_RANK': case 'NTILE': type = 'BIGINT'; break;
      case 'PERCENT_RANK': case 'CUME_DIST': type = 'DOUBLE'; break;
      case 'LAG': case 'LEAD': case 'FIRST_VALUE': case 'LAST_VALUE': case 'NTH_VALUE': type = args[0]?.type ?? 'VARCHAR'; break;
      default:
        if (!isAggregateFunction(node.name)) throw errors.invalidInput(`Function [${node.name}] cannot be used with OVER`);
        type = aggregateType(node.name, args.map((a) => a.type));
    }
    let fn = node.name;
    if ((fn === 'EARLIEST' || fn === 'LATEST') && args.length === 1) fn = fn === 'EARLIEST' ? 'FIRST_VALUE' : 'LAST_VALUE';
    if (node.distinct) {
      if (fn !== 'COUNT') throw errors.unsupported(`DISTINCT in window function ${fn}`);
      fn = 'COUNT_DISTINCT';
    }
    return { fn, args, partitionBy, orderBy, ...(frame ? { frame } : {}), type };
  }

  // ---- FROM -----------------------------------------------------------------
  private from(f: FromItem, outer: Scope): BoundQuery {
    switch (f.kind) {
      case 'table': {
        const path = f.path;
        const alias = f.alias ?? path[path.length - 1];
        if (path.length === 1 && outer.ctes.has(path[0])) return renameColumns(outer.ctes.get(path[0])!, alias, f.columnAliases);
        const table = this.resolveTable(path);
        const columns: RelColumn[] = table.columns.map((c) => ({ name: c.name, type: c.sqlType, table: alias, ...(c.multiValue ? { multiValue: true } : {}), ...(c.elementType !== undefined ? { elementType: c.elementType } : {}) }));
        const b: BoundQuery = { rel: { kind: 'scan', table, columns }, columns };
        return f.columnAliases ? renameColumns(b, alias, f.columnAliases) : b;
      }
      case 'subquery': {
        const b = this.query(f.query, { columns: [], ctes: outer.ctes });
        return renameColumns(uniquify(b), f.alias, f.columnAliases);
      }
      case 'unnest': {
        const one: BoundQuery = { rel: { kind: 'values', columns: [], rows: [[]] }, columns: [] };
        return this.unnest(f, one, outer);
      }
      case 'tableFunction':
        throw errors.unsupported(`Table function ${f.name} in a SELECT (use INSERT/REPLACE for EXTERN)`);
      case 'join': {
        const left = this.from(f.left, outer);
        if (f.right.kind === 'unnest') {
          if (f.joinType !== 'CROSS' && f.joinType !== 'COMMA' && f.joinType !== 'INNER') throw errors.unsupported(`${f.joinType} JOIN with UNNEST`);
          let b = this.unnest(f.right, left, outer);
          if (f.on) {
            const cond = this.expr(f.on, { scope: { columns: b.columns, ctes: outer.ctes } });
            b = { rel: { kind: 'filter', input: b.rel, cond, columns: b.columns }, columns: b.columns };
          }
          return b;
        }
        const right = this.from(f.right, outer);
        let columns: RelColumn[] = [...left.columns, ...right.columns];
        const scope: Scope = { columns, ctes: outer.ctes };
        let cond: BExpr | undefined;
        let usingNames = f.using;
        if (f.natural) usingNames = left.columns.filter((c) => right.columns.some((r) => r.name === c.name)).map((c) => c.name);
        if (usingNames) {
          const parts: BExpr[] = [];
          const hideRight = new Set<number>();
          for (const name of usingNames) {
            const li = left.columns.findIndex((c) => c.name === name);
            const ri = right.columns.findIndex((c) => c.name === name);
            if (li < 0 || ri < 0) throw errors.columnNotFound(name);
            parts.push(call('=', [{ kind: 'ref', index: li, type: left.columns[li].type }, { kind: 'ref', index: left.columns.length + ri, type: right.columns[ri].type }], 'BOOLEAN'));
            hideRight.add(left.columns.length + ri);
          }
          cond = parts.length === 1 ? parts[0] : call('AND', parts, 'BOOLEAN');
          columns = columns.map((c, i) => (hideRight.has(i) ? { ...c, hidden: true } : c));
        } else if (f.on) cond = this.expr(f.on, { scope });
        const joinType = f.joinType === 'COMMA' || f.joinType === 'CROSS' ? 'INNER' : f.joinType;
        return { rel: { kind: 'join', left: left.rel, right: right.rel, joinType, ...(cond ? { cond } : {}), columns }, columns };
      }
    }
  }

  private unnest(f: Extract<FromItem, { kind: 'unnest' }>, input: BoundQuery, outer: Scope): BoundQuery {
    const expr = this.expr(f.expr, { scope: { columns: input.columns, ctes: outer.ctes } });
    const alias = f.alias ?? 'UNNEST';
    const names = f.columnAliases ?? ['EXPR$0', 'ORDINALITY'];
    const elementType: SqlType = elementTypeOf(expr, input.columns);
    const columns: RelColumn[] = [...input.columns, { name: names[0] ?? 'EXPR$0', type: elementType, table: alias }];
    if (f.withOrdinality) columns.push({ name: names[1] ?? 'ORDINALITY', type: 'BIGINT', table: alias });
    return { rel: { kind: 'unnest', input: input.rel, expr, withOrdinality: f.withOrdinality, columns }, columns };
  }

  private resolveTable(path: readonly string[]): CatalogTable {
    const name = path[path.length - 1];
    const schema = path.length >= 2 ? path[path.length - 2] : undefined;
    if (schema !== undefined && schema.toUpperCase() === 'INFORMATION_SCHEMA') {
      const t = informationSchemaTable(name.toUpperCase(), this.opts.catalog);
      if (t) return t;
    }
    const t = this.opts.catalog.getTable(schema, name);
    if (!t) throw errors.tableNotFound(path.join('.'));
    return t;
  }

  // ---- expressions -----------------------------------------------------------
  expr(e: Expr, mode: Mode): BExpr {
    // After GROUP BY: aggregate nodes and grouped expressions become column references.
    if (mode.windows?.has(e)) { const i = mode.windows.get(e)!; return { kind: 'ref', index: i, type: mode.scope.columns[i].type }; }
    if (mode.agg) {
      const ai = mode.agg.aggIndex.get(e);
      if (ai !== undefined) return { kind: 'ref', index: ai, type: mode.scope.columns[ai].type };
      if (e.kind !== 'literal' && e.kind !== 'param' && e.kind !== 'interval' && e.kind !== 'symbol' && !containsWindowOrAgg(e) && e.kind !== 'scalarQuery' && e.kind !== 'exists') {
        let b: BExpr | undefined;
        try { b = this.exprNoAgg(e, { scope: mode.agg.input }); } catch (err) { if (!(err instanceof NemetonError)) throw err; }
        if (b) {
          const k = mode.agg.keyIndex.get(exprKey(b));
          if (k !== undefined) return { kind: 'ref', index: k, type: b.type };
          if (b.kind === 'lit') return b;
        }
        if (e.kind === 'column') {
          if (b) throw errors.invalidInput(`Expression '${e.path.join('.')}' is not being grouped`);
          return this.exprNoAgg(e, { scope: mode.agg.input });
        }
      }
    } else if (e.kind === 'call' && isAggregateFunction(e.name) && !e.over && !mode.windows) {
      throw errors.invalidInput(`Aggregate ${e.name} is not allowed here`);
    }
    return this.exprNoAgg(e, mode);
  }

  private exprNoAgg(e: Expr, mode: Mode): BExpr {
    return foldConstants(this.exprUnfolded(e, mode), this.evalContext);
  }

  private get evalContext(): EvalContext {
    return { timeZone: this.opts.timeZone, now: this.opts.now ?? Date.now(), catalog: this.opts.catalog, ...(this.opts.session ? { session: this.opts.session } : {}) };
  }

  private exprUnfolded(e: Expr, mode: Mode): BExpr {
    const r = (x: Expr) => this.expr(x, mode);
    switch (e.kind) {
      case 'literal':
        switch (e.type) {
          case 'null': return { kind: 'lit', value: null, type: 'NULL' };
          case 'boolean': return { kind: 'lit', value: e.value, type: 'BOOLEAN' };
          case 'string': return { kind: 'lit', value: e.value, type: 'VARCHAR' };
          case 'number': return numberLiteral(e.value);
          case 'timestamp': case 'date': case 'time': {
            const t = parseTimestamp(e.type === 'time' ? `1970-01-01 ${e.value}` : e.value, this.opts.timeZone);
            if (t === null) throw errors.invalidInput(`Illegal ${e.type.toUpperCase()} literal '${e.value}'`);
            return { kind: 'lit', value: t, type: e.type === 'date' ? 'DATE' : 'TIMESTAMP' };
          }
        }
        break;
      case 'interval': return { kind: 'lit', value: intervalValue(e), type: 'OTHER' };
      case 'param': {
        const v = this.opts.parameters[e.index - 1];
        if (e.index - 1 >= this.opts.parameters.length) {
          const placeholder: BExpr = { kind: 'lit', value: null, type: 'NULL' };
          this.unboundParams.set(placeholder, e.index);
          return placeholder;
        }
        return paramLiteral(v);
      }
      case 'symbol': return { kind: 'lit', value: e.name, type: 'VARCHAR' };
      case 'column': return this.column(e.path, mode.scope);
      case 'star': throw errors.invalidInput('* is only allowed in the select list or COUNT(*)');
      case 'unary': {
        const a = r(e.operand);
        if (e.op === 'NOT') return call('NOT', [a], 'BOOLEAN');
        if (e.op === '+') return a;
        if (a.kind === 'lit' && typeof a.value === 'number') return { ...a, value: -a.value };
        return call('NEG', [a], a.type);
      }
      case 'binary': {
        let a = r(e.left);
        let b = r(e.right);
        switch (e.op) {
          case 'AND': case 'OR': return call(e.op, [a, b], 'BOOLEAN');
          case '||': return call('||', [a, b], 'VARCHAR');
          case '=': case '<>': case '<': case '<=': case '>': case '>=':
            [a, b] = this.coerce(a, b);
            return call(e.op, [a, b], 'BOOLEAN');
          default: {
            this.noteParam(a, b);
            this.noteParam(b, a);
            let type: SqlType;
            if (a.type === 'OTHER' || b.type === 'OTHER') type = isTemporal(a.type) || isTemporal(b.type) ? 'TIMESTAMP' : 'OTHER';
            else if (isTemporal(a.type) && isTemporal(b.type) && e.op === '-') type = 'BIGINT';
            else if (isTemporal(a.type) || isTemporal(b.type)) type = 'TIMESTAMP';
            else {
              if (!isNumeric(a.type) && a.type !== 'NULL' && a.type !== 'VARCHAR' && a.type !== 'BOOLEAN') throw errors.invalidInput(`Cannot apply '${e.op}' to arguments of type ${a.type}`);
              type = e.op === '/' && (a.type === 'VARCHAR' || b.type === 'VARCHAR') ? 'DOUBLE' : arithmeticType(a.type, b.type);
            }
            return call(e.op, [a, b], type);
          }
        }
      }
      case 'is': {
        const a = r(e.operand);
        const test = e.test === 'UNKNOWN' ? 'NULL' : e.test;
        return call(`IS ${e.not ? 'NOT ' : ''}${test}`, [a], 'BOOLEAN');
      }
      case 'distinctFrom': {
        const [a, b] = this.coerce(r(e.left), r(e.right));
        return call(e.not ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', [a, b], 'BOOLEAN');
      }
      case 'between': {
        const x = r(e.operand);
        const [, lo] = this.coerce(x, r(e.low));
        const [, hi] = this.coerce(x, r(e.high));
        let cond = call('AND', [call('>=', [x, lo], 'BOOLEAN'), call('<=', [x, hi], 'BOOLEAN')], 'BOOLEAN');
        if (e.symmetric) cond = call('OR', [cond, call('AND', [call('>=', [x, hi], 'BOOLEAN'), call('<=', [x, lo], 'BOOLEAN')], 'BOOLEAN')], 'BOOLEAN');
        return e.not ? call('NOT', [cond], 'BOOLEAN') : cond;
      }
      case 'like': {
        const args = [r(e.operand), r(e.pattern), ...(e.escape ? [r(e.escape)] : [])];
        const c = call('LIKE', args, 'BOOLEAN');
        return e.not ? call('NOT', [c], 'BOOLEAN') : c;
      }
      case 'inList': {
        const x = r(e.operand);
        const list = e.list.map((l) => this.coerce(x, r(l))[1]);
        const c = call('IN', [x, ...list], 'BOOLEAN');
        return e.not ? call('NOT', [c], 'BOOLEAN') : c;
      }
      case 'inQuery': {
        const sub = this.subquery(e.query, mode);
        if (sub.outerRefs) throw errors.unsupported('Correlated IN subquery (use EXISTS)');
        const width = e.operand.kind === 'call' && e.operand.name === 'ROW' ? e.operand.args.length : 1;
        if (sub.columns.length !== width) throw errors.invalidInput(`Subquery for IN must return exactly ${width} column${width === 1 ? '' : 's'}`);
        const c: BExpr = { kind: 'subquery', mode: 'in', rel: sub.rel, operand: r(e.operand), type: 'BOOLEAN', id: ++subqueryIds };
        return e.not ? call('NOT', [c], 'BOOLEAN') : c;
      }
      case 'exists': {
        const sub = this.subquery(e.query, mode);
        return { kind: 'subquery', mode: 'exists', rel: sub.rel, type: 'BOOLEAN', id: ++subqueryIds, ...correlation(sub) };
      }
      case 'scalarQuery': {
        const sub = this.subquery(e.query, mode);
        if (sub.columns.length !== 1) throw errors.invalidInput('Scalar subquery must return exactly one column');
        return { kind: 'subquery', mode: 'scalar', rel: sub.rel, type: sub.columns[0].type, id: ++subqueryIds, ...correlation(sub) };
      }
      case 'case': {
        const args: BExpr[] = [];
        const operand = e.operand ? r(e.operand) : undefined;
        let type: SqlType = 'NULL';
        for (const w of e.whens) {
          let cond = r(w.when);
          if (operand) cond = call('=', this.coerce(operand, cond), 'BOOLEAN');
          const then = r(w.then);
          type = commonType(type, then.type);
          args.push(cond, then);
        }
        if (e.else) { const el = r(e.else); type = commonType(type, el.type); args.push(el); }
        return call('CASE', args, type === 'NULL' ? 'VARCHAR' : type);
      }
      case 'cast': {
        const a = r(e.operand);
        const type = sqlTypeOf(e.type);
        if (a.kind === 'lit' && a.value === null) return { kind: 'lit', value: null, type };
        const reg = e.type.arrayOf ? undefined : REG_CASTS[e.type.name];
        if (reg) return isNumeric(a.type) ? call('CAST', [a], 'BIGINT') : call(reg, [a], 'BIGINT');
        if (e.type.arrayOf && a.kind === 'lit' && typeof a.value === 'string') {
          // PostgreSQL array text: '{a,b}'::text[]
          return call('PG_TO_ARRAY', [a, { kind: 'lit', value: sqlTypeOf(e.type.arrayOf), type: 'VARCHAR' }], 'ARRAY');
        }
        return call('CAST', [a], type);
      }
      case 'array': {
        const els = e.elements.map(r);
        return call('ARRAY', els, 'ARRAY');
      }
      case 'subscript': return call('ITEM', [r(e.operand), r(e.index)], 'VARCHAR');
      case 'call': return this.call(e, mode);
    }
    throw errors.unsupported(`Expression ${(e as Expr).kind}`);
  }

  /**
   * Binds a subquery. Columns it cannot resolve itself resolve in the
   * enclosing scope as `$OUTER(k)`; `outerRefs` then lists those outer columns
   * (the subquery is correlated).
   */
  private subquery(q: Query, mode: Mode): BoundQuery & { readonly outerRefs?: BExpr } {
    const frame: OuterFrame = { scope: mode.agg ? mode.agg.input : mode.scope, captured: [] };
    this.outer.push(frame);
    let b: BoundQuery;
    try {
      b = this.query(q, { columns: [], ctes: mode.scope.ctes });
    } finally {
      this.outer.pop();
    }
    if (frame.captured.length === 0) return b;
    if (mode.agg || mode.windows) throw errors.unsupported('Correlated subquery over an aggregated or windowed query');
    // Per-row re-execution suits catalog tables; over data sources it would be one native query per outer row (Druid rejects these too).
    if (readsDataSource(b.rel)) throw errors.unsupported('Correlated subquery over a data source; rewrite it as a join');
    const refs = frame.captured.map((i): BExpr => ({ kind: 'ref', index: i, type: frame.scope.columns[i].type }));
    return { ...b, outerRefs: call('ROW', refs, 'OTHER') };
  }

  /** `$OUTER(k)` for a column of the enclosing query, or undefined when it has none of that name. */
  private outerColumn(path: readonly string[]): BExpr | undefined {
    const frame = this.outer[this.outer.length - 1];
    if (!frame) return undefined;
    let ref: BExpr;
    const saved = this.outer.pop()!;
    try {
      ref = this.column(path, frame.scope);
    } catch (err) {
      if (err instanceof NemetonError && err.sqlState === '42703') return undefined;
      throw err;
    } finally {
      this.outer.push(saved);
    }
    if (ref.kind !== 'ref') return undefined;
    let k = frame.captured.indexOf(ref.index);
    if (k < 0) { k = frame.captured.length; frame.captured.push(ref.index); }
    return call('$OUTER', [{ kind: 'lit', value: k, type: 'BIGINT' }], ref.type);
  }

  private call(e: Extract<Expr, { kind: 'call' }>, mode: Mode): BExpr {
    const name = e.name.startsWith('PG_CATALOG.') ? e.name.slice('PG_CATALOG.'.length) : e.name.startsWith('INFORMATION_SCHEMA.') ? e.name.slice('INFORMATION_SCHEMA.'.length) : e.name;
    if (name === '$ARRAY_QUERY') {
      const q = e.args[0] as Extract<Expr, { kind: 'scalarQuery' }>;
      const sub = this.subquery(q.query, mode);
      if (sub.columns.length !== 1) throw errors.invalidInput('ARRAY subquery must return exactly one column');
      return { kind: 'subquery', mode: 'array', rel: sub.rel, type: 'ARRAY', id: ++subqueryIds, ...correlation(sub) };
    }
    if (name === '$FIELD') {
      // (composite).field
      const [value, field] = e.args.map((a) => this.expr(a, mode));
      return call('PG_FIELD', [value, field], 'OTHER');
    }
    if (name === '$QUANTIFIED') {
      const [op, q, left, right] = e.args.map((a) => this.expr(a, mode));
      this.noteParam(left, right.kind === 'lit' ? { ...right, type: 'VARCHAR' } : right);
      return call('PG_QUANTIFIED', [op, q, left, right], 'BOOLEAN');
    }
    if (e.over) throw errors.invalidInput(`Window function ${name} is not allowed here`);
    if (WINDOW_ONLY.has(name)) throw errors.invalidInput(`Function ${name} requires an OVER clause`);
    if (isAggregateFunction(name)) throw errors.invalidInput(`Aggregate ${name} is not allowed here`);
    const args = e.args.map((a) => this.expr(a, mode));
    switch (name) {
      case 'COALESCE': case 'NVL': case 'IFNULL':
        return call('COALESCE', args, args.reduce<SqlType>((t, a) => commonType(t, a.type), 'NULL'));
      case 'NULLIF': return call('NULLIF', args, args[0].type);
      case 'ROW': return call('ROW', args, 'OTHER');
      case 'FLOOR': case 'CEIL':
        if (args.length === 2) return call(name === 'FLOOR' ? 'TIME_FLOOR' : 'TIME_CEIL', [args[0], { kind: 'lit', value: unitPeriod(args[1]), type: 'VARCHAR' }], 'TIMESTAMP');
        break;
      case 'DATE_TRUNC': {
        const unit = args[0].kind === 'lit' ? String(args[0].value).toUpperCase() : null;
        if (unit && UNIT_TO_PERIOD[unit]) return call('TIME_FLOOR', [args[1], { kind: 'lit', value: UNIT_TO_PERIOD[unit], type: 'VARCHAR' }], 'TIMESTAMP');
        break;
      }
      case 'CURRENT_TIMESTAMP': case 'LOCALTIMESTAMP': case 'NOW': case 'CURRENT_TIME': case 'LOCALTIME':
        return call('CURRENT_TIMESTAMP', [], 'TIMESTAMP');
      case 'CHARACTER_LENGTH': case 'CHAR_LENGTH': case 'STRLEN': return call('LENGTH', args, 'BIGINT');
      case 'SUBSTR': return call('SUBSTRING', args, 'VARCHAR');
      case 'CEILING': return call('CEIL', args, args[0]?.type ?? 'DOUBLE');
      case 'TIME_PARSE': case 'TIME_FORMAT': case 'TIME_FLOOR': case 'TIME_CEIL': case 'TIME_SHIFT': case 'TIME_EXTRACT':
        break;
    }
    const def = SCALAR_FUNCTIONS[name];
    if (!def) throw errors.invalidInput(`No match found for function signature ${name}(${args.map((a) => a.type).join(', ')})`);
    if (args.length < def.minArgs || args.length > def.maxArgs) {
      throw errors.invalidInput(`Invalid number of arguments to function '${name}'. Was expecting ${def.minArgs === def.maxArgs ? def.minArgs : `${def.minArgs} to ${def.maxArgs}`} arguments`);
    }
    return call(name, args, def.returnType(args.map((a) => a.type)));
  }

  private column(path: readonly string[], scope: Scope): BExpr {
    const cols = scope.columns;
    const matches: number[] = [];
    if (path.length === 1) {
      cols.forEach((c, i) => { if (c.name === path[0]) matches.push(i); });
      if (matches.length > 1) {
        const visible = matches.filter((i) => !cols[i].hidden);
        if (visible.length === 1) return { kind: 'ref', index: visible[0], type: cols[visible[0]].type };
        throw errors.invalidInput(`Column '${path[0]}' is ambiguous`);
      }
    } else {
      const name = path[path.length - 1];
      const table = path[path.length - 2];
      cols.forEach((c, i) => { if (c.name === name && c.table === table) matches.push(i); });
      if (matches.length === 0 && path.length === 2) {
        // struct-ish access or schema-qualified name: fall back to the unqualified column when unique.
        cols.forEach((c, i) => { if (c.name === name && c.table === undefined) matches.push(i); });
      }
    }
    if (matches.length === 0) {
      // PostgreSQL clients write unquoted names in any case (PostgreSQL folds them): a unique case-insensitive match resolves.
      const name = path[path.length - 1].toLowerCase();
      const table = path.length >= 2 ? path[path.length - 2].toLowerCase() : undefined;
      cols.forEach((c, i) => { if (!c.hidden && c.name.toLowerCase() === name && (table === undefined || c.table?.toLowerCase() === table)) matches.push(i); });
      if (matches.length > 1) throw errors.invalidInput(`Column '${path.join('.')}' is ambiguous`);
    }
    if (matches.length === 0) {
      if (path.length === 1 && path[0].toUpperCase() === 'CURRENT_TIMESTAMP') return call('CURRENT_TIMESTAMP', [], 'TIMESTAMP');
      const outer = this.outerColumn(path);
      if (outer) return outer;
      const niladic = path.length === 1 ? NILADIC[path[0].toUpperCase()] : undefined;
      if (niladic) return call(niladic, [], 'VARCHAR');
      throw errors.columnNotFound(path.join('.'));
    }
    return { kind: 'ref', index: matches[0], type: cols[matches[0]].type };
  }
}

const UNIT_TO_PERIOD: Record<string, string> = {
  SECOND: 'PT1S', MINUTE: 'PT1M', HOUR: 'PT1H', DAY: 'P1D', WEEK: 'P1W', MONTH: 'P1M', QUARTER: 'P3M', YEAR: 'P1Y',
  DECADE: 'P10Y', CENTURY: 'P100Y', MILLENNIUM: 'P1000Y', MILLISECOND: 'PT0.001S',
};

function unitPeriod(b: BExpr): string {
  const u = b.kind === 'lit' ? String(b.value) : '';
  const p = UNIT_TO_PERIOD[u];
  if (!p) throw errors.invalidInput(`Unsupported time unit [${u}]`);
  return p;
}

/** SUM(CASE WHEN c THEN x ELSE 0 END) is SUM(x) FILTER (WHERE c), as Calcite rewrites it (null when nothing matches). */
function caseToFilter(node: Extract<Expr, { kind: 'call' }>): Extract<Expr, { kind: 'call' }> {
  const arg = node.args[0];
  if (node.name !== 'SUM' || node.distinct || node.filter || node.args.length !== 1 || arg.kind !== 'case' || arg.operand || arg.whens.length !== 1) return node;
  const el = arg.else;
  if (!el || el.kind !== 'literal' || el.type !== 'number' || Number(el.value) !== 0) return node;
  return { ...node, args: [arg.whens[0].then], filter: arg.whens[0].when };
}

/** True when the plan scans a data source anywhere. */
function readsDataSource(rel: Rel): boolean {
  switch (rel.kind) {
    case 'scan': return rel.table.kind === 'datasource';
    case 'native': return true;
    case 'values': return false;
    case 'join': return readsDataSource(rel.left) || readsDataSource(rel.right);
    case 'setOp': return rel.inputs.some(readsDataSource);
    default: return readsDataSource(rel.input);
  }
}

/** The correlation fields of a subquery BExpr (none for an uncorrelated subquery). */
function correlation(sub: { readonly outerRefs?: BExpr }): { operand?: BExpr; correlated?: boolean } {
  return sub.outerRefs ? { operand: sub.outerRefs, correlated: true } : {};
}

function call(fn: string, args: readonly BExpr[], type: SqlType): BExpr {
  return { kind: 'call', fn, args, type };
}

function numberLiteral(text: string): BExpr {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return { kind: 'lit', value: n, type: 'BIGINT' };
    return { kind: 'lit', value: BigInt(text), type: 'BIGINT' };
  }
  return { kind: 'lit', value: Number(text), type: /[eE]/.test(text) ? 'DOUBLE' : 'DECIMAL' };
}

function paramLiteral(v: unknown): BExpr {
  if (v === null || v === undefined) return { kind: 'lit', value: null, type: 'NULL' };
  if (typeof v === 'number') return { kind: 'lit', value: v, type: Number.isInteger(v) ? 'BIGINT' : 'DOUBLE' };
  if (typeof v === 'bigint') return { kind: 'lit', value: v, type: 'BIGINT' };
  if (typeof v === 'boolean') return { kind: 'lit', value: v, type: 'BOOLEAN' };
  if (v instanceof Date) return { kind: 'lit', value: v.getTime(), type: 'TIMESTAMP' };
  if (Array.isArray(v)) return { kind: 'lit', value: v, type: 'ARRAY' };
  return { kind: 'lit', value: String(v), type: 'VARCHAR' };
}

const UNIT_MS: Record<string, number> = { MILLISECOND: 1, SECOND: 1000, MINUTE: 60000, HOUR: 3600000, DAY: 86400000, WEEK: 7 * 86400000 };

function intervalValue(e: Extract<Expr, { kind: 'interval' }>): { months: number; millis: number } {
  const sign = e.negative ? -1 : 1;
  if (e.unit === 'YEAR' || e.unit === 'MONTH' || e.unit === 'QUARTER') {
    if (e.toUnit === 'MONTH') {
      const [y, m] = e.value.split('-').map(Number);
      return { months: sign * (y * 12 + (m || 0)), millis: 0 };
    }
    const n = Number(e.value);
    if (Number.isNaN(n)) throw errors.invalidInput(`Illegal interval literal '${e.value}'`);
    return { months: sign * n * (e.unit === 'YEAR' ? 12 : e.unit === 'QUARTER' ? 3 : 1), millis: 0 };
  }
  if (!e.toUnit) {
    const n = Number(e.value);
    const ms = UNIT_MS[e.unit];
    if (Number.isNaN(n) || ms === undefined) throw errors.invalidInput(`Illegal interval literal '${e.value}'`);
    return { months: 0, millis: sign * n * ms };
  }
  // DAY TO SECOND style: 'd hh:mm:ss.fff' with fields from unit to toUnit.
  const order = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];
  const fields = e.value.split(/[ :]/).map(Number);
  const startIdx = order.indexOf(e.unit);
  const endIdx = order.indexOf(e.toUnit);
  if (startIdx < 0 || endIdx < startIdx || fields.length !== endIdx - startIdx + 1 || fields.some(Number.isNaN)) {
    throw errors.invalidInput(`Illegal interval literal '${e.value}'`);
  }
  let ms = 0;
  fields.forEach((v, i) => { ms += v * UNIT_MS[order[startIdx + i]]; });
  return { months: 0, millis: sign * Math.round(ms) };
}

/** Literal coercions in comparisons: TIMESTAMP vs string literal parses the literal. */
function coerceComparison(a: BExpr, b: BExpr, tz: string): [BExpr, BExpr] {
  const fix = (t: BExpr, other: BExpr): BExpr => {
    if (isTemporal(other.type) && t.kind === 'lit' && typeof t.value === 'string') {
      const ms = parseTimestamp(t.value, tz);
      if (ms === null) throw errors.invalidInput(`Cannot compare ${other.type} with '${t.value}'`);
      return { kind: 'lit', value: ms, type: other.type };
    }
    if (isNumeric(other.type) && t.kind === 'lit' && typeof t.value === 'string') {
      const n = Number(t.value);
      if (t.value.trim() !== '' && !Number.isNaN(n)) return { kind: 'lit', value: n, type: 'DOUBLE' };
    }
    if (isNumeric(other.type) && t.type === 'VARCHAR' && t.kind !== 'lit') return call('CAST', [t], 'DOUBLE');
    return t;
  };
  return [fix(a, b), fix(b, a)];
}

function renameColumns(b: BoundQuery, alias: string | undefined, names: readonly string[] | undefined): BoundQuery {
  if (names && names.length !== b.columns.filter((c) => !c.hidden).length) throw errors.invalidInput(`List of column aliases must have same degree as table; table has ${b.columns.length} columns, whereas alias list has ${names.length} columns`);
  let k = 0;
  const columns = b.columns.map((c) => {
    const copy: RelColumn = { name: names && !c.hidden ? names[k++] : c.name, type: c.type, ...(alias !== undefined ? { table: alias } : {}), ...(c.multiValue ? { multiValue: true } : {}), ...(c.elementType !== undefined ? { elementType: c.elementType } : {}), ...(c.hidden ? { hidden: true } : {}) };
    return copy;
  });
  return { rel: b.rel, columns };
}

/** Calcite's uniquify: a repeated output name gets a numeric suffix (dim2, dim20, dim21...). */
function uniquify(b: BoundQuery): BoundQuery {
  const seen = new Set<string>();
  let changed = false;
  const columns = b.columns.map((c) => {
    if (!seen.has(c.name)) { seen.add(c.name); return c; }
    let k = 0;
    while (seen.has(`${c.name}${k}`)) k++;
    seen.add(`${c.name}${k}`);
    changed = true;
    return { ...c, name: `${c.name}${k}` };
  });
  return changed ? { rel: b.rel, columns } : b;
}

function multiValueOf(e: BExpr, cols: readonly RelColumn[]): boolean {
  return e.kind === 'ref' && cols[e.index]?.multiValue === true;
}

function elementTypeOf(e: BExpr, cols: readonly RelColumn[]): SqlType {
  if (e.kind === 'ref' && cols[e.index]?.multiValue) return 'VARCHAR';
  if (e.kind === 'ref' && cols[e.index]?.elementType !== undefined) return cols[e.index].elementType!;
  if (e.kind === 'call' && e.fn === 'ARRAY' && e.args.length > 0) return e.args.reduce<SqlType>((t, a) => commonType(t, a.type), 'NULL');
  if (e.kind === 'call' && (e.fn === 'GENERATE_SERIES' || e.fn === 'GENERATE_SUBSCRIPTS')) return e.args.some((a) => isApprox(a.type)) ? 'DOUBLE' : 'BIGINT';
  if (e.kind === 'call' && e.fn === 'PG_TO_ARRAY' && e.args[1]?.kind === 'lit') return e.args[1].value as SqlType;
  if (e.kind === 'ref' && cols[e.index]?.type === 'VARCHAR') return 'VARCHAR';
  return 'VARCHAR';
}

function collectAggregates(e: Expr, out: Expr[]): void {
  walk(e, (n) => {
    if (n.kind === 'call' && isAggregateFunction(n.name) && !n.over) { out.push(n); return false; }
    if (n.kind === 'call' && n.over) {
      // aggregates inside window arguments (SUM(COUNT(*)) OVER ()) still count
      for (const a of n.args) collectAggregates(a, out);
      for (const p of n.over.partitionBy) collectAggregates(p, out);
      for (const o of n.over.orderBy) collectAggregates(o.expr, out);
      return false;
    }
    return !(n.kind === 'scalarQuery' || n.kind === 'exists' || n.kind === 'inQuery');
  });
}

function collectWindows(e: Expr, out: Expr[]): void {
  walk(e, (n) => {
    if (n.kind === 'call' && n.over) { out.push(n); return false; }
    return !(n.kind === 'scalarQuery' || n.kind === 'exists' || n.kind === 'inQuery');
  });
}

function containsWindowOrAgg(e: Expr): boolean {
  let found = false;
  walk(e, (n) => {
    if (n.kind === 'call' && (n.over || isAggregateFunction(n.name))) { found = true; return false; }
    return !found;
  });
  return found;
}

/** Pre-order walk over expression children (not into subqueries' bodies). `visit` returns false to skip children. */
function walk(e: Expr, visit: (n: Expr) => boolean): void {
  if (!visit(e)) return;
  const kids: Expr[] = [];
  switch (e.kind) {
    case 'unary': kids.push(e.operand); break;
    case 'binary': kids.push(e.left, e.right); break;
    case 'is': kids.push(e.operand); break;
    case 'distinctFrom': kids.push(e.left, e.right); break;
    case 'between': kids.push(e.operand, e.low, e.high); break;
    case 'like': kids.push(e.operand, e.pattern, ...(e.escape ? [e.escape] : [])); break;
    case 'inList': kids.push(e.operand, ...e.list); break;
    case 'inQuery': kids.push(e.operand); break;
    case 'case': if (e.operand) kids.push(e.operand); for (const w of e.whens) kids.push(w.when, w.then); if (e.else) kids.push(e.else); break;
    case 'cast': kids.push(e.operand); break;
    case 'array': kids.push(...e.elements); break;
    case 'subscript': kids.push(e.operand, e.index); break;
    case 'call': kids.push(...e.args); if (e.filter) kids.push(e.filter); break;
  }
  for (const k of kids) walk(k, visit);
}
