/** String functions. Null in any value argument gives null unless stated otherwise. */
import { NOT_CONSTANT, checkResultSize, fixed, functionError, registerFunctions, requireConst, type BindInput, type FunctionDef, type FunctionImpl } from './registry.ts';
import { compileJavaRegex, javaReplacement, likeToRegex } from './java-regex.ts';
import { javaFormat } from './java-format.ts';
import { resolveLookup } from '../lookup.ts';
import { toLong, toStr } from '../values.ts';
import type { MaybeType } from '../types.ts';

function str(v: unknown, t: MaybeType): string | null {
  return toStr(v, t);
}

/** A function whose arguments are all strings (converted from their types) and null-strict. */
function stringFn(name: string, min: number, max: number, out: MaybeType, fn: (s: string[], input: BindInput) => unknown): FunctionDef {
  return {
    name, minArgs: min, maxArgs: max, returnType: fixed(out),
    bind: (input) => {
      const types = input.argTypes;
      const buf: string[] = [];
      return (v) => {
        buf.length = v.length;
        for (let i = 0; i < v.length; i++) {
          const s = str(v[i], types[i]);
          if (s === null) return null;
          buf[i] = s;
        }
        return fn(buf, input);
      };
    },
  };
}

/** Resolves a regex argument: compiled once when constant, else per value (cached). */
function regexArg(input: BindInput, i: number): (v: unknown) => RegExp | null {
  const c = input.consts[i];
  if (c !== NOT_CONSTANT) {
    if (c === null) return () => null;
    const re = compileJavaRegex(String(c));
    return () => { re.lastIndex = 0; return re; };
  }
  return (v) => (v === null || v === undefined ? null : compileJavaRegex(String(v)));
}

function trimFn(name: string, left: boolean, right: boolean): FunctionDef {
  return stringFn(name, 1, 2, 'STRING', (s) => {
    const chars = s.length > 1 ? s[1] : ' ';
    let a = 0, b = s[0].length;
    if (left) while (a < b && chars.includes(s[0][a])) a++;
    if (right) while (b > a && chars.includes(s[0][b - 1])) b--;
    return s[0].slice(a, b);
  });
}

function pad(name: string, left: boolean): FunctionDef {
  return {
    name, minArgs: 3, maxArgs: 3, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const s = str(v[0], argTypes[0]);
      const len = toLong(v[1]);
      const chars = str(v[2], argTypes[2]);
      if (s === null || len === null || chars === null) return null;
      if (len === 0) return null;
      if (len < 0) return '';
      if (len <= s.length) return s.slice(0, len);
      checkResultSize(name, len);
      if (chars.length === 0) return s;
      const fill = chars.repeat(Math.ceil((len - s.length) / chars.length)).slice(0, len - s.length);
      return left ? fill + s : s + fill;
    },
  };
}

function leftRight(name: 'left' | 'right'): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const s = str(v[0], argTypes[0]);
      const n = toLong(v[1]);
      if (s === null || n === null) return null;
      if (n < 0) throw functionError(name, `needs a positive integer as the second argument`);
      if (name === 'left') return s.slice(0, n);
      return n >= s.length ? s : s.slice(s.length - n);
    },
  };
}

const concat: FunctionDef = {
  name: 'concat', minArgs: 0, maxArgs: Infinity, returnType: fixed('STRING'),
  bind: ({ argTypes }) => (v) => {
    let out = '';
    for (let i = 0; i < v.length; i++) {
      const s = str(v[i], argTypes[i]);
      if (s === null) return null;
      out += s;
    }
    return out;
  },
};

