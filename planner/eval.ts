/**
 * Row-wise evaluation of bound expressions on the broker. `compileExpr`
 * turns a BExpr into a closure over a row array once; the closure does no
 * lookups by name. SQL three-valued logic: null is unknown.
 */
import type { BExpr } from './rel.ts';
import type { SqlType } from './sql-engine.ts';
import { errors } from '../common/errors.ts';
import { SCALAR_FUNCTIONS, likeMatch, likeMatcher, type EvalContext } from './scalar-functions.ts';
import { castValue, compareValues, comparisonHolds, toBool, toNumber, typedToString, valueKey } from './values.ts';
import { isApprox, isIntegral } from './types.ts';
import { periodShift } from './time-functions.ts';

export type Row = readonly unknown[];
export type Evaluator = (row: Row) => unknown;

/** An INTERVAL value: calendar months plus milliseconds. */
export interface IntervalValue { readonly months: number; readonly millis: number }

export function isIntervalValue(v: unknown): v is IntervalValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'months' in v && 'millis' in v;
}

/** Results of uncorrelated subqueries, computed before the expressions that use them run. */
export interface SubqueryResults {
  scalar(id: number): unknown;
  exists(id: number): boolean;
  /** Keys (valueKey) of the IN-subquery's values, and whether it held a null. */
  inSet(id: number): { readonly keys: ReadonlySet<string>; readonly hasNull: boolean };
  /** Value of a correlated subquery for the outer row's values (see planner/exec/correlated.ts). */
  correlated?(id: number, outer: readonly unknown[]): unknown;
}

export interface CompileContext extends EvalContext {
  readonly subqueries?: SubqueryResults;
  /** Shared evaluators of repeated subexpressions (set by compileExpr for one top-level expression). */
  readonly common?: CommonSubexpressions;
}

/**
 * Repeated subexpressions of one top-level expression: each is compiled once
 * and evaluated at most once per row (the top-level evaluator starts a new
 * generation per call; evaluation is synchronous, so one row is in flight).
 */
interface CommonSubexpressions {
  readonly keys: ReadonlyMap<BExpr, string>;
  readonly repeated: ReadonlySet<string>;
  readonly shared: Map<string, Evaluator>;
  readonly generation: { value: number };
  /** Largest subexpressions reading one row index: memoized by that input's value. */
  readonly memoRoots: ReadonlyMap<BExpr, number>;
}

/** Compiles a bound expression into an evaluator. */
export function compileExpr(e: BExpr, ctx: CompileContext): Evaluator {
  if (ctx.common !== undefined || e.kind !== 'call') return compileNode(e, ctx);
  const memoRoots = new Map<BExpr, number>();
  const input = singleInputRoots(e, memoRoots);
  const ev = compileShared(e, ctx, memoRoots);
  return input >= 0 && e.args.some((x) => x.kind === 'call') ? memoizedByInput(ev, input) : ev;
}

/** Compiles `e` with its repeated subexpressions evaluated once per row and `memoRoots` memoized by input. */
function compileShared(e: Extract<BExpr, { kind: 'call' }>, ctx: CompileContext, memoRoots: ReadonlyMap<BExpr, number>): Evaluator {
  const keys = new Map<BExpr, string>();
  const counts = new Map<string, number>();
  subexpressionKeys(e, keys, counts);
  const repeated = new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k));
  if (repeated.size === 0 && memoRoots.size === 0) return compileNode(e, ctx);
  const generation = { value: 0 };
  const inner = compileNode(e, { ...ctx, common: { keys, repeated, shared: new Map(), generation, memoRoots } });
  return (row) => { generation.value++; return inner(row); };
}

/** Distinct input values remembered per single-input subexpression before memoizing is given up. */
const MEMO_LIMIT = 4096;

/**
 * `ev` (which reads only row[index]) evaluated once per distinct scalar input
 * value; array/object inputs and inputs past MEMO_LIMIT distinct values are
 * evaluated directly.
 */
function memoizedByInput(ev: Evaluator, index: number): Evaluator {
  let memo: Map<unknown, unknown> | null = new Map();
  return (row) => {
    const x = row[index];
    if (memo === null || (typeof x === 'object' && x !== null)) return ev(row);
    const hit = memo.get(x);
    if (hit !== undefined || memo.has(x)) return hit;
    const v = ev(row);
    if (memo.size >= MEMO_LIMIT) memo = null; else memo.set(x, v);
    return v;
  };
}

const NO_INPUT = -1;
const MANY_INPUTS = -2;

