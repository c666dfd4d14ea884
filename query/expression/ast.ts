/**
 * The typed, immutable syntax tree of a Druid expression. Every node records
 * `pos`, the 0-based offset of its first character in the expression text.
 */
import type { ExprType } from './types.ts';

/** Binary operators, as written. */
export type BinaryOp = '^' | '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

/** Unary operators, as written. */
export type UnaryOp = '-' | '!';

/** A constant: LONG and DOUBLE are JS numbers, STRING a string, null is untyped. */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: number | string | null;
  /** LONG, DOUBLE or STRING; null for the `null` literal. */
  readonly type: 'LONG' | 'DOUBLE' | 'STRING' | null;
  readonly pos: number;
}

/** An array literal `[1, 2]` or typed `<LONG>[1, 2]`; elements are constants. */
export interface ArrayLiteralExpr {
  readonly kind: 'array';
  readonly elements: readonly (number | string | null)[];
  /** The array's type: explicit, or inferred from the elements (empty untyped: ARRAY<STRING>). */
  readonly type: ExprType;
  readonly pos: number;
}

/** A column or lambda-argument reference. */
export interface IdentifierExpr {
  readonly kind: 'identifier';
  readonly name: string;
  readonly pos: number;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly pos: number;
}

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly pos: number;
}

/** A function call; `name` is lower-cased (Druid function names are case-insensitive). */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly pos: number;
}

/** `(x, y) -> body`, only valid as the first argument of an apply function. */
export interface LambdaExpr {
  readonly kind: 'lambda';
  readonly params: readonly string[];
  readonly body: Expr;
  readonly pos: number;
}

/** Any expression node. */
export type Expr = LiteralExpr | ArrayLiteralExpr | IdentifierExpr | UnaryExpr | BinaryExpr | CallExpr | LambdaExpr;
