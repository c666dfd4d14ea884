/**
 * Evaluated virtual columns of immutable segments, shared across queries: the
 * same expression over the same persisted segment always gives the same
 * values, so repeated queries (dashboards, the Druid mix) skip evaluating it.
 * Bounded by a byte budget with least-recently-used eviction; mutable
 * segments are never cached.
 */
import type { NumericColumn, Segment } from '../../storage/segment.ts';

interface Entry {
  readonly segment: WeakRef<Segment>;
  readonly key: string;
  readonly column: NumericColumn;
  readonly bytes: number;
}

/** Default budget: 128 MiB of evaluated values per thread. */
const DEFAULT_BUDGET = 128 * 1024 * 1024;

const bySegment = new WeakMap<Segment, Map<string, Entry>>();
/** Insertion order = recency (oldest first). */
const lru = new Set<Entry>();
let used = 0;
let budget = DEFAULT_BUDGET;
/** Drops a collected segment's entries from the budget. */
const collected = new FinalizationRegistry<Map<string, Entry>>((m) => {
  for (const e of m.values()) if (lru.delete(e)) used -= e.bytes;
});

/** Expressions whose value can change between queries (registered lookups) are never cached. */
export function isCacheableExpression(expression: string): boolean {
  return !/lookup/i.test(expression);
}

/** The cached numeric column of `key` (expression and type) over `segment`, or undefined. */
export function cachedVirtualColumn(segment: Segment, key: string): NumericColumn | undefined {
  if (segment.isMutable) return undefined;
  const e = bySegment.get(segment)?.get(key);
  if (e === undefined) return undefined;
  lru.delete(e);
  lru.add(e);
  return e.column;
}

/** Remembers a numeric virtual column of an immutable segment (no-op for mutable ones or columns over budget). */
export function cacheVirtualColumn(segment: Segment, key: string, column: NumericColumn): void {
  if (segment.isMutable) return;
  const bytes = column.values().byteLength;
  if (bytes > budget / 4) return;
  let m = bySegment.get(segment);
  if (m === undefined) {
    bySegment.set(segment, (m = new Map()));
    collected.register(segment, m);
  }
  const old = m.get(key);
  if (old !== undefined) { lru.delete(old); used -= old.bytes; }
  const e: Entry = { segment: new WeakRef(segment), key, column, bytes };
  m.set(key, e);
  lru.add(e);
  used += bytes;
  while (used > budget) {
    const oldest = lru.values().next().value as Entry | undefined;
    if (oldest === undefined) break;
    evict(oldest);
  }
}

function evict(e: Entry): void {
  lru.delete(e);
  used -= e.bytes;
  const seg = e.segment.deref();
  if (seg !== undefined) bySegment.get(seg)?.delete(e.key);
}

/** Sets the byte budget (evicting down to it); returns the previous one. For tests and tuning. */
export function setVirtualColumnBudget(bytes: number): number {
  const prev = budget;
  budget = Math.max(0, bytes);
  while (used > budget && lru.size > 0) evict(lru.values().next().value as Entry);
  return prev;
}

/** Bytes held and entries cached (for tests and metrics). */
export function virtualColumnCacheStats(): { bytes: number; entries: number } {
  return { bytes: used, entries: lru.size };
}