const defs: FunctionDef[] = [
  concat,
  {
    name: 'format', minArgs: 1, maxArgs: Infinity, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const p = str(v[0], argTypes[0]);
      if (p === null) return null;
      return javaFormat(p, v.slice(1), argTypes.slice(1));
    },
  },
  {
    name: 'like', minArgs: 2, maxArgs: 3, returnType: fixed('LONG'),
    bind: (input) => {
      const pattern = requireConst(input, 1, 'pattern');
      const escape = input.args.length > 2 ? requireConst(input, 2, 'escape') : null;
      if (escape !== null && (typeof escape !== 'string' || escape.length !== 1)) throw functionError('like', 'escape must be a single character');
      if (pattern === null) return () => null;
      const re = likeToRegex(String(pattern), escape as string | null);
      const t = input.argTypes[0];
      return (v) => { const s = str(v[0], t); return s === null ? null : re.test(s) ? 1 : 0; };
    },
  },
  {
    name: 'lookup', minArgs: 2, maxArgs: 3, returnType: fixed('STRING'),
    bind: (input) => {
      const name = requireConst(input, 1, 'lookup name');
      const missing = input.args.length > 2 ? requireConst(input, 2, 'replaceMissingValueWith') : null;
      const fn = resolveLookup(String(name));
      const t = input.argTypes[0];
      const fallback = missing === null ? null : String(missing);
      return (v) => {
        const s = str(v[0], t);
        if (s === null) return fallback;
        const r = fn(s);
        return r === null ? fallback : r;
      };
    },
  },
  {
    name: 'parse_long', minArgs: 1, maxArgs: 2, returnType: fixed('LONG'),
    bind: ({ argTypes }) => (v) => {
      let s = str(v[0], argTypes[0]);
      if (s === null) return null;
      const radix = v.length > 1 ? toLong(v[1]) : 10;
      if (radix === null) return null;
      if (radix === 16 && (s.startsWith('0x') || s.startsWith('0X'))) s = s.slice(2);
      return parseJavaLong(s, radix);
    },
  },
  {
    name: 'regexp_extract', minArgs: 2, maxArgs: 3, returnType: fixed('STRING'),
    bind: (input) => {
      const re = regexArg(input, 1);
      const t = input.argTypes[0];
      return (v) => {
        const s = str(v[0], t);
        const r = re(v[1]);
        if (s === null || r === null) return null;
        const idx = v.length > 2 ? toLong(v[2]) : 0;
        if (idx === null) return null;
        r.lastIndex = 0;
        const m = r.exec(s);
        if (m === null) return null;
        if (idx >= m.length) throw functionError('regexp_extract', `group index ${idx} is out of range`);
        return m[idx] ?? null;
      };
    },
  },
  {
    name: 'regexp_like', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: (input) => {
      const re = regexArg(input, 1);
      const t = input.argTypes[0];
      return (v) => {
        const s = str(v[0], t);
        const r = re(v[1]);
        if (s === null || r === null) return null;
        r.lastIndex = 0;
        return r.test(s) ? 1 : 0;
      };
    },
  },
  {
    name: 'regexp_replace', minArgs: 3, maxArgs: 3, returnType: fixed('STRING'),
    bind: (input) => {
      const re = regexArg(input, 1);
      const t = input.argTypes[0];
      return (v) => {
        const s = str(v[0], t);
        const r = re(v[1]);
        const rep = str(v[2], input.argTypes[2]);
        if (s === null || r === null || rep === null) return null;
        r.lastIndex = 0;
        return s.replace(r, javaReplacement(rep));
      };
    },
  },
  stringFn('contains_string', 2, 2, 'LONG', (s) => (s[0].includes(s[1]) ? 1 : 0)),
  stringFn('icontains_string', 2, 2, 'LONG', (s) => (s[0].toLowerCase().includes(s[1].toLowerCase()) ? 1 : 0)),
  {
    name: 'replace', minArgs: 3, maxArgs: 3, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const s = str(v[0], argTypes[0]), p = str(v[1], argTypes[1]), r = str(v[2], argTypes[2]);
      if (s === null) return null;
      if (p === null || r === null) return s;
      return s.replaceAll(p, () => r);
    },
  },
  stringFn('strlen', 1, 1, 'LONG', (s) => s[0].length),
  {
    name: 'strpos', minArgs: 2, maxArgs: 3, returnType: fixed('LONG'),
    bind: ({ argTypes }) => (v) => {
      const h = str(v[0], argTypes[0]), n = str(v[1], argTypes[1]);
      if (h === null || n === null) return null;
      const from = v.length > 2 ? toLong(v[2]) : 0;
      if (from === null) return null;
      return h.indexOf(n, Math.max(0, from));
    },
  },
  {
    name: 'substring', minArgs: 3, maxArgs: 3, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const s = str(v[0], argTypes[0]);
      if (s === null) return null;
      const index = toLong(v[1]) ?? 0, length = toLong(v[2]) ?? -1;
      if (index >= s.length) return null;
      const from = Math.max(0, index);
      return length >= 0 ? s.slice(from, Math.min(from + length, s.length)) : s.slice(from);
    },
  },
  leftRight('left'), leftRight('right'),
  trimFn('trim', true, true), trimFn('ltrim', true, false), trimFn('rtrim', false, true),
  stringFn('lower', 1, 1, 'STRING', (s) => s[0].toLowerCase()),
  stringFn('upper', 1, 1, 'STRING', (s) => s[0].toUpperCase()),
  stringFn('reverse', 1, 1, 'STRING', (s) => Array.from(s[0]).reverse().join('')),
  {
    name: 'repeat', minArgs: 2, maxArgs: 2, returnType: fixed('STRING'),
    bind: ({ argTypes }) => (v) => {
      const s = str(v[0], argTypes[0]);
      const n = toLong(v[1]);
      if (s === null || n === null) return null;
      if (n < 1) return null;
      checkResultSize('repeat', s.length * n);
      return s.repeat(n);
    },
  },
  pad('lpad', true), pad('rpad', false),
];

/** Java Long.parseLong(s, radix), or null when s is not a long in that radix. */
export function parseJavaLong(s: string, radix: number): number | null {
  if (radix < 2 || radix > 36 || s.length === 0) return null;
  let i = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') { negative = s[0] === '-'; i = 1; }
  if (i >= s.length) return null;
  let acc = 0n;
  const r = BigInt(radix);
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 36);
    if (Number.isNaN(d) || d >= radix) return null;
    acc = acc * r + BigInt(d);
  }
  if (negative) acc = -acc;
  if (acc > 9223372036854775807n || acc < -9223372036854775808n) return null;
  return Number(acc);
}

registerFunctions(defs);

export type { FunctionImpl };
