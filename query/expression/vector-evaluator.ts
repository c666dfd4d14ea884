/**
 * Vectorised evaluation of an expression over a row range of a Segment.
 *
 * Fast paths:
 * - column references return the column's arrays (no copy for __time and DOUBLE/LONG columns);
 * - arithmetic, comparisons and logic over numeric operands run typed-array kernels;
 * - any subexpression whose only input is one dictionary-encoded string column is
 *   evaluated once per dictionary id that occurs (lazily memoised) and gathered by id,
 *   so `upper(dim) == 'X'` costs O(distinct values) evaluations, not O(rows);
 * - functions with a numeric kernel (timestamp_floor with constant period) loop typed arrays.
 * Everything else evaluates its children as vectors and applies the row semantics
 * per row (compile.ts), so both evaluators agree by construction.
 *
 * Multi-value string columns: a row with no values is null; otherwise its values
 * form an array. Used at scalar positions they are implicitly mapped (per
 * value; per dictionary id when the column is the only input), giving an
 * 'array' vector where scalar results of other rows are wrapped as one-element arrays.
 */
import type { ColumnInfo, Segment } from '../../storage/segment.ts';
import { stringifyExpression } from './stringify.ts';
import { isJsonValueType } from '../../storage/json-column.ts';
import { jsonColumnDictionary } from './json-dictionary.ts';
import type { BinaryOp, Expr } from './ast.ts';
import { callsNow, columnsUsedAsArrays, expressionColumns, isConstant } from './analysis.ts';
import { compile, compileTopLevel, type Compiled, type Getter } from './compile.ts';
import { arrayPositionsOf, findFunction, type BindInput } from './functions/registry.ts';
import { NOT_CONSTANT } from './functions/registry.ts';
import * as K from './kernels.ts';
import { parseExpression } from './parser.ts';
import { isNumericType, type ExprType, type MaybeType } from './types.ts';
import type { ExprVector } from './vector.ts';

/** Internal vector forms: public vectors plus constants and dictionary-id views. */
type Vec =
  | ExprVector
  | { readonly kind: 'const'; readonly value: unknown; readonly type: MaybeType }
  | { readonly kind: 'dict'; readonly ids: Int32Array; readonly dict: readonly unknown[]; readonly type: MaybeType }
  /** Raw per-row values, some of them arrays from implicit mapping (scalars not yet wrapped). */
  | { readonly kind: 'values'; readonly values: readonly unknown[]; readonly type: MaybeType };

/** The expression type of a segment column (FLOAT reads as DOUBLE); undefined for absent or complex columns. */
export function segmentColumnType(info: ColumnInfo | undefined): ExprType | undefined {
  if (info === undefined) return undefined;
  switch (info.type) {
    case 'LONG': return 'LONG';
    case 'FLOAT': case 'DOUBLE': return 'DOUBLE';
    case 'STRING': return 'STRING';
    // JSON-valued columns: nested JSON, or typed arrays (whose complex type is the array type).
    case 'COMPLEX': return isJsonValueType(info.complexType) ? (info.complexType === 'json' ? 'COMPLEX<json>' : info.complexType) : undefined;
    default: return undefined;
  }
}

/**
 * Evaluates `expr` for rows [startRow, endRow) of `segment`. Returned arrays
 * may alias segment storage: treat them as read-only.
 * Throws NemetonError 'Invalid input' for unknown functions or bad arguments.
 */
export function evaluateOverSegment(expr: Expr | string, segment: Segment, startRow: number, endRow: number): ExprVector {
  const ast = typeof expr === 'string' ? parseExpression(expr) : expr;
  const ctx = new VectorContext(segment, Math.max(0, startRow), Math.min(segment.numRows, Math.max(startRow, endRow)));
  return materialize(ctx.evaluate(ast), ctx.length);
}

class VectorContext {
  readonly length: number;
  private readonly typeCache = new Map<Expr, Compiled>();
  /** Column vectors read so far (a column referenced many times is read once). */
  private readonly columns = new Map<string, Vec>();
  /** Results by canonical expression text: repeated subexpressions are evaluated once per range. */
  private readonly results = new Map<string, Vec>();
  private readonly keys = new WeakMap<Expr, string>();
  private readonly columnType = (name: string): ExprType | undefined =>
    name === '__time' ? 'LONG' : segmentColumnType(this.segment.column(name));

