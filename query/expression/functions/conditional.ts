/** Conditional and null-handling functions, and cast(). */
import { fixed, functionError, registerFunctions, requireConst, type FunctionDef } from './registry.ts';
import { castTo, compareStrings, toDouble, toStr, truthy } from '../values.ts';
import { conditionalType, parseTypeName, type MaybeType } from '../types.ts';

/** Druid `==` between two values of the given types: two strings compare as strings, otherwise numerically. */
export function looseEquals(a: unknown, ta: MaybeType, b: unknown, tb: MaybeType): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const sa = (ta ?? (typeof a === 'string' ? 'STRING' : null)) === 'STRING';
  const sb = (tb ?? (typeof b === 'string' ? 'STRING' : null)) === 'STRING';
  if (sa && sb) return compareStrings(toStr(a, ta) as string, toStr(b, tb) as string) === 0;
  const x = toDouble(a), y = toDouble(b);
  return x !== null && y !== null && x === y;
}

function notDistinct(a: unknown, ta: MaybeType, b: unknown, tb: MaybeType): boolean {
  const an = a === null || a === undefined, bn = b === null || b === undefined;
  if (an || bn) return an && bn;
  return looseEquals(a, ta, b, tb);
}

function coerce(v: unknown, from: MaybeType, to: MaybeType): unknown {
  if (v === null || v === undefined) return null;
  if (from === to || to === null) return v;
  if (Array.isArray(v) && !(to?.startsWith('ARRAY<') ?? false)) return v;
  return castTo(v, from, to);
}

const defs: FunctionDef[] = [
  {
    name: 'if', minArgs: 3, maxArgs: 3,
    returnType: (t) => conditionalType([t[1], t[2]]),
    bind: ({ argTypes }) => {
      const out = conditionalType([argTypes[1], argTypes[2]]);
      return (v) => (truthy(v[0]) === true ? coerce(v[1], argTypes[1], out) : coerce(v[2], argTypes[2], out));
    },
  },
  {
    name: 'case_searched', minArgs: 2, maxArgs: Infinity,
    returnType: (t) => conditionalType(caseResultTypes(t, 0)),
    bind: ({ argTypes }) => {
      const out = conditionalType(caseResultTypes(argTypes, 0));
      return (v) => {
        let i = 0;
        for (; i + 1 < v.length; i += 2) if (truthy(v[i]) === true) return coerce(v[i + 1], argTypes[i + 1], out);
        return i < v.length ? coerce(v[i], argTypes[i], out) : null;
      };
    },
  },
  {
    name: 'case_simple', minArgs: 3, maxArgs: Infinity,
    returnType: (t) => conditionalType(caseResultTypes(t, 1)),
    bind: ({ argTypes }) => {
      const out = conditionalType(caseResultTypes(argTypes, 1));
      return (v) => {
        let i = 1;
        for (; i + 1 < v.length; i += 2) if (looseEquals(v[0], argTypes[0], v[i], argTypes[i])) return coerce(v[i + 1], argTypes[i + 1], out);
        return i < v.length ? coerce(v[i], argTypes[i], out) : null;
      };
    },
  },
  {
    name: 'nvl', minArgs: 2, maxArgs: 2,
    returnType: (t) => conditionalType(t),
    bind: ({ argTypes }) => {
      const out = conditionalType(argTypes);
      return (v) => (v[0] === null || v[0] === undefined ? coerce(v[1], argTypes[1], out) : coerce(v[0], argTypes[0], out));
    },
  },
  {
    name: 'coalesce', minArgs: 0, maxArgs: Infinity,
    returnType: (t) => conditionalType(t),
    bind: ({ argTypes }) => {
      const out = conditionalType(argTypes);
      return (v) => {
        for (let i = 0; i < v.length; i++) if (v[i] !== null && v[i] !== undefined) return coerce(v[i], argTypes[i], out);
        return null;
      };
    },
  },
  // SQL "x IS [NOT] DISTINCT FROM y": never null; null is not distinct from null; else compared as `==` does.
  {
    name: 'notdistinctfrom', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: ({ argTypes }) => (v) => (notDistinct(v[0], argTypes[0], v[1], argTypes[1]) ? 1 : 0),
  },
  {
    name: 'isdistinctfrom', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: ({ argTypes }) => (v) => (notDistinct(v[0], argTypes[0], v[1], argTypes[1]) ? 0 : 1),
  },
  // SQL "x IS [NOT] TRUE/FALSE": never null; a null x is neither true nor false.
  { name: 'istrue', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (truthy(v[0]) === true ? 1 : 0) },
  { name: 'isfalse', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (truthy(v[0]) === false ? 1 : 0) },
  { name: 'nottrue', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (truthy(v[0]) === true ? 0 : 1) },
  { name: 'notfalse', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (truthy(v[0]) === false ? 0 : 1) },
  { name: 'isnull', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (v[0] === null || v[0] === undefined ? 1 : 0) },
  { name: 'notnull', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'), bind: () => (v) => (v[0] === null || v[0] === undefined ? 0 : 1) },
  {
    name: 'cast', minArgs: 2, maxArgs: 2,
    arrayArgsFor: (args) => {
      const t = args[1];
      return t !== undefined && t.kind === 'literal' && typeof t.value === 'string' && parseTypeName(t.value)?.startsWith('ARRAY<') ? [0] : [];
    },
    returnType: (_t, consts) => castTarget(consts[1]),
    bind: (input) => {
      const to = castTarget(requireConst(input, 1, 'type'));
      if (to === null) throw functionError('cast', `invalid type [${String(input.consts[1])}]`);
      const from = input.argTypes[0];
      return (v) => castTo(v[0], from, to);
    },
  },
];

function castTarget(c: unknown): MaybeType {
  return typeof c === 'string' ? parseTypeName(c) ?? null : null;
}

/** Types of the result positions of case_searched (start 0) or case_simple (start 1). */
function caseResultTypes(t: readonly MaybeType[], start: number): MaybeType[] {
  const out: MaybeType[] = [];
  let i = start;
  for (; i + 1 < t.length; i += 2) out.push(t[i + 1]);
  if (i < t.length) out.push(t[i]);
  return out;
}

registerFunctions(defs);
