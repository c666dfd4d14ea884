/**
 * Versioned schema migrations for the metadata store. Each migration runs once,
 * in order, inside a transaction, and is recorded in `nemeton_migrations`.
 * The SQL is the common subset of SQLite and PostgreSQL so both stores share it.
 * Never edit a released migration: add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      `CREATE TABLE data_sources (
         name TEXT PRIMARY KEY,
         created_at TEXT NOT NULL,
         schema_json TEXT NOT NULL
       )`,
      `CREATE TABLE segments (
         id TEXT PRIMARY KEY,
         data_source TEXT NOT NULL,
         start_ms BIGINT NOT NULL,
         end_ms BIGINT NOT NULL,
         version TEXT NOT NULL,
         partition_num INTEGER NOT NULL,
         num_partitions INTEGER NOT NULL,
         used INTEGER NOT NULL,
         num_rows BIGINT NOT NULL,
         size_bytes BIGINT NOT NULL,
         load_spec TEXT NOT NULL,
         payload TEXT NOT NULL,
         created_at TEXT NOT NULL,
         used_status_last_updated TEXT NOT NULL
       )`,
      `CREATE INDEX segments_by_data_source ON segments (data_source, used, start_ms, end_ms)`,
      `CREATE TABLE data_source_metadata (
         data_source TEXT PRIMARY KEY,
         commit_metadata TEXT NOT NULL,
         updated_at TEXT NOT NULL
       )`,
      `CREATE TABLE rules (
         data_source TEXT NOT NULL,
         version TEXT NOT NULL,
         payload TEXT NOT NULL,
         PRIMARY KEY (data_source, version)
       )`,
      `CREATE TABLE tasks (
         id TEXT PRIMARY KEY,
         type TEXT NOT NULL,
         data_source TEXT NOT NULL,
         status TEXT NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         payload TEXT NOT NULL,
         report TEXT
       )`,
      `CREATE TABLE supervisors (
         id TEXT PRIMARY KEY,
         spec TEXT NOT NULL,
         state TEXT NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL
       )`,
      `CREATE TABLE servers (
         name TEXT PRIMARY KEY,
         host TEXT NOT NULL,
         roles TEXT NOT NULL,
         tier TEXT NOT NULL,
         http_port INTEGER NOT NULL,
         max_size BIGINT NOT NULL,
         heartbeat_at BIGINT NOT NULL,
         expires_at BIGINT NOT NULL
       )`,
      `CREATE TABLE config (
         name TEXT PRIMARY KEY,
         payload TEXT NOT NULL
       )`,
      `CREATE TABLE users (
         name TEXT PRIMARY KEY,
         scram_iterations INTEGER NOT NULL,
         scram_salt TEXT NOT NULL,
         scram_stored_key TEXT NOT NULL,
         scram_server_key TEXT NOT NULL,
         md5_hash TEXT NOT NULL,
         created_at TEXT NOT NULL
       )`,
    ],
  },
  {
    version: 2,
    name: 'cluster: served segments and leases',
    statements: [
      `CREATE TABLE server_segments (
         server_name TEXT NOT NULL,
         segment_id TEXT NOT NULL,
         PRIMARY KEY (server_name, segment_id)
       )`,
      `CREATE INDEX server_segments_by_segment ON server_segments (segment_id)`,
      `CREATE TABLE leases (
         name TEXT PRIMARY KEY,
         holder TEXT NOT NULL,
         expires_at BIGINT NOT NULL
       )`,
    ],
  },
];
