/**
 * transformSpec: expression transforms (computed fields, which may replace
 * input fields, including __time) and a filter that drops rows before
 * indexing. Filters use the query layer's own leaf predicates, so a filter
 * means the same at ingestion as at query time.
 */
import { errors } from '../../common/errors.ts';
import type { Filter } from '../../query/model/filter.ts';
import { leafColumn, leafPredicates } from '../../query/filter/value-predicates.ts';
import { TRUE, FALSE } from '../../query/filter/tri.ts';
import { compileRowEvaluator, parseExpression } from '../../query/expression/index.ts';
import type { TransformSpec } from './ingestion-spec.ts';

type Row = Record<string, unknown>;
type RowFilter = (row: Row) => number;

function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  const s = String(v);
  return s.toLowerCase() === 'true' || (Number(s) !== 0 && !Number.isNaN(Number(s)));
}

function compileRowFilter(f: Filter): RowFilter {
  switch (f.type) {
    case 'true': return () => TRUE;
    case 'false': return () => FALSE;
    case 'and': {
      const parts = f.fields.map(compileRowFilter);
      return (r) => parts.reduce((acc, p) => Math.min(acc, p(r)), TRUE);
    }
    case 'or': {
      const parts = f.fields.map(compileRowFilter);
      return (r) => parts.reduce((acc, p) => Math.max(acc, p(r)), FALSE);
    }
    case 'not': {
      const inner = compileRowFilter(f.field);
      return (r) => TRUE - inner(r);
    }
    case 'expression': {
      const evaluate = compileRowEvaluator(parseExpression(f.expression));
      return (r) => (truthy(evaluate((name) => r[name] ?? null)) ? TRUE : FALSE);
    }
    case 'columnComparison':
      throw errors.unsupported('columnComparison filter in transformSpec');
    default: {
      const column = leafColumn(f);
      const p = leafPredicates(f);
      return (r) => {
        const v = column === '__time' ? r.__time : r[column];
        if (Array.isArray(v)) {
          if (v.length === 0) return p.string(null);
          return v.reduce((acc: number, x) => Math.max(acc, p.string(x === null || x === undefined ? null : String(x))), FALSE);
        }
        if (typeof v === 'number') return p.number(v);
        return p.string(v === null || v === undefined ? null : String(v));
      };
    }
  }
}

/** A function applying the transforms then the filter; null means "filtered out". */
export function compileTransforms(spec: TransformSpec): (row: Row) => Row | null {
  const transforms = spec.transforms.map((t) => ({ name: t.name, evaluate: compileRowEvaluator(parseExpression(t.expression)) }));
  const filter = spec.filter ? compileRowFilter(spec.filter) : null;
  if (transforms.length === 0 && filter === null) return (row) => row;
  return (row) => {
    let out = row;
    if (transforms.length > 0) {
      out = { ...row };
      for (const t of transforms) out[t.name] = t.evaluate((name) => row[name] ?? null); // transforms read the input row
      if (typeof out.__time !== 'number') out.__time = Number(out.__time);
    }
    if (filter && filter(out) !== TRUE) return null;
    return out;
  };
}

