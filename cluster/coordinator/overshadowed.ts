/** Which segment records are fully overshadowed by newer complete partition sets. */
import type { SegmentRecord } from '../metadata/metadata-store.ts';
import { VersionedIntervalTimeline } from '../../storage/timeline.ts';

/** Ids of the records (any data sources) that newer complete versions among `records` fully overshadow. */
export function overshadowedIds(records: readonly SegmentRecord[]): Set<string> {
  const timelines = new Map<string, VersionedIntervalTimeline<SegmentRecord>>();
  for (const r of records) {
    let t = timelines.get(r.dataSource);
    if (t === undefined) timelines.set(r.dataSource, (t = new VersionedIntervalTimeline<SegmentRecord>()));
    t.add(r.interval, r.version, { partitionNum: r.partitionNum, numPartitions: r.numPartitions, object: r });
  }
  const out = new Set<string>();
  for (const t of timelines.values()) {
    for (const h of t.findFullyOvershadowed()) for (const c of h.chunks) out.add(c.object.id);
  }
  return out;
}
