/** IPv4 functions: addresses as dotted strings or as LONGs in [0, 2^32). */
import { fixed, functionError, registerFunctions, requireConst, type FunctionDef } from './registry.ts';

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted IPv4 text to its unsigned 32-bit value, or null. */
export function parseIpv4(s: string): number | null {
  const m = DOTTED.exec(s);
  if (m === null) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

function ipValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : null;
  if (typeof v === 'string') return parseIpv4(v);
  return null;
}

/** Unsigned 32-bit value to dotted text. */
export function stringifyIpv4(v: number): string {
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/** IPv6 text (with :: compression and an optional dotted IPv4 tail) to a 128-bit value, or null. */
export function parseIpv6(text: string): bigint | null {
  let s = text;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    s = s.slice(0, lastColon + 1) + (s[lastColon - 1] === ':' ? '' : '0');
    if (s.endsWith(':0')) s = s.slice(0, -2);
    else if (s.endsWith(':')) s = s.slice(0, -1);
    if (s === '') s = '::';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const groups = 8 - tail.length;
  if (halves.length === 1 && head.length !== groups) return null;
  if (head.length + rest.length > groups - (halves.length === 2 ? 1 : 0) && halves.length === 2) return null;
  const words = [...head, ...Array(groups - head.length - rest.length).fill('0'), ...rest];
  let v = 0n;
  for (const w of words) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return null;
    v = (v << 16n) | BigInt(parseInt(w, 16));
  }
  for (const t of tail) v = (v << 16n) | BigInt(t);
  return v;
}

const defs: FunctionDef[] = [
  {
    name: 'ipv6_match', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: (input) => {
      const subnet = String(requireConst(input, 1, 'subnet'));
      const m = /^(.+)\/(\d{1,3})$/.exec(subnet);
      const base = m === null ? null : parseIpv6(m[1]);
      const bits = m === null ? -1 : Number(m[2]);
      if (base === null || bits < 0 || bits > 128) throw functionError('ipv6_match', `subnet arg has an invalid format: ${subnet}`);
      const shift = BigInt(128 - bits);
      const prefix = base >> shift;
      return (v) => {
        if (v[0] === null || v[0] === undefined) return null;
        const a = typeof v[0] === 'string' ? parseIpv6(v[0]) : null;
        return a !== null && a >> shift === prefix ? 1 : 0;
      };
    },
  },
  {
    name: 'ipv4_match', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: (input) => {
      const subnet = String(requireConst(input, 1, 'subnet'));
      const m = /^(.+)\/(\d{1,2})$/.exec(subnet);
      const base = m === null ? null : parseIpv4(m[1]);
      const bits = m === null ? -1 : Number(m[2]);
      if (base === null || bits < 0 || bits > 32) throw functionError('ipv4_match', `subnet arg has an invalid format: ${subnet}`);
      const size = 2 ** (32 - bits);
      const start = Math.floor(base / size) * size;
      return (v) => {
        if (v[0] === null || v[0] === undefined) return null;
        const a = ipValue(v[0]);
        return a !== null && a >= start && a < start + size ? 1 : 0;
      };
    },
  },
  {
    name: 'ipv4_parse', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'),
    bind: () => (v) => ipValue(v[0]),
  },
  {
    name: 'ipv4_stringify', minArgs: 1, maxArgs: 1, returnType: fixed('STRING'),
    bind: () => (v) => {
      const x = v[0];
      if (typeof x === 'string') return parseIpv4(x) === null ? null : x;
      const n = ipValue(x);
      return n === null ? null : stringifyIpv4(n);
    },
  },
];

registerFunctions(defs);
