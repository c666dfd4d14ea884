/**
 * Array functions and their multi-value (mv_*) spellings. A scalar given where
 * an array is expected acts as a one-element array; null stays null.
 */
import { checkResultSize, fixed, registerFunctions, type FunctionDef, type FunctionImpl } from './registry.ts';
import { compileJavaRegex } from './java-regex.ts';
import { arrayOf, elementType, functionType, isArrayType, leastRestrictive, type MaybeType } from '../types.ts';
import { castTo, toLong, toStr, valuesEqual } from '../values.ts';

/** v as an array: arrays as-is, null as null, a scalar as a one-element array. */
export function asArray(v: unknown): unknown[] | null {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) ? v : [v];
}

function arrType(t: MaybeType): MaybeType {
  if (t === null) return null;
  return isArrayType(t) ? t : arrayOf(t);
}

function indexOf(arr: readonly unknown[], x: unknown): number {
  for (let i = 0; i < arr.length; i++) if (valuesEqual(arr[i], x)) return i;
  return -1;
}

function def(name: string, min: number, max: number, arrayArgs: readonly number[] | 'all',
  returnType: (t: readonly MaybeType[]) => MaybeType, bind: (argTypes: readonly MaybeType[]) => FunctionImpl): FunctionDef {
  return { name, minArgs: min, maxArgs: max, arrayArgs, returnType, bind: ({ argTypes }) => bind(argTypes) };
}

function withElements(arr: unknown[], t: MaybeType): unknown[] {
  const e = elementType(t);
  return e === null ? arr : arr.map((x) => castTo(x, null, e));
}

/** Java String.split(regex): trailing empty strings removed; a leading empty match at 0 kept unless the match is zero-width. */
export function javaSplit(s: string, regex: string): string[] {
  const re = compileJavaRegex(regex);
  re.lastIndex = 0;
  const parts = s.split(re);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (s.length === 0) return [''];
  return parts;
}

const length = def('array_length', 1, 1, [0], fixed('LONG'), () => (v) => asArray(v[0])?.length ?? null);
const offset = (name: string, base: number) => def(name, 2, 2, [0], (t) => elementType(arrType(t[0])), () => (v) => {
  const a = asArray(v[0]);
  const i = toLong(v[1]);
  if (a === null || i === null) return null;
  const k = i - base;
  return k >= 0 && k < a.length ? a[k] ?? null : null;
});
const offsetOf = (name: string, base: number) => def(name, 2, 2, [0], fixed('LONG'), () => (v) => {
  const a = asArray(v[0]);
  if (a === null || v[1] === null || v[1] === undefined) return null;
  const i = indexOf(a, v[1]);
  return i < 0 ? null : i + base;
});
const contains = (name: string) => def(name, 2, 2, [0, 1], fixed('LONG'), () => (v) => {
  const a = asArray(v[0]);
  if (a === null) return null;
  const b = v[1];
  if (b === null || b === undefined) return null;
  if (Array.isArray(b)) { for (const x of b) if (indexOf(a, x) < 0) return 0; return 1; }
  return indexOf(a, b) >= 0 ? 1 : 0;
});
const overlap = (name: string) => def(name, 2, 2, [0, 1], fixed('LONG'), () => (v) => {
  const a = asArray(v[0]), b = asArray(v[1]);
  if (a === null || b === null) return null;
  for (const x of b) if (indexOf(a, x) >= 0) return 1;
  return 0;
});
const prepend = (name: string) => def(name, 2, 2, [1], (t) => arrType(t[1] ?? t[0]), (t) => {
  const out = arrType(t[1] ?? t[0]);
  return (v) => { const a = asArray(v[1]); return a === null ? null : withElements([v[0] ?? null, ...a], out); };
});
const append = (name: string) => def(name, 2, 2, [0], (t) => arrType(t[0] ?? t[1]), (t) => {
  const out = arrType(t[0] ?? t[1]);
  return (v) => { const a = asArray(v[0]); return a === null ? null : withElements([...a, v[1] ?? null], out); };
});
const concatArrays = (name: string) => def(name, 2, 2, [0, 1], (t) => arrType(t[0] ?? t[1]), () => (v) => {
  const a = asArray(v[0]), b = asArray(v[1]);
  return a === null || b === null ? null : [...a, ...b];
});
const slice = (name: string) => def(name, 2, 3, [0], (t) => arrType(t[0]), () => (v) => {
  const a = asArray(v[0]);
  const start = toLong(v[1]);
  if (a === null || start === null) return null;
  const end = v.length > 2 ? toLong(v[2]) : a.length;
  if (end === null) return null;
  if (start < 0 || start > a.length || start > end) return null;
  checkResultSize('array_slice', end - start);
  const out = a.slice(start, Math.min(end, a.length));
  while (out.length < end - start) out.push(null);
  return out;
});
const toStringFn = (name: string) => def(name, 2, 2, [0], fixed('STRING'), (t) => (v) => {
  const a = asArray(v[0]);
  const d = toStr(v[1], t[1]) ?? '';
  if (a === null || (a.length === 1 && (a[0] === null || a[0] === undefined))) return null;
  const et = elementType(t[0]);
  return a.map((x) => (x === null || x === undefined ? 'null' : toStr(x, et))).join(d);
});
const splitFn = (name: string) => def(name, 2, 2, [], fixed('ARRAY<STRING>'), (t) => (v) => {
  const s = toStr(v[0], t[0]), d = toStr(v[1], t[1]);
  if (s === null || d === null) return null;
  return javaSplit(s, d);
});

