/** groupBy having specs over finalized result rows. */
import { errors } from '../../common/errors.ts';
import { SegmentView } from '../engine/segment-view.ts';
import { segmentFromRecords } from '../engine/rows-segment.ts';
import { compileFilter } from '../filter/compiled-filter.ts';
import { TRUE } from '../filter/tri.ts';
import type { HavingSpec } from '../model/query.ts';

/** Keeps the rows that pass the having spec (order preserved). */
export function applyHaving(spec: HavingSpec, rows: Record<string, unknown>[], columnNames: readonly string[]): Record<string, unknown>[] {
  if (rows.length === 0) return rows;
  const keep = evaluate(spec, rows, columnNames);
  return rows.filter((_, i) => keep[i]);
}

function numeric(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const x = typeof v === 'number' ? v : Number(v);
  return Number.isNaN(x) ? null : x;
}

function evaluate(spec: HavingSpec, rows: Record<string, unknown>[], columnNames: readonly string[]): boolean[] {
  switch (spec.type) {
    case 'always': return rows.map(() => true);
    case 'never': return rows.map(() => false);
    case 'greaterThan':
    case 'lessThan':
    case 'equalTo': {
      const v = spec.value;
      return rows.map((r) => {
        const x = numeric(r[spec.aggregation]);
        if (x === null) return false;
        return spec.type === 'greaterThan' ? x > v : spec.type === 'lessThan' ? x < v : x === v;
      });
    }
    case 'dimSelector':
      return rows.map((r) => {
        const x = r[spec.dimension];
        const s = x === null || x === undefined ? null : String(x);
        return s === (spec.value ?? null);
      });
    case 'and': {
      const parts = spec.havingSpecs.map((h) => evaluate(h, rows, columnNames));
      return rows.map((_, i) => parts.every((p) => p[i]));
    }
    case 'or': {
      const parts = spec.havingSpecs.map((h) => evaluate(h, rows, columnNames));
      return rows.map((_, i) => parts.some((p) => p[i]));
    }
    case 'not': {
      const inner = evaluate(spec.havingSpec, rows, columnNames);
      return inner.map((x) => !x);
    }
    case 'filter': {
      const seg = segmentFromRecords('__having', rows, columnNames, null);
      const view = new SegmentView(seg);
      const mask = compileFilter(spec.filter).mask(view, 0, rows.length);
      // segmentFromRecords keeps row order when all times are equal (stable sort).
      return Array.from(mask, (m) => m === TRUE);
    }
    default:
      throw errors.invalidInput(`Unknown having type [${(spec as { type: string }).type}]`);
  }
}
