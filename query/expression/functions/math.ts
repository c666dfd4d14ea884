/** Math functions (java.lang.Math semantics), reductions (greatest/least) and bitwise functions. */
import { fixed, functionError, registerFunctions, strict, type FunctionDef } from './registry.ts';
import { compareStrings, doubleToLong, toDouble, toLong, toStr } from '../values.ts';
import { numericType, type MaybeType } from '../types.ts';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

function bitsOf(d: number): bigint { f64[0] = d; return i64[0]; }
function fromBits(b: bigint): number { i64[0] = BigInt.asIntN(64, b); return f64[0]; }

/** Java Math.nextUp. */
export function nextUp(d: number): number {
  if (Number.isNaN(d) || d === Number.POSITIVE_INFINITY) return d;
  if (d === 0) return Number.MIN_VALUE;
  const b = bitsOf(d);
  return fromBits(d > 0 ? b + 1n : b - 1n);
}

function nextDown(d: number): number {
  if (Number.isNaN(d) || d === Number.NEGATIVE_INFINITY) return d;
  if (d === 0) return -Number.MIN_VALUE;
  const b = bitsOf(d);
  return fromBits(d > 0 ? b - 1n : b + 1n);
}

function ulp(d: number): number {
  const a = Math.abs(d);
  if (Number.isNaN(a)) return a;
  if (a === Number.POSITIVE_INFINITY) return a;
  if (a === Number.MAX_VALUE) return 2 ** 971;
  return nextUp(a) - a;
}

function getExponent(d: number): number {
  const b = bitsOf(d);
  return Number((b >> 52n) & 0x7ffn) - 1023;
}

