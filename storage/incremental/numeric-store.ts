/**
 * Per-row numeric values with null flags and, for LONG, exact int64 values
 * kicked in lazily once any value leaves ±2^53. Backs numeric dimensions and
 * numeric ingest aggregators (count, sum, min, max) in the incremental index
 * and in merges.
 */
import type { NumericColumnData } from '../columnar-data.ts';
import { ensureCapacity } from './growable.ts';

export type FoldOp = 'sum' | 'min' | 'max';
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class NumericStore {
  values = new Float64Array(16);
  /** 1 = null. */
  nulls = new Uint8Array(16);
  exact: BigInt64Array | null = null;
  hasNull = false;

  constructor(readonly name: string, readonly type: 'LONG' | 'FLOAT' | 'DOUBLE', readonly role: 'dimension' | 'metric') {}

  /** Makes room for rows [0, n). */
  reserve(n: number): void {
    this.values = ensureCapacity(this.values, n);
    this.nulls = ensureCapacity(this.nulls, n);
    if (this.exact !== null) this.exact = ensureCapacity(this.exact, n);
  }

  private toExact(): BigInt64Array {
    if (this.exact === null) {
      const e = new BigInt64Array(this.values.length);
      for (let i = 0; i < e.length; i++) e[i] = BigInt(this.values[i]);
      this.exact = e;
    }
    return this.exact;
  }

  /** Sets row to v (null allowed). Caller reserved room. */
  set(row: number, v: number | bigint | null): void {
    if (v === null) {
      this.values[row] = 0;
      this.nulls[row] = 1;
      this.hasNull = true;
      if (this.exact !== null) this.exact[row] = 0n;
      return;
    }
    this.nulls[row] = 0;
    if (typeof v === 'bigint') {
      this.toExact()[row] = v;
      this.values[row] = Number(v);
      return;
    }
    this.values[row] = this.type === 'FLOAT' ? Math.fround(v) : v;
    if (this.exact !== null) this.exact[row] = BigInt(v);
  }

  /** Folds v into row with op; a null row takes v as is; null v changes nothing. */
  fold(row: number, v: number | bigint | null, op: FoldOp): void {
    if (v === null) return;
    if (this.nulls[row] === 1) {
      this.set(row, v);
      return;
    }
    if (this.type !== 'LONG') {
      const x = Number(v);
      const cur = this.values[row];
      const r = op === 'sum' ? cur + x : op === 'min' ? (x < cur ? x : cur) : x > cur ? x : cur;
      this.values[row] = this.type === 'FLOAT' ? Math.fround(r) : r;
      return;
    }
    if (this.exact === null && typeof v === 'number') {
      const cur = this.values[row];
      if (op === 'sum') {
        const s = cur + v;
        if (s <= MAX_SAFE && s >= -MAX_SAFE) {
          this.values[row] = s;
          return;
        }
      } else {
        this.values[row] = op === 'min' ? (v < cur ? v : cur) : v > cur ? v : cur;
        return;
      }
    }
    const e = this.toExact();
    const cur = e[row];
    const x = typeof v === 'bigint' ? v : BigInt(v);
    const r = op === 'sum' ? BigInt.asIntN(64, cur + x) : op === 'min' ? (x < cur ? x : cur) : x > cur ? x : cur;
    e[row] = r;
    this.values[row] = Number(r);
  }

  /** Value of row for merging: bigint when exact values are kept, null when null. */
  get(row: number): number | bigint | null {
    if (this.nulls[row] === 1) return null;
    return this.exact !== null ? this.exact[row] : this.values[row];
  }

  /** Column data for rows in perm order (`identity`: the caller knows perm[i] === i, so plain copies do). */
  toColumn(perm: Int32Array, identity = false): NumericColumnData {
    const n = perm.length;
    const src = this.values;
    let values: Float64Array | Float32Array;
    let nulls: Uint8Array | null = null;
    if (identity && this.type !== 'FLOAT') {
      values = src.slice(0, n);
      if (this.hasNull) nulls = this.nulls.slice(0, n);
    } else {
      values = this.type === 'FLOAT' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = src[perm[i]];
      if (this.hasNull) {
        nulls = new Uint8Array(n);
        for (let i = 0; i < n; i++) nulls[i] = this.nulls[perm[i]];
      }
    }
    let exact: BigInt64Array | null = null;
    if (this.exact !== null) {
      exact = new BigInt64Array(n);
      let outside = false;
      for (let i = 0; i < n; i++) {
        const x = this.exact[perm[i]];
        exact[i] = x;
        if (x > 9007199254740991n || x < -9007199254740991n) outside = true;
      }
      if (!outside) exact = null;
    }
    return { kind: 'numeric', name: this.name, type: this.type, role: this.role, values, exact, nulls };
  }
}
