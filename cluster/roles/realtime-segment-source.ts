/**
 * The segment source of a realtime process. Ingestion (SQL inserts, batch
 * tasks, Kafka tasks) writes to it exactly as to a LocalSegmentSource; it
 * additionally keeps, per data source, what the realtime must serve to
 * brokers: incremental indexes (fresh rows) and published segments that no
 * historical has taken over yet.
 *
 * Exactness during a hand-off: ingestion freezes an index into a stand-in
 * (a plain `{segments}` object, not an IncrementalIndex), publishes, loads the
 * published segments here, then removes the stand-in. Segments added while a
 * data source has a stand-in stay hidden until its last stand-in goes; others
 * (batch loads) become visible once the current burst of work is over
 * (setImmediate). So no snapshot ever holds the same rows twice.
 */
import { overlaps, type Interval } from '../../common/interval.ts';
import type { Segment, SegmentId } from '../../storage/segment.ts';
import { segmentIdToString } from '../../storage/segment.ts';
import { LocalSegmentSource, type FreshSegments } from '../../storage/local-segment-source.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';

/** What a realtime holds for one data source at one instant. */
export interface RealtimeSnapshot {
  /** Segments of the incremental indexes (and hand-off stand-ins) with rows. */
  readonly fresh: readonly Segment[];
  /** Published segments served here, by segment id string. */
  readonly published: ReadonlyMap<string, Segment>;
}

export class RealtimeSegmentSource extends LocalSegmentSource {
  private readonly freshByDs = new Map<string, Set<FreshSegments>>();
  private readonly publishedByDs = new Map<string, Map<string, Segment>>();
  private readonly pendingByDs = new Map<string, Map<string, Segment>>();
  private flushScheduled = false;

  override addSegment(id: SegmentId, segment: Segment, _numPartitions = 0): void {
    let pending = this.pendingByDs.get(id.dataSource);
    if (pending === undefined) this.pendingByDs.set(id.dataSource, (pending = new Map()));
    pending.set(segmentIdToString(id), segment);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        for (const ds of [...this.pendingByDs.keys()]) this.flush(ds);
      });
    }
  }

  /** Makes the data source's pending published segments visible, unless a hand-off stand-in still holds their rows. */
  private flush(dataSource: string): void {
    const pending = this.pendingByDs.get(dataSource);
    if (pending === undefined) return;
    for (const f of this.freshByDs.get(dataSource) ?? []) if (!(f instanceof IncrementalIndex)) return;
    this.pendingByDs.delete(dataSource);
    let published = this.publishedByDs.get(dataSource);
    if (published === undefined) this.publishedByDs.set(dataSource, (published = new Map()));
    for (const [id, s] of pending) published.set(id, s);
  }

  override remove(id: SegmentId): Segment | undefined {
    const key = segmentIdToString(id);
    const pending = this.pendingByDs.get(id.dataSource);
    const published = this.publishedByDs.get(id.dataSource);
    const found = pending?.get(key) ?? published?.get(key);
    pending?.delete(key);
    published?.delete(key);
    if (pending?.size === 0) this.pendingByDs.delete(id.dataSource);
    if (published?.size === 0) this.publishedByDs.delete(id.dataSource);
    return found;
  }

  /** Drops a published segment by its id string; returns whether it was served here. */
  removeById(dataSource: string, id: string): boolean {
    const published = this.publishedByDs.get(dataSource);
    if (published === undefined || !published.delete(id)) return false;
    if (published.size === 0) this.publishedByDs.delete(dataSource);
    return true;
  }

  override addIncremental(dataSource: string, index: FreshSegments): void {
    let s = this.freshByDs.get(dataSource);
    if (s === undefined) this.freshByDs.set(dataSource, (s = new Set()));
    s.add(index);
  }

  override removeIncremental(dataSource: string, index: FreshSegments): void {
    const s = this.freshByDs.get(dataSource);
    s?.delete(index);
    if (s !== undefined && s.size === 0) this.freshByDs.delete(dataSource);
    this.flush(dataSource);
  }

  override dataSources(): string[] {
    return [...new Set([...this.freshByDs.keys(), ...this.publishedByDs.keys()])].sort();
  }

  /** What is served for a data source right now (segments of fresh data read at this instant). */
  snapshot(dataSource: string): RealtimeSnapshot {
    const fresh: Segment[] = [];
    for (const idx of this.freshByDs.get(dataSource) ?? []) for (const s of idx.segments()) if (s.numRows > 0) fresh.push(s);
    return { fresh, published: new Map(this.publishedByDs.get(dataSource) ?? []) };
  }

  /** Ids of published segments served here, per data source. */
  publishedIds(dataSource: string): string[] {
    return [...(this.publishedByDs.get(dataSource)?.keys() ?? [])].sort();
  }

  override segmentsFor(dataSource: string, intervals: readonly Interval[]): Segment[] {
    const snap = this.snapshot(dataSource);
    return [...snap.fresh, ...snap.published.values()].filter((s) => intervals.some((iv) => overlaps(iv, s.dataInterval)));
  }
}
