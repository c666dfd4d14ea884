/** Ingest-time aggregators (Druid metricsSpec) as column stores the incremental index folds rows into. */
import type { IngestAggregator } from '../schema.ts';
import { errors } from '../../common/errors.ts';
import { NumericStore, type FoldOp } from './numeric-store.ts';
import type { ComplexMetricStore } from './complex-metric-store.ts';
import { SketchStore } from './sketch-store.ts';
import { ThetaStore } from './theta-store.ts';
import { QuantilesStore } from './quantiles-store.ts';
import { PairStore } from './pair-store.ts';
import { toNumber } from './value-parsing.ts';

/** How a metric's stored values combine when rows roll up during a merge. */
export type CombineKind = 'sum' | 'min' | 'max' | 'hll' | 'theta' | 'quantiles' | 'first' | 'last';

/** Combine kind, stored column type and (for COMPLEX) complex type name of an ingest aggregator. */
export function describeAggregator(a: IngestAggregator): { combine: CombineKind; type: 'LONG' | 'FLOAT' | 'DOUBLE' | 'COMPLEX'; complexType?: string } {
  switch (a.type) {
    case 'count': return { combine: 'sum', type: 'LONG' };
    case 'longSum': return { combine: 'sum', type: 'LONG' };
    case 'doubleSum': return { combine: 'sum', type: 'DOUBLE' };
    case 'floatSum': return { combine: 'sum', type: 'FLOAT' };
    case 'longMin': return { combine: 'min', type: 'LONG' };
    case 'longMax': return { combine: 'max', type: 'LONG' };
    case 'doubleMin': return { combine: 'min', type: 'DOUBLE' };
    case 'doubleMax': return { combine: 'max', type: 'DOUBLE' };
    case 'floatMin': return { combine: 'min', type: 'FLOAT' };
    case 'floatMax': return { combine: 'max', type: 'FLOAT' };
    case 'hyperUnique': return { combine: 'hll', type: 'COMPLEX', complexType: 'hyperUnique' };
    case 'thetaSketch': return { combine: 'theta', type: 'COMPLEX', complexType: 'thetaSketch' };
    case 'HLLSketchBuild':
    case 'HLLSketchMerge': return { combine: 'theta', type: 'COMPLEX', complexType: 'HLLSketch' };
    case 'quantilesDoublesSketch': return { combine: 'quantiles', type: 'COMPLEX', complexType: 'quantilesDoublesSketch' };
    case 'stringFirst': case 'longFirst': case 'doubleFirst': case 'floatFirst':
    case 'stringLast': case 'longLast': case 'doubleLast': case 'floatLast': {
      const last = a.type.endsWith('Last');
      const vt = a.type.slice(0, a.type.length - (last ? 4 : 5));
      const complexType = vt === 'string' ? 'serializablePairLongString' : vt === 'long' ? 'serializablePairLongLong' : vt === 'double' ? 'serializablePairLongDouble' : 'serializablePairLongFloat';
      return { combine: last ? 'last' : 'first', type: 'COMPLEX', complexType };
    }
    default: throw errors.invalidInput(`Unknown ingest aggregator type [${(a as { type: string }).type}]`);
  }
}

/** The combine kind implied by a complex column type, for merges without a metricsSpec entry. */
export function combineOfComplexType(complexType: string): CombineKind {
  if (complexType === 'thetaSketch' || complexType === 'HLLSketch') return 'theta';
  if (complexType === 'quantilesDoublesSketch') return 'quantiles';
  if (complexType.startsWith('serializablePairLong')) return 'last';
  return 'hll';
}

/**
 * A complex store for a column. `spec` (when known) gives sizes; otherwise
 * defaults apply and serialized values bring their own sizes.
 */
export function createComplexStore(name: string, combine: CombineKind, complexType: string, spec?: IngestAggregator): ComplexMetricStore {
  const s = spec as { size?: number; lgK?: number; k?: number; maxStringBytes?: number } | undefined;
  switch (combine) {
    case 'theta': return new ThetaStore(name, complexType, s?.size ?? (s?.lgK !== undefined ? 1 << s.lgK : complexType === 'HLLSketch' ? 4096 : 16384));
    case 'quantiles': return new QuantilesStore(name, s?.k ?? 128);
    case 'first':
    case 'last': {
      const vt = complexType === 'serializablePairLongString' ? 'string' : complexType === 'serializablePairLongLong' ? 'long' : complexType === 'serializablePairLongFloat' ? 'float' : 'double';
      return new PairStore(name, combine, vt, s?.maxStringBytes ?? 1024);
    }
    default: return new SketchStore(name);
  }
}

