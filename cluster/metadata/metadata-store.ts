/**
 * The metadata store: the only state (besides deep storage) that processes of
 * a cluster share. One process uses SQLite; a cluster uses PostgreSQL. Both
 * implement this interface over the same schema (migrations.ts).
 */
import type { Interval } from '../../common/interval.ts';

export interface SegmentRecord {
  readonly id: string;
  readonly dataSource: string;
  readonly interval: Interval;
  readonly version: string;
  readonly partitionNum: number;
  readonly numPartitions: number;
  readonly numRows: number;
  readonly sizeBytes: number;
  /** Where deep storage keeps the bytes, e.g. {"type":"local","path":"..."}. */
  readonly loadSpec: Readonly<Record<string, unknown>>;
  /** Columns, dimensions, metrics, checksum... */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly used: boolean;
  readonly createdAt: string;
}

export interface DataSourceRecord {
  readonly name: string;
  readonly createdAt: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

export interface TaskRecord {
  readonly id: string;
  readonly type: string;
  readonly dataSource: string;
  readonly status: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'WAITING' | 'PENDING';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly report: Readonly<Record<string, unknown>> | null;
}

export interface UserRecord {
  readonly name: string;
  readonly scramIterations: number;
  readonly scramSalt: string;
  readonly scramStoredKey: string;
  readonly scramServerKey: string;
  readonly md5Hash: string;
}

/** A stream supervisor as persisted (the `supervisors` table): its spec and its desired state. */
export interface SupervisorRecord {
  readonly id: string;
  readonly spec: Readonly<Record<string, unknown>>;
  /** 'RUNNING' | 'SUSPENDED' | 'TERMINATED' (terminated ones are kept as history). */
  readonly state: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface MetadataStore {
  /** Applied schema version after migrations ran. */
  schemaVersion(): Promise<number>;

  upsertDataSource(record: DataSourceRecord): Promise<void>;
  dataSources(): Promise<DataSourceRecord[]>;

  /**
   * Publishes segments atomically: all rows are inserted in one transaction,
   * together with the data source's commit metadata (e.g. Kafka end offsets)
   * when given. When `expectedCommitMetadata` is given and differs from the
   * stored one, nothing is written and false is returned. Segments named in
   * `retire` are marked unused in the same transaction (REPLACE: the new
   * version appears and the old data disappears together, or neither).
   */
  publishSegments(
    segments: readonly SegmentRecord[],
    commit?: { dataSource: string; expected: unknown; next: unknown },
    retire?: readonly string[],
  ): Promise<boolean>;
  usedSegments(dataSource?: string): Promise<SegmentRecord[]>;
  markUnused(ids: readonly string[]): Promise<number>;
  commitMetadata(dataSource: string): Promise<unknown>;

  /** Removes a data source's commit metadata (supervisor reset); the next publish then expects none. */
  deleteCommitMetadata?(dataSource: string): Promise<void>;

  /** Creates or replaces a supervisor (keeps createdAt of an existing one). */
  upsertSupervisor?(record: SupervisorRecord): Promise<void>;
  /** All supervisors, terminated ones included, ordered by id. */
  supervisors?(): Promise<SupervisorRecord[]>;

  insertTask(task: TaskRecord): Promise<void>;
  updateTask(id: string, status: TaskRecord['status'], report: Record<string, unknown> | null): Promise<void>;
  task(id: string): Promise<TaskRecord | undefined>;
  tasks(): Promise<TaskRecord[]>;

  upsertUser(user: UserRecord): Promise<void>;
  user(name: string): Promise<UserRecord | undefined>;
  users(): Promise<UserRecord[]>;

  getConfig(name: string): Promise<unknown>;
  setConfig(name: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}