  constructor(private readonly segment: Segment, private readonly start: number, private readonly end: number) {
    this.length = end - start;
  }

  private compiled(e: Expr): Compiled {
    let c = this.typeCache.get(e);
    if (c === undefined) {
      c = compile(e, { columnType: this.columnType });
      this.typeCache.set(e, c);
    }
    return c;
  }

  /** Canonical text of e, computed once per node. */
  private keyOf(e: Expr): string {
    let k = this.keys.get(e);
    if (k === undefined) {
      switch (e.kind) {
        case 'unary': k = `${e.op}${this.keyOf(e.operand)}`; break;
        case 'binary': k = `(${this.keyOf(e.left)} ${e.op} ${this.keyOf(e.right)})`; break;
        case 'call': k = `${e.name}(${e.args.map((a) => this.keyOf(a)).join(', ')})`; break;
        default: k = stringifyExpression(e);
      }
      this.keys.set(e, k);
    }
    return k;
  }

  evaluate(e: Expr): Vec {
    if (e.kind !== 'unary' && e.kind !== 'binary' && e.kind !== 'call') return this.evaluateOnce(e);
    const k = this.keyOf(e);
    let v = this.results.get(k);
    if (v === undefined) {
      v = this.evaluateOnce(e);
      this.results.set(k, v);
    }
    return v;
  }

  private evaluateOnce(e: Expr): Vec {
    if (e.kind === 'literal' || e.kind === 'array' || isConstant(e)) {
      const c = this.compiled(e);
      return { kind: 'const', value: c.eval(() => null), type: c.type };
    }
    if (e.kind === 'identifier') return this.column(e.name);
    const cols = expressionColumns(e);
    if (cols.length === 1) {
      const col = this.segment.stringColumn(cols[0]);
      if (col !== undefined && (!col.hasMultipleValues || (!containsApply(e) && !columnsUsedAsArrays(e, arrayPositions).has(cols[0])))) {
        return this.dictionaryPath(e, cols[0]);
      }
    }
    if (cols.length === 1 && !containsApply(e) && !callsNow(e)) {
      const json = this.jsonColumn(cols[0]);
      if (json !== null) return this.jsonDictionaryPath(e, json.ids, json.dict);
    }
    if (cols.some((c) => this.segment.stringColumn(c)?.hasMultipleValues === true)) return this.perRow(e, [], []);
    switch (e.kind) {
      case 'binary': return this.binary(e.op, e, this.evaluate(e.left), this.evaluate(e.right));
      case 'unary': {
        const operand = this.evaluate(e.operand);
        const n = numericView(operand, this.length);
        if (n !== null) {
          const out = new Float64Array(this.length);
          if (e.op === '-') K.negateKernel(n.values, out); else K.notKernel(n.values, out);
          return { kind: 'number', values: out, nulls: n.nulls, type: e.op === '!' ? 'LONG' : n.type };
        }
        return this.perRow(e, [e.operand], [operand]);
      }
      case 'call': {
        if (APPLY.has(e.name)) return this.perRow(e, [], []);
        const kernel = this.kernelCall(e);
        if (kernel !== null) return kernel;
        const vary = e.args.filter((a) => !isConstant(a));
        return this.perRow(e, vary, vary.map((a) => this.evaluate(a)));
      }
      default:
        return this.perRow(e, [], []);
    }
  }

  private column(name: string): Vec {
    let v = this.columns.get(name);
    if (v === undefined) {
      v = this.readColumn(name);
      this.columns.set(name, v);
    }
    return v;
  }

