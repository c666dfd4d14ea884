/**
 * Typed-array loops for vectorised expression evaluation. Each kernel is a
 * small function over arrays (no allocation inside the loop) so V8 keeps it
 * optimised. Null handling is done by the caller via null masks.
 */

export function addKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

export function subKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] - b[i];
}

export function mulKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
}

export function divDoubleKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] / b[i];
}

export function modDoubleKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] % b[i];
}

export function powDoubleKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.pow(a[i], b[i]);
}

/** Long division: truncates; division by zero flags the row null. Returns the number of rows flagged. */
export function divLongKernel(a: Float64Array, b: Float64Array, out: Float64Array, nulls: Uint8Array): number {
  let flagged = 0;
  for (let i = 0; i < out.length; i++) {
    const d = b[i];
    if (d === 0) { out[i] = 0; nulls[i] = 1; flagged++; } else out[i] = Math.trunc(a[i] / d);
  }
  return flagged;
}

/** Long modulo; modulo by zero flags the row null. */
export function modLongKernel(a: Float64Array, b: Float64Array, out: Float64Array, nulls: Uint8Array): number {
  let flagged = 0;
  for (let i = 0; i < out.length; i++) {
    const d = b[i];
    if (d === 0) { out[i] = 0; nulls[i] = 1; flagged++; } else out[i] = a[i] % d;
  }
  return flagged;
}

/** Long power; negative exponents flag the row null. */
export function powLongKernel(a: Float64Array, b: Float64Array, out: Float64Array, nulls: Uint8Array): number {
  let flagged = 0;
  for (let i = 0; i < out.length; i++) {
    const e = b[i];
    if (e < 0) { out[i] = 0; nulls[i] = 1; flagged++; } else out[i] = Math.trunc(a[i] ** e);
  }
  return flagged;
}

export function ltKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] < b[i]);
}

export function leKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] <= b[i]);
}

export function gtKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] > b[i]);
}

export function geKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] >= b[i]);
}

export function eqKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] === b[i]);
}

export function neKernel(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +(a[i] !== b[i]);
}

export function negateKernel(a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] === 0 ? 0 : -a[i];
}

/** out[i] = 1 when a[i] <= 0 (Druid `!`), else 0. */
export function notKernel(a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = +!(a[i] > 0);
}

/** out = a | b element-wise (null masks). */
export function orMasks(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] | b[i];
}

/** out[i] = dictValues[ids[i]] (numbers gathered by dictionary id). */
export function gatherNumbers(ids: Int32Array, dictValues: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = dictValues[ids[i]];
}

/** out[i] = dictNulls[ids[i]]. */
export function gatherMask(ids: Int32Array, dictNulls: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = dictNulls[ids[i]];
}

/** Three-valued AND over truthiness (v > 0) with null masks; writes 1/0 and the result mask. */
export function andKernel(a: Float64Array, an: Uint8Array | null, b: Float64Array, bn: Uint8Array | null, out: Float64Array, nulls: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const la = an !== null && an[i] === 1 ? -1 : +(a[i] > 0);
    const lb = bn !== null && bn[i] === 1 ? -1 : +(b[i] > 0);
    if (la === 0 || lb === 0) { out[i] = 0; nulls[i] = 0; } else if (la === -1 || lb === -1) { out[i] = 0; nulls[i] = 1; } else { out[i] = 1; nulls[i] = 0; }
  }
}

/** Three-valued OR over truthiness (v > 0) with null masks. */
export function orKernel(a: Float64Array, an: Uint8Array | null, b: Float64Array, bn: Uint8Array | null, out: Float64Array, nulls: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const la = an !== null && an[i] === 1 ? -1 : +(a[i] > 0);
    const lb = bn !== null && bn[i] === 1 ? -1 : +(b[i] > 0);
    if (la === 1 || lb === 1) { out[i] = 1; nulls[i] = 0; } else if (la === -1 || lb === -1) { out[i] = 0; nulls[i] = 1; } else { out[i] = 0; nulls[i] = 0; }
  }
}

/**
 * Operator with a constant on one side: out[i] = a[i] op c, or c op a[i] when
 * `constLeft`. Handles + - * and double / % ^ and the comparisons; returns
 * false for operators it does not cover (the caller then broadcasts).
 */
export function scalarKernel(op: string, a: Float64Array, c: number, constLeft: boolean, out: Float64Array): boolean {
  const n = out.length;
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = a[i] + c; return true;
    case '*': for (let i = 0; i < n; i++) out[i] = a[i] * c; return true;
    case '-':
      if (constLeft) for (let i = 0; i < n; i++) out[i] = c - a[i]; else for (let i = 0; i < n; i++) out[i] = a[i] - c;
      return true;
    case '/':
      if (constLeft) for (let i = 0; i < n; i++) out[i] = c / a[i]; else for (let i = 0; i < n; i++) out[i] = a[i] / c;
      return true;
    case '<': return compareScalar(constLeft ? '>' : '<', a, c, out);
    case '<=': return compareScalar(constLeft ? '>=' : '<=', a, c, out);
    case '>': return compareScalar(constLeft ? '<' : '>', a, c, out);
    case '>=': return compareScalar(constLeft ? '<=' : '>=', a, c, out);
    case '==': case '!=': return compareScalar(op, a, c, out);
    default: return false;
  }
}

function compareScalar(op: string, a: Float64Array, c: number, out: Float64Array): boolean {
  const n = out.length;
  switch (op) {
    case '<': for (let i = 0; i < n; i++) out[i] = +(a[i] < c); return true;
    case '<=': for (let i = 0; i < n; i++) out[i] = +(a[i] <= c); return true;
    case '>': for (let i = 0; i < n; i++) out[i] = +(a[i] > c); return true;
    case '>=': for (let i = 0; i < n; i++) out[i] = +(a[i] >= c); return true;
    case '==': for (let i = 0; i < n; i++) out[i] = +(a[i] === c); return true;
    case '!=': for (let i = 0; i < n; i++) out[i] = +(a[i] !== c); return true;
    default: return false;
  }
}

/** Long division by a non-zero constant (truncating). */
export function divLongScalarKernel(a: Float64Array, c: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.trunc(a[i] / c);
}
