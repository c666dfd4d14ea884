/** Per-row quantiles sketches (quantilesDoublesSketch ingest metric). */
import type { ComplexColumnData } from '../columnar-data.ts';
import { addValues, deserializeQuantiles, emptyQuantiles, mergeQuantiles, serializeQuantiles, type QuantilesPartial } from '../sketches/quantiles-sketch.ts';
import type { ComplexMetricStore } from './complex-metric-store.ts';
import { toNumber } from './value-parsing.ts';

export class QuantilesStore implements ComplexMetricStore {
  readonly complexType = 'quantilesDoublesSketch';
  private readonly rows: QuantilesPartial[] = [];

  constructor(readonly name: string, private readonly k: number) {}

  init(row: number): void {
    this.rows[row] = emptyQuantiles(this.k);
  }

  /** Adds a numeric input value; nulls and non-numbers are skipped. */
  add(row: number, raw: unknown): void {
    const v = toNumber(raw, false);
    if (v === null) return;
    this.rows[row] = addValues(this.rows[row] as { k: number; n: number; levels: number[][] }, [Number(v)]);
  }

  mergeSerialized(row: number, bytes: Uint8Array): void {
    this.rows[row] = mergeQuantiles(this.rows[row], deserializeQuantiles(bytes, this.k));
  }

  toColumn(perm: Int32Array): ComplexColumnData {
    const values: Uint8Array[] = new Array(perm.length);
    for (let i = 0; i < perm.length; i++) values[i] = serializeQuantiles(this.rows[perm[i]]);
    return { kind: 'complex', name: this.name, complexType: this.complexType, values };
  }
}
