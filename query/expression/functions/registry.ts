/**
 * The function table of the expression language. A FunctionDef states its
 * arity, its output type from the argument types, and how to bind itself to
 * argument types and constant arguments, yielding an eager implementation
 * `(values) => value` that both evaluators share.
 */
import { NemetonError, errors } from '../../../common/errors.ts';
import type { Expr } from '../ast.ts';
import type { MaybeType } from '../types.ts';

/** Marks an argument that is not a constant expression. */
export const NOT_CONSTANT: unique symbol = Symbol('not constant');
export type ConstArg = unknown | typeof NOT_CONSTANT;

/** What a function sees when it is bound (once per compiled expression). */
export interface BindInput {
  readonly name: string;
  readonly argTypes: readonly MaybeType[];
  /** Value of each argument that is constant, else NOT_CONSTANT. */
  readonly consts: readonly ConstArg[];
  readonly args: readonly Expr[];
}

/** An evaluated function: receives the evaluated arguments (reused array; do not keep it). */
export type FunctionImpl = (values: unknown[]) => unknown;

export interface FunctionDef {
  readonly name: string;
  readonly minArgs: number;
  /** Infinity for varargs. */
  readonly maxArgs: number;
  /**
   * Argument positions that take arrays. Arrays arriving at other positions
   * from columns whose type is not an array type (multi-value strings) are
   * implicitly mapped: the function is applied per element.
   */
  readonly arrayArgs?: readonly number[] | 'all';
  /** When the array positions depend on the call's arguments (cast to an ARRAY type): overrides arrayArgs. */
  arrayArgsFor?(args: readonly Expr[]): readonly number[] | 'all';
  /** Output type for the given argument types (null: unknown). */
  returnType(argTypes: readonly MaybeType[], consts: readonly ConstArg[]): MaybeType;
  bind(input: BindInput): FunctionImpl;
  /**
   * Optional vector kernel for the case where only argument 0 varies and is
   * numeric (the others constant): writes f(x[i]) into out[i] for non-null
   * rows. Returns null when this binding has no kernel.
   */
  numericKernel?(input: BindInput): NumericKernel | null;
}

/** Applies a function element-wise: out[i] = f(x[i]). Null rows are handled by the caller. */
export type NumericKernel = (x: Float64Array, out: Float64Array) => void;

const table = new Map<string, FunctionDef>();

/** Adds functions to the table (names are lower-cased). Later registrations replace earlier ones. */
export function registerFunctions(defs: readonly FunctionDef[]): void {
  for (const d of defs) table.set(d.name.toLowerCase(), d);
}

/** The function named `name` (case-insensitive), or undefined. */
export function findFunction(name: string): FunctionDef | undefined {
  return table.get(name.toLowerCase());
}

/** Argument positions of `call` that take arrays ('all' for every position); [] for unknown functions. */
export function arrayPositionsOf(name: string, args: readonly Expr[]): readonly number[] | 'all' {
  const def = table.get(name.toLowerCase());
  if (def === undefined) return [];
  return def.arrayArgsFor?.(args) ?? def.arrayArgs ?? [];
}

/** Names of all registered functions, sorted. */
export function functionNames(): string[] {
  return [...table.keys()].sort();
}

/** The 'Invalid input' error for a bad function argument. */
export function functionError(name: string, message: string): NemetonError {
  return new NemetonError(`Function[${name}] ${message}`, { code: 'Invalid input' });
}

/** Requires argument `i` to be constant and returns its value. */
export function requireConst(input: BindInput, i: number, what: string): unknown {
  const c = input.consts[i];
  if (c === NOT_CONSTANT) throw functionError(input.name, `${what} must be a literal`);
  return c;
}

/** Largest string or array a function may build (guards against runaway padding and repeats). */
export const MAX_RESULT_SIZE = 10_000_000;

/** Throws 'Resource limit exceeded' when a function would build a result larger than MAX_RESULT_SIZE. */
export function checkResultSize(name: string, size: number): void {
  if (size > MAX_RESULT_SIZE) throw errors.resourceLimit(`Function[${name}] result of ${size} elements exceeds the limit of ${MAX_RESULT_SIZE}`);
}

/** Helper for fixed-type functions. */
export function fixed(t: MaybeType): (argTypes: readonly MaybeType[]) => MaybeType {
  return () => t;
}

/** Wraps an implementation so any null argument gives null. */
export function strict(fn: FunctionImpl): FunctionImpl {
  return (v) => {
    for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return null;
    return fn(v);
  };
}
