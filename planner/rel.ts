/**
 * The bound, typed relational plan the binder produces and the broker
 * executes. Expressions refer to input columns by index. Native pushdown
 * (planner/native/*) replaces subtrees over data sources with `native` nodes.
 */
import type { SqlType } from './sql-engine.ts';
import type { CatalogTable } from './catalog.ts';
import type { NativeQuery } from '../query/model/query.ts';

/** A column of a relation. `table` is the alias that qualifies it (for name resolution only). */
export interface RelColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly table?: string;
  /** Multi-value string column of a data source. */
  readonly multiValue?: boolean;
  /** ARRAY columns of a data source: the element type. */
  readonly elementType?: SqlType;
  /** Hidden from `*` (USING duplicates, sort helper columns). */
  readonly hidden?: boolean;
}

export type BExpr =
  | { readonly kind: 'ref'; readonly index: number; readonly type: SqlType }
  | { readonly kind: 'lit'; readonly value: unknown; readonly type: SqlType }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly BExpr[]; readonly type: SqlType }
  | {
      readonly kind: 'subquery'; readonly mode: 'scalar' | 'exists' | 'in' | 'array';
      readonly rel: Rel; readonly operand?: BExpr; readonly type: SqlType; readonly id: number;
      /**
       * Correlated subquery: `rel` reads the outer row through `$OUTER(k)`
       * calls, and `operand` is ROW(outer expressions...) evaluated on the
       * outer row (k indexes its arguments). Runs once per distinct outer tuple.
       */
      readonly correlated?: boolean;
    };

export interface AggCall {
  /** Upper-cased SQL function: COUNT, SUM, MIN, MAX, AVG, APPROX_COUNT_DISTINCT, EARLIEST, LATEST, ANY_VALUE, STRING_AGG... */
  readonly fn: string;
  readonly args: readonly BExpr[];
  readonly distinct: boolean;
  readonly filter?: BExpr;
  readonly type: SqlType;
  /** Extra literal options (max bytes for EARLIEST, separator...). */
  readonly orderBy?: readonly SortKey[];
}

export interface SortKey {
  readonly expr: BExpr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface WindowCall {
  readonly fn: string;
  readonly args: readonly BExpr[];
  readonly partitionBy: readonly BExpr[];
  readonly orderBy: readonly SortKey[];
  readonly frame?: {
    readonly unit: 'ROWS' | 'RANGE';
    readonly start: { readonly type: string; readonly offset?: number };
    readonly end: { readonly type: string; readonly offset?: number };
  };
  readonly type: SqlType;
}

export type Rel =
  | {
      readonly kind: 'scan'; readonly table: CatalogTable; readonly columns: readonly RelColumn[];
      /** Indexes of the columns anything reads; the others are returned as null without being fetched. */
      readonly fetch?: readonly number[];
    }
  | { readonly kind: 'values'; readonly columns: readonly RelColumn[]; readonly rows: readonly (readonly BExpr[])[] }
  | { readonly kind: 'filter'; readonly input: Rel; readonly cond: BExpr; readonly columns: readonly RelColumn[] }
  | { readonly kind: 'project'; readonly input: Rel; readonly exprs: readonly BExpr[]; readonly columns: readonly RelColumn[] }
  | {
      readonly kind: 'aggregate'; readonly input: Rel; readonly groupKeys: readonly BExpr[];
      /** Indexes into groupKeys per grouping set; undefined = one set with all keys. */
      readonly groupingSets?: readonly (readonly number[])[];
      readonly aggs: readonly AggCall[]; readonly columns: readonly RelColumn[];
    }
  | { readonly kind: 'window'; readonly input: Rel; readonly calls: readonly WindowCall[]; readonly columns: readonly RelColumn[] }
  | {
      readonly kind: 'sort'; readonly input: Rel; readonly keys: readonly SortKey[];
      readonly limit?: number; readonly offset?: number; readonly columns: readonly RelColumn[];
    }
  | { readonly kind: 'distinct'; readonly input: Rel; readonly columns: readonly RelColumn[] }
  | {
      readonly kind: 'join'; readonly left: Rel; readonly right: Rel; readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      /** Over the concatenated row (left columns then right columns); undefined = cross join. */
      readonly cond?: BExpr; readonly columns: readonly RelColumn[];
    }
  | { readonly kind: 'setOp'; readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT'; readonly all: boolean; readonly inputs: readonly Rel[]; readonly columns: readonly RelColumn[] }
  | {
      /** For each input row, one output row per element of `expr` (input columns + element [+ ordinal]). */
      readonly kind: 'unnest'; readonly input: Rel; readonly expr: BExpr; readonly withOrdinality: boolean; readonly columns: readonly RelColumn[];
    }
  | {
      /** A native query; `convert` turns its JSON results into rows of `columns`. */
      readonly kind: 'native'; readonly query: NativeQuery; readonly columns: readonly RelColumn[];
      readonly resultShape: NativeResultShape;
    };

/** How to read a native query's JSON result into rows. */
export type NativeResultShape =
  | { readonly type: 'scan'; readonly fields: readonly string[] }
  | {
      readonly type: 'timeseries'; readonly fields: readonly (string | null)[]; readonly timeField?: number;
      /** Row to return when an all-granularity timeseries yields nothing (SQL aggregate over no rows). */
      readonly emptyRow?: readonly unknown[];
    }
  | { readonly type: 'topN'; readonly fields: readonly (string | null)[]; readonly timeField?: number }
  | { readonly type: 'groupBy'; readonly fields: readonly (string | null)[]; readonly timeField?: number };

/** Structural key of a bound expression (equal keys = same expression). */
export function exprKey(e: BExpr): string {
  switch (e.kind) {
    case 'ref': return `$${e.index}`;
    case 'lit': return `L(${e.type}:${JSON.stringify(e.value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))})`;
    case 'call': return `${e.fn}(${e.args.map(exprKey).join(',')})`;
    case 'subquery': return `SQ${e.id}(${e.operand ? exprKey(e.operand) : ''})`;
  }
}
