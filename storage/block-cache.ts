/**
 * A process-wide cache of decoded segment data (column blocks, dictionaries,
 * bitmaps), bounded in bytes and evicting the least recently used entry, so
 * hot queries do not decode twice and cold segments do not pin memory.
 */

interface Entry {
  readonly value: unknown;
  readonly bytes: number;
}

/** A byte-bounded LRU map. */
export class ByteLruCache {
  private readonly map = new Map<string, Entry>();
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
    this.map.delete(key);
    this.map.set(key, e);
    return e.value as T;
  }

  /** Stores value with its approximate size; entries larger than the bound are not kept. */
  set(key: string, value: unknown, bytes: number): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.used -= old.bytes;
      this.map.delete(key);
    }
    if (bytes > this.maxBytes) return;
    this.map.set(key, { value, bytes });
    this.used += bytes;
    this.evict();
  }

  /** Returns the cached value or computes, stores and returns it. */
  getOrCompute<T>(key: string, compute: () => T, sizeOf: (v: T) => number): T {
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    const v = compute();
    this.set(key, v, sizeOf(v));
    return v;
  }

  /** Drops every entry whose key starts with prefix (e.g. a dropped segment). */
  dropPrefix(prefix: string): void {
    for (const [k, e] of this.map) {
      if (k.startsWith(prefix)) {
        this.used -= e.bytes;
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
    this.map.clear();
    this.used = 0;
  }

  private evict(): void {
    while (this.used > this.maxBytes) {
      const first = this.map.keys().next();
      if (first.done) break;
      const e = this.map.get(first.value)!;
      this.used -= e.bytes;
      this.map.delete(first.value);
    }
  }
}

const DEFAULT_CACHE_BYTES = Number(process.env.NEMETON_SEGMENT_CACHE_BYTES ?? 512 * 1024 * 1024);

/** The decoded-segment cache shared by every segment opened in this process. */
export const segmentCache = new ByteLruCache(DEFAULT_CACHE_BYTES);
