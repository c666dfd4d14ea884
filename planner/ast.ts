/**
 * The typed, immutable syntax tree the SQL parser produces. Every node carries
 * `pos`, the 1-based character position where it starts, for error messages.
 * Special syntactic forms (FLOOR(x TO DAY), EXTRACT(YEAR FROM x), TRIM(BOTH
 * 'x' FROM y), POSITION(a IN b), SUBSTRING(x FROM 1 FOR 2)) become ordinary
 * `call` nodes whose keyword arguments are `symbol` nodes.
 */

export type TimeUnit =
  | 'MILLISECOND' | 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'
  | 'DECADE' | 'CENTURY' | 'MILLENNIUM' | 'DOW' | 'DOY' | 'ISODOW' | 'ISOYEAR' | 'EPOCH' | 'MICROSECOND';

/** A SQL type as written in CAST / `::`. */
export interface TypeName {
  readonly name: string;            // upper-cased base name: VARCHAR, BIGINT, TIMESTAMP, ...
  readonly args: readonly number[]; // precision/scale/length
  readonly arrayOf?: TypeName;      // ARRAY<T> / T ARRAY
}

export type Expr =
  | { readonly kind: 'literal'; readonly pos: number; readonly type: 'string'; readonly value: string }
  | { readonly kind: 'literal'; readonly pos: number; readonly type: 'number'; readonly value: string }
  | { readonly kind: 'literal'; readonly pos: number; readonly type: 'boolean'; readonly value: boolean }
  | { readonly kind: 'literal'; readonly pos: number; readonly type: 'null'; readonly value: null }
  | { readonly kind: 'literal'; readonly pos: number; readonly type: 'timestamp' | 'date' | 'time'; readonly value: string }
  | {
      readonly kind: 'interval'; readonly pos: number; readonly value: string; readonly negative: boolean;
      readonly unit: TimeUnit; readonly toUnit?: TimeUnit;
    }
  | { readonly kind: 'column'; readonly pos: number; readonly path: readonly string[] }
  | { readonly kind: 'star'; readonly pos: number; readonly qualifier?: readonly string[] }
  | { readonly kind: 'param'; readonly pos: number; readonly index: number }
  | { readonly kind: 'symbol'; readonly pos: number; readonly name: string }
  | { readonly kind: 'unary'; readonly pos: number; readonly op: '-' | '+' | 'NOT'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly pos: number; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'is'; readonly pos: number; readonly operand: Expr; readonly not: boolean; readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN' }
  | { readonly kind: 'distinctFrom'; readonly pos: number; readonly left: Expr; readonly right: Expr; readonly not: boolean }
  | { readonly kind: 'between'; readonly pos: number; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean; readonly symmetric: boolean }
  | { readonly kind: 'like'; readonly pos: number; readonly operand: Expr; readonly pattern: Expr; readonly escape?: Expr; readonly not: boolean }
  | { readonly kind: 'inList'; readonly pos: number; readonly operand: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly kind: 'inQuery'; readonly pos: number; readonly operand: Expr; readonly query: Query; readonly not: boolean }
  | { readonly kind: 'exists'; readonly pos: number; readonly query: Query }
  | { readonly kind: 'scalarQuery'; readonly pos: number; readonly query: Query }
  | { readonly kind: 'case'; readonly pos: number; readonly operand?: Expr; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly else?: Expr }
  | { readonly kind: 'cast'; readonly pos: number; readonly operand: Expr; readonly type: TypeName }
  | { readonly kind: 'array'; readonly pos: number; readonly elements: readonly Expr[] }
  | { readonly kind: 'subscript'; readonly pos: number; readonly operand: Expr; readonly index: Expr }
  | {
      readonly kind: 'call'; readonly pos: number;
      /** Upper-cased function name (qualified names joined with '.'). */
      readonly name: string;
      readonly args: readonly Expr[];
      readonly distinct: boolean;
      /** COUNT(*) */
      readonly star: boolean;
      readonly filter?: Expr;
      readonly over?: WindowSpec;
      /** WITHIN GROUP (ORDER BY ...) or ordered-aggregate ORDER BY inside the parentheses. */
      readonly orderBy?: readonly OrderItem[];
    };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export interface WindowFrameBound {
  readonly type: 'UNBOUNDED PRECEDING' | 'UNBOUNDED FOLLOWING' | 'CURRENT ROW' | 'PRECEDING' | 'FOLLOWING';
  readonly offset?: Expr;
}

export interface WindowSpec {
  readonly pos: number;
  /** OVER w / OVER (w ...): a named window this one extends. */
  readonly ref?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: { readonly unit: 'ROWS' | 'RANGE'; readonly start: WindowFrameBound; readonly end: WindowFrameBound };
}

export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
  /** undefined: default (NULLS FIRST for ASC, NULLS LAST for DESC in Druid/Calcite). */
  readonly nullsFirst?: boolean;
}

