/**
 * JSON functions over COMPLEX<json> values (plain JS objects, arrays and
 * scalars). Paths use Druid's JSONPath subset: `$`, `.name`, `['name']`, `[n]`.
 */
import { NemetonError } from '../../../common/errors.ts';
import { NOT_CONSTANT, fixed, functionError, registerFunctions, type BindInput, type FunctionDef } from './registry.ts';
import { castTo, classify, toStr } from '../values.ts';
import { parseTypeName, type MaybeType } from '../types.ts';

type PathPart = string | number;

/** Parses a JSONPath of the supported subset; throws 'Invalid input' otherwise. */
export function parseJsonPath(path: string): PathPart[] {
  if (!path.startsWith('$')) throw new NemetonError(`Bad format, '${path}' is not a valid JSONPath path: must start with '$'`, { code: 'Invalid input' });
  const parts: PathPart[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i + 1 && j === path.length) break; // '$.' is the root, as Druid reads it
      if (j === i + 1) throw new NemetonError(`Bad format, '${path}' is not a valid JSONPath path: empty field name`, { code: 'Invalid input' });
      parts.push(path.slice(i + 1, j));
      i = j;
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new NemetonError(`Bad format, '${path}' is not a valid JSONPath path: missing ']'`, { code: 'Invalid input' });
      const inner = path.slice(i + 1, end).trim();
      const q = /^(['"])(.*)\1$/.exec(inner);
      if (q !== null) parts.push(q[2]);
      else if (/^-?\d+$/.test(inner)) parts.push(Number(inner));
      else throw new NemetonError(`Bad format, '${path}' is not a valid JSONPath path: bad index '${inner}'`, { code: 'Invalid input' });
      i = end + 1;
    } else {
      throw new NemetonError(`Bad format, '${path}' is not a valid JSONPath path at position ${i}`, { code: 'Invalid input' });
    }
  }
  return parts;
}

/** The value at `parts` inside v, or undefined when absent. */
export function walkJson(v: unknown, parts: readonly PathPart[]): unknown {
  let cur: unknown = v;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof p === 'number') {
      if (!Array.isArray(cur)) return undefined;
      const k = p < 0 ? cur.length + p : p;
      cur = cur[k];
    } else {
      if (typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
  }
  return cur;
}

function pathArg(input: BindInput, i: number): (v: unknown[]) => PathPart[] | null {
  const c = input.consts[i];
  if (c !== NOT_CONSTANT) {
    const parts = c === null ? null : parseJsonPath(String(c));
    return () => parts;
  }
  return (v) => (v[i] === null || v[i] === undefined ? null : parseJsonPath(String(v[i])));
}

function parseJsonValue(v: unknown, strict: boolean): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    if (strict) throw new NemetonError(`Bad string input [${v}] to [parse_json]`, { code: 'Invalid input' });
    return null;
  }
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'));
}

function jsonPaths(v: unknown, prefix: string, out: string[]): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of Object.keys(v)) jsonPaths((v as Record<string, unknown>)[k], /^[A-Za-z_$][\w$]*$/.test(k) ? `${prefix}.${k}` : `${prefix}['${k}']`, out);
  } else {
    out.push(prefix);
  }
}

const defs: FunctionDef[] = [
  {
    name: 'json_value', minArgs: 2, maxArgs: 3, arrayArgs: [0],
    returnType: (_t, consts) => (consts.length > 2 && typeof consts[2] === 'string' ? parseTypeName(consts[2]) ?? null : 'STRING'),
    bind: (input) => {
      const path = pathArg(input, 1);
      const typeName = input.consts.length > 2 ? input.consts[2] : null;
      if (typeName === NOT_CONSTANT) throw functionError('json_value', 'type must be a literal');
      const to: MaybeType = typeName === null ? null : parseTypeName(String(typeName)) ?? null;
      if (typeName !== null && to === null) throw functionError('json_value', `invalid type [${String(typeName)}]`);
      return (v) => {
        const p = path(v);
        if (p === null || v[0] === null || v[0] === undefined) return null;
        const x = walkJson(v[0], p);
        if (x === undefined || x === null || !isScalar(x)) return null;
        if (to !== null) return castTo(x, classify(x), to);
        return Array.isArray(x) ? x : typeof x === 'string' ? x : typeof x === 'boolean' ? String(x) : x;
      };
    },
  },
  {
    name: 'json_query', minArgs: 2, maxArgs: 2, arrayArgs: [0], returnType: fixed('COMPLEX<json>'),
    bind: (input) => {
      const path = pathArg(input, 1);
      return (v) => { const p = path(v); if (p === null) return null; const x = walkJson(v[0], p); return x === undefined ? null : x; };
    },
  },
  {
    name: 'json_query_array', minArgs: 2, maxArgs: 2, arrayArgs: [0], returnType: fixed('ARRAY<STRING>'),
    bind: (input) => {
      const path = pathArg(input, 1);
      return (v) => {
        const p = path(v);
        if (p === null) return null;
        const x = walkJson(v[0], p);
        if (x === undefined || x === null) return null;
        return Array.isArray(x) ? x : [x];
      };
    },
  },
  {
    name: 'json_object', minArgs: 0, maxArgs: Infinity, arrayArgs: 'all', returnType: fixed('COMPLEX<json>'),
    bind: ({ argTypes }) => (v) => {
      if (v.length % 2 !== 0) throw functionError('json_object', 'needs an even number of arguments (key, value pairs)');
      const o: Record<string, unknown> = {};
      for (let i = 0; i < v.length; i += 2) {
        const k = toStr(v[i], argTypes[i]);
        if (k === null) throw functionError('json_object', 'key must not be null');
        o[k] = v[i + 1] ?? null;
      }
      return o;
    },
  },
  { name: 'parse_json', minArgs: 1, maxArgs: 1, returnType: fixed('COMPLEX<json>'), bind: () => (v) => parseJsonValue(v[0], true) },
  { name: 'try_parse_json', minArgs: 1, maxArgs: 1, returnType: fixed('COMPLEX<json>'), bind: () => (v) => parseJsonValue(v[0], false) },
  {
    name: 'to_json_string', minArgs: 1, maxArgs: 1, arrayArgs: [0], returnType: fixed('STRING'),
    bind: () => (v) => (v[0] === null || v[0] === undefined ? null : JSON.stringify(v[0])),
  },
  {
    name: 'json_keys', minArgs: 2, maxArgs: 2, arrayArgs: [0], returnType: fixed('ARRAY<STRING>'),
    bind: (input) => {
      const path = pathArg(input, 1);
      return (v) => {
        const p = path(v);
        if (p === null) return null;
        const x = walkJson(v[0], p);
        if (Array.isArray(x)) return x.map((_e, i) => String(i));
        return x !== null && typeof x === 'object' ? Object.keys(x) : null;
      };
    },
  },
  {
    name: 'json_paths', minArgs: 1, maxArgs: 1, arrayArgs: [0], returnType: fixed('ARRAY<STRING>'),
    bind: () => (v) => { const out: string[] = []; jsonPaths(v[0], '$', out); return out; },
  },
  {
    name: 'json_merge', minArgs: 2, maxArgs: Infinity, arrayArgs: 'all', returnType: fixed('COMPLEX<json>'),
    bind: () => (v) => {
      let acc: Record<string, unknown> = {};
      for (const x of v) {
        const o = parseJsonValue(x, true);
        if (o === null || typeof o !== 'object' || Array.isArray(o)) throw functionError('json_merge', 'arguments must be JSON objects');
        acc = { ...acc, ...(o as Record<string, unknown>) };
      }
      return acc;
    },
  },
];

registerFunctions(defs);