/**
 * The row index `e` reads (NO_INPUT / MANY_INPUTS otherwise; subqueries count
 * as many), recording in `roots` the largest call subtrees with one input and
 * more than one call node (worth memoizing by that input).
 */
function singleInputRoots(e: BExpr, roots: Map<BExpr, number>): number {
  if (e.kind === 'ref') return e.index;
  if (e.kind === 'lit') return NO_INPUT;
  if (e.kind === 'subquery') return MANY_INPUTS;
  const childInputs = e.args.map((a) => singleInputRoots(a, roots));
  let input = NO_INPUT;
  for (const c of childInputs) {
    if (c === NO_INPUT) continue;
    input = input === NO_INPUT ? c : input === c ? input : MANY_INPUTS;
  }
  if (input === MANY_INPUTS) {
    // This node reads several inputs; its single-input children with some depth are worth memoizing.
    e.args.forEach((a, i) => { if (childInputs[i] >= 0 && a.kind === 'call' && a.args.some((x) => x.kind === 'call')) roots.set(a, childInputs[i]); });
  }
  return input;
}

/** Canonical keys of every call node, and how often each key occurs (subqueries are left alone). */
function subexpressionKeys(e: BExpr, keys: Map<BExpr, string>, counts: Map<string, number>): string {
  let k: string;
  switch (e.kind) {
    case 'ref': return `$${e.index}`;
    case 'lit': return `L(${e.type}:${typeof e.value === 'bigint' ? `${e.value}n` : typeof e.value === 'object' && e.value !== null ? JSON.stringify(e.value) : String(e.value)}${typeof e.value === 'string' ? '"' : ''})`;
    case 'subquery': return `SQ${e.id}#${keys.size}`;
    case 'call': k = `${e.fn}(${e.args.map((a) => subexpressionKeys(a, keys, counts)).join(',')})`;
  }
  keys.set(e, k);
  counts.set(k, (counts.get(k) ?? 0) + 1);
  return k;
}

function compileNode(e: BExpr, ctx: CompileContext): Evaluator {
  const common = ctx.common;
  const memoInput = common?.memoRoots.get(e);
  if (memoInput !== undefined) {
    // Compiled on its own (its own shared subexpressions) and memoized by its input.
    const { common: _outer, ...rest } = ctx;
    return memoizedByInput(compileShared(e as Extract<BExpr, { kind: 'call' }>, rest, new Map()), memoInput);
  }
  if (common !== undefined && e.kind === 'call') {
    const k = common.keys.get(e);
    if (k !== undefined && common.repeated.has(k)) {
      let ev = common.shared.get(k);
      if (ev === undefined) {
        const inner = compileCall(e.fn, e.args, e.type, ctx);
        const generation = common.generation;
        let seen = -1;
        let value: unknown = null;
        ev = (row) => {
          if (seen !== generation.value) { value = inner(row); seen = generation.value; }
          return value;
        };
        common.shared.set(k, ev);
      }
      return ev;
    }
  }
  switch (e.kind) {
    case 'ref': { const i = e.index; return (row) => row[i]; }
    case 'lit': { const v = e.value; return () => v; }
    case 'subquery': return compileSubquery(e, ctx);
    case 'call': return compileCall(e.fn, e.args, e.type, ctx);
  }
}

function compileSubquery(e: Extract<BExpr, { kind: 'subquery' }>, ctx: CompileContext): Evaluator {
  const sq = ctx.subqueries;
  if (!sq) throw errors.unsupported('Subquery in this position');
  const id = e.id;
  if (e.correlated) {
    const outer = compileExpr(e.operand!, ctx);
    return (row) => {
      if (!sq.correlated) throw errors.unsupported('Correlated subquery in this position');
      return sq.correlated(id, outer(row) as unknown[]);
    };
  }
  if (e.mode === 'scalar' || e.mode === 'array') return () => sq.scalar(id);
  if (e.mode === 'exists') return () => sq.exists(id);
  const operand = compileExpr(e.operand!, ctx);
  return (row) => {
    const v = operand(row);
    const set = sq.inSet(id);
    if (set.keys.size === 0 && !set.hasNull) return false;
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) {
      if (v.some((x) => x === null || x === undefined)) return null;
      return set.keys.has(inKey(v)) ? true : set.hasNull ? null : false;
    }
    if (set.keys.has(valueKey(normalizeNumber(v)))) return true;
    return set.hasNull ? null : false;
  };
}

/** Key of a row value (ROW(a, b) IN (SELECT a, b ...)). */
export function inKey(values: readonly unknown[]): string {
  return values.map((x) => valueKey(normalizeNumber(x))).join('\u0001');
}

