/** Ingest-time aggregators (Druid metricsSpec) as column stores the incremental index folds rows into. */
import type { IngestAggregator } from '../schema.ts';
import { errors } from '../../common/errors.ts';
import { hashString } from '../sketches/hash.ts';
import { NumericStore, type FoldOp } from './numeric-store.ts';
import { SketchStore } from './sketch-store.ts';
import { toNumber, toStringDimValue } from './value-parsing.ts';

/** How a metric's stored values combine when rows roll up during a merge. */
export type CombineKind = 'sum' | 'min' | 'max' | 'hll';

/** Combine kind and stored column type of an ingest aggregator. */
export function describeAggregator(a: IngestAggregator): { combine: CombineKind; type: 'LONG' | 'FLOAT' | 'DOUBLE' | 'COMPLEX' } {
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
    case 'hyperUnique': return { combine: 'hll', type: 'COMPLEX' };
    default: throw errors.invalidInput(`Unknown ingest aggregator type [${(a as { type: string }).type}]`);
  }
}

/** One metric column of the incremental index. */
export class MetricAggregator {
  readonly numeric: NumericStore | null;
  readonly sketches: SketchStore | null;
  private readonly op: FoldOp;
  private readonly isCount: boolean;
  private readonly field: string | null;
  private readonly isLong: boolean;

  constructor(readonly spec: IngestAggregator) {
    const d = describeAggregator(spec);
    this.isCount = spec.type === 'count';
    this.field = spec.type === 'count' ? null : spec.fieldName;
    this.op = d.combine === 'hll' ? 'sum' : d.combine;
    this.isLong = d.type === 'LONG';
    this.numeric = d.type === 'COMPLEX' ? null : new NumericStore(spec.name, d.type, 'metric');
    this.sketches = d.type === 'COMPLEX' ? new SketchStore(spec.name) : null;
  }

  /** Starts row `row` (a new rolled-up row) and folds the input row into it. */
  init(row: number, input: Record<string, unknown>): void {
    if (this.numeric !== null) {
      this.numeric.reserve(row + 1);
      this.numeric.set(row, this.isCount ? 0 : null);
    } else {
      this.sketches!.init(row);
    }
    this.fold(row, input);
  }

  /** Folds one input row into stored row `row`. */
  fold(row: number, input: Record<string, unknown>): void {
    if (this.isCount) {
      this.numeric!.values[row] += 1;
      return;
    }
    const raw = input[this.field!];
    if (this.numeric !== null) {
      this.numeric.fold(row, toNumber(raw, this.isLong), this.op);
      return;
    }
    const v = toStringDimValue(raw);
    if (v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) this.sketches!.addHash(row, hashString(x));
    } else {
      this.sketches!.addHash(row, hashString(v));
    }
  }
}
