/** Sorting of result rows by limitSpec columns (dimension orderings for dimensions, numeric for metrics). */
import type { AggregatorFactory } from '../aggregation/aggregator-factory.ts';
import { compareDimensionValues } from '../dimension/dimension-reader.ts';
import { orderingName, stringComparator } from '../filter/string-orderings.ts';
import type { OrderByColumnSpec } from '../model/query.ts';

export type RowComparator = (a: Record<string, unknown>, b: Record<string, unknown>) => number;

function compareAny(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return compareDimensionValues(a, b);
}

/** Comparator for a list of order-by columns. Metrics and post-aggregators compare numerically. */
export function rowComparator(columns: readonly (string | OrderByColumnSpec)[], dimensionNames: ReadonlySet<string>, aggs: readonly AggregatorFactory[]): RowComparator {
  const parts = columns.map((c) => {
    const spec: OrderByColumnSpec = typeof c === 'string' ? { dimension: c } : c;
    const desc = spec.direction === 'descending';
    const name = spec.dimension;
    let cmp: (a: unknown, b: unknown) => number;
    if (dimensionNames.has(name)) {
      const ordering = orderingName(spec.dimensionOrder ?? 'lexicographic');
      const sc = stringComparator(ordering);
      cmp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : sc(a === null || a === undefined ? null : String(a), b === null || b === undefined ? null : String(b)));
    } else {
      const agg = aggs.find((x) => x.name === name);
      cmp = agg !== undefined ? agg.compare : compareAny;
    }
    return { name, desc, cmp };
  });
  return (a, b) => {
    for (const p of parts) {
      const c = p.cmp(a[p.name] ?? null, b[p.name] ?? null);
      if (c !== 0) return p.desc ? -c : c;
    }
    return 0;
  };
}