/** Round half to even (Java Math.rint). */
export function rint(d: number): number {
  if (!Number.isFinite(d)) return d;
  const r = Math.round(d);
  if (Math.abs(d % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 && d < 0 ? -0 : r;
}

/** Druid round(x, scale) on doubles: BigDecimal HALF_UP over the shortest decimal form; NaN -> 0, infinities -> ±Double.MAX_VALUE. */
export function roundDouble(x: number, scale: number): number {
  if (Number.isNaN(x)) return 0;
  if (!Number.isFinite(x)) return x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
  const sign = x < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(x)}e${scale}`));
  const r = sign * Number(`${shifted}e${-scale}`);
  return Number.isFinite(r) ? r : x;
}

/** Druid round on longs: negative scale rounds HALF_UP to tens, hundreds... */
export function roundLong(x: number, scale: number): number {
  if (scale >= 0) return x;
  const p = 10 ** -scale;
  const sign = x < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(x) + p / 2) / p) * p;
}

function unaryDouble(name: string, fn: (x: number) => number, out: MaybeType = 'DOUBLE'): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 1, returnType: fixed(out),
    bind: () => (v) => {
      if (typeof v[0] === 'string') return null;
      const x = toDouble(v[0]);
      return x === null ? null : fn(x);
    },
  };
}

function binaryDouble(name: string, fn: (x: number, y: number) => number): FunctionDef {
  return {
    name, minArgs: 2, maxArgs: 2, returnType: fixed('DOUBLE'),
    bind: () => (v) => {
      if (typeof v[0] === 'string' && typeof v[1] === 'string') return null;
      const x = toDouble(v[0]), y = toDouble(v[1]);
      return x === null || y === null ? null : fn(x, y);
    },
  };
}

function numericOut(t: MaybeType): 'LONG' | 'DOUBLE' {
  return t === 'LONG' ? 'LONG' : 'DOUBLE';
}

function ieeeRemainder(x: number, y: number): number {
  if (!Number.isFinite(x) || Number.isNaN(y) || y === 0) return Number.NaN;
  if (!Number.isFinite(y)) return x;
  const q = rint(x / y);
  return x - q * y;
}

function asLongBig(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  const n = toLong(v);
  return n === null ? null : BigInt(n);
}

function bitwise(name: string, arity: 1 | 2, fn: (a: bigint, b: bigint) => bigint): FunctionDef {
  return {
    name, minArgs: arity, maxArgs: arity, returnType: fixed('LONG'),
    bind: () => (v) => {
      const a = asLongBig(v[0]);
      const b = arity === 2 ? asLongBig(v[1]) : 0n;
      if (a === null || b === null) return null;
      return Number(BigInt.asIntN(64, fn(a, b)));
    },
  };
}

function reduction(name: 'greatest' | 'least'): FunctionDef {
  const sign = name === 'greatest' ? 1 : -1;
  return {
    name, minArgs: 0, maxArgs: Infinity,
    returnType: (types) => reductionType(types),
    bind: ({ argTypes }) => {
      const out = reductionType(argTypes);
      return (v) => {
        let best: unknown = null;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === null || x === undefined) continue;
          if (out === 'STRING') {
            const s = toStr(x, argTypes[i]);
            if (s !== null && (best === null || sign * compareStrings(s, best as string) > 0)) best = s;
          } else {
            const d = toDouble(x);
            if (d !== null && (best === null || sign * (d - (best as number)) > 0)) best = d;
          }
        }
        return best;
      };
    },
  };
}

function reductionType(types: readonly MaybeType[]): MaybeType {
  let sawString = false, sawDouble = false, sawLong = false;
  for (const t of types) {
    if (t === 'STRING') sawString = true;
    else if (t === 'DOUBLE') sawDouble = true;
    else if (t === 'LONG') sawLong = true;
  }
  if (sawString) return 'STRING';
  if (sawDouble) return 'DOUBLE';
  return sawLong ? 'LONG' : null;
}

const defs: FunctionDef[] = [
  {
    name: 'abs', minArgs: 1, maxArgs: 1, returnType: (t) => numericOut(t[0]),
    bind: () => (v) => { if (typeof v[0] === 'string') return null; const x = toDouble(v[0]); return x === null ? null : Math.abs(x); },
  },
  unaryDouble('acos', Math.acos), unaryDouble('asin', Math.asin), unaryDouble('atan', Math.atan),
  unaryDouble('cbrt', Math.cbrt), unaryDouble('ceil', Math.ceil), unaryDouble('cos', Math.cos),
  unaryDouble('cosh', Math.cosh), unaryDouble('cot', (x) => Math.cos(x) / Math.sin(x)),
  unaryDouble('exp', Math.exp), unaryDouble('expm1', Math.expm1), unaryDouble('floor', Math.floor),
  unaryDouble('log', Math.log), unaryDouble('log10', Math.log10), unaryDouble('log1p', Math.log1p),
  unaryDouble('sin', Math.sin), unaryDouble('sinh', Math.sinh), unaryDouble('sqrt', Math.sqrt),
  unaryDouble('tan', Math.tan), unaryDouble('tanh', Math.tanh), unaryDouble('rint', rint),
  unaryDouble('signum', (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : x)),
  unaryDouble('todegrees', (x) => (x * 180) / Math.PI), unaryDouble('toradians', (x) => (x / 180) * Math.PI),
  unaryDouble('nextup', nextUp), unaryDouble('ulp', ulp), unaryDouble('getexponent', getExponent, 'LONG'),
  binaryDouble('atan2', Math.atan2), binaryDouble('hypot', Math.hypot), binaryDouble('pow', Math.pow),
  binaryDouble('copysign', (x, y) => ((y < 0 || Object.is(y, -0)) ? -Math.abs(x) : Math.abs(x))),
  binaryDouble('nextafter', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : y > x ? nextUp(x) : y < x ? nextDown(x) : y)),
  binaryDouble('remainder', ieeeRemainder),
  binaryDouble('scalb', (d, sf) => d * 2 ** Math.trunc(sf)),
  {
    name: 'pi', minArgs: 0, maxArgs: 0, returnType: fixed('DOUBLE'), bind: () => () => Math.PI,
  },
  {
    name: 'max', minArgs: 2, maxArgs: 2, returnType: (t) => numericType(t[0], t[1]),
    bind: () => strict((v) => { const x = toDouble(v[0]), y = toDouble(v[1]); return x === null || y === null ? null : Math.max(x, y); }),
  },
  {
    name: 'min', minArgs: 2, maxArgs: 2, returnType: (t) => numericType(t[0], t[1]),
    bind: () => strict((v) => { const x = toDouble(v[0]), y = toDouble(v[1]); return x === null || y === null ? null : Math.min(x, y); }),
  },
  {
    name: 'div', minArgs: 2, maxArgs: 2, returnType: fixed('LONG'),
    bind: () => (v) => {
      const x = toLong(v[0]), y = toLong(v[1]);
      if (x === null || y === null || y === 0) return null;
      return Math.trunc(x / y);
    },
  },
  {
    name: 'safe_divide', minArgs: 2, maxArgs: 2, returnType: (t) => numericType(t[0], t[1]),
    bind: ({ argTypes }) => {
      const isLong = numericType(argTypes[0], argTypes[1]) === 'LONG';
      return (v) => {
        const x = toDouble(v[0]), y = toDouble(v[1]);
        if (x === null || y === null || y === 0) return null;
        return isLong ? Math.trunc(x / y) : x / y;
      };
    },
  },
  {
    name: 'round', minArgs: 1, maxArgs: 2, returnType: (t) => numericOut(t[0]),
    bind: ({ argTypes }) => {
      const isLong = argTypes[0] === 'LONG';
      return (v) => {
        const x = toDouble(v[0]);
        if (x === null) return null;
        const s = v.length > 1 ? toLong(v[1]) : 0;
        if (s === null) return null;
        if (v.length > 1 && typeof v[1] === 'number' && !Number.isInteger(v[1])) throw functionError('round', 'second argument should be integer type');
        return isLong ? roundLong(x, s) : roundDouble(x, s);
      };
    },
  },
  reduction('greatest'), reduction('least'),
  bitwise('bitwiseand', 2, (a, b) => a & b), bitwise('bitwiseor', 2, (a, b) => a | b),
  bitwise('bitwisexor', 2, (a, b) => a ^ b), bitwise('bitwisecomplement', 1, (a) => ~a),
  bitwise('bitwiseshiftleft', 2, (a, b) => a << (b & 63n)), bitwise('bitwiseshiftright', 2, (a, b) => a >> (b & 63n)),
  {
    name: 'bitwiseconvertdoubletolongbits', minArgs: 1, maxArgs: 1, returnType: fixed('LONG'),
    bind: () => (v) => { const d = toDouble(v[0]); return d === null ? null : Number(bitsOf(Number.isNaN(d) ? Number.NaN : d)); },
  },
  {
    name: 'bitwiseconvertlongbitstodouble', minArgs: 1, maxArgs: 1, returnType: fixed('DOUBLE'),
    bind: () => (v) => { const b = asLongBig(v[0]); return b === null ? null : fromBits(b); },
  },
];

registerFunctions(defs);

export { doubleToLong };
