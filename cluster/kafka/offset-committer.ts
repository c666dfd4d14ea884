/**
 * Publishes a task's hand-off: places the built segments as appends (newest version of each interval,
 * next partition numbers, extendable sets, so stream data never overshadows batch data) and records
 * them together with the task's end offsets in one metadata transaction. Hand-offs of one data source
 * run one at a time (placement reads the used segments, so two at once could pick the same ids).
 *
 * Exactly-once: the publish goes through only when the stored offsets of the task's partitions still
 * equal the offsets the task started from; the transaction's compare-and-set on the whole stored
 * document guards against another writer between that check and the write.
 */
import { openSegment } from '../../storage/format/segment-reader.ts';
import type { BuiltSegment } from '../../storage/merge/split-segments.ts';
import type { MetadataStore, SegmentRecord } from '../metadata/metadata-store.ts';
import type { SegmentPublisher, SegmentToPublish } from '../segment-publisher.ts';
import { storedOffsets, withOffsets } from './kafka-offsets.ts';

/** Result of a publish: the records, or 'stale' when the stored offsets moved away from the task's start. */
export type CommitResult = { readonly ok: true; readonly records: SegmentRecord[] } | { readonly ok: false; readonly reason: string };

export class OffsetCommitter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: string,
    private readonly topic: string,
    private readonly metadata: MetadataStore,
    private readonly publisher: SegmentPublisher,
  ) {}

  /** The committed next offset per partition of the topic (empty when none). */
  async committed(): Promise<Map<number, number>> {
    return storedOffsets(await this.metadata.commitMetadata(this.dataSource), this.topic);
  }

  /**
   * Publishes `built` with offsets moving from `start` to `end` for the task's partitions. A partition
   * absent from `start` means the task started without a stored offset for it (earliest/latest).
   */
  publish(built: readonly BuiltSegment[], start: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>): Promise<CommitResult> {
    const run = async (): Promise<CommitResult> => {
      const stored = await this.metadata.commitMetadata(this.dataSource);
      const current = storedOffsets(stored, this.topic);
      for (const p of end.keys()) {
        if (current.get(p) !== start.get(p)) {
          return { ok: false, reason: `stored offset of partition [${p}] is [${current.get(p) ?? 'none'}], the task started from [${start.get(p) ?? 'none'}]` };
        }
      }
      const toPublish = await this.place(built);
      const records = await this.publisher.publish(toPublish, { dataSource: this.dataSource, expected: stored, next: withOffsets(stored, this.topic, end) });
      if (records === null) return { ok: false, reason: 'the commit metadata changed during the publish' };
      return { ok: true, records };
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Appends: the newest version of each interval with the next partition numbers; new intervals keep the built version. */
  private async place(built: readonly BuiltSegment[]): Promise<SegmentToPublish[]> {
    const targets = new Map<string, { version: string; nextPartition: number }>();
    for (const s of await this.metadata.usedSegments(this.dataSource)) {
      const k = `${s.interval.start}/${s.interval.end}`;
      const cur = targets.get(k);
      if (!cur || s.version > cur.version) targets.set(k, { version: s.version, nextPartition: s.partitionNum + 1 });
      else if (s.version === cur.version) cur.nextPartition = Math.max(cur.nextPartition, s.partitionNum + 1);
    }
    return built.map((b) => {
      const numRows = openSegment(b.bytes, b.id).numRows;
      const key = `${b.id.interval.start}/${b.id.interval.end}`;
      const target = targets.get(key);
      if (!target) {
        targets.set(key, { version: b.id.version, nextPartition: b.id.partitionNum + 1 });
        return { id: b.id, bytes: b.bytes, numRows, numPartitions: 0 };
      }
      return { id: { ...b.id, version: target.version, partitionNum: target.nextPartition++ }, bytes: b.bytes, numRows, numPartitions: 0 };
    });
  }
}