  private readColumn(name: string): Vec {
    const { start, end } = this;
    if (name === '__time') return { kind: 'number', values: this.segment.time().subarray(start, end), nulls: null, type: 'LONG' };
    const info = this.segment.column(name);
    if (info === undefined) return { kind: 'const', value: null, type: null };
    if (info.type === 'STRING') {
      const col = this.segment.stringColumn(name);
      if (col === undefined) return { kind: 'const', value: null, type: null };
      if (!col.hasMultipleValues) return { kind: 'dict', ids: col.ids().subarray(start, end), dict: col.dictionary(), type: 'STRING' };
      const { offsets, values } = col.multiValues();
      const dict = col.dictionary();
      const out: (unknown[] | null)[] = new Array(this.length);
      for (let r = start; r < end; r++) {
        const a = offsets[r], b = offsets[r + 1];
        // No values, or the single null value storage keeps for a missing/empty row: a NULL row (as the row evaluator reads it).
        if (a === b || (b - a === 1 && dict[values[a]] === null)) { out[r - start] = null; continue; }
        const row = new Array<unknown>(b - a);
        for (let k = a; k < b; k++) row[k - a] = dict[values[k]];
        out[r - start] = row;
      }
      return { kind: 'array', values: out };
    }
    if (info.type === 'LONG' || info.type === 'FLOAT' || info.type === 'DOUBLE') {
      const col = this.segment.numericColumn(name);
      if (col === undefined) return { kind: 'const', value: null, type: null };
      const raw = col.valuesInRange(start, end);
      const values = raw instanceof Float64Array ? raw : Float64Array.from(raw);
      const bm = col.nulls();
      let nulls: Uint8Array | null = null;
      if (bm !== null && bm.rangeCardinality(start, end) > 0) {
        nulls = new Uint8Array(this.length);
        for (const r of bm) {
          if (r >= end) break;
          if (r >= start) nulls[r - start] = 1;
        }
      }
      return { kind: 'number', values, nulls, type: info.type === 'LONG' ? 'LONG' : 'DOUBLE' };
    }
    const json = this.jsonColumn(name);
    if (json !== null) return { kind: 'dict', ids: json.ids.subarray(start, end), dict: json.dict, type: json.type };
    return { kind: 'const', value: null, type: null };
  }

  /** Dictionary view of a JSON-valued (nested JSON or typed array) column; null for other columns. */
  private jsonColumn(name: string): { ids: Int32Array; dict: readonly unknown[]; type: MaybeType } | null {
    const info = this.segment.column(name);
    const jsonType = info?.type === 'COMPLEX' ? segmentColumnType(info) : undefined;
    const complex = jsonType !== undefined ? this.segment.complexColumn(name) : undefined;
    if (jsonType === undefined || complex === undefined) return null;
    const d = jsonColumnDictionary(this.segment, name, complex);
    return { ids: d.ids, dict: d.dict, type: jsonType };
  }

  /** Evaluates e (whose only input is a JSON-valued column) once per distinct value in the range. */
  private jsonDictionaryPath(e: Expr, ids: Int32Array, dict: readonly unknown[]): Vec {
    const c = this.compiled(e);
    const memo = new Array<unknown>(dict.length);
    const done = new Uint8Array(dict.length);
    const ev = c.eval;
    let current: unknown = null;
    const get: Getter = () => current;
    const range = ids.subarray(this.start, this.end);
    for (let i = 0; i < range.length; i++) {
      const id = range[i];
      if (done[id] === 0) { current = dict[id]; memo[id] = ev(get); done[id] = 1; }
    }
    return { kind: 'dict', ids: range, dict: memo, type: c.type };
  }

  /** Evaluates e once per dictionary id that occurs in the range (single-valued) or per value (multi-valued). */
  private dictionaryPath(e: Expr, column: string): Vec {
    const col = this.segment.stringColumn(column)!;
    const c = this.compiled(e);
    const dict = col.dictionary();
    const memo = new Array<unknown>(dict.length);
    const done = new Uint8Array(dict.length);
    const ev = c.eval;
    let current: unknown = null;
    const get: Getter = () => current;
    const valueOf = (id: number): unknown => {
      if (done[id] === 0) {
        current = dict[id];
        memo[id] = ev(get);
        done[id] = 1;
      }
      return memo[id];
    };
    const { start, end } = this;
    if (!col.hasMultipleValues) {
      const ids = col.ids().subarray(start, end);
      for (let i = 0; i < ids.length; i++) valueOf(ids[i]);
      return { kind: 'dict', ids, dict: memo, type: c.type };
    }
    const { offsets, values } = col.multiValues();
    const out = new Array<unknown>(this.length);
    let nullResult: unknown;
    let nullDone = false;
    for (let r = start; r < end; r++) {
      const a = offsets[r], b = offsets[r + 1];
      if (a === b) {
        if (!nullDone) { current = null; nullResult = ev(get); nullDone = true; }
        out[r - start] = nullResult;
        continue;
      }
      const row = new Array<unknown>(b - a);
      for (let k = a; k < b; k++) row[k - a] = valueOf(values[k]);
      out[r - start] = row;
    }
    return toVec(out, c.type);
  }

