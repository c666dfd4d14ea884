/**
 * The coordinator: one leader at a time (a lease row in the metadata store,
 * renewed each pass). Each pass reads the used segments, the live
 * historicals, what they serve and the rules, plans loads and drops
 * (assignment-planner.ts) and sends them to the historicals' load queues over
 * HTTP. A historical whose heartbeat expires stops counting as a holder, so
 * its segments are re-replicated by the next pass.
 */
import { request } from 'undici';
import { logger } from '../../common/log.ts';
import type { MetadataStore, SegmentRecord } from '../metadata/metadata-store.ts';
import type { ClusterStore, ServerRecord } from '../roles/cluster-store.ts';
import { encodeWire, MSGPACK_CONTENT_TYPE } from '../roles/wire-format.ts';
import { planAssignments, type AssignmentPlan } from './assignment-planner.ts';
import { overshadowedIds } from './overshadowed.ts';

const log = logger('coordinator');
export const COORDINATOR_LEASE = 'coordinator';

export interface CoordinatorOptions {
  readonly name: string;
  readonly metadata: MetadataStore;
  readonly cluster: ClusterStore;
  /** Lease time-to-live; a pass runs every third of it (default 3000 ms). */
  readonly leaseTtlMs?: number;
  /** Timeout of one load request to a historical (default 60000 ms). */
  readonly loadTimeoutMs?: number;
}

export interface CoordinatorSnapshot {
  readonly segments: readonly SegmentRecord[];
  readonly servers: readonly ServerRecord[];
  readonly served: ReadonlyMap<string, ReadonlySet<string>>;
}

export class Coordinator {
  private readonly pending = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private leader = false;
  private snapshot: CoordinatorSnapshot = { segments: [], servers: [], served: new Map() };
  passes = 0;

  constructor(private readonly options: CoordinatorOptions) {}

  private get ttl(): number {
    return this.options.leaseTtlMs ?? 3000;
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** Starts the periodic passes. */
  start(): void {
    const tick = () => {
      this.running = this.runOnce().catch((e) => log.warn(`coordinator pass failed: ${(e as Error).message}`)).then(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, Math.max(100, Math.floor(this.ttl / 3)));
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the passes and gives up the lease. */
  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t !== undefined) clearTimeout(t);
    await this.running;
    if (this.leader) await this.options.cluster.releaseLease(COORDINATOR_LEASE, this.options.name).catch(() => {});
    this.leader = false;
  }

  /** One pass: take/renew the lease, then (as leader) plan and send loads and drops. Returns the plan, or null when not leader. */
  async runOnce(now = Date.now()): Promise<AssignmentPlan | null> {
    const { cluster, metadata } = this.options;
    try {
      this.leader = await cluster.tryAcquireLease(COORDINATOR_LEASE, this.options.name, now, this.ttl);
    } catch (e) {
      this.leader = false;
      throw e;
    }
    if (!this.leader) return null;
    this.passes++;
    const [segments, live, served, rules] = await Promise.all([
      metadata.usedSegments(), cluster.liveServers(now), cluster.servedSegments(now), cluster.allRules(),
    ]);
    const historicals = live.filter((s) => s.roles.includes('historical'));
    const servedBy = new Map<string, Set<string>>();
    for (const s of served) {
      let set = servedBy.get(s.server);
      if (set === undefined) servedBy.set(s.server, (set = new Set()));
      set.add(s.segmentId);
    }
    this.snapshot = { segments, servers: live, served: servedBy };
    for (const name of [...this.pending.keys()]) if (!historicals.some((h) => h.name === name)) this.pending.delete(name);
    const plan = planAssignments({ segments, servers: historicals, served: servedBy, pending: this.pending, rules, now });
    const byName = new Map(historicals.map((h) => [h.name, h]));
    const sends: Promise<void>[] = [];
    for (const [name, records] of plan.loads) sends.push(this.sendLoad(byName.get(name)!, records));
    for (const [name, ids] of plan.drops) sends.push(this.sendDrop(byName.get(name)!, ids));
    // Loads run in the background (a historical may take a while); drops are quick.
    void Promise.all(sends);
    return plan;
  }

  private async sendLoad(server: ServerRecord, records: SegmentRecord[]): Promise<void> {
    let pending = this.pending.get(server.name);
    if (pending === undefined) this.pending.set(server.name, (pending = new Set()));
    for (const r of records) pending.add(r.id);
    try {
      await this.post(server, '/druid/historical/v1/load', { segments: records });
    } catch (e) {
      log.warn(`load of ${records.length} segments on ${server.name} failed: ${(e as Error).message}`);
    } finally {
      for (const r of records) pending.delete(r.id);
    }
  }

  private async sendDrop(server: ServerRecord, ids: string[]): Promise<void> {
    try {
      await this.post(server, '/druid/historical/v1/drop', { segmentIds: ids });
    } catch (e) {
      log.warn(`drop of ${ids.length} segments on ${server.name} failed: ${(e as Error).message}`);
    }
  }

  private async post(server: ServerRecord, path: string, body: unknown): Promise<void> {
    const timeout = this.options.loadTimeoutMs ?? 60_000;
    const res = await request(`http://${server.host}:${server.httpPort}${path}`, {
      method: 'POST', headers: { 'content-type': MSGPACK_CONTENT_TYPE }, body: encodeWire(body), headersTimeout: timeout, bodyTimeout: timeout,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
  }

  /** Druid's loadstatus: per data source, the percentage of its (visible) used segments served by at least one live server. */
  loadStatus(): Record<string, number> {
    const visible = this.visibleSegments();
    const servedAnywhere = new Set<string>();
    for (const set of this.snapshot.served.values()) for (const id of set) servedAnywhere.add(id);
    const totals = new Map<string, { all: number; loaded: number }>();
    for (const r of visible) {
      let t = totals.get(r.dataSource);
      if (t === undefined) totals.set(r.dataSource, (t = { all: 0, loaded: 0 }));
      t.all++;
      if (servedAnywhere.has(r.id)) t.loaded++;
    }
    const out: Record<string, number> = {};
    for (const [ds, t] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) out[ds] = (100 * t.loaded) / t.all;
    return out;
  }

  /** Per data source, how many more replicas the visible segments need (Druid's loadstatus?full, without tiers). */
  private visibleSegments(): SegmentRecord[] {
    const over = overshadowedIds(this.snapshot.segments);
    return this.snapshot.segments.filter((r) => !over.has(r.id));
  }

  /** The cluster as the last pass saw it: servers with the segments they serve. */
  serverView(): { name: string; host: string; port: number; roles: readonly string[]; tier: string; maxSize: number; currSize: number; segments: string[] }[] {
    const sizes = new Map(this.snapshot.segments.map((r) => [r.id, r.sizeBytes]));
    return this.snapshot.servers.map((s) => {
      const segs = [...(this.snapshot.served.get(s.name) ?? [])].sort();
      return {
        name: s.name, host: s.host, port: s.httpPort, roles: s.roles, tier: s.tier, maxSize: s.maxSize,
        currSize: segs.reduce((n, id) => n + (sizes.get(id) ?? 0), 0), segments: segs,
      };
    });
  }
}
