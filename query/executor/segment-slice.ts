/**
 * Rows [from, to) of a persisted segment as the target of one row-range
 * worker task: a RowRangeSegment whose numeric columns read the base
 * column's cached values (one decode serves every slice of the segment and
 * every later query) instead of decoding the range per call.
 */
import { RowRangeSegment, sliceBitmap } from '../../storage/row-range-segment.ts';
import type { NumericColumn, Segment } from '../../storage/segment.ts';

/** A numeric column restricted to rows [from, to) of `base`, over the base's cached values. */
function sliceNumeric(base: NumericColumn, from: number, to: number): NumericColumn {
  let nulls: ReturnType<NumericColumn['nulls']> | undefined;
  return {
    get type() { return base.type; },
    get min() { return base.min; },
    get max() { return base.max; },
    values: () => base.values().subarray(from, to),
    valuesInRange: (s, e) => base.values().subarray(from + s, from + e),
    exactLongs: () => base.exactLongs()?.subarray(from, to) ?? null,
    nulls: () => {
      if (nulls === undefined) {
        const b = base.nulls();
        nulls = b === null ? null : sliceBitmap(b, from, to);
      }
      return nulls;
    },
  };
}

export class SegmentSlice extends RowRangeSegment {
  private readonly sliced = new Map<string, NumericColumn | undefined>();

  constructor(base: Segment, from: number, to: number) {
    super(base, from, to);
  }

  override numericColumn(name: string): NumericColumn | undefined {
    if (!this.sliced.has(name)) {
      const c = this.base.numericColumn(name);
      this.sliced.set(name, c === undefined ? undefined : sliceNumeric(c, this.from, this.to));
    }
    return this.sliced.get(name);
  }
}