  private binary(op: BinaryOp, e: Expr, l: Vec, r: Vec): Vec {
    const scalar = this.binaryWithConstant(op, l, r);
    if (scalar !== null) return scalar;
    const a = numericView(l, this.length), b = numericView(r, this.length);
    if (a === null || b === null) return this.perRow(e, [(e as { left: Expr }).left, (e as { right: Expr }).right], [l, r]);
    const n = this.length;
    const out = new Float64Array(n);
    if (op === '&&' || op === '||') {
      const nulls = new Uint8Array(n);
      (op === '&&' ? K.andKernel : K.orKernel)(a.values, a.nulls, b.values, b.nulls, out, nulls);
      return { kind: 'number', values: out, nulls: anySet(nulls) ? nulls : null, type: 'LONG' };
    }
    let nulls: Uint8Array | null = null;
    if (a.nulls !== null && b.nulls !== null) { nulls = new Uint8Array(n); K.orMasks(a.nulls, b.nulls, nulls); } else nulls = a.nulls ?? b.nulls;
    const isLong = a.type === 'LONG' && b.type === 'LONG';
    let type: 'LONG' | 'DOUBLE' = isLong ? 'LONG' : 'DOUBLE';
    const longNullable = (kernel: (x: Float64Array, y: Float64Array, o: Float64Array, m: Uint8Array) => number) => {
      const m = nulls === null ? new Uint8Array(n) : nulls.slice();
      const flagged = kernel(a.values, b.values, out, m);
      nulls = flagged > 0 || nulls !== null ? m : null;
    };
    switch (op) {
      case '+': K.addKernel(a.values, b.values, out); break;
      case '-': K.subKernel(a.values, b.values, out); break;
      case '*': K.mulKernel(a.values, b.values, out); break;
      case '/': if (isLong) longNullable(K.divLongKernel); else K.divDoubleKernel(a.values, b.values, out); break;
      case '%': if (isLong) longNullable(K.modLongKernel); else K.modDoubleKernel(a.values, b.values, out); break;
      case '^': if (isLong) longNullable(K.powLongKernel); else K.powDoubleKernel(a.values, b.values, out); break;
      case '<': K.ltKernel(a.values, b.values, out); type = 'LONG'; break;
      case '<=': K.leKernel(a.values, b.values, out); type = 'LONG'; break;
      case '>': K.gtKernel(a.values, b.values, out); type = 'LONG'; break;
      case '>=': K.geKernel(a.values, b.values, out); type = 'LONG'; break;
      case '==': K.eqKernel(a.values, b.values, out); type = 'LONG'; break;
      case '!=': K.neKernel(a.values, b.values, out); type = 'LONG'; break;
    }
    return { kind: 'number', values: out, nulls, type };
  }

  /** Numeric vector op non-null numeric constant, without broadcasting the constant. */
  private binaryWithConstant(op: BinaryOp, l: Vec, r: Vec): Vec | null {
    const constLeft = l.kind === 'const';
    const c = constLeft ? l : r;
    const v = constLeft ? r : l;
    if (c.kind !== 'const' || v.kind !== 'number' || typeof c.value !== 'number' || !isNumericType(c.type)) return null;
    const isLong = v.type === 'LONG' && c.type === 'LONG';
    const isCompare = op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=';
    const out = new Float64Array(this.length);
    if (isLong && op === '/') {
      if (constLeft || c.value === 0) return null;
      K.divLongScalarKernel(v.values, c.value, out);
    } else if (isLong && (op === '%' || op === '^')) {
      return null;
    } else if (!K.scalarKernel(op, v.values, c.value, constLeft, out)) {
      return null;
    }
    return { kind: 'number', values: out, nulls: v.nulls, type: isCompare ? 'LONG' : isLong ? 'LONG' : 'DOUBLE' };
  }

