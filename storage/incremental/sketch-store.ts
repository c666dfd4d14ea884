/**
 * Per-row hyperUnique sketches. Rows with few distinct values keep a short
 * list of hashes; they become a full HyperLogLog past SMALL_LIMIT.
 */
import type { ComplexColumnData } from '../columnar-data.ts';
import { hashString } from '../sketches/hash.ts';
import { HyperLogLog } from '../sketches/hll.ts';
import type { ComplexMetricStore } from './complex-metric-store.ts';
import { toStringDimValue } from './value-parsing.ts';

const SMALL_LIMIT = 64;

export class SketchStore implements ComplexMetricStore {
  private rows: (number[] | HyperLogLog)[] = [];
  readonly complexType = 'hyperUnique';

  constructor(readonly name: string) {}

  /** Adds the hash of each non-null (string form of the) raw input value. */
  add(row: number, raw: unknown): void {
    const v = toStringDimValue(raw);
    if (v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) this.addHash(row, hashString(x));
    } else this.addHash(row, hashString(v));
  }

  /** Starts an empty sketch at row. */
  init(row: number): void {
    this.rows[row] = [];
  }

  /** Adds a 53-bit hash to the sketch of row. */
  addHash(row: number, hash: number): void {
    const s = this.rows[row];
    if (s instanceof HyperLogLog) {
      s.add(hash);
      return;
    }
    if (s.includes(hash)) return;
    s.push(hash);
    if (s.length > SMALL_LIMIT) this.rows[row] = this.sketchOf(s);
  }

  /** Merges serialized sketch bytes into row. */
  mergeSerialized(row: number, bytes: Uint8Array): void {
    let s = this.rows[row];
    if (!(s instanceof HyperLogLog)) s = this.rows[row] = this.sketchOf(s);
    HyperLogLog.mergeSerialized(s.registers, bytes);
  }

  private sketchOf(hashes: number[]): HyperLogLog {
    const h = new HyperLogLog();
    for (const x of hashes) h.add(x);
    return h;
  }

  /** Serialized sketch of row. */
  serialized(row: number): Uint8Array {
    const s = this.rows[row];
    return (s instanceof HyperLogLog ? s : this.sketchOf(s)).serialize();
  }

  /** Approximate bytes held by row's sketch. */
  bytesAt(row: number): number {
    const s = this.rows[row];
    return s instanceof HyperLogLog ? 2100 : 16 + s.length * 8;
  }

  toColumn(perm: Int32Array): ComplexColumnData {
    const values: Uint8Array[] = new Array(perm.length);
    for (let i = 0; i < perm.length; i++) values[i] = this.serialized(perm[i]);
    return { kind: 'complex', name: this.name, complexType: 'hyperUnique', values };
  }
}