/** Keys for IN comparisons treat 1 and 1.0 alike; strings that look numeric stay strings. */
function normalizeNumber(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function arith(op: string, type: SqlType, a: unknown, b: unknown, tz: string): unknown {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (isIntervalValue(b) && (op === '+' || op === '-')) {
    const t = toNumber(a);
    if (t === null) return null;
    const sign = op === '+' ? 1 : -1;
    let r = b.months !== 0 ? periodShift(t, 'P1M', sign * b.months, tz) : t;
    r += sign * b.millis;
    return r;
  }
  if (isIntervalValue(a) && op === '+') return arith('+', type, b, a, tz);
  if (isIntervalValue(a) && op === '*') return { months: a.months * (toNumber(b) ?? 0), millis: a.millis * (toNumber(b) ?? 0) };
  if (isIntervalValue(b) && op === '*') return { months: b.months * (toNumber(a) ?? 0), millis: b.millis * (toNumber(a) ?? 0) };
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (!isApprox(type)) {
      const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(toNumber(a) ?? 0));
      const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(toNumber(b) ?? 0));
      switch (op) {
        case '+': return shrink(x + y);
        case '-': return shrink(x - y);
        case '*': return shrink(x * y);
        case '/': return y === 0n ? null : shrink(x / y);
        case '%': return y === 0n ? null : shrink(x % y);
      }
    }
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return null;
  const integral = isIntegral(type) || type === 'TIMESTAMP';
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (integral) return y === 0 ? null : Math.trunc(x / y);
      return x / y;
    case '%':
      if (y === 0) return integral ? null : NaN;
      return x % y;
  }
  return null;
}

function shrink(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function cmp(op: string, a: unknown, b: unknown): boolean | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  // Multi-value strings match when any value matches (Druid filter semantics).
  if (Array.isArray(a) !== Array.isArray(b)) {
    const list = (Array.isArray(a) ? a : b) as unknown[];
    const other = Array.isArray(a) ? b : a;
    if (list.length === 0) return null;
    if (op === '<>') { const eq = cmp('=', list, other); return eq === null ? null : !eq; }
    let sawNull = false;
    for (const x of list) {
      const r = Array.isArray(a) ? cmp(op, x, other) : cmp(op, other, x);
      if (r === true) return true;
      if (r === null) sawNull = true;
    }
    return sawNull ? null : false;
  }
  return comparisonHolds(op, compareValues(a, b));
}