const defs: FunctionDef[] = [
  def('array', 1, Infinity, 'all', (t) => arrayOf(t.reduce<MaybeType>((a, b) => functionType(a, b), 'LONG')), (t) => {
    const out = arrayOf(t.reduce<MaybeType>((a, b) => functionType(a, b), 'LONG'));
    return (v) => withElements(v.slice(), out);
  }),
  length, def('mv_length', 1, 1, [0], fixed('LONG'), () => (v) => asArray(v[0])?.length ?? null),
  offset('array_offset', 0), offset('array_ordinal', 1), offset('mv_offset', 0), offset('mv_ordinal', 1),
  contains('array_contains'), contains('mv_contains'), overlap('array_overlap'), overlap('mv_overlap'),
  def('scalar_in_array', 2, 2, [1], fixed('LONG'), () => (v) => {
    if (v[0] === null || v[0] === undefined) return null;
    const a = asArray(v[1]);
    if (a === null) return null;
    return indexOf(a, v[0]) >= 0 ? 1 : 0;
  }),
  offsetOf('array_offset_of', 0), offsetOf('array_ordinal_of', 1), offsetOf('mv_offset_of', 0), offsetOf('mv_ordinal_of', 1),
  prepend('array_prepend'), prepend('mv_prepend'), append('array_append'), append('mv_append'),
  concatArrays('array_concat'), concatArrays('mv_concat'),
  def('array_set_add', 2, 2, [0], (t) => arrType(t[0]), () => (v) => {
    const a = asArray(v[0]);
    if (a === null) return null;
    return uniqueSorted([...a, v[1] ?? null]);
  }),
  def('array_set_add_all', 2, 2, [0, 1], (t) => arrType(t[0]), () => (v) => {
    const a = asArray(v[0]), b = asArray(v[1]);
    if (a === null || b === null) return null;
    return uniqueSorted([...a, ...b]);
  }),
  slice('array_slice'), slice('mv_slice'),
  toStringFn('array_to_string'), toStringFn('mv_to_string'),
  splitFn('string_to_array'), splitFn('string_to_mv'),
  def('mv_to_array', 1, 1, [0], (t) => arrType(t[0] ?? 'STRING'), () => (v) => asArray(v[0])),
  def('array_to_mv', 1, 1, [0], (t) => arrType(t[0] ?? 'STRING'), () => (v) => asArray(v[0])),
  def('mv_harmonize_nulls', 1, 1, [0], (t) => t[0], () => (v) => (Array.isArray(v[0]) && v[0].length === 0 ? null : v[0] ?? null)),
];

/** Distinct values in sorted order (nulls first), as Druid's set functions return. */
function uniqueSorted(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of values) if (!out.some((y) => (x === null ? y === null : valuesEqual(x, y)))) out.push(x);
  out.sort((a, b) => {
    if (a === null) return b === null ? 0 : -1;
    if (b === null) return 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = String(a), y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return out;
}

registerFunctions(defs);
