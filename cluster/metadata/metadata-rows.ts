/** Rows of the metadata tables (the same columns in SQLite and PostgreSQL) as records. */
import type { SegmentRecord, SupervisorRecord, TaskRecord, UserRecord } from './metadata-store.ts';

/** A row as either driver returns it: column name to value. */
export type MetadataRow = Record<string, unknown>;

export function toSegmentRecord(r: MetadataRow): SegmentRecord {
  return {
    id: String(r.id),
    dataSource: String(r.data_source),
    interval: { start: Number(r.start_ms), end: Number(r.end_ms) },
    version: String(r.version),
    partitionNum: Number(r.partition_num),
    numPartitions: Number(r.num_partitions),
    numRows: Number(r.num_rows),
    sizeBytes: Number(r.size_bytes),
    loadSpec: JSON.parse(String(r.load_spec)),
    payload: JSON.parse(String(r.payload)),
    used: Number(r.used) === 1,
    createdAt: String(r.created_at),
  };
}

export function toTaskRecord(r: MetadataRow): TaskRecord {
  return {
    id: String(r.id),
    type: String(r.type),
    dataSource: String(r.data_source),
    status: String(r.status) as TaskRecord['status'],
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    payload: JSON.parse(String(r.payload)),
    report: r.report == null ? null : JSON.parse(String(r.report)),
  };
}

export function toUserRecord(r: MetadataRow): UserRecord {
  return {
    name: String(r.name),
    scramIterations: Number(r.scram_iterations),
    scramSalt: String(r.scram_salt),
    scramStoredKey: String(r.scram_stored_key),
    scramServerKey: String(r.scram_server_key),
    md5Hash: String(r.md5_hash),
  };
}

export function toSupervisorRecord(r: MetadataRow): SupervisorRecord {
  return {
    id: String(r.id),
    spec: JSON.parse(String(r.spec)),
    state: String(r.state),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}