function compileCall(fn: string, argsB: readonly BExpr[], type: SqlType, ctx: CompileContext): Evaluator {
  const args = argsB.map((a) => compileExpr(a, ctx));
  const tz = ctx.timeZone;
  switch (fn) {
    case '+': case '-': case '*': case '/': case '%': {
      const [a, b] = args;
      return (row) => arith(fn, type, a(row), b(row), tz);
    }
    case 'NEG': { const [a] = args; return (row) => { const v = a(row); return v === null ? null : typeof v === 'bigint' ? -v : -(toNumber(v) ?? 0); }; }
    case '||': {
      const [a, b] = args;
      const ta = argsB[0].type;
      const tb = argsB[1].type;
      return (row) => {
        const x = a(row); const y = b(row);
        if (x === null || y === null) return null;
        return (typedToString(x, ta, tz) ?? '') + (typedToString(y, tb, tz) ?? '');
      };
    }
    case '=': case '<>': case '<': case '<=': case '>': case '>=': {
      const [a, b] = args;
      return (row) => cmp(fn, a(row), b(row));
    }
    case 'AND': return (row) => {
      let sawNull = false;
      for (const a of args) { const v = toBool(a(row)); if (v === false) return false; if (v === null) sawNull = true; }
      return sawNull ? null : true;
    };
    case 'OR': return (row) => {
      let sawNull = false;
      for (const a of args) { const v = toBool(a(row)); if (v === true) return true; if (v === null) sawNull = true; }
      return sawNull ? null : false;
    };
    case 'NOT': { const [a] = args; return (row) => { const v = toBool(a(row)); return v === null ? null : !v; }; }
    case 'IS NULL': { const [a] = args; return (row) => { const v = a(row); return v === null || v === undefined; }; }
    case 'IS NOT NULL': { const [a] = args; return (row) => { const v = a(row); return !(v === null || v === undefined); }; }
    case 'IS TRUE': { const [a] = args; return (row) => toBool(a(row)) === true; }
    case 'IS NOT TRUE': { const [a] = args; return (row) => toBool(a(row)) !== true; }
    case 'IS FALSE': { const [a] = args; return (row) => toBool(a(row)) === false; }
    case 'IS NOT FALSE': { const [a] = args; return (row) => toBool(a(row)) !== false; }
    case 'IS DISTINCT FROM': case 'IS NOT DISTINCT FROM': {
      const [a, b] = args;
      const distinct = fn === 'IS DISTINCT FROM';
      return (row) => {
        const x = a(row); const y = b(row);
        const same = (x === null || x === undefined) ? (y === null || y === undefined) : (y !== null && y !== undefined && compareValues(x, y) === 0);
        return distinct ? !same : same;
      };
    }
    case 'CASE': {
      // args: when1, then1, ..., [else]
      const pairs = Math.floor(args.length / 2);
      const hasElse = args.length % 2 === 1;
      return (row) => {
        for (let i = 0; i < pairs; i++) if (toBool(args[2 * i](row)) === true) return args[2 * i + 1](row);
        return hasElse ? args[args.length - 1](row) : null;
      };
    }
    case 'COALESCE': case 'NVL': case 'IFNULL': return (row) => {
      for (const a of args) { const v = a(row); if (v !== null && v !== undefined) return v; }
      return null;
    };
    case 'CAST': {
      const [a] = args;
      const from = argsB[0].type;
      if (type === 'VARCHAR') return (row) => typedToString(a(row), from, tz);
      if ((from === 'TIMESTAMP' || from === 'DATE') && (type === 'BIGINT' || type === 'INTEGER')) return (row) => a(row);
      return (row) => castValue(a(row), type, tz);
    }
    case 'LIKE': {
      const [a, p, esc] = args;
      const [, pb, eb] = argsB;
      if (pb.kind === 'lit' && typeof pb.value === 'string' && (eb === undefined || (eb.kind === 'lit' && typeof eb.value === 'string'))) {
        // Constant pattern: compiled once.
        const match = likeMatcher(pb.value, eb === undefined ? null : (eb as { value: string }).value);
        return (row) => {
          const v = a(row);
          if (v === null || v === undefined) return null;
          if (!Array.isArray(v)) return match(String(v));
          return v.some((x) => x !== null && match(String(x)));
        };
      }
      return (row) => {
        const v = a(row); const pat = p(row);
        if (v === null || pat === null || v === undefined) return null;
        const s = Array.isArray(v) ? v : [v];
        const escape = esc ? (esc(row) as string | null) : null;
        return s.some((x) => x !== null && likeMatch(String(x), String(pat), escape));
      };
    }
    case 'IN': {
      const [a, ...list] = args;
      const constant = argsB.slice(1).every((x) => x.kind === 'lit');
      if (constant) {
        const keys = new Set<string>();
        let hasNull = false;
        for (const x of argsB.slice(1)) {
          const v = (x as { value: unknown }).value;
          if (v === null) hasNull = true; else keys.add(valueKey(normalizeNumber(v)));
        }
        return (row) => {
          const v = a(row);
          if (v === null || v === undefined) return null;
          if (Array.isArray(v)) return v.some((x) => keys.has(valueKey(x))) ? true : hasNull ? null : false;
          if (keys.has(valueKey(normalizeNumber(v)))) return true;
          return hasNull ? null : false;
        };
      }
      return (row) => {
        const v = a(row);
        if (v === null || v === undefined) return null;
        let sawNull = false;
        for (const l of list) { const r = cmp('=', v, l(row)); if (r === true) return true; if (r === null) sawNull = true; }
        return sawNull ? null : false;
      };
    }
    case 'ITEM': {
      const [a, i] = args;
      return (row) => { const v = a(row); const idx = toNumber(i(row)); if (!Array.isArray(v) || idx === null) return null; return v[idx - 1] ?? null; };
    }
    case 'ROW': return (row) => args.map((a) => a(row));
  }
  const def = SCALAR_FUNCTIONS[fn];
  if (!def) throw errors.unsupported(`Function [${fn}]`);
  const types = argsB.map((a) => a.type);
  const strict = def.strict !== false;
  const n = args.length;
  return (row) => {
    const vals = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const v = args[i](row);
      if (strict && (v === null || v === undefined)) return null;
      vals[i] = v;
    }
    return def.fn(vals, ctx, types);
  };
}

/** Evaluates a predicate: true only when the expression is TRUE (null/false reject). */
export function compilePredicate(e: BExpr, ctx: CompileContext): (row: Row) => boolean {
  const ev = compileExpr(e, ctx);
  return (row) => toBool(ev(row)) === true;
}
