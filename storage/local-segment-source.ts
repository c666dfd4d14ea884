/**
 * An in-process SegmentSource: persisted segments placed on a versioned
 * timeline per data source, plus incremental indexes serving fresh rows.
 */
import type { Interval } from '../common/interval.ts';
import { overlaps } from '../common/interval.ts';
import type { Segment, SegmentId, SegmentSource } from './segment.ts';
import { segmentIdToString } from './segment.ts';
import { VersionedIntervalTimeline } from './timeline.ts';
import { clipSegmentToInterval } from './row-range-segment.ts';

/** Anything that serves fresh segments (the IncrementalIndex does). */
export interface FreshSegments {
  segments(): Segment[];
}

export class LocalSegmentSource implements SegmentSource {
  private readonly timelines = new Map<string, VersionedIntervalTimeline<Segment>>();
  private readonly incremental = new Map<string, Set<FreshSegments>>();
  /** Visible parts per segment; cleared whenever the timeline changes. */
  private clipped = new WeakMap<Segment, readonly Segment[]>();

  /** Adds a segment under its id; numPartitions (default 0: always complete) sizes its partition set. */
  addSegment(id: SegmentId, segment: Segment, numPartitions = 0): void {
    let t = this.timelines.get(id.dataSource);
    if (t === undefined) {
      t = new VersionedIntervalTimeline<Segment>();
      this.timelines.set(id.dataSource, t);
    }
    t.add(id.interval, id.version, { partitionNum: id.partitionNum, numPartitions, object: segment });
    this.clipped = new WeakMap();
  }

  /** Registers an incremental index (fresh data) for a data source. */
  addIncremental(dataSource: string, index: FreshSegments): void {
    let s = this.incremental.get(dataSource);
    if (s === undefined) {
      s = new Set();
      this.incremental.set(dataSource, s);
    }
    s.add(index);
  }

  /** Removes a segment; returns it, or undefined when absent. */
  remove(id: SegmentId): Segment | undefined {
    const t = this.timelines.get(id.dataSource);
    const seg = t?.remove(id.interval, id.version, id.partitionNum);
    this.clipped = new WeakMap();
    if (t !== undefined && t.isEmpty) this.timelines.delete(id.dataSource);
    return seg;
  }

  /** Unregisters an incremental index. */
  removeIncremental(dataSource: string, index: FreshSegments): void {
    const s = this.incremental.get(dataSource);
    s?.delete(index);
    if (s !== undefined && s.size === 0) this.incremental.delete(dataSource);
  }

  dataSources(): string[] {
    return [...new Set([...this.timelines.keys(), ...this.incremental.keys()])].sort();
  }

  /** The timeline for a data source (for metadata queries), if any. */
  timeline(dataSource: string): VersionedIntervalTimeline<Segment> | undefined {
    return this.timelines.get(dataSource);
  }

  /**
   * Visible segments overlapping the intervals. A segment that a newer version
   * overshadows over part of its interval is returned as one row-range view
   * per visible part, so its hidden rows never reach a query.
   */
  segmentsFor(dataSource: string, intervals: readonly Interval[]): Segment[] {
    const out: Segment[] = [];
    const seen = new Set<string>();
    const t = this.timelines.get(dataSource);
    if (t !== undefined) {
      for (const iv of intervals) {
        for (const h of t.lookup(iv)) {
          for (const c of h.chunks) {
            const key = segmentIdToString(c.object.id);
            if (seen.has(key)) continue;
            seen.add(key);
            for (const part of this.visibleParts(t, h.trueInterval, h.version, c.object)) out.push(part);
          }
        }
      }
    }
    for (const idx of this.incremental.get(dataSource) ?? []) {
      for (const s of idx.segments()) {
        if (s.numRows > 0 && intervals.some((iv) => overlaps(iv, s.dataInterval))) out.push(s);
      }
    }
    return out;
  }

  /** The segment whole when its entry is visible over its whole interval, else its visible row ranges (cached). */
  private visibleParts(t: VersionedIntervalTimeline<Segment>, trueInterval: Interval, version: string, segment: Segment): readonly Segment[] {
    const cached = this.clipped.get(segment);
    if (cached !== undefined) return cached;
    const visible = t.lookup(trueInterval).filter((h) => h.version === version && h.trueInterval.start === trueInterval.start && h.trueInterval.end === trueInterval.end);
    let parts: Segment[];
    if (visible.length === 1 && visible[0].interval.start <= trueInterval.start && visible[0].interval.end >= trueInterval.end) parts = [segment];
    else parts = visible.map((h) => clipSegmentToInterval(segment, h.interval)).filter((s) => s.numRows > 0);
    this.clipped.set(segment, parts);
    return parts;
  }
}
