/**
 * The historical role in a process: keeps the set of served segments equal to
 * the used segments in the metadata store. Segments are loaded from the local
 * cache (or deep storage through it) into shared memory and opened; segments
 * that became unused are dropped. Which segments are *visible* (overshadowing)
 * is the timeline's job inside the segment source.
 */
import { logger } from '../common/log.ts';
import type { Segment, SegmentId } from '../storage/segment.ts';
import type { MetadataStore, SegmentRecord } from './metadata/metadata-store.ts';
import type { SegmentCache } from './segment-cache.ts';

const log = logger('data-node');

/** Where opened segments are served from (the local segment source). */
export interface SegmentServing {
  addSegment(id: SegmentId, segment: Segment, numPartitions: number): void;
  remove(id: SegmentId): unknown;
}

export type SegmentOpener = (bytes: Uint8Array, id: SegmentId) => Segment;

export function segmentIdOf(r: SegmentRecord): SegmentId {
  return { dataSource: r.dataSource, interval: r.interval, version: r.version, partitionNum: r.partitionNum };
}

export class DataNode {
  private readonly served = new Map<string, SegmentRecord>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly cache: SegmentCache,
    private readonly serving: SegmentServing,
    private readonly open: SegmentOpener,
  ) {}

  /** Loads the given (just published) segments and serves them. */
  async load(records: readonly SegmentRecord[]): Promise<void> {
    for (const r of records) {
      if (this.served.has(r.id)) continue;
      const bytes = await this.cache.load(r);
      const id = segmentIdOf(r);
      this.serving.addSegment(id, this.open(bytes, id), r.numPartitions);
      this.served.set(r.id, r);
    }
  }

  /** Makes the served set equal to the used segments in metadata; returns how many were loaded and dropped. */
  async sync(onProgress?: (done: number, total: number) => void): Promise<{ loaded: number; dropped: number }> {
    const used = await this.metadata.usedSegments();
    const usedIds = new Set(used.map((r) => r.id));
    let dropped = 0;
    for (const [id, r] of this.served) {
      if (usedIds.has(id)) continue;
      this.serving.remove(segmentIdOf(r));
      this.served.delete(id);
      await this.cache.drop(r);
      dropped++;
    }
    const missing = used.filter((r) => !this.served.has(r.id));
    let done = 0;
    for (const r of missing) {
      try {
        await this.load([r]);
      } catch (e) {
        log.error(`cannot load segment [${r.id}]: ${(e as Error).message}`);
      }
      onProgress?.(++done, missing.length);
    }
    return { loaded: missing.length, dropped };
  }

  servedRecords(): SegmentRecord[] {
    return [...this.served.values()];
  }
}