  /** Function with a numeric kernel: argument 0 a numeric vector, the rest constant. */
  private kernelCall(e: Expr & { kind: 'call' }): Vec | null {
    const def = findFunction(e.name);
    if (def?.numericKernel === undefined || e.args.length === 0) return null;
    if (!e.args.slice(1).every(isConstant)) return null;
    const arg0 = this.evaluate(e.args[0]);
    const view = arg0.kind === 'number' ? arg0 : null;
    if (view === null) return null;
    const consts = e.args.map((a, i) => (i === 0 ? NOT_CONSTANT : this.compiled(a).eval(() => null)));
    const input: BindInput = { name: e.name, argTypes: e.args.map((a) => this.compiled(a).type), consts, args: e.args };
    const kernel = def.numericKernel(input);
    if (kernel === null) return null;
    const out = new Float64Array(this.length);
    kernel(view.values, out);
    const t = this.compiled(e).type;
    return { kind: 'number', values: out, nulls: view.nulls, type: t === 'DOUBLE' ? 'DOUBLE' : 'LONG' };
  }

  /**
   * Generic path: `e` with each varying child replaced by a slot, compiled with
   * the row semantics and run per row over the children's vectors. Other
   * identifiers (lambda bodies of apply functions) read the segment row.
   */
  private perRow(e: Expr, children: readonly Expr[], vecs: readonly Vec[]): Vec {
    const n = this.length;
    let row = 0;
    const slots = new Map<Expr, string>();
    children.forEach((c, i) => slots.set(c, `\u0000slot${i}`));
    const slotted = replaceChildren(e, slots);
    const slotReaders = new Map<string, { type: MaybeType; read: () => unknown }>();
    children.forEach((c, i) => {
      const r = reader(vecs[i]);
      slotReaders.set(`\u0000slot${i}`, { type: this.compiled(c).type, read: () => r(row) });
    });
    const env = { columnType: this.columnType, slots: slotReaders };
    // With slots, multi-value columns are not involved (nodes reading them are evaluated whole).
    const compiled = children.length > 0 ? compile(slotted, env) : compileTopLevel(slotted, env);
    const columnReaders = new Map<string, (r: number) => unknown>();
    for (const c of expressionColumns(slotted)) columnReaders.set(c, reader(this.column(c)));
    const get: Getter = (name) => {
      const cr = columnReaders.get(name);
      return cr === undefined ? null : cr(row);
    };
    const out = new Array<unknown>(n);
    const ev = compiled.eval;
    if (children.length === 1 && expressionColumns(slotted).length === 1 && !callsNow(e)) {
      // One varying input: consecutive equal inputs (sorted __time, runs of a dimension) reuse the previous result.
      const r0 = reader(vecs[0]);
      let prevIn: unknown = Symbol('none');
      let prevOut: unknown = null;
      for (row = 0; row < n; row++) {
        const x = r0(row);
        if (x !== prevIn || Array.isArray(x)) { prevIn = x; prevOut = ev(get); }
        out[row] = prevOut;
      }
      return toVec(out, compiled.type);
    }
    for (row = 0; row < n; row++) out[row] = ev(get);
    return toVec(out, compiled.type);
  }
}

const APPLY = new Set(['map', 'filter', 'fold', 'any', 'all', 'cartesian_map', 'cartesian_fold']);

const arrayPositions = arrayPositionsOf;


function containsApply(e: Expr): boolean {
  switch (e.kind) {
    case 'call': return APPLY.has(e.name) || e.args.some(containsApply);
    case 'unary': return containsApply(e.operand);
    case 'binary': return containsApply(e.left) || containsApply(e.right);
    default: return false;
  }
}

function anySet(m: Uint8Array): boolean {
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) return true;
  return false;
}

/** Rebuilds e with the given child nodes replaced by identifiers. */
function replaceChildren(e: Expr, slots: ReadonlyMap<Expr, string>): Expr {
  const s = slots.get(e);
  if (s !== undefined) return { kind: 'identifier', name: s, pos: e.pos };
  switch (e.kind) {
    case 'unary': return { ...e, operand: replaceChildren(e.operand, slots) };
    case 'binary': return { ...e, left: replaceChildren(e.left, slots), right: replaceChildren(e.right, slots) };
    case 'call': return { ...e, args: e.args.map((a) => replaceChildren(a, slots)) };
    default: return e;
  }
}

