/**
 * The broker's view of who serves what: built from the announcements in the
 * metadata store (live servers, their served segments, and the used segment
 * records for intervals and versions) plus what each live realtime process
 * reports it holds. Refreshed by polling; when the store cannot be reached,
 * the last good view stays in force. Overlapping refreshes never replace a
 * newer view with an older one.
 */
import { ETERNITY, type Interval } from '../../common/interval.ts';
import { logger } from '../../common/log.ts';
import { request } from 'undici';
import { VersionedIntervalTimeline } from '../../storage/timeline.ts';
import { COORDINATOR_LEASE } from '../coordinator/coordinator.ts';
import type { MetadataStore, SegmentRecord } from '../metadata/metadata-store.ts';
import type { ClusterStore, ServedSegment, ServerRecord } from '../roles/cluster-store.ts';
import { realtimeSegmentId, type RealtimeColumn, type RealtimeDataSourceInfo, type RealtimeState } from '../roles/wire-format.ts';

const log = logger('broker-view');

/** A served segment: its record and the live servers announcing it. */
export interface ServedSegmentView {
  readonly record: SegmentRecord;
  readonly servers: readonly ServerRecord[];
}

/** A realtime process's data of one data source, queried under its realtime id. */
export interface RealtimeSegmentView {
  readonly id: string;
  readonly server: ServerRecord;
  readonly info: RealtimeDataSourceInfo;
}

export interface BrokerServerViewOptions {
  /** Reads a realtime process's state (default: GET /druid/realtime/v1/datasources over HTTP). */
  readonly fetchRealtime?: (server: ServerRecord) => Promise<RealtimeState>;
  /** Timeout of one realtime state request (default 2000 ms). */
  readonly realtimeTimeoutMs?: number;
}

