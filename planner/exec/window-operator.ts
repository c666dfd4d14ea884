/** Broker-side window functions: partition, order, then rank / offset / frame-aggregate functions. */
import type { Rel, WindowCall } from '../rel.ts';
import type { ExecEnv } from './environment.ts';
import { compileExpr, type Evaluator, type Row } from '../eval.ts';
import { accumulatorFactory } from './accumulators.ts';
import { compareValues, rowKey, toNumber } from '../values.ts';
import { errors } from '../../common/errors.ts';
import { compareKeyTuples, keyTuples } from './sort-operator.ts';

type WindowRel = Extract<Rel, { kind: 'window' }>;

/** Appends one column per window call to every input row (input order is kept). */
export function windowRows(rel: WindowRel, rows: readonly Row[], env: ExecEnv): Row[] {
  const out = rows.map((r) => r.slice());
  for (const call of rel.calls) {
    const values = computeWindow(call, rows, env);
    for (let i = 0; i < rows.length; i++) out[i].push(values[i]);
  }
  return out;
}

function computeWindow(call: WindowCall, rows: readonly Row[], env: ExecEnv): unknown[] {
  const ctx = env.compile;
  const parts = call.partitionBy.map((p) => compileExpr(p, ctx));
  const args = call.args.map((a) => compileExpr(a, ctx));
  const partitions = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const k = rowKey(parts.map((p) => p(rows[i])));
    let list = partitions.get(k);
    if (!list) { list = []; partitions.set(k, list); }
    list.push(i);
  }
  const result = new Array<unknown>(rows.length).fill(null);
  const tuples = keyTuples(rows, call.orderBy, ctx);
  const cmpIdx = (a: number, b: number) => compareKeyTuples(call.orderBy, tuples[a], tuples[b]);
  const orderKeys = call.orderBy.map((o) => compileExpr(o.expr, ctx));
  for (const idxs of partitions.values()) {
    idxs.sort((a, b) => cmpIdx(a, b) || a - b);
    const n = idxs.length;
    // Peer groups (rows equal on ORDER BY keys).
    const peerStart = new Array<number>(n);
    const peerEnd = new Array<number>(n);
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && cmpIdx(idxs[i], idxs[j]) === 0) j++;
      for (let k = i; k < j; k++) { peerStart[k] = i; peerEnd[k] = j - 1; }
      i = j;
    }
    const argAt = (k: number, a = 0) => args[a](rows[idxs[k]]);
    switch (call.fn) {
      case 'ROW_NUMBER': for (let k = 0; k < n; k++) result[idxs[k]] = k + 1; continue;
      case 'RANK': for (let k = 0; k < n; k++) result[idxs[k]] = peerStart[k] + 1; continue;
      case 'DENSE_RANK': { let r = 0; for (let k = 0; k < n; k++) { if (peerStart[k] === k) r++; result[idxs[k]] = r; } continue; }
      case 'PERCENT_RANK': for (let k = 0; k < n; k++) result[idxs[k]] = n <= 1 ? 0 : peerStart[k] / (n - 1); continue;
      case 'CUME_DIST': for (let k = 0; k < n; k++) result[idxs[k]] = (peerEnd[k] + 1) / n; continue;
      case 'NTILE': {
        const buckets = Math.max(1, toNumber(argAt(0)) ?? 1);
        const size = Math.floor(n / buckets);
        const extra = n % buckets;
        let k = 0;
        for (let b = 0; b < buckets && k < n; b++) {
          const len = size + (b < extra ? 1 : 0);
          for (let j = 0; j < len && k < n; j++, k++) result[idxs[k]] = b + 1;
        }
        continue;
      }
      case 'LAG': case 'LEAD': {
        for (let k = 0; k < n; k++) {
          const off = args.length > 1 ? toNumber(argAt(k, 1)) ?? 1 : 1;
          const t = call.fn === 'LAG' ? k - off : k + off;
          result[idxs[k]] = t >= 0 && t < n ? argAt(t) : args.length > 2 ? argAt(k, 2) : null;
        }
        continue;
      }
    }
    // Frame-based functions.
    const frame = call.frame ?? (call.orderBy.length > 0
      ? { unit: 'RANGE' as const, start: { type: 'UNBOUNDED PRECEDING' }, end: { type: 'CURRENT ROW' } }
      : { unit: 'ROWS' as const, start: { type: 'UNBOUNDED PRECEDING' }, end: { type: 'UNBOUNDED FOLLOWING' } });
    const bounds = (k: number): [number, number] => {
      const b = (bound: { type: string; offset?: number }, isStart: boolean): number => {
        switch (bound.type) {
          case 'UNBOUNDED PRECEDING': return 0;
          case 'UNBOUNDED FOLLOWING': return n - 1;
          case 'CURRENT ROW': return frame.unit === 'RANGE' ? (isStart ? peerStart[k] : peerEnd[k]) : k;
          case 'PRECEDING': case 'FOLLOWING': {
            const off = (bound.offset ?? 0) * (bound.type === 'PRECEDING' ? -1 : 1);
            if (frame.unit === 'ROWS') return k + off;
            return rangeBound(k, off, isStart);
          }
        }
        throw errors.unsupported(`Window frame bound ${bound.type}`);
      };
      return [b(frame.start, true), b(frame.end, false)];
    };
    const rangeBound = (k: number, off: number, isStart: boolean): number => {
      if (orderKeys.length !== 1) throw errors.unsupported('RANGE frame with an offset needs exactly one ORDER BY key');
      const desc = call.orderBy[0].descending ? -1 : 1;
      const base = toNumber(orderKeys[0](rows[idxs[k]]));
      if (base === null) return isStart ? peerStart[k] : peerEnd[k];
      const target = base + off * desc;
      if (isStart) {
        let j = 0;
        while (j < n) { const v = toNumber(orderKeys[0](rows[idxs[j]])); if (v !== null && desc * compareValues(v, target) >= 0) break; j++; }
        return j;
      }
      let j = n - 1;
      while (j >= 0) { const v = toNumber(orderKeys[0](rows[idxs[j]])); if (v !== null && desc * compareValues(v, target) <= 0) break; j--; }
      return j;
    };
    if (call.fn === 'FIRST_VALUE' || call.fn === 'LAST_VALUE' || call.fn === 'NTH_VALUE') {
      for (let k = 0; k < n; k++) {
        let [s, e] = bounds(k);
        s = Math.max(0, s); e = Math.min(n - 1, e);
        if (s > e) { result[idxs[k]] = null; continue; }
        if (call.fn === 'FIRST_VALUE') result[idxs[k]] = argAt(s);
        else if (call.fn === 'LAST_VALUE') result[idxs[k]] = argAt(e);
        else { const nth = toNumber(argAt(k, 1)) ?? 1; result[idxs[k]] = s + nth - 1 <= e ? argAt(s + nth - 1) : null; }
      }
      continue;
    }
    const fn = call.fn === 'COUNT_DISTINCT' ? 'COUNT' : call.fn;
    const factory = accumulatorFactory({ fn, args: call.args, distinct: call.fn === 'COUNT_DISTINCT', type: call.type }, ctx.timeZone);
    const evalArgs = (k: number) => args.map((a: Evaluator) => a(rows[idxs[k]]));
    // Sliding evaluation with remove() when available; else recompute per row.
    let acc = factory();
    let curS = 0;
    let curE = -1;
    for (let k = 0; k < n; k++) {
      let [s, e] = bounds(k);
      s = Math.max(0, s); e = Math.min(n - 1, e);
      if (acc.remove && s >= curS && e >= curE && s <= curE + 1) {
        for (let j = curE + 1; j <= e; j++) acc.add(evalArgs(j));
        for (let j = curS; j < s; j++) acc.remove(evalArgs(j));
      } else {
        acc = factory();
        for (let j = s; j <= e; j++) acc.add(evalArgs(j));
      }
      curS = s; curE = e;
      result[idxs[k]] = s > e ? emptyFrameValue(fn) : acc.result();
    }
  }
  return result;
}

function emptyFrameValue(fn: string): unknown {
  return fn === 'COUNT' ? 0 : null;
}
