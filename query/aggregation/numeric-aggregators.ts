/** count and the numeric sum/min/max aggregators (long, double, float), with SQL null semantics. */
import type { SegmentView } from '../engine/segment-view.ts';
import type { Selection } from '../engine/selection.ts';
import { compareNullableNumbers, type AggregatorFactory, type SegmentAggregator } from './aggregator-factory.ts';
import { countByIds, countGrouped, countNonNull, countNonNullByIds, maxGrouped, minGrouped, minMaxByIds, sumByIds, sumGroupedRange, sumGroupedRows, sumRange, sumRows } from './kernels.ts';
import { expressionInput, expressionInputAtRows, numericInput, type NumericInput } from './numeric-input.ts';
import { GroupValues } from './group-values.ts';

/** An expression input is evaluated only at the selected rows when they are fewer than 1 / SPARSE_INPUT of the segment. */
const SPARSE_INPUT = 4;


/** count: rows per group. */
export function countAggregator(name: string): AggregatorFactory {
  return {
    name, type: 'count', columns: [],
    forSegment(): SegmentAggregator {
      const counts = new GroupValues(0);
      return {
        aggregate(sel: Selection, groups: Int32Array | null, numGroups: number) {
          counts.ensure(Math.max(1, numGroups));
          if (groups === null) counts.data[0] += sel.rows === null ? sel.end - sel.start : sel.rows.length;
          else countGrouped(groups, counts.data);
        },
        aggregateByIds(start, end, ids, base, numGroups) {
          counts.ensure(numGroups);
          countByIds(ids, start, end, base, counts.data);
        },
        partial: (g) => (g < counts.size ? counts.data[g] : 0),
        release: () => counts.release(),
      };
    },
    empty: () => 0,
    combine: (a, b) => (a as number) + (b as number),
    finalize: (p) => p,
    compare: compareNullableNumbers,
  };
}

export type NumericAggKind = 'sum' | 'min' | 'max';
export type NumericAggType = 'long' | 'double' | 'float';

function roundTo(type: NumericAggType, x: number): number {
  if (type === 'long') return Math.trunc(x);
  if (type === 'float') return Math.fround(x);
  return x;
}

/**
 * longSum/doubleSum/floatSum/…Min/…Max over a column or expression. A group
 * with no non-null input is null (Druid's SQL-compatible mode).
 */
export function numericAggregator(name: string, kind: NumericAggKind, type: NumericAggType, fieldName: string | undefined, expression: string | undefined): AggregatorFactory {
  const init = kind === 'sum' ? 0 : kind === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  const rawInput = (view: SegmentView): NumericInput | null =>
    fieldName !== undefined && fieldName !== null ? numericInput(view, fieldName) : expression !== undefined && expression !== null ? expressionInput(view, expression) : null;
  // long aggregators read each value as a long (Druid truncates doubles per row).
  const asLong = (view: SegmentView, inp: NumericInput | null): NumericInput | null => {
    if (inp === null || type !== 'long' || (fieldName !== undefined && view.columnType(fieldName) === 'LONG')) return inp;
    return { ...inp, values: truncatedValues(inp.values) };
  };
  const input = (view: SegmentView): NumericInput | null => asLong(view, rawInput(view));
  const isExpression = (fieldName === undefined || fieldName === null) && expression !== undefined && expression !== null;
  const combine = (a: unknown, b: unknown): unknown => {
    if (a === null) return b;
    if (b === null) return a;
    const x = a as number;
    const y = b as number;
    return kind === 'sum' ? x + y : kind === 'min' ? Math.min(x, y) : Math.max(x, y);
  };
  return {
    name, type: `${type}${kind[0].toUpperCase()}${kind.slice(1)}`, columns: fieldName ? [fieldName] : [],
    forSegment(view: SegmentView): SegmentAggregator {
      // The input (possibly an expression over the whole segment) is read on first use with rows.
      let loaded: NumericInput | null | undefined;
      const load = (): NumericInput | null => (loaded === undefined ? (loaded = input(view)) : loaded);
      const accV = new GroupValues(init);
      const seenV = new GroupValues(0);
      accV.ensure(1);
      seenV.ensure(1);
      // Set once aggregateByIds ran over an input without nulls: every group asked about then has a value.
      let idsWithoutNulls = false;
      /** Adds n selected rows: row rows[k] (or start + k when rows is null) of inp goes to group groups[k]. */
      const accumulate = (inp: NumericInput, rows: Int32Array | null, start: number, n: number, groups: Int32Array | null): void => {
        const acc = accV.data;
        const seen = seenV.data;
        if (inp.nullFlags === null) {
          if (groups === null) seen[0] += n; else countGrouped(groups, seen);
        } else if (groups === null && rows === null && inp.nullBitmap !== undefined) {
          // One group over a row range: count the nulls in the bitmap instead of scanning flags.
          seen[0] += n - inp.nullBitmap.rangeCardinality(start, start + n);
        } else {
          countNonNull(rows, start, groups, n, inp.nullFlags, seen);
        }
        if (kind === 'sum') {
          if (groups === null) acc[0] += rows === null ? sumRange(inp.values, start, start + n) : sumRows(inp.values, rows);
          else if (rows === null) sumGroupedRange(inp.values, start, groups, acc);
          else sumGroupedRows(inp.values, rows, groups, acc);
        } else if (kind === 'min') {
          minGrouped(inp.values, rows, start, groups, n, acc, inp.nullFlags);
        } else {
          maxGrouped(inp.values, rows, start, groups, n, acc, inp.nullFlags);
        }
      };
      return {
        aggregate(sel, groups, numGroups) {
          accV.ensure(numGroups);
          seenV.ensure(numGroups);
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          if (n === 0) return;
          if (isExpression && loaded === undefined && sel.rows !== null && n * SPARSE_INPUT < view.numRows) {
            // Few rows selected: evaluate the expression at those rows only (entry k is row sel.rows[k]).
            accumulate(asLong(view, expressionInputAtRows(view, expression!, sel.rows))!, null, 0, n, groups);
            return;
          }
          const inp = load();
          if (inp === null) return;
          accumulate(inp, sel.rows, sel.start, n, groups);
        },
        aggregateByIds(start, end, ids, base, numGroups) {
          accV.ensure(numGroups);
          seenV.ensure(numGroups);
          if (end <= start) return;
          const inp = load();
          if (inp === null) return;
          if (inp.nullFlags === null) idsWithoutNulls = true;
          else countNonNullByIds(inp.nullFlags, ids, start, end, base, seenV.data);
          if (kind === 'sum') sumByIds(inp.values, ids, start, end, base, accV.data);
          else minMaxByIds(inp.values, ids, start, end, base, accV.data, inp.nullFlags, kind === 'min');
        },
        partial: (g) => (g < accV.size && (seenV.data[g] > 0 || idsWithoutNulls) ? accV.data[g] : null),
        release: () => {
          accV.release();
          seenV.release();
        },
      };
    },
    empty: () => null,
    combine,
    finalize: (p) => (p === null || p === undefined ? null : roundTo(type, p as number)),
    compare: compareNullableNumbers,
  };
}

const truncated = new WeakMap<object, Float64Array>();

/** Values truncated toward zero (cached per input array). */
function truncatedValues(values: Float64Array | Float32Array): Float64Array {
  let out = truncated.get(values);
  if (out === undefined) {
    out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
    truncated.set(values, out);
  }
  return out;
}