export interface SelectItem {
  readonly pos: number;
  readonly expr: Expr;
  readonly alias?: string;
}

export type GroupingElement =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'sets'; readonly sets: readonly (readonly Expr[])[] }
  | { readonly kind: 'rollup'; readonly exprs: readonly Expr[] }
  | { readonly kind: 'cube'; readonly exprs: readonly Expr[] }
  | { readonly kind: 'empty' };

export type FromItem =
  | { readonly kind: 'table'; readonly pos: number; readonly path: readonly string[]; readonly alias?: string; readonly columnAliases?: readonly string[] }
  | { readonly kind: 'subquery'; readonly pos: number; readonly query: Query; readonly alias?: string; readonly columnAliases?: readonly string[] }
  | { readonly kind: 'unnest'; readonly pos: number; readonly expr: Expr; readonly alias?: string; readonly columnAliases?: readonly string[]; readonly withOrdinality: boolean }
  | {
      readonly kind: 'tableFunction'; readonly pos: number; readonly name: string;
      readonly args: readonly { readonly name?: string; readonly value: Expr }[];
      readonly extend?: readonly { readonly name: string; readonly type: TypeName }[];
      readonly alias?: string; readonly columnAliases?: readonly string[];
    }
  | {
      readonly kind: 'join'; readonly pos: number; readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'COMMA';
      readonly natural: boolean; readonly left: FromItem; readonly right: FromItem; readonly on?: Expr; readonly using?: readonly string[];
    };

export interface SelectQuery {
  readonly kind: 'select';
  readonly pos: number;
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from?: FromItem;
  readonly where?: Expr;
  readonly groupBy?: readonly GroupingElement[];
  readonly having?: Expr;
  readonly windows?: readonly { readonly name: string; readonly spec: WindowSpec }[];
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface SetOpQuery {
  readonly kind: 'setOp';
  readonly pos: number;
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: Query;
  readonly right: Query;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface ValuesQuery {
  readonly kind: 'values';
  readonly pos: number;
  readonly rows: readonly (readonly Expr[])[];
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface WithQuery {
  readonly kind: 'with';
  readonly pos: number;
  readonly ctes: readonly { readonly name: string; readonly columns?: readonly string[]; readonly query: Query }[];
  readonly body: Query;
}

export type Query = SelectQuery | SetOpQuery | ValuesQuery | WithQuery;

export type Statement =
  | { readonly kind: 'query'; readonly pos: number; readonly query: Query }
  | { readonly kind: 'explain'; readonly pos: number; readonly statement: Statement; readonly format?: string }
  | {
      readonly kind: 'insert'; readonly pos: number; readonly mode: 'INSERT' | 'REPLACE';
      readonly table: readonly string[]; readonly columns?: readonly string[]; readonly source: Query;
      /** REPLACE: OVERWRITE ALL or OVERWRITE WHERE <expr>. */
      readonly overwrite?: 'ALL' | Expr;
      readonly partitionedBy?: Expr | 'ALL';
      readonly clusteredBy?: readonly Expr[];
    }
  | { readonly kind: 'set'; readonly pos: number; readonly scope?: 'SESSION' | 'LOCAL'; readonly name: string; readonly value: string | null }
  | { readonly kind: 'show'; readonly pos: number; readonly name: string }
  | { readonly kind: 'reset'; readonly pos: number; readonly name: string }
  | { readonly kind: 'transaction'; readonly pos: number; readonly action: 'BEGIN' | 'COMMIT' | 'ROLLBACK' };
