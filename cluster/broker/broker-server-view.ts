/**
 * The broker's view of who serves what: built from the announcements in the
 * metadata store (live servers, their served segments, and the used segment
 * records for intervals and versions). Refreshed by polling; when the store
 * cannot be reached, the last good view stays in force.
 */
import type { Interval } from '../../common/interval.ts';
import { logger } from '../../common/log.ts';
import { VersionedIntervalTimeline } from '../../storage/timeline.ts';
import type { MetadataStore, SegmentRecord } from '../metadata/metadata-store.ts';
import type { ClusterStore, ServerRecord } from '../roles/cluster-store.ts';

const log = logger('broker-view');

/** A served segment: its record and the live servers announcing it. */
export interface ServedSegmentView {
  readonly record: SegmentRecord;
  readonly servers: readonly ServerRecord[];
}

export class BrokerServerView {
  private timelines = new Map<string, VersionedIntervalTimeline<ServedSegmentView>>();
  private servers = new Map<string, ServerRecord>();
  private lastRefresh = 0;
  private lastError: string | null = null;

  constructor(private readonly metadata: MetadataStore, private readonly cluster: ClusterStore) {}

  /** Rebuilds the view from the store; on failure keeps the previous view and returns false. */
  async refresh(now = Date.now()): Promise<boolean> {
    let servers: ServerRecord[];
    let served: { server: string; segmentId: string }[];
    let used: SegmentRecord[];
    try {
      [servers, served, used] = await Promise.all([this.cluster.liveServers(now), this.cluster.servedSegments(now), this.metadata.usedSegments()]);
    } catch (e) {
      if (this.lastError === null) log.warn(`metadata store unreachable, keeping the last server view: ${(e as Error).message}`);
      this.lastError = (e as Error).message;
      return false;
    }
    if (this.lastError !== null) log.info('metadata store reachable again');
    this.lastError = null;
    const serverByName = new Map(servers.map((s) => [s.name, s]));
    const holders = new Map<string, ServerRecord[]>();
    for (const s of served) {
      const server = serverByName.get(s.server);
      if (server === undefined || !server.roles.includes('historical') && !server.roles.includes('realtime')) continue;
      let list = holders.get(s.segmentId);
      if (list === undefined) holders.set(s.segmentId, (list = []));
      list.push(server);
    }
    const timelines = new Map<string, VersionedIntervalTimeline<ServedSegmentView>>();
    for (const r of used) {
      const hs = holders.get(r.id);
      if (hs === undefined) continue;
      let t = timelines.get(r.dataSource);
      if (t === undefined) timelines.set(r.dataSource, (t = new VersionedIntervalTimeline<ServedSegmentView>()));
      t.add(r.interval, r.version, { partitionNum: r.partitionNum, numPartitions: r.numPartitions, object: { record: r, servers: hs } });
    }
    this.timelines = timelines;
    this.servers = serverByName;
    this.lastRefresh = now;
    return true;
  }

  /** The visible served segments of a data source over the intervals (each once). */
  segmentsFor(dataSource: string, intervals: readonly Interval[]): ServedSegmentView[] {
    const t = this.timelines.get(dataSource);
    if (t === undefined) return [];
    const out: ServedSegmentView[] = [];
    const seen = new Set<string>();
    for (const iv of intervals) {
      for (const h of t.lookup(iv)) {
        for (const c of h.chunks) {
          if (seen.has(c.object.record.id)) continue;
          seen.add(c.object.record.id);
          out.push(c.object);
        }
      }
    }
    return out;
  }

  dataSources(): string[] {
    return [...this.timelines.keys()].sort();
  }

  liveServers(): ServerRecord[] {
    return [...this.servers.values()];
  }

  /** When the view was last rebuilt (epoch ms; 0: never), and the last refresh error if the store is down. */
  status(): { lastRefresh: number; storeError: string | null } {
    return { lastRefresh: this.lastRefresh, storeError: this.lastError };
  }
}