/** One metric column of the incremental index. */
export class MetricAggregator {
  readonly numeric: NumericStore | null;
  readonly complex: ComplexMetricStore | null;
  private readonly op: FoldOp;
  private readonly isCount: boolean;
  private readonly field: string | null;
  private readonly isLong: boolean;
  private readonly isFloat: boolean;

  constructor(readonly spec: IngestAggregator) {
    const d = describeAggregator(spec);
    this.isCount = spec.type === 'count';
    this.field = spec.type === 'count' ? null : spec.fieldName;
    this.op = d.combine === 'min' || d.combine === 'max' ? d.combine : 'sum';
    this.isLong = d.type === 'LONG';
    this.isFloat = d.type === 'FLOAT';
    this.numeric = d.type === 'COMPLEX' ? null : new NumericStore(spec.name, d.type, 'metric');
    this.complex = d.type === 'COMPLEX' ? createComplexStore(spec.name, d.combine, d.complexType!, spec) : null;
  }

  /** Starts row `row` (a new rolled-up row) and folds the input row into it. */
  init(row: number, input: Record<string, unknown>): void {
    this.numeric?.reserve(row + 1);
    this.initReserved(row, input);
  }

  /** As init, for a row the caller already reserved room for (numeric stores hold at least row + 1 rows). */
  initReserved(row: number, input: Record<string, unknown>): void {
    this.initValue(row, this.isCount ? undefined : input[this.field!], input.__time as number);
  }

  /** As initReserved, with the metric's raw input value read by the caller. */
  initValue(row: number, raw: unknown, time: number): void {
    const num = this.numeric;
    if (num !== null) {
      if (this.isCount) {
        num.values[row] = 1;
        num.nulls[row] = 0;
        return;
      }
      if (typeof raw === 'number' && num.exact === null) {
        // Fast path: a plain number (a safe integer for LONG; NaN reads as null) starts the row.
        if (this.isLong ? Number.isSafeInteger(raw) : raw === raw) {
          num.values[row] = this.isFloat ? Math.fround(raw) : this.isLong && raw === 0 ? 0 : raw;
          num.nulls[row] = 0;
          return;
        }
      }
      num.set(row, null);
    } else {
      this.complex!.init(row);
    }
    this.foldValue(row, raw, time);
  }


  /** Makes room for rows [0, n) in the numeric store (complex stores grow by themselves). */
  reserve(n: number): void {
    this.numeric?.reserve(n);
  }

  /** Folds one input row into stored row `row`. */
  fold(row: number, input: Record<string, unknown>): void {
    this.foldValue(row, this.isCount ? undefined : input[this.field!], input.__time as number);
  }

  /** The input field this metric reads (null for count). */
  get fieldName(): string | null {
    return this.field;
  }

  /** Folds the metric's raw input value (read by the caller; `time`: the input row's un-truncated time) into stored row `row`. */
  foldValue(row: number, raw: unknown, time: number): void {
    if (this.isCount) {
      this.numeric!.values[row] += 1;
      return;
    }
    const num = this.numeric;
    if (num !== null) {
      if (typeof raw === 'number' && num.nulls[row] === 0 && num.exact === null) {
        const cur = num.values[row];
        if (!this.isLong) {
          if (raw === raw) {
            // Fast path: a plain number into a non-null double/float row.
            const r = this.op === 'sum' ? cur + raw : this.op === 'min' ? (raw < cur ? raw : cur) : raw > cur ? raw : cur;
            num.values[row] = this.isFloat ? Math.fround(r) : r;
            return;
          }
        } else if (Number.isSafeInteger(raw)) {
          // Fast path: a safe integer into a LONG row whose result stays safe.
          const r = this.op === 'sum' ? cur + raw : this.op === 'min' ? (raw < cur ? raw : cur) : raw > cur ? raw : cur;
          if (r <= Number.MAX_SAFE_INTEGER && r >= -Number.MAX_SAFE_INTEGER) {
            num.values[row] = r === 0 ? 0 : r;
            return;
          }
        }
      }
      num.fold(row, toNumber(raw, this.isLong), this.op);
      return;
    }
    this.complex!.add(row, raw, time);
  }

}