/** A numeric view of a vector (constants broadcast), or null when it is not numeric. */
function numericView(v: Vec, n: number): { values: Float64Array; nulls: Uint8Array | null; type: 'LONG' | 'DOUBLE' } | null {
  if (v.kind === 'number') return v;
  if (v.kind === 'const' && isNumericType(v.type)) {
    const values = new Float64Array(n);
    if (v.value === null) return { values, nulls: new Uint8Array(n).fill(1), type: v.type };
    values.fill(v.value as number);
    return { values, nulls: null, type: v.type };
  }
  if (v.kind === 'dict' && isNumericType(v.type)) {
    const dv = new Float64Array(v.dict.length);
    const dn = new Uint8Array(v.dict.length);
    let hasNull = false;
    for (let k = 0; k < v.dict.length; k++) {
      const x = v.dict[k];
      if (typeof x === 'number') dv[k] = x;
      else if (x === null || x === undefined) { dn[k] = 1; hasNull = true; } else return null;
    }
    const values = new Float64Array(n);
    K.gatherNumbers(v.ids, dv, values);
    let nulls: Uint8Array | null = null;
    if (hasNull) { nulls = new Uint8Array(n); K.gatherMask(v.ids, dn, nulls); if (!anySet(nulls)) nulls = null; }
    return { values, nulls, type: v.type };
  }
  return null;
}

/** Per-row reader of any vector. */
function reader(v: Vec): (r: number) => unknown {
  switch (v.kind) {
    case 'const': { const x = v.value; return () => x; }
    case 'number': {
      const { values, nulls } = v;
      return nulls === null ? (r) => values[r] : (r) => (nulls[r] === 1 ? null : values[r]);
    }
    case 'dict': { const { ids, dict } = v; return (r) => dict[ids[r]] ?? null; }
    default: { const values = v.values; return (r) => values[r]; }
  }
}

/** Internal vector from per-row values: raw 'values' when some rows are arrays of a non-array type. */
function toVec(values: unknown[], type: MaybeType): Vec {
  if (type === null || !type.startsWith('ARRAY<')) {
    for (let i = 0; i < values.length; i++) if (Array.isArray(values[i])) return { kind: 'values', values, type };
  }
  return fromValues(values, type);
}

/** Builds a public vector from per-row values and the static type. */
function fromValues(values: readonly unknown[], type: MaybeType): ExprVector {
  const n = values.length;
  let arrays = false, numbers = false, strings = false;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (Array.isArray(x)) arrays = true;
    else if (typeof x === 'number') numbers = true;
    else if (typeof x === 'string') strings = true;
  }
  if (arrays || (type !== null && type.startsWith('ARRAY<'))) {
    return { kind: 'array', values: values.map((x) => (x === null || x === undefined ? null : Array.isArray(x) ? x : [x])) };
  }
  if (isNumericType(type) || (type === null && numbers && !strings)) {
    const out = new Float64Array(n);
    let nulls: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (typeof x === 'number') out[i] = x;
      else { nulls ??= new Uint8Array(n); nulls[i] = 1; }
    }
    const t: 'LONG' | 'DOUBLE' = type === 'LONG' || type === 'DOUBLE' ? type : values.every((x) => x === null || Number.isInteger(x)) ? 'LONG' : 'DOUBLE';
    return { kind: 'number', values: out, nulls, type: t };
  }
  if (!numbers) {
    let clean = true;
    for (let i = 0; i < n && clean; i++) if (values[i] === undefined) clean = false;
    if (clean) return { kind: 'string', values: values as (string | null)[] };
  }
  return { kind: 'string', values: values.map((x) => (x === null || x === undefined ? null : typeof x === 'string' ? x : String(x))) };
}

/** Converts an internal vector to the public shape. */
function materialize(v: Vec, n: number): ExprVector {
  switch (v.kind) {
    case 'const': {
      const t = v.type;
      if (Array.isArray(v.value)) return { kind: 'array', values: new Array(n).fill(v.value) };
      return fromValues(new Array(n).fill(v.value), t);
    }
    case 'dict': {
      const num = numericView(v, n);
      if (num !== null) return { kind: 'number', values: num.values, nulls: num.nulls, type: num.type };
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = v.dict[v.ids[i]];
      return fromValues(out, v.type);
    }
    case 'values': return fromValues(v.values, v.type);
    default: return v;
  }
}
