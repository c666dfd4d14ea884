/**
 * Per-row KMV theta sketches (thetaSketch, HLLSketchBuild/Merge ingest
 * metrics). Rows keep their retained normalised hashes in a small array that
 * turns into a Set past a few dozen entries; over 2k entries they are trimmed to k.
 */
import type { ComplexColumnData } from '../columnar-data.ts';
import { hashString } from '../sketches/hash.ts';
import { deserializeTheta, serializeTheta, THETA_HASH_SCALE, trimTheta } from '../sketches/theta-sketch.ts';
import type { ComplexMetricStore } from './complex-metric-store.ts';
import { toStringDimValue } from './value-parsing.ts';

const SMALL = 32;

export class ThetaStore implements ComplexMetricStore {
  private readonly hashes: (number[] | Set<number>)[] = [];
  private readonly thetas: number[] = [];
  private readonly ks: number[] = [];

  /** k: nominal size of new sketches; complexType names the column type ('thetaSketch' or 'HLLSketch'). */
  constructor(readonly name: string, readonly complexType: string, private readonly k: number) {}

  init(row: number): void {
    this.hashes[row] = [];
    this.thetas[row] = 1;
    this.ks[row] = this.k;
  }

  private addNormalised(row: number, x: number): void {
    if (x >= this.thetas[row]) return;
    const s = this.hashes[row];
    if (Array.isArray(s)) {
      if (s.includes(x)) return;
      s.push(x);
      if (s.length > SMALL) this.hashes[row] = new Set(s);
      return;
    }
    s.add(x);
    if (s.size > 2 * this.ks[row]) this.trim(row);
  }

  private trim(row: number): void {
    const t = trimTheta([...this.hashes[row]], this.ks[row], this.thetas[row]);
    this.thetas[row] = t.theta;
    this.hashes[row] = t.hashes.length > SMALL ? new Set(t.hashes) : t.hashes;
  }

  add(row: number, raw: unknown): void {
    const v = toStringDimValue(raw);
    if (v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null) this.addNormalised(row, hashString(x) / THETA_HASH_SCALE);
    } else this.addNormalised(row, hashString(v) / THETA_HASH_SCALE);
  }

  mergeSerialized(row: number, bytes: Uint8Array): void {
    const other = deserializeTheta(bytes, this.k);
    if (other.k < this.ks[row]) this.ks[row] = other.k;
    if (other.theta < this.thetas[row]) {
      this.thetas[row] = other.theta;
      const kept = [...this.hashes[row]].filter((h) => h < other.theta);
      this.hashes[row] = kept.length > SMALL ? new Set(kept) : kept;
    }
    for (const h of other.hashes) this.addNormalised(row, h);
    if ((Array.isArray(this.hashes[row]) ? (this.hashes[row] as number[]).length : (this.hashes[row] as Set<number>).size) > this.ks[row]) this.trim(row);
  }

  /** Serialized sketch of row (trimmed to k). */
  serialized(row: number): Uint8Array {
    return serializeTheta(trimTheta([...this.hashes[row]], this.ks[row], this.thetas[row]));
  }

  toColumn(perm: Int32Array): ComplexColumnData {
    const values: Uint8Array[] = new Array(perm.length);
    for (let i = 0; i < perm.length; i++) values[i] = this.serialized(perm[i]);
    return { kind: 'complex', name: this.name, complexType: this.complexType, values };
  }
}