/** GET /druid/realtime/v1/datasources of a realtime process. */
export async function fetchRealtimeState(server: ServerRecord, timeoutMs = 2000): Promise<RealtimeState> {
  const res = await request(`http://${server.host}:${server.httpPort}/druid/realtime/v1/datasources`, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as RealtimeState;
}

export class BrokerServerView {
  private timelines = new Map<string, VersionedIntervalTimeline<ServedSegmentView>>();
  private servers = new Map<string, ServerRecord>();
  private used: SegmentRecord[] = [];
  private served: ServedSegment[] = [];
  private leader: string | null = null;
  private realtime = new Map<string, RealtimeState>();
  private columnsByDs = new Map<string, RealtimeColumn[]>();
  private lastRefresh = 0;
  private lastError: string | null = null;
  private startedRefreshes = 0;
  private appliedRefresh = 0;

  constructor(private readonly metadata: MetadataStore, private readonly cluster: ClusterStore, private readonly options: BrokerServerViewOptions = {}) {}

  /** Rebuilds the view from the store; on failure keeps the previous view and returns false. */
  async refresh(now = Date.now()): Promise<boolean> {
    const seq = ++this.startedRefreshes;
    let servers: ServerRecord[];
    let served: ServedSegment[];
    let used: SegmentRecord[];
    let leader: string | null;
    let realtime: Map<string, RealtimeState>;
    try {
      // Announcements first, then the segment records: a segment published before it was announced is always found.
      [servers, served, leader] = await Promise.all([this.cluster.liveServers(now), this.cluster.servedSegments(now), this.cluster.leaseHolder(COORDINATOR_LEASE, now)]);
      [used, realtime] = await Promise.all([this.metadata.usedSegments(), this.readRealtime(servers)]);
    } catch (e) {
      if (this.lastError === null) log.warn(`metadata store unreachable, keeping the last server view: ${(e as Error).message}`);
      this.lastError = (e as Error).message;
      return false;
    }
    if (seq < this.appliedRefresh) return true; // a newer refresh already applied its view
    this.appliedRefresh = seq;
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
    this.used = used;
    this.served = served;
    this.leader = leader;
    this.realtime = realtime;
    this.columnsByDs = this.computeColumns();
    this.lastRefresh = now;
    return true;
  }

  /** Each live realtime's state; a realtime that does not answer keeps its last known state. */
  private async readRealtime(servers: readonly ServerRecord[]): Promise<Map<string, RealtimeState>> {
    const out = new Map<string, RealtimeState>();
    const fetch = this.options.fetchRealtime ?? ((s: ServerRecord) => fetchRealtimeState(s, this.options.realtimeTimeoutMs));
    await Promise.all(servers.filter((s) => s.roles.includes('realtime')).map(async (s) => {
      try {
        out.set(s.name, await fetch(s));
      } catch (e) {
        const last = this.realtime.get(s.name);
        log.warn(`realtime ${s.name} did not report its data (${(e as Error).message})${last ? '; keeping its last state' : ''}`);
        if (last !== undefined) out.set(s.name, last);
      }
    }));
    return out;
  }

  /** Columns per data source: visible published segments newest first (payload.columns), then realtime data. */
  private computeColumns(): Map<string, RealtimeColumn[]> {
    const out = new Map<string, Map<string, RealtimeColumn>>();
    const add = (ds: string, cols: readonly RealtimeColumn[] | undefined) => {
      let m = out.get(ds);
      if (m === undefined) out.set(ds, (m = new Map()));
      for (const c of cols ?? []) if (c.name !== '__time' && !m.has(c.name)) m.set(c.name, c);
    };
    for (const [ds, t] of this.timelines) {
      const records: SegmentRecord[] = [];
      for (const h of t.lookup(ETERNITY)) for (const c of h.chunks) records.push(c.object.record);
      records.sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : b.interval.start - a.interval.start));
      for (const r of records) add(ds, r.payload.columns as RealtimeColumn[] | undefined);
    }
    for (const state of this.realtime.values()) for (const info of state.dataSources) add(info.dataSource, info.columns);
    return new Map([...out].map(([ds, m]) => [ds, [...m.values()]]));
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

  /** The live realtime processes holding data of a data source, with their realtime ids. */
  realtimeFor(dataSource: string): RealtimeSegmentView[] {
    const out: RealtimeSegmentView[] = [];
    for (const [name, state] of this.realtime) {
      const server = this.servers.get(name);
      if (server === undefined) continue;
      const info = state.dataSources.find((d) => d.dataSource === dataSource);
      if (info !== undefined) out.push({ id: realtimeSegmentId(name, dataSource), server, info });
    }
    return out;
  }

  /** Data sources with served segments or realtime data. */
  dataSources(): string[] {
    const names = new Set(this.timelines.keys());
    for (const state of this.realtime.values()) for (const d of state.dataSources) names.add(d.dataSource);
    return [...names].sort();
  }

  /** Columns of a data source without __time (newest segments' types win), or undefined when it is unknown. */
  columns(dataSource: string): readonly RealtimeColumn[] | undefined {
    return this.columnsByDs.get(dataSource);
  }

  liveServers(): ServerRecord[] {
    return [...this.servers.values()];
  }

  /** Used segment records as of the last refresh (overshadowed ones included). */
  usedSegments(): readonly SegmentRecord[] {
    return this.used;
  }

  /** (server, segment) announcements of live servers as of the last refresh. */
  servedSegments(): readonly ServedSegment[] {
    return this.served;
  }

  /** The coordinator holding the leader lease, if any. */
  coordinatorLeader(): string | null {
    return this.leader;
  }

  /** Every live realtime's last reported state. */
  realtimeStates(): readonly RealtimeState[] {
    return [...this.realtime.values()];
  }

  /** When the view was last rebuilt (epoch ms; 0: never), and the last refresh error if the store is down. */
  status(): { lastRefresh: number; storeError: string | null } {
    return { lastRefresh: this.lastRefresh, storeError: this.lastError };
  }
}
