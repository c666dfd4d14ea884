/**
 * Aggregate accumulators for broker-side GROUP BY and window aggregates.
 * One accumulator object per (group, aggregate); `add` takes the evaluated
 * arguments of one row, `result` the final SQL value.
 */
import type { AggCall } from '../rel.ts';
import { compareValues, toNumber, valueKey, typedToString } from '../values.ts';
import { errors } from '../../common/errors.ts';
import { quantileAccumulator } from './quantile-accumulator.ts';

export type { Accumulator, AccumulatorFactory } from './accumulator.ts';
import type { Accumulator, AccumulatorFactory } from './accumulator.ts';

/** Builds the factory for one aggregate call (args are evaluated by the caller). */
export function accumulatorFactory(call: Pick<AggCall, 'fn' | 'distinct' | 'type' | 'args'>, timeZone: string): AccumulatorFactory {
  const base = baseFactory(call, timeZone);
  if (!call.distinct || call.fn === 'COUNT' || call.fn.startsWith('APPROX_COUNT_DISTINCT') || call.fn === 'STRING_AGG' || call.fn === 'ARRAY_AGG') return base;
  return () => {
    const seen = new Set<string>();
    const inner = base();
    return {
      add(args) { const k = valueKey(args[0]); if (seen.has(k)) return; seen.add(k); inner.add(args); },
      result: () => inner.result(),
    };
  };
}

function integralSum(type: string): boolean {
  return type === 'BIGINT' || type === 'INTEGER' || type === 'SMALLINT';
}

