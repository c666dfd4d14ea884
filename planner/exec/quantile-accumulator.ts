/**
 * Broker accumulator for APPROX_QUANTILE(expr, q) and APPROX_QUANTILE_DS(expr, q [, k]):
 * the same mergeable quantiles sketch the native quantilesDoublesSketch
 * aggregator builds (exact while the input fits in one level, i.e. up to k
 * values), so broker and native plans agree. Ingested sketch columns
 * (serialized sketches) are merged; NULL and non-numeric inputs are skipped.
 * Over no input the result is NULL.
 */
import { addValues, deserializeQuantiles, emptyQuantiles, mergeQuantiles, quantileOf, type QuantilesPartial } from '../../query/aggregation/quantiles-sketch.ts';
import { toNumber } from '../values.ts';
import { errors } from '../../common/errors.ts';
import type { Accumulator } from './accumulator.ts';

/** Druid's default sketch size (k) for APPROX_QUANTILE_DS. */
const DEFAULT_K = 128;

/** A fresh quantile accumulator; args per row are [value, fraction, k?]. */
export function quantileAccumulator(fn: string): Accumulator {
  let sketch: QuantilesPartial | null = null;
  let buffer: number[] = [];
  let fraction: number | null = null;
  let k = DEFAULT_K;
  const current = (): QuantilesPartial => {
    sketch ??= emptyQuantiles(k);
    if (buffer.length > 0) { sketch = addValues(sketch, buffer); buffer = []; }
    return sketch;
  };
  return {
    add(a) {
      if (fraction === null) {
        const q = toNumber(a[1]);
        if (q === null || q < 0 || q > 1) throw errors.invalidInput(`${fn}: the fraction must be a number between 0 and 1, got [${String(a[1])}]`);
        fraction = q;
        const size = toNumber(a[2]);
        if (size !== null) k = size;
      }
      const v = a[0];
      if (v instanceof Uint8Array) { sketch = mergeQuantiles(current(), deserializeQuantiles(v, k)); return; }
      const x = toNumber(v);
      if (x === null || Number.isNaN(x)) return;
      buffer.push(x);
      if (buffer.length >= 4 * k) current();
    },
    result() {
      if (fraction === null) return null;
      const s = current();
      return s.n === 0 ? null : quantileOf(s, fraction);
    },
  };
}
