/**
 * The broker's per-segment result cache: unfinalized partials keyed by
 * (segment id, query fingerprint), least recently used evicted first, bounded
 * by the encoded size in bytes. Only immutable (historical) segments go in.
 */
import { createHash } from 'node:crypto';
import { decodeWire, encodeWire } from '../roles/wire-format.ts';

export class PartialResultCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): unknown {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, e); // most recent last
    return decodeWire(e);
  }

  /** Stores a partial (a copy: later mutation of `value` does not affect the cache); too-large values are skipped. */
  put(key: string, value: unknown): void {
    const encoded = encodeWire(value);
    if (encoded.byteLength > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, encoded);
    this.bytes += encoded.byteLength;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/**
 * The cache key of a query's partial over one segment: the whole query
 * (intervals included, since bucket timestamps can depend on them) without
 * its context, hashed with the segment id.
 */
export function partialCacheKey(query: Readonly<Record<string, unknown>>, segmentId: string): string {
  const { context: _context, ...rest } = query;
  return createHash('sha256').update(segmentId).update('\0').update(stableJson(rest)).digest('base64url');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
