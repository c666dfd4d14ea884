/**
 * Supervisor management (Druid's Overlord supervisor API) in one process: specs and their desired
 * state (running / suspended / terminated) live in the metadata store, so supervisors survive restarts
 * and resume on start(). One supervisor per data source; its id is the data source name.
 */
import { errors, NemetonError } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import type { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import type { DataNode } from '../data-node.ts';
import type { MetadataStore, SupervisorRecord } from '../metadata/metadata-store.ts';
import type { SegmentPublisher } from '../segment-publisher.ts';
import { KafkaSupervisor } from './kafka-supervisor.ts';
import { parseKafkaSupervisorSpec } from './kafka-supervisor-spec.ts';
import { OffsetCommitter } from './offset-committer.ts';
import type { RecordSupplierFactory } from './record-supplier.ts';

const log = logger('supervisors');

export interface SupervisorManagerDeps {
  readonly metadata: MetadataStore;
  readonly publisher: SegmentPublisher;
  readonly segments: LocalSegmentSource;
  readonly dataNode: DataNode;
  /** Intermediate persists go under `<tmpDir>/kafka`. */
  readonly tmpDir: string;
  /** Kafka client (default: @platformatic/kafka). */
  readonly supplierFactory?: RecordSupplierFactory;
  /** Back-off before restarting a failed task or reconnecting (default 2000 ms). */
  readonly restartDelayMs?: number;
  /**
   * Cluster mode: which process runs a supervisor is decided elsewhere (a lease per supervisor). submit()
   * then claims the supervisor, persists the spec and calls `changed(id)`, which runs the assignment
   * (adopting the supervisor here through adopt() when this process holds its lease). Absent: every
   * supervisor runs in this process.
   */
  readonly assignment?: {
    /** Before the spec is persisted: takes the supervisor's lease for this process when nobody holds it. */
    claim(id: string): Promise<void>;
    /** After the spec is persisted: applies it (restarting the supervisor wherever it runs). */
    changed(id: string): Promise<void>;
  };
}

/** One row of sys.supervisors. */
export interface SysSupervisorRow {
  readonly supervisor_id: string;
  readonly state: string;
  readonly detailed_state: string;
  readonly healthy: number;
  readonly type: string;
  readonly source: string;
  readonly suspended: number;
  readonly spec: string;
}

export class SupervisorManager {
  private readonly running = new Map<string, KafkaSupervisor>();
  private readonly records = new Map<string, SupervisorRecord>();
  /** Cluster mode: `updatedAt` of the record each supervisor running here reflects. */
  private readonly applied = new Map<string, string>();
  private started = false;

  constructor(private readonly deps: SupervisorManagerDeps) {}

  private store(): Required<Pick<MetadataStore, 'upsertSupervisor' | 'supervisors'>> {
    const m = this.deps.metadata;
    if (!m.upsertSupervisor || !m.supervisors) throw new NemetonError('This metadata store cannot persist supervisors');
    return { upsertSupervisor: m.upsertSupervisor.bind(m), supervisors: m.supervisors.bind(m) };
  }

  /** Loads persisted supervisors and starts those not suspended or terminated. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const r of await this.store().supervisors()) {
      this.records.set(r.id, r);
      if (r.state === 'TERMINATED') continue;
      try {
        await this.launch(r.spec, r.state === 'SUSPENDED');
      } catch (e) {
        log.error(`supervisor ${r.id} cannot start: ${(e as Error).message}`);
      }
    }
  }

  /** Hands off and stops every supervisor (published data and offsets stay consistent either way). */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    this.started = false;
    await Promise.all(all.map((s) => s.stop('publish')));
  }

  private async launch(rawSpec: unknown, suspended: boolean): Promise<KafkaSupervisor> {
    const spec = parseKafkaSupervisorSpec(rawSpec);
    // The Kafka client library is loaded on first use: it costs ~0.6 s of process start-up otherwise.
    const supplierFactory = this.deps.supplierFactory ?? (await import('./platformatic-record-supplier.ts')).createPlatformaticRecordSupplier;
    const sup = new KafkaSupervisor(spec, {
      segments: this.deps.segments,
      dataNode: this.deps.dataNode,
      committer: new OffsetCommitter(spec.dataSchema.dataSource, spec.topic, this.deps.metadata, this.deps.publisher),
      supplierFactory,
      tmpDir: `${this.deps.tmpDir}/kafka`,
    }, this.deps.restartDelayMs === undefined ? {} : { restartDelayMs: this.deps.restartDelayMs });
    this.running.set(spec.id, sup);
    if (suspended) sup.markSuspended();
    else {
      await this.deps.metadata.upsertDataSource({ name: spec.dataSchema.dataSource, createdAt: new Date().toISOString(), schema: { dataSchema: spec.dataSchema } });
      await sup.start();
    }
    return sup;
  }

  private async persist(id: string, spec: Readonly<Record<string, unknown>>, state: string, appliedHere = true): Promise<void> {
    const now = new Date().toISOString();
    const record: SupervisorRecord = { id, spec, state, createdAt: this.records.get(id)?.createdAt ?? now, updatedAt: now };
    await this.store().upsertSupervisor(record);
    this.records.set(id, record);
    if (appliedHere) this.applied.set(id, record.updatedAt);
  }

  /** Creates or replaces a supervisor (POST /supervisor). Bad specs throw 400s; returns the id. */
  async submit(raw: unknown): Promise<{ id: string }> {
    const spec = parseKafkaSupervisorSpec(raw);
    const suspended = (raw as { suspended?: unknown }).suspended === true;
    if (this.deps.assignment !== undefined) {
      await this.deps.assignment.claim(spec.id);
      await this.persist(spec.id, spec.raw, suspended ? 'SUSPENDED' : 'RUNNING', false);
      await this.deps.assignment.changed(spec.id);
      return { id: spec.id };
    }
    const old = this.running.get(spec.id);
    if (old) {
      this.running.delete(spec.id);
      await old.stop('publish');
    }
    await this.persist(spec.id, spec.raw, suspended ? 'SUSPENDED' : 'RUNNING');
    await this.launch(spec.raw, suspended);
    return { id: spec.id };
  }

  private get(id: string): KafkaSupervisor {
    const s = this.running.get(id);
    if (!s) throw new NemetonError(`Cannot find any supervisor with id: [${id}]`, { code: 'Not found' });
    return s;
  }

  /** Ids of the supervisors that are not terminated. */
  ids(): string[] {
    return [...this.running.keys()].sort();
  }

  /** The spec as submitted. */
  spec(id: string): Record<string, unknown> {
    return { ...this.get(id).spec.raw, suspended: this.get(id).currentState === 'SUSPENDED' };
  }

  /** Druid's status response: {id, generationTime, payload}. */
  status(id: string): Record<string, unknown> {
    return { id, generationTime: new Date().toISOString(), payload: this.get(id).status() };
  }

  async suspend(id: string): Promise<Record<string, unknown>> {
    const s = this.get(id);
    await s.stop('publish', 'SUSPENDED');
    await this.persist(id, s.spec.raw, 'SUSPENDED');
    return this.spec(id);
  }

  async resume(id: string): Promise<Record<string, unknown>> {
    const s = this.get(id);
    if (s.currentState !== 'SUSPENDED') throw errors.invalidInput(`Supervisor [${id}] is already running`);
    await this.persist(id, s.spec.raw, 'RUNNING');
    await s.start();
    return this.spec(id);
  }

  /** Drops unpublished data and the stored offsets; tasks restart from earliest/latest (useEarliestOffset). */
  async reset(id: string): Promise<{ id: string }> {
    const s = this.get(id);
    const wasSuspended = s.currentState === 'SUSPENDED';
    await s.stop('discard');
    if (!this.deps.metadata.deleteCommitMetadata) throw new NemetonError('This metadata store cannot reset offsets');
    await this.deps.metadata.deleteCommitMetadata(s.spec.dataSchema.dataSource);
    if (wasSuspended) s.markSuspended();
    else await s.start();
    return { id };
  }

  /** Hands off, stops, and keeps the spec as a terminated record. */
  async terminate(id: string): Promise<{ id: string }> {
    const s = this.get(id);
    this.running.delete(id);
    await s.stop('publish');
    await this.persist(id, s.spec.raw, 'TERMINATED');
    return { id };
  }

  /** Publishes what every task of the supervisor has read (Druid's taskGroups/handoff). */
  async handoff(id: string): Promise<{ id: string }> {
    await this.get(id).handoff();
    return { id };
  }

  /**
   * Cluster mode: runs a persisted supervisor in this process as recorded (suspended ones are held
   * suspended; terminated ones are only stopped here), replacing an instance running an older record.
   */
  async adopt(record: SupervisorRecord): Promise<void> {
    await this.release(record.id);
    this.records.set(record.id, record);
    this.applied.set(record.id, record.updatedAt);
    if (record.state !== 'TERMINATED') await this.launch(record.spec, record.state === 'SUSPENDED');
  }

  /** Cluster mode: stops a supervisor here (publishing what it read) without changing its persisted state. */
  async release(id: string): Promise<void> {
    const s = this.running.get(id);
    if (s === undefined) return;
    this.running.delete(id);
    await s.stop('publish');
  }

  /** `updatedAt` of the record a supervisor running here was started from (undefined when it does not run here). */
  runningVersion(id: string): string | undefined {
    return this.running.has(id) ? this.applied.get(id) : undefined;
  }

  /** Rows of sys.supervisors (live supervisors only). */
  sysSupervisorsRows(): SysSupervisorRow[] {
    return this.ids().map((id) => {
      const s = this.running.get(id)!;
      return {
        supervisor_id: id,
        state: s.currentState,
        detailed_state: s.detailedState(),
        healthy: s.healthy ? 1 : 0,
        type: 'kafka',
        source: s.spec.topic,
        suspended: s.currentState === 'SUSPENDED' ? 1 : 0,
        spec: JSON.stringify(s.spec.raw),
      };
    });
  }
}

/** Builds the manager the composition root wires in: call start() after the data node synced, stop() before closing metadata. */
export function createSupervisorManager(deps: SupervisorManagerDeps): SupervisorManager {
  return new SupervisorManager(deps);
}
