/**
 * A versioned interval timeline (Druid's VersionedIntervalTimeline): chunks
 * are added under (interval, version, partition); lookup returns, for each
 * part of the asked interval, the highest version whose partition set is
 * complete. A newer version overshadows older ones only where it overlaps
 * them (a partial overlap splits the older interval).
 */
import type { Interval } from '../common/interval.ts';

/** One partition of a (interval, version) entry. */
export interface PartitionChunk<T> {
  readonly partitionNum: number;
  /** Size of the partition set; the entry is complete when partitions 0..n-1 are all present. 0: always complete. */
  readonly numPartitions: number;
  readonly object: T;
}

/** A visible piece of the timeline. */
export interface TimelineHolder<T> {
  /** The visible part (clipped to the lookup interval). */
  readonly interval: Interval;
  /** The whole interval the chunks were added under. */
  readonly trueInterval: Interval;
  readonly version: string;
  readonly chunks: readonly PartitionChunk<T>[];
}

interface Entry<T> {
  readonly interval: Interval;
  readonly version: string;
  readonly chunks: Map<number, PartitionChunk<T>>;
}

function compareVersions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class VersionedIntervalTimeline<T> {
  private readonly entries = new Map<string, Entry<T>>();

  private key(interval: Interval, version: string): string {
    return `${interval.start}/${interval.end}/${version}`;
  }

  /** Adds (or replaces) a partition chunk. */
  add(interval: Interval, version: string, chunk: PartitionChunk<T>): void {
    const k = this.key(interval, version);
    let e = this.entries.get(k);
    if (e === undefined) {
      e = { interval: { start: interval.start, end: interval.end }, version, chunks: new Map() };
      this.entries.set(k, e);
    }
    e.chunks.set(chunk.partitionNum, chunk);
  }

  /** Removes a chunk; returns its object, or undefined when absent. */
  remove(interval: Interval, version: string, partitionNum: number): T | undefined {
    const k = this.key(interval, version);
    const e = this.entries.get(k);
    const c = e?.chunks.get(partitionNum);
    if (e === undefined || c === undefined) return undefined;
    e.chunks.delete(partitionNum);
    if (e.chunks.size === 0) this.entries.delete(k);
    return c.object;
  }

  /** Every chunk's object. */
  allObjects(): T[] {
    const out: T[] = [];
    for (const e of this.entries.values()) for (const c of e.chunks.values()) out.push(c.object);
    return out;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  private isComplete(e: Entry<T>): boolean {
    let n = 0;
    for (const c of e.chunks.values()) n = Math.max(n, c.numPartitions);
    if (n === 0) return e.chunks.size > 0;
    for (let p = 0; p < n; p++) if (!e.chunks.has(p)) return false;
    return true;
  }

  private sortedChunks(e: Entry<T>): PartitionChunk<T>[] {
    return [...e.chunks.values()].sort((a, b) => a.partitionNum - b.partitionNum);
  }

  /** The visible holders over `interval`, in time order, adjacent pieces of one entry coalesced. */
  lookup(interval: Interval): TimelineHolder<T>[] {
    const complete = [...this.entries.values()].filter(
      (e) => e.interval.start < interval.end && interval.start < e.interval.end && this.isComplete(e),
    );
    return this.visible(complete, interval).map(({ entry, start, end }) => ({
      interval: { start, end },
      trueInterval: entry.interval,
      version: entry.version,
      chunks: this.sortedChunks(entry),
    }));
  }

  /** Elementary pieces of `clip` with the highest-version entry covering each, coalesced. */
  private visible(entries: Entry<T>[], clip: Interval): { entry: Entry<T>; start: number; end: number }[] {
    const points = new Set<number>([clip.start, clip.end]);
    for (const e of entries) {
      if (e.interval.start > clip.start && e.interval.start < clip.end) points.add(e.interval.start);
      if (e.interval.end > clip.start && e.interval.end < clip.end) points.add(e.interval.end);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const out: { entry: Entry<T>; start: number; end: number }[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
      const s = sorted[i];
      const t = sorted[i + 1];
      let best: Entry<T> | null = null;
      for (const e of entries) {
        if (e.interval.start <= s && t <= e.interval.end) {
          if (best === null || compareVersions(e.version, best.version) > 0) best = e;
        }
      }
      if (best === null) continue;
      const last = out[out.length - 1];
      if (last !== undefined && last.entry === best && last.end === s) last.end = t;
      else out.push({ entry: best, start: s, end: t });
    }
    return out;
  }

  /** True when every instant of `interval` is covered by complete entries of a higher version. */
  isOvershadowed(interval: Interval, version: string): boolean {
    const newer = [...this.entries.values()].filter(
      (e) => compareVersions(e.version, version) > 0 && e.interval.start < interval.end && interval.start < e.interval.end && this.isComplete(e),
    );
    let covered = interval.start;
    const byStart = newer.sort((a, b) => a.interval.start - b.interval.start);
    for (const e of byStart) {
      if (e.interval.start > covered) return false;
      covered = Math.max(covered, e.interval.end);
      if (covered >= interval.end) return true;
    }
    return covered >= interval.end;
  }

  /** Entries (complete or not) fully overshadowed by newer complete entries: safe to drop. */
  findFullyOvershadowed(): TimelineHolder<T>[] {
    const out: TimelineHolder<T>[] = [];
    for (const e of this.entries.values()) {
      if (this.isOvershadowed(e.interval, e.version)) {
        out.push({ interval: e.interval, trueInterval: e.interval, version: e.version, chunks: this.sortedChunks(e) });
      }
    }
    return out;
  }
}
