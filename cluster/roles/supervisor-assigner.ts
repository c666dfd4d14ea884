/**
 * Runs each stream supervisor on exactly one realtime process of a cluster.
 *
 * Every supervisor has a lease in the metadata store (`supervisor:<id>`), held by the realtime that runs
 * it and renewed on every pass (passes run more often than the lease's time-to-live). A free lease is
 * taken by the live realtime that rendezvous hashing prefers for the supervisor (or by the realtime that
 * just received the supervisor's spec), so supervisors spread over realtimes and stay where they are
 * while their holder lives. When a holder stops heartbeating its leases expire and the preferred live
 * realtime takes them over on its next pass. A holder restarts its supervisor when the persisted record
 * is newer than the one it runs (a new spec, or a state change made elsewhere), and stops it when the
 * record is terminated or the lease is lost.
 *
 * Two holders never publish the same offsets twice even across a lease hand-over: publishing compares
 * and sets the data source's committed offsets in the same transaction.
 */
import { logger } from '../../common/log.ts';
import type { MetadataStore, SupervisorRecord } from '../metadata/metadata-store.ts';
import { pickRealtime } from '../broker/realtime-insert-client.ts';
import type { ClusterStore } from './cluster-store.ts';

const log = logger('supervisor-assigner');

/** The lease a supervisor's runner holds. */
export function supervisorLease(id: string): string {
  return `supervisor:${id}`;
}

/** What the assigner needs of the process's supervisor manager. */
export interface AssignableSupervisors {
  /** Runs the record's supervisor here, replacing an instance started from an older record. */
  adopt(record: SupervisorRecord): Promise<void>;
  /** Stops the supervisor here (publishing what it read); its persisted state stays. */
  release(id: string): Promise<void>;
  /** `updatedAt` of the record the supervisor running here reflects; undefined when it does not run here. */
  runningVersion(id: string): string | undefined;
  /** Ids of the supervisors running here. */
  ids(): string[];
}

export interface SupervisorAssignerOptions {
  readonly metadata: MetadataStore;
  readonly cluster: ClusterStore;
  readonly supervisors: AssignableSupervisors;
  /** Lease time-to-live (use the heartbeat time-to-live). */
  readonly leaseTtlMs: number;
  /** Pass period (default a third of the lease time-to-live). */
  readonly periodMs?: number;
}

export class SupervisorAssigner {
  private name = '';
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Adoptions under way (a supervisor's start may wait on its stream); passes keep renewing leases meanwhile. */
  private readonly adopting = new Map<string, Promise<void>>();

  constructor(private readonly options: SupervisorAssignerOptions) {}

  /** Sets this process's name (`host:port`) once it is known; passes run only after it is set. */
  setName(name: string): void {
    this.name = name;
  }

  /** Runs a pass now and then periodically. */
  async start(): Promise<void> {
    await this.pass();
    const period = this.options.periodMs ?? Math.max(50, Math.floor(this.options.leaseTtlMs / 3));
    const loop = () => {
      this.timer = setTimeout(() => { void this.pass().finally(() => { if (!this.stopped) loop(); }); }, period);
      this.timer.unref();
    };
    loop();
  }

  /** Takes a supervisor's lease for this process when nobody holds it (before its spec is first persisted here). */
  async claim(id: string): Promise<void> {
    if (this.name === '') return;
    const lease = supervisorLease(id);
    const now = Date.now();
    if ((await this.options.cluster.leaseHolder(lease, now)) === null) await this.options.cluster.tryAcquireLease(lease, this.name, now, this.options.leaseTtlMs);
  }

  /** A supervisor's record changed here (submitted): a pass that may take its free lease for this process; resolves once it started here if it did. */
  async changed(id: string): Promise<void> {
    await this.pass(id);
    await this.adopting.get(id);
  }

  /** Stops passing (waits for a pass under way). Stop the supervisors, then call releaseLeases(). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.chain;
    await Promise.all(this.adopting.values());
  }

  /** Gives up the leases of supervisors that do not run here (all of them once they are stopped), for a quick take-over. */
  async releaseLeases(): Promise<void> {
    const records = await this.options.metadata.supervisors?.().catch(() => []) ?? [];
    for (const r of records) {
      if (this.options.supervisors.runningVersion(r.id) === undefined) {
        await this.options.cluster.releaseLease(supervisorLease(r.id), this.name).catch(() => {});
      }
    }
  }

  /** The live holder of a supervisor's lease (the realtime running it), or null. */
  holder(id: string): Promise<string | null> {
    return this.options.cluster.leaseHolder(supervisorLease(id), Date.now());
  }

  /** This process's name. */
  get self(): string {
    return this.name;
  }

  /** One assignment pass (serialized with the others). `claim` may take that supervisor's free lease. */
  pass(claim?: string): Promise<void> {
    const run = this.chain.then(() => this.assign(claim)).catch((e) => log.warn(`supervisor assignment failed: ${(e as Error).message}`));
    this.chain = run;
    return run;
  }

  private async assign(claim: string | undefined): Promise<void> {
    if (this.name === '' || (this.stopped && claim === undefined)) return;
    const { metadata, cluster, supervisors, leaseTtlMs } = this.options;
    if (metadata.supervisors === undefined) return;
    const records = await metadata.supervisors();
    const now = Date.now();
    const live = await cluster.liveServers(now);
    const known = new Set<string>();
    for (const r of records) {
      known.add(r.id);
      const lease = supervisorLease(r.id);
      if (r.state === 'TERMINATED') {
        await this.adopting.get(r.id);
        await supervisors.release(r.id);
        await cluster.releaseLease(lease, this.name);
        continue;
      }
      const holder = await cluster.leaseHolder(lease, now);
      const mine = holder === this.name;
      const free = holder === null;
      const preferred = pickRealtime(lease, live)?.name === this.name;
      const holds = (mine || (free && (preferred || claim === r.id))) && await cluster.tryAcquireLease(lease, this.name, now, leaseTtlMs);
      if (!holds) {
        await this.adopting.get(r.id);
        if (supervisors.runningVersion(r.id) !== undefined) {
          log.warn(`supervisor ${r.id} is now run by ${holder ?? 'another realtime'}; stopping it here`);
          await supervisors.release(r.id);
        }
        continue;
      }
      const running = supervisors.runningVersion(r.id);
      if (!this.adopting.has(r.id) && (running === undefined || r.updatedAt > running)) {
        log.info(`${running === undefined ? 'running' : 'restarting'} supervisor ${r.id} (${r.state}) here`);
        const adoption = supervisors.adopt(r)
          .catch((e) => log.error(`supervisor ${r.id} cannot start: ${(e as Error).message}`))
          .finally(() => this.adopting.delete(r.id));
        this.adopting.set(r.id, adoption);
      }
    }
    for (const id of supervisors.ids()) {
      if (!known.has(id)) {
        await this.adopting.get(id);
        await supervisors.release(id);
      }
    }
  }
}