function baseFactory(call: Pick<AggCall, 'fn' | 'distinct' | 'type' | 'args'>, timeZone: string): AccumulatorFactory {
  const argType = call.args[0]?.type ?? 'VARCHAR';
  switch (call.fn) {
    case 'COUNT':
      if (call.args.length === 0) return () => { let n = 0; return { add() { n++; }, remove() { n--; }, result: () => n }; };
      if (call.distinct) return () => {
        const seen = new Map<string, number>();
        return {
          add(a) { if (a[0] === null || a[0] === undefined) return; const k = valueKey(a[0]); seen.set(k, (seen.get(k) ?? 0) + 1); },
          remove(a) { if (a[0] === null || a[0] === undefined) return; const k = valueKey(a[0]); const c = (seen.get(k) ?? 0) - 1; if (c <= 0) seen.delete(k); else seen.set(k, c); },
          result: () => seen.size,
        };
      };
      return () => { let n = 0; return { add(a) { if (a[0] !== null && a[0] !== undefined) n++; }, remove(a) { if (a[0] !== null && a[0] !== undefined) n--; }, result: () => n }; };
    case 'APPROX_COUNT_DISTINCT': case 'APPROX_COUNT_DISTINCT_BUILTIN': case 'APPROX_COUNT_DISTINCT_DS_HLL': case 'APPROX_COUNT_DISTINCT_DS_THETA':
      return () => {
        const seen = new Set<string>();
        return { add(a) { const v = a[0]; if (v === null || v === undefined) return; if (Array.isArray(v)) { for (const x of v) if (x !== null) seen.add(valueKey(x)); } else seen.add(valueKey(v)); }, result: () => seen.size };
      };
    case 'SUM': case 'SUM0': {
      const integral = integralSum(call.type);
      const zeroWhenEmpty = call.fn === 'SUM0';
      return () => {
        let s = 0;
        let big: bigint | null = null;
        let n = 0;
        return {
          add(a) {
            const v = a[0];
            if (v === null || v === undefined) return;
            n++;
            if (typeof v === 'bigint' || big !== null) { big = (big ?? BigInt(s)) + (typeof v === 'bigint' ? v : BigInt(Math.trunc(toNumber(v) ?? 0))); return; }
            s += toNumber(v) ?? 0;
          },
          remove(a) { const v = a[0]; if (v === null || v === undefined) return; n--; if (big !== null) big -= typeof v === 'bigint' ? v : BigInt(Math.trunc(toNumber(v) ?? 0)); else s -= toNumber(v) ?? 0; },
          result() {
            if (n === 0) return zeroWhenEmpty ? 0 : null;
            if (big !== null) return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
            return integral ? Math.trunc(s) : s;
          },
        };
      };
    }
    case 'AVG': {
      const integral = integralSum(call.type);
      return () => {
        let s = 0; let n = 0;
        return {
          add(a) { const v = toNumber(a[0]); if (v === null) return; s += v; n++; },
          remove(a) { const v = toNumber(a[0]); if (v === null) return; s -= v; n--; },
          result: () => (n === 0 ? null : integral ? Math.trunc(s / n) : s / n),
        };
      };
    }
    case 'MIN': case 'MAX': {
      const sign = call.fn === 'MIN' ? -1 : 1;
      return () => {
        let best: unknown = null;
        return {
          add(a) { const v = a[0]; if (v === null || v === undefined) return; if (best === null || sign * compareValues(v, best) > 0) best = v; },
          result: () => best,
        };
      };
    }
    case 'EARLIEST_BY': case 'LATEST_BY': {
      const latest = call.fn === 'LATEST_BY';
      return () => {
        let bestT: number | null = null; let val: unknown = null;
        return {
          add(a) {
            const t = toNumber(a[1]);
            if (t === null) return;
            if (bestT === null || (latest ? t > bestT : t < bestT)) { bestT = t; val = a[0] ?? null; }
          },
          result: () => {
            const max = toNumber(a2(call));
            return typeof val === 'string' && max !== null ? val.slice(0, max) : val;
          },
        };
      };
    }
    case 'ANY_VALUE': return () => { let v: unknown = null; let set = false; return { add(a) { if (!set && a[0] !== null && a[0] !== undefined) { v = a[0]; set = true; } }, result: () => v }; };
    case 'STRING_AGG': return () => {
      const parts: string[] = [];
      const seen = new Set<string>();
      let sep = ',';
      return {
        add(a) {
          const v = a[0];
          if (v === null || v === undefined) return;
          if (a[1] !== undefined && a[1] !== null) sep = String(a[1]);
          const s = typedToString(v, argType === 'TIMESTAMP' || argType === 'DATE' ? 'BIGINT' : argType, timeZone) ?? '';
          if (call.distinct) { if (seen.has(s)) return; seen.add(s); }
          parts.push(s);
        },
        result: () => (parts.length === 0 ? null : parts.join(sep)),
      };
    };
    case 'ARRAY_AGG': return () => {
      const out: unknown[] = [];
      const seen = new Set<string>();
      return {
        add(a) { const v = a[0] ?? null; if (call.distinct) { const k = valueKey(v); if (seen.has(k)) return; seen.add(k); } out.push(v); },
        result: () => (out.length === 0 ? null : out),
      };
    };
    case 'ARRAY_CONCAT_AGG': return () => {
      const out: unknown[] = [];
      return { add(a) { if (Array.isArray(a[0])) out.push(...a[0]); }, result: () => (out.length === 0 ? null : out) };
    };
    case 'BIT_AND': case 'BIT_OR': case 'BIT_XOR': return () => {
      let acc: bigint | null = null;
      return {
        add(a) {
          const v = toNumber(a[0]); if (v === null) return;
          const b = BigInt(Math.trunc(v));
          acc = acc === null ? b : call.fn === 'BIT_AND' ? acc & b : call.fn === 'BIT_OR' ? acc | b : acc ^ b;
        },
        result: () => (acc === null ? null : Number(acc)),
      };
    };
    case 'BOOL_AND': case 'EVERY': case 'BOOL_OR': return () => {
      let acc: boolean | null = null;
      const and = call.fn !== 'BOOL_OR';
      return { add(a) { const v = a[0]; if (v === null || v === undefined) return; const b = Boolean(v); acc = acc === null ? b : and ? acc && b : acc || b; }, result: () => acc };
    };
    case 'APPROX_QUANTILE': case 'APPROX_QUANTILE_DS': return () => quantileAccumulator(call.fn);
    case 'STDDEV': case 'STDDEV_SAMP': case 'STDDEV_POP': case 'VARIANCE': case 'VAR_SAMP': case 'VAR_POP': return () => {
      let n = 0; let mean = 0; let m2 = 0;
      return {
        add(a) { const v = toNumber(a[0]); if (v === null) return; n++; const d = v - mean; mean += d / n; m2 += d * (v - mean); },
        result() {
          const pop = call.fn.endsWith('_POP');
          if (n === 0 || (!pop && n === 1)) return n === 1 && !pop ? null : null;
          const variance = m2 / (pop ? n : n - 1);
          return call.fn.startsWith('STDDEV') ? Math.sqrt(variance) : variance;
        },
      };
    };
  }
  throw errors.unsupported(`Aggregate function ${call.fn}`);
}

/** Literal third argument (max bytes) of EARLIEST_BY/LATEST_BY, if any. */
function a2(call: Pick<AggCall, 'args'>): unknown {
  const a = call.args[2];
  return a && a.kind === 'lit' ? a.value : null;
}
