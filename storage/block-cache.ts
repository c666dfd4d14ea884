/**
 * A process-wide cache of decoded segment data (column blocks, dictionaries,
 * bitmaps), bounded in bytes, so hot queries do not decode twice and cold
 * segments do not pin memory.
 *
 * Recency is tracked the CLOCK (second-chance) way: a hit only sets the
 * entry's reference bit; eviction walks entries in insertion order, giving a
 * referenced entry one more round (moved to the back, bit cleared) and
 * evicting the first unreferenced one. Holders that read the same entry
 * often (a column's decoded values) keep the entry itself and re-check
 * `live` instead of building a key and looking it up.
 */

/**
 * A cached value. `live` turns false once the entry is evicted, dropped or
 * cleared; the value is then released (read `value` only while live, or
 * straight from the call that returned the entry).
 */
export interface CacheEntry<T = unknown> {
  value: T;
  readonly bytes: number;
  live: boolean;
  /** Reference bit: set by a hit, cleared when eviction passes over the entry. */
  ref: number;
}

/** Marks an entry gone and lets its value be collected even while a holder keeps the entry. */
function release(e: CacheEntry): void {
  e.live = false;
  e.value = undefined;
}

/** A byte-bounded map with second-chance (approximately least-recently-used) eviction. */
export class ByteLruCache {
  private readonly map = new Map<string, CacheEntry>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(private maxBytes: number) {}

  /** The cached value for key (marking it recently used), or undefined. */
  get<T>(key: string): T | undefined {
    const e = this.map.get(key);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    e.ref = 1;
    return e.value as T;
  }

  /** Stores value with its approximate size; entries larger than the bound are not kept. */
  set(key: string, value: unknown, bytes: number): void {
    this.store(key, value, bytes);
  }

  /** Returns the cached value or computes, stores and returns it. */
  getOrCompute<T>(key: string, compute: () => T, sizeOf: (v: T) => number): T {
    return this.entry(key, compute, sizeOf).value;
  }

  /**
   * The entry for key, computing and storing the value on a miss. The caller
   * may keep the entry and use `touch` while it stays `live`; a value too
   * large for the bound comes back in an entry that is not live.
   */
  entry<T>(key: string, compute: () => T, sizeOf: (v: T) => number): CacheEntry<T> {
    const e = this.map.get(key);
    if (e !== undefined) {
      this.hits++;
      e.ref = 1;
      return e as CacheEntry<T>;
    }
    this.misses++;
    const v = compute();
    return this.store(key, v, sizeOf(v));
  }

  /** Marks a held live entry as used (a hit without a lookup); returns its value. */
  touch<T>(e: CacheEntry<T>): T {
    this.hits++;
    e.ref = 1;
    return e.value;
  }

  /** Drops every entry whose key starts with prefix (e.g. a dropped segment). */
  dropPrefix(prefix: string): void {
    for (const [k, e] of this.map) {
      if (k.startsWith(prefix)) {
        this.used -= e.bytes;
        release(e);
        this.map.delete(k);
      }
    }
  }

  /** Changes the byte bound, evicting as needed. */
  resize(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evict();
  }

  get usedBytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    for (const e of this.map.values()) release(e);
    this.map.clear();
    this.used = 0;
  }

  private store<T>(key: string, value: T, bytes: number): CacheEntry<T> {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.used -= old.bytes;
      release(old);
      this.map.delete(key);
    }
    const e: CacheEntry<T> = { value, bytes, live: false, ref: 0 };
    if (bytes > this.maxBytes) return e;
    e.live = true;
    this.map.set(key, e);
    this.used += bytes;
    this.evict(e);
    return e;
  }

  /**
   * Evicts until within the bound. `keep` (the entry just stored, never above
   * the bound itself) is passed over: a new value is not evicted before older
   * ones. Each other entry is passed over at most once with its bit set, so
   * this ends.
   */
  private evict(keep?: CacheEntry): void {
    while (this.used > this.maxBytes) {
      const first = this.map.entries().next();
      if (first.done === true) break;
      const [k, e] = first.value;
      this.map.delete(k);
      if (e === keep || e.ref !== 0) {
        e.ref = 0;
        this.map.set(k, e);
        continue;
      }
      release(e);
      this.used -= e.bytes;
    }
  }
}

const DEFAULT_CACHE_BYTES = Number(process.env.NEMETON_SEGMENT_CACHE_BYTES ?? 512 * 1024 * 1024);

/** The decoded-segment cache shared by every segment opened in this process. */
export const segmentCache = new ByteLruCache(DEFAULT_CACHE_BYTES);
