/**
 * Compiles an AST once into a tree of closures over a row getter. Types are
 * inferred bottom-up from literal types and the column type resolver; nodes
 * whose inputs are all constant are folded. Both evaluators build on this.
 *
 * Multi-value strings: a value that is a JS array arriving at a scalar
 * position (an operator operand, or a function argument that does not take
 * arrays) whose static type is not an array type is implicitly mapped: the
 * operator or function is applied to each element (to each combination when
 * several arguments are arrays) and the results form an array. An empty
 * array counts as null.
 */
import { NemetonError } from '../../common/errors.ts';
import type { CallExpr, Expr, LambdaExpr } from './ast.ts';
import { NOT_CONSTANT, arrayPositionsOf, findFunction, type ConstArg } from './functions/registry.ts';
import './functions/index.ts';
import { bindBinary, bindUnary, binaryResultType, unaryResultType } from './operators.ts';
import { stringifyExpression } from './stringify.ts';
import { arrayOf, elementType, isArrayType, isNumericType, type ColumnTypeResolver, type MaybeType } from './types.ts';
import { asArray } from './functions/array.ts';
import { toDouble, toStr, truthy } from './values.ts';
import { columnsUsedAsArrays, expressionColumns } from './analysis.ts';

/** Reads a column (or lambda argument) value for the current row. */
export type Getter = (name: string) => unknown;

export interface Compiled {
  /** Static output type (null: unknown). */
  readonly type: MaybeType;
  /** True when the node does not depend on any input. */
  readonly constant: boolean;
  readonly eval: (get: Getter) => unknown;
}

/** Compile-time environment: column types and the types of lambda arguments in scope. */
export interface CompileEnv {
  readonly columnType?: ColumnTypeResolver;
  readonly lambdaScope?: ReadonlyMap<string, MaybeType>;
  /** Identifiers read by direct readers instead of the getter (the vector evaluator's slots). */
  readonly slots?: ReadonlyMap<string, { readonly type: MaybeType; readonly read: () => unknown }>;
}

const noInput: Getter = (name) => {
  throw new NemetonError(`constant expression read [${name}]`, { code: 'Unknown exception' });
};

function constantNode(type: MaybeType, value: unknown): Compiled {
  return { type, constant: true, eval: () => value };
}

/** Compiles `expr` to a closure tree. Throws NemetonError 'Invalid input' on unknown functions, wrong arity or type errors. */
export function compile(expr: Expr, env: CompileEnv = {}): Compiled {
  switch (expr.kind) {
    case 'literal': return constantNode(expr.type, expr.value);
    case 'array': return constantNode(expr.type, expr.elements);
    case 'identifier': return compileIdentifier(expr.name, env);
    case 'unary': {
      const operand = compile(expr.operand, env);
      const type = unaryResultType(expr.op, operand.type);
      const fn = bindUnary(expr.op);
      const mapped = !isArrayType(operand.type);
      const ev = operand.eval;
      const node: Compiled = {
        type, constant: operand.constant,
        eval: (get) => {
          const a = ev(get);
          if (mapped && Array.isArray(a)) return mapOne(a, fn);
          return fn(a);
        },
      };
      return fold(node);
    }
    case 'binary': {
      const l = compile(expr.left, env), r = compile(expr.right, env);
      const type = binaryResultType(expr.op, l.type, r.type, stringifyExpression(expr));
      const fn = bindBinary(expr.op, l.type, r.type);
      const mapL = !isArrayType(l.type), mapR = !isArrayType(r.type);
      const le = l.eval, re = r.eval;
      const node: Compiled = {
        type, constant: l.constant && r.constant,
        eval: (get) => {
          const a = le(get), b = re(get);
          if ((mapL && Array.isArray(a)) || (mapR && Array.isArray(b))) {
            return mapMany([a, b], [mapL, mapR], (v) => fn(v[0], v[1]));
          }
          return fn(a, b);
        },
      };
      return fold(node);
    }
    case 'call': return compileCall(expr, env);
    case 'lambda':
      throw new NemetonError(`Invalid expression: lambda ${stringifyExpression(expr)} is only allowed as the first argument of an apply function`, { code: 'Invalid input', position: expr.pos + 1 });
  }
}

function compileIdentifier(name: string, env: CompileEnv): Compiled {
  const slot = env.slots?.get(name);
  if (slot !== undefined && !env.lambdaScope?.has(name)) {
    const read = slot.read;
    return { type: slot.type, constant: false, eval: () => read() };
  }
  if (env.lambdaScope?.has(name)) {
    const type = env.lambdaScope.get(name) ?? null;
    return { type, constant: false, eval: (get) => get(name) ?? null };
  }
  const t = env.columnType?.(name);
  const type: MaybeType = t ?? null;
  if (isNumericType(type)) {
    return {
      type, constant: false,
      eval: (get) => {
        const v = get(name);
        if (typeof v === 'number' || v === null || v === undefined || Array.isArray(v)) return v ?? null;
        return toDouble(v);
      },
    };
  }
  if (type === 'STRING') {
    return {
      type, constant: false,
      eval: (get) => {
        const v = get(name);
        if (typeof v === 'string' || v === null || v === undefined) return v ?? null;
        if (Array.isArray(v)) return v.length === 0 ? null : v;
        return toStr(v);
      },
    };
  }
  return {
    type, constant: false,
    eval: (get) => {
      const v = get(name);
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v ?? null;
    },
  };
}

