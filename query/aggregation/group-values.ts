/**
 * Per-group accumulator arrays that grow on demand and, once released, go
 * back to a small per-thread pool: grouping queries then reuse the same
 * memory segment after segment instead of allocating (and collecting)
 * accumulators sized by the key space every time.
 */

const EMPTY = new Float64Array(0);
/** Arrays smaller than this are not pooled (cheap to allocate). */
const MIN_POOLED = 1024;
const MAX_POOLED_BYTES = 32 * 1024 * 1024;
const MAX_POOLED = 16;

const pool: Float64Array[] = [];
let pooledBytes = 0;

/** An array of at least n entries (contents undefined): a pooled one that is not much larger, or a new one. */
function take(n: number): Float64Array {
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const len = pool[i].length;
    if (len >= n && len <= 2 * n + MIN_POOLED && (best < 0 || len < pool[best].length)) best = i;
  }
  if (best < 0) return new Float64Array(n);
  const a = pool[best];
  pool[best] = pool[pool.length - 1];
  pool.pop();
  pooledBytes -= a.byteLength;
  return a;
}

/** Returns an array to the pool (dropped when small or when the pool is full). */
function give(a: Float64Array): void {
  if (a.length < MIN_POOLED || a.byteLength > MAX_POOLED_BYTES) return;
  while (pool.length >= MAX_POOLED || pooledBytes + a.byteLength > MAX_POOLED_BYTES) {
    const old = pool.shift();
    if (old === undefined) return;
    pooledBytes -= old.byteLength;
  }
  pool.push(a);
  pooledBytes += a.byteLength;
}

/** Bytes currently held by this thread's pool (for tests and diagnostics). */
export function pooledGroupValueBytes(): number {
  return pooledBytes;
}

/**
 * Values per group, each starting at `init`. `data` may be longer than
 * `size`; only entries below `size` are meaningful. After `release` the
 * object is empty again and its old `data` must no longer be used.
 */
export class GroupValues {
  data: Float64Array = EMPTY;
  size = 0;

  constructor(private readonly init: number) {}

  /** Makes groups [0, n) addressable, keeping existing values; new groups start at init. */
  ensure(n: number): void {
    if (n <= this.size) return;
    if (n > this.data.length) {
      const next = take(Math.max(n, this.size * 2));
      next.set(this.data.subarray(0, this.size));
      give(this.data);
      this.data = next;
    }
    this.data.fill(this.init, this.size, n);
    this.size = n;
  }

  /** Hands the storage back to the pool. */
  release(): void {
    const d = this.data;
    this.data = EMPTY;
    this.size = 0;
    give(d);
  }
}
