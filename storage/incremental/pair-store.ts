/**
 * Per-row first/last (time, value) pairs: stringFirst/Last and
 * long/double/floatFirst/Last ingest metrics. First keeps the earliest input
 * time (ties keep the value already held); last keeps the latest (ties take
 * the newer row). A null input value is a value, as at query time.
 */
import type { ComplexColumnData } from '../columnar-data.ts';
import { deserializePair, pairComplexType, serializePair } from '../sketches/time-value-pair.ts';
import { ensureCapacity } from './growable.ts';
import type { ComplexMetricStore } from './complex-metric-store.ts';
import { toNumber, toStringDimValue } from './value-parsing.ts';

const EMPTY = new Uint8Array(0);

export class PairStore implements ComplexMetricStore {
  readonly complexType: string;
  private times = new Float64Array(16);
  private has = new Uint8Array(16);
  private readonly values: (number | string | null)[] = [];

  constructor(readonly name: string, private readonly mode: 'first' | 'last', private readonly valueType: 'string' | 'long' | 'double' | 'float', private readonly maxStringBytes = 1024) {
    this.complexType = pairComplexType(valueType);
  }

  init(row: number): void {
    this.times = ensureCapacity(this.times, row + 1);
    this.has = ensureCapacity(this.has, row + 1);
    this.has[row] = 0;
    this.values[row] = null;
  }

  private offer(row: number, t: number, v: number | string | null): void {
    if (this.has[row] === 1) {
      const cur = this.times[row];
      if (this.mode === 'first' ? !(t < cur) : !(t >= cur)) return;
    }
    this.has[row] = 1;
    this.times[row] = t;
    this.values[row] = v;
  }

  private parse(raw: unknown): number | string | null {
    if (this.valueType === 'string') {
      const v = toStringDimValue(raw);
      const s = Array.isArray(v) ? v[0] : v;
      return s !== null && s.length > this.maxStringBytes ? s.slice(0, this.maxStringBytes) : s;
    }
    const n = toNumber(raw, this.valueType === 'long');
    if (n === null) return null;
    return this.valueType === 'float' ? Math.fround(Number(n)) : Number(n);
  }

  add(row: number, raw: unknown, time: number): void {
    this.offer(row, time, this.parse(raw));
  }

  mergeSerialized(row: number, bytes: Uint8Array): void {
    const p = deserializePair(bytes);
    if (p !== null) this.offer(row, p.t, p.v);
  }

  toColumn(perm: Int32Array): ComplexColumnData {
    const values: Uint8Array[] = new Array(perm.length);
    for (let i = 0; i < perm.length; i++) {
      const r = perm[i];
      values[i] = this.has[r] === 1 ? serializePair({ t: this.times[r], v: this.values[r] }) : EMPTY;
    }
    return { kind: 'complex', name: this.name, complexType: this.complexType, values };
  }
}
