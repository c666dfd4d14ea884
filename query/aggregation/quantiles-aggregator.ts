/** quantilesDoublesSketch aggregator over the sketch in quantiles-sketch.ts. */
import { compareNullableNumbers, type AggregatorFactory, type SegmentAggregator } from './aggregator-factory.ts';
import { addValues, deserializeQuantiles, emptyQuantiles, mergeQuantiles, quantileOf, type QuantilesPartial } from './quantiles-sketch.ts';

/** quantilesDoublesSketch over a mergeable KLL-style sketch of level capacity k; finalize gives N (as Druid does). */
export function quantilesAggregator(name: string, fieldName: string, k = 128): AggregatorFactory {
  return {
    name, type: 'quantilesDoublesSketch', columns: [fieldName],
    forSegment(view): SegmentAggregator {
      const read = view.rowValue(fieldName);
      const sketches: QuantilesPartial[] = [];
      const buffers: number[][] = [];
      const flush = (g: number) => {
        if (buffers[g].length > 0) { sketches[g] = addValues({ ...sketches[g], levels: sketches[g].levels }, buffers[g]); buffers[g] = []; }
      };
      return {
        aggregate(sel, groups, numGroups) {
          while (sketches.length < numGroups) { sketches.push(emptyQuantiles(k)); buffers.push([]); }
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          for (let i = 0; i < n; i++) {
            const r = sel.rows === null ? sel.start + i : sel.rows[i];
            const v = read(r);
            if (v instanceof Uint8Array) {
              // Ingested quantilesDoublesSketch column: merge the stored sketch.
              const g = groups === null ? 0 : groups[i];
              flush(g);
              sketches[g] = mergeQuantiles(sketches[g], deserializeQuantiles(v, k));
              continue;
            }
            const x = typeof v === 'number' ? v : v === null ? Number.NaN : Number(v);
            if (Number.isNaN(x)) continue;
            const g = groups === null ? 0 : groups[i];
            buffers[g].push(x);
            if (buffers[g].length >= 4 * k) flush(g);
          }
        },
        partial: (g) => {
          if (sketches[g] === undefined) return emptyQuantiles(k);
          flush(g);
          return sketches[g];
        },
      };
    },
    empty: () => emptyQuantiles(k),
    combine: (a, b) => mergeQuantiles(a as QuantilesPartial, b as QuantilesPartial),
    finalize: (p) => (p as QuantilesPartial).n,
    compare: compareNullableNumbers,
  };
}

/** The q-quantile (0..1) of a quantiles partial, or NaN when empty. */
export function partialQuantile(p: unknown, q: number): number {
  return p !== null && typeof p === 'object' && 'levels' in p ? quantileOf(p as QuantilesPartial, q) : Number.NaN;
}
