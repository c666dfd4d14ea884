/**
 * first/last (by time) and any aggregators for long/double/float/string values.
 * Partial: { t, v } (time and value) or null for a group without rows. Nulls
 * are values here: the first row's null is the first value (Druid's behaviour).
 */
import type { SegmentView } from '../engine/segment-view.ts';
import { compareLexicographic } from '../filter/string-orderings.ts';
import { compareNullableNumbers, type AggregatorFactory, type SegmentAggregator } from './aggregator-factory.ts';
import { numericInput } from './numeric-input.ts';
import { deserializePair } from '../../storage/sketches/time-value-pair.ts';

type Mode = 'first' | 'last' | 'any';
type ValueType = 'long' | 'double' | 'float' | 'string';

interface Pair { readonly t: number; readonly v: unknown }

function readerFor(view: SegmentView, field: string, valueType: ValueType): (row: number) => unknown {
  if (valueType === 'string') {
    const read = view.rowValue(field);
    return (r) => {
      const v = read(r);
      if (v === null || v === undefined) return null;
      if (Array.isArray(v)) return v.length === 0 ? null : String(v[0]);
      if (typeof v === 'object' && v !== null && 'v' in v) return (v as Pair).v;
      return String(v);
    };
  }
  const inp = numericInput(view, field);
  if (inp === null) return () => null;
  const { values, nullFlags } = inp;
  return nullFlags === null ? (r) => values[r] : (r) => (nullFlags[r] === 1 ? null : values[r]);
}

/** longFirst/longLast/…/stringFirst/stringLast and the *Any family. */
export function firstLastAggregator(name: string, type: string, fieldName: string, timeColumn: string | undefined, maxStringBytes: number | undefined): AggregatorFactory {
  const mode: Mode = type.endsWith('First') ? 'first' : type.endsWith('Last') ? 'last' : 'any';
  const valueType = type.slice(0, type.length - (mode === 'any' ? 3 : mode === 'first' ? 5 : 4)) as ValueType;
  const maxLen = maxStringBytes ?? 1024;
  const combine = (a: unknown, b: unknown): unknown => {
    if (a === null || a === undefined) return b;
    if (b === null || b === undefined) return a;
    const x = a as Pair;
    const y = b as Pair;
    if (mode === 'first') return y.t < x.t ? y : x;
    if (mode === 'last') return y.t >= x.t ? y : x;
    return x;
  };
  return {
    name, type, columns: [fieldName],
    forSegment(view): SegmentAggregator {
      const pairs = view.columnType(fieldName) === 'COMPLEX' ? view.segment.complexColumn(fieldName) : undefined;
      if (pairs !== undefined) return pairAggregator(pairs, mode, valueType);
      const read = readerFor(view, fieldName, valueType);
      const timeCol = timeColumn === undefined || timeColumn === '__time' ? view.time() : (view.numericColumn(timeColumn)?.values() ?? view.time());
      const times: number[] = [];
      const vals: unknown[] = [];
      const has: boolean[] = [];
      return {
        aggregate(sel, groups, numGroups) {
          while (has.length < numGroups) { has.push(false); times.push(0); vals.push(null); }
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          for (let k = 0; k < n; k++) {
            const r = sel.rows === null ? sel.start + k : sel.rows[k];
            const g = groups === null ? 0 : groups[k];
            const t = timeCol[r];
            if (!has[g] || (mode === 'first' && t < times[g]) || (mode === 'last' && t >= times[g])) {
              has[g] = true;
              times[g] = t;
              vals[g] = read(r);
            }
          }
        },
        partial: (g) => (has[g] ? { t: times[g], v: vals[g] } : null),
      };
    },
    empty: () => null,
    combine,
    finalize: (p) => {
      if (p === null || p === undefined) return null;
      const v = (p as Pair).v;
      if (valueType === 'string' && typeof v === 'string' && v.length > maxLen) return v.slice(0, maxLen);
      if (valueType === 'float' && typeof v === 'number') return Math.fround(v);
      return v;
    },
    compare: valueType === 'string'
      ? (a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : compareLexicographic(String(a), String(b)))
      : compareNullableNumbers,
  };
}

/**
 * first/last over an ingested (time, value) pair column: each row brings its
 * own time, so rolled-up rows and segments combine exactly.
 */
function pairAggregator(col: { get(row: number): Uint8Array }, mode: Mode, valueType: ValueType): SegmentAggregator {
  const times: number[] = [];
  const vals: unknown[] = [];
  const has: boolean[] = [];
  return {
    aggregate(sel, groups, numGroups) {
      while (has.length < numGroups) { has.push(false); times.push(0); vals.push(null); }
      const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
      for (let k = 0; k < n; k++) {
        const r = sel.rows === null ? sel.start + k : sel.rows[k];
        const p = deserializePair(col.get(r));
        if (p === null) continue;
        const g = groups === null ? 0 : groups[k];
        if (!has[g] || (mode === 'first' && p.t < times[g]) || (mode === 'last' && p.t >= times[g])) {
          has[g] = true;
          times[g] = p.t;
          vals[g] = valueType === 'string' ? (p.v === null ? null : String(p.v)) : valueType === 'long' && typeof p.v === 'number' ? Math.trunc(p.v) : p.v;
        }
      }
    },
    partial: (g) => (has[g] ? { t: times[g], v: vals[g] } : null),
  };
}
