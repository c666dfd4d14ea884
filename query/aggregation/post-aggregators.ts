/**
 * Post-aggregators: computed from a result row's finalized aggregates (and
 * earlier post-aggregators). Arithmetic follows Druid: '/' returns 0 when
 * dividing by zero, 'quotient' is plain division; null operands give null.
 */
import { errors } from '../../common/errors.ts';
import { expressionEngine, type InputType } from '../engine/expression-bridge.ts';
import type { PostAggregator } from '../model/aggregation.ts';
import { partialQuantile } from './quantiles-aggregator.ts';
import { thetaEstimate } from './sketch-aggregators.ts';

/** Reads a row value: finalized (`get`) or raw partial (`getPartial`, for finalizingFieldAccess/sketch post-aggs). */
export interface PostAggRow {
  get(name: string): unknown;
  getPartial(name: string): unknown;
}

export interface CompiledPostAggregator {
  readonly name: string;
  compute(row: PostAggRow): unknown;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.length;
  const x = Number(v);
  return Number.isNaN(x) ? null : x;
}

function compileInner(p: PostAggregator, types?: ReadonlyMap<string, InputType>): (row: PostAggRow) => unknown {
  switch (p.type) {
    case 'fieldAccess':
      return (row) => row.get(p.fieldName);
    case 'finalizingFieldAccess':
      return (row) => row.get(p.fieldName);
    case 'constant':
      return () => p.value;
    case 'hyperUniqueCardinality':
      return (row) => num(row.get(p.fieldName));
    case 'arithmetic': {
      if (!Array.isArray(p.fields) || p.fields.length === 0) throw errors.invalidInput(`arithmetic post-aggregator [${p.name}]: 'fields' must be non-empty`);
      const fields = p.fields.map((f) => compileInner(f, types));
      const fn = p.fn;
      if (!['+', '-', '*', '/', 'quotient', 'pow'].includes(fn)) throw errors.invalidInput(`arithmetic post-aggregator [${p.name}]: unknown fn [${fn}]`);
      return (row) => {
        let acc: number | null = null;
        for (let i = 0; i < fields.length; i++) {
          const v = num(fields[i](row));
          if (v === null) return null;
          if (i === 0) { acc = v; continue; }
          const a = acc as number;
          switch (fn) {
            case '+': acc = a + v; break;
            case '-': acc = a - v; break;
            case '*': acc = a * v; break;
            case '/': acc = v === 0 ? 0 : a / v; break;
            case 'quotient': acc = a / v; break;
            case 'pow': acc = Math.pow(a, v); break;
          }
        }
        return acc;
      };
    }
    case 'doubleGreatest':
    case 'longGreatest':
    case 'doubleLeast':
    case 'longLeast': {
      const fields = p.fields.map((f) => compileInner(f, types));
      const greatest = p.type.endsWith('Greatest');
      const isLong = p.type.startsWith('long');
      return (row) => {
        let best: number | null = null;
        for (const f of fields) {
          const v = num(f(row));
          if (v === null) continue;
          if (best === null || (greatest ? v > best : v < best)) best = v;
        }
        return best === null ? null : isLong ? Math.trunc(best) : best;
      };
    }
    case 'expression': {
      const fn = expressionEngine().compileRowFunction(p.expression, types ? (n) => types.get(n) : undefined);
      return (row) => fn((name) => row.get(name));
    }
    case 'thetaSketchEstimate': {
      const inner = p.field;
      if (inner.type === 'fieldAccess' || inner.type === 'finalizingFieldAccess') {
        return (row) => {
          const p = row.getPartial(inner.fieldName);
          return p !== null && typeof p === 'object' && 'hashes' in p ? thetaEstimate(p) : num(p);
        };
      }
      const f = compileInner(inner, types);
      return (row) => num(f(row));
    }
    case 'quantilesDoublesSketchToQuantile': {
      const inner = p.field;
      if (inner.type !== 'fieldAccess') throw errors.unsupported(`quantilesDoublesSketchToQuantile over [${inner.type}]`);
      return (row) => {
        const sketch = row.getPartial(inner.fieldName);
        const v = partialQuantile(sketch, p.fraction);
        return Number.isNaN(v) ? null : v;
      };
    }
    default:
      throw errors.invalidInput(`Unknown post-aggregator type [${(p as { type: string }).type}]`);
  }
}

/** Output type of an aggregator, as post-aggregator expressions must see it. */
export function aggregatorOutputType(a: { type: string }): InputType | undefined {
  const t = a.type;
  if (t === 'count' || t.startsWith('long')) return 'LONG';
  if (t.startsWith('double') || t.startsWith('float') || t === 'cardinality' || t === 'hyperUnique') return 'DOUBLE';
  if (t.startsWith('string')) return 'STRING';
  return undefined;
}

/** Compiles a post-aggregator spec (its name is required at top level). `types` declares input types by name. */
export function compilePostAggregator(p: PostAggregator, i = 0, types?: ReadonlyMap<string, InputType>): CompiledPostAggregator {
  if (p === null || typeof p !== 'object') throw errors.invalidInput(`postAggregations[${i}]: must be an object`);
  const name = (p as { name?: string }).name;
  if (typeof name !== 'string') throw errors.invalidInput(`postAggregations[${i}] (${p.type}): 'name' is required`);
  return { name, compute: compileInner(p, types) };
}