/** Evaluates constant nodes once. */
function fold(node: Compiled): Compiled {
  if (!node.constant) return node;
  return constantNode(node.type, node.eval(noInput));
}

/** Applies fn to each element of `a` (an empty array acts as null). */
function mapOne(a: unknown[], fn: (x: unknown) => unknown): unknown {
  if (a.length === 0) return fn(null);
  const out = new Array<unknown>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = fn(a[i]);
  return out;
}

/** Cartesian implicit mapping over the array values at mappable positions. */
function mapMany(values: unknown[], mappable: readonly boolean[], fn: (v: unknown[]) => unknown): unknown {
  const positions: number[] = [];
  const args = values.slice();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (mappable[i] && Array.isArray(v)) {
      if (v.length === 0) args[i] = null;
      else positions.push(i);
    }
  }
  if (positions.length === 0) return fn(args);
  const out: unknown[] = [];
  const rec = (k: number) => {
    if (k === positions.length) { out.push(fn(args.slice())); return; }
    const p = positions[k];
    for (const e of values[p] as unknown[]) { args[p] = e; rec(k + 1); }
  };
  rec(0);
  return out;
}

const APPLY = new Set(['map', 'filter', 'fold', 'any', 'all', 'cartesian_map', 'cartesian_fold']);

function compileCall(expr: CallExpr, env: CompileEnv): Compiled {
  if (APPLY.has(expr.name)) return compileApply(expr, env);
  const def = findFunction(expr.name);
  if (def === undefined) throw new NemetonError(`Function[${expr.name}] is not supported`, { code: 'Invalid input', position: expr.pos + 1 });
  const n = expr.args.length;
  if (n < def.minArgs || n > def.maxArgs) {
    const want = def.minArgs === def.maxArgs ? `${def.minArgs}` : def.maxArgs === Infinity ? `at least ${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
    throw new NemetonError(`Function[${expr.name}] needs ${want} argument${want === '1' ? '' : 's'}, got ${n}`, { code: 'Invalid input', position: expr.pos + 1 });
  }
  const args = expr.args.map((a) => compile(a, env));
  const argTypes = args.map((a) => a.type);
  const consts: ConstArg[] = args.map((a) => (a.constant ? a.eval(noInput) : NOT_CONSTANT));
  const impl = def.bind({ name: expr.name, argTypes, consts, args: expr.args });
  const type = def.returnType(argTypes, consts);
  const arrayArgs = arrayPositionsOf(expr.name, expr.args);
  const mappable = args.map((a, i) => arrayArgs !== 'all' && !arrayArgs.includes(i) && !isArrayType(a.type));
  const anyMappable = mappable.some((m) => m);
  const evals = args.map((a) => a.eval);
  const constant = args.every((a) => a.constant) && expr.name !== 'now';
  /** Argument arrays to reuse (a stack, so re-entrant evaluation through lambdas stays safe). */
  const buffer: unknown[][] = [];
  const node: Compiled = {
    type, constant,
    eval: (get) => {
      const v = buffer.length === 0 ? new Array<unknown>(evals.length) : buffer.pop()!;
      let sawArray = false;
      for (let i = 0; i < evals.length; i++) {
        const x = evals[i](get);
        v[i] = x;
        if (anyMappable && mappable[i] && Array.isArray(x)) sawArray = true;
      }
      const result = sawArray ? mapMany(v, mappable, impl) : impl(v);
      buffer.push(v);
      return result;
    },
  };
  return fold(node);
}

function lambdaOf(expr: CallExpr): LambdaExpr {
  const l = expr.args[0];
  if (l === undefined || l.kind !== 'lambda') {
    throw new NemetonError(`Function[${expr.name}] needs a lambda expression as its first argument`, { code: 'Invalid input', position: expr.pos + 1 });
  }
  return l;
}

function compileLambda(lambda: LambdaExpr, paramTypes: readonly MaybeType[], env: CompileEnv): Compiled {
  const scope = new Map(env.lambdaScope ?? []);
  lambda.params.forEach((p, i) => scope.set(p, paramTypes[i] ?? null));
  return compile(lambda.body, { ...env, lambdaScope: scope });
}

/** A getter that binds lambda parameters over an outer getter. */
function bindParams(params: readonly string[], values: readonly unknown[], outer: Getter): Getter {
  if (params.length === 1) {
    const p = params[0], x = values[0];
    return (n) => (n === p ? x : outer(n));
  }
  return (n) => {
    const i = params.indexOf(n);
    return i >= 0 ? values[i] : outer(n);
  };
}

function compileApply(expr: CallExpr, env: CompileEnv): Compiled {
  const lambda = lambdaOf(expr);
  const name = expr.name;
  const rest = expr.args.slice(1).map((a) => compile(a, env));
  const isFold = name === 'fold' || name === 'cartesian_fold';
  const arrays = isFold ? rest.slice(0, -1) : rest;
  const acc = isFold ? rest[rest.length - 1] : undefined;
  const expectedArrays = name.startsWith('cartesian') ? lambda.params.length - (isFold ? 1 : 0) : 1;
  if (arrays.length !== expectedArrays || (isFold && acc === undefined) || lambda.params.length !== expectedArrays + (isFold ? 1 : 0)) {
    throw new NemetonError(`Function[${name}] lambda has ${lambda.params.length} arguments but ${arrays.length} array inputs were given`, { code: 'Invalid input', position: expr.pos + 1 });
  }
  const elemTypes = arrays.map((a) => elementType(a.type));
  const body = compileLambda(lambda, isFold ? [...elemTypes, acc?.type ?? null] : elemTypes, env);
  const params = lambda.params;
  const arrEvals = arrays.map((a) => a.eval);
  const bodyEval = body.eval;
  let type: MaybeType;
  let run: (get: Getter, arrs: unknown[][], accVal: unknown) => unknown;
  switch (name) {
    case 'map': case 'cartesian_map':
      type = arrayOf(body.type);
      run = (get, arrs) => {
        const out: unknown[] = [];
        forEachCombination(arrs, (vals) => { out.push(bodyEval(bindParams(params, vals, get))); });
        return out;
      };
      break;
    case 'filter':
      type = arrays[0].type === null ? null : arrayOf(elementType(arrays[0].type));
      run = (get, arrs) => {
        const out = arrs[0].filter((x) => truthy(bodyEval(bindParams(params, [x], get))) === true);
        return out.length === 0 ? null : out;
      };
      break;
    case 'any': case 'all': {
      type = 'LONG';
      const want = name === 'any';
      run = (get, arrs) => {
        for (const x of arrs[0]) if ((truthy(bodyEval(bindParams(params, [x], get))) === true) === want) return want ? 1 : 0;
        return want ? 0 : 1;
      };
      break;
    }
    default:
      type = body.type ?? acc?.type ?? null;
      run = (get, arrs, accVal) => {
        let a = accVal;
        forEachCombination(arrs, (vals) => { a = bodyEval(bindParams(params, [...vals, a], get)); });
        return a;
      };
  }
  const accEval = acc?.eval;
  const node: Compiled = {
    type, constant: rest.every((r) => r.constant) && body.constant,
    eval: (get) => {
      const arrs: unknown[][] = [];
      for (const e of arrEvals) {
        const a = asArray(e(get));
        if (a === null) return name === 'any' || name === 'all' ? 0 : null;
        arrs.push(a);
      }
      return run(get, arrs, accEval === undefined ? null : accEval(get));
    },
  };
  return fold(node);
}

function forEachCombination(arrs: readonly unknown[][], visit: (vals: unknown[]) => void): void {
  const vals = new Array<unknown>(arrs.length);
  const rec = (k: number) => {
    if (k === arrs.length) { visit(vals.slice()); return; }
    for (const x of arrs[k]) { vals[k] = x; rec(k + 1); }
  };
  rec(0);
}

/**
 * Compiles a whole expression with Druid's implicit mapping of multi-value
 * columns: each column used only at scalar positions whose row value is an
 * array is bound to one element at a time (each column once, the same element
 * everywhere it appears), the expression is evaluated per combination (the
 * cartesian product across different columns) and the results form an array.
 */
export function compileTopLevel(expr: Expr, env: CompileEnv = {}): Compiled {
  const inner = compile(expr, env);
  if (inner.constant) return inner;
  const arrayUsed = columnsUsedAsArrays(expr, arrayPositionsOf);
  const scalarCols = expressionColumns(expr).filter((c) => {
    const t = env.slots?.get(c)?.type ?? env.columnType?.(c) ?? null;
    return !arrayUsed.has(c) && !isArrayType(t) && !isNumericType(t) && t !== 'COMPLEX<json>';
  });
  if (scalarCols.length === 0) return inner;
  const ev = inner.eval;
  const current = new Array<unknown>(scalarCols.length);
  return {
    type: inner.type, constant: false,
    eval: (get) => {
      let multi: number[] | null = null;
      for (let i = 0; i < scalarCols.length; i++) {
        const v = get(scalarCols[i]);
        if (Array.isArray(v) && v.length > 0) (multi ??= []).push(i);
      }
      if (multi === null) return ev(get);
      const arrays = multi.map((i) => get(scalarCols[i]) as unknown[]);
      const names = multi.map((i) => scalarCols[i]);
      const out: unknown[] = [];
      forEachCombination(arrays, (vals) => {
        for (let k = 0; k < vals.length; k++) current[k] = vals[k];
        out.push(ev((n) => {
          const k = names.indexOf(n);
          return k >= 0 ? current[k] : get(n);
        }));
      });
      return out;
    },
  };
}
