/**
 * MetadataStore on PostgreSQL (the `pg` driver): what a cluster's processes
 * share. Same schema and migrations as the SQLite store; migrations run in one
 * transaction under an advisory lock so processes starting together do not race.
 * Also implements the cluster coordination tables (ClusterStore).
 */
import pg from 'pg';
import { NemetonError } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import { migrations } from './migrations.ts';
import { toSegmentRecord, toSupervisorRecord, toTaskRecord, toUserRecord } from './metadata-rows.ts';
import type { DataSourceRecord, MetadataStore, SegmentRecord, SupervisorRecord, TaskRecord, UserRecord } from './metadata-store.ts';
import type { SqlClient, SqlParam, SqlRow } from '../roles/sql-client.ts';
import { SqlClusterStore } from '../roles/sql-cluster-store.ts';

const log = logger('postgres-metadata');
/** Key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_331_001;

/** `?` placeholders (the SQLite form our SQL is written in) become `$1, $2, ...`. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** SqlClient over a pool or one pooled connection. */
class PgSqlClient implements SqlClient {
  constructor(private readonly target: pg.Pool | pg.PoolClient) {}
  async all(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    return (await this.target.query(toPgPlaceholders(sql), [...params])).rows as SqlRow[];
  }
  async execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return (await this.target.query(toPgPlaceholders(sql), [...params])).rowCount ?? 0;
  }
}

export interface PostgresMetadataStoreOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** Pool size (default 4). */
  readonly maxConnections?: number;
  /** Connection timeout in ms (default 5000). */
  readonly connectTimeoutMs?: number;
}

export class PostgresMetadataStore extends SqlClusterStore implements MetadataStore {
  private constructor(private readonly pool: pg.Pool) {
    super(new PgSqlClient(pool), (fn) => withTransaction(pool, (c) => fn(new PgSqlClient(c))));
  }

  /** Connects, runs pending migrations (advisory-locked) and returns the store. */
  static async open(options: PostgresMetadataStoreOptions): Promise<PostgresMetadataStore> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
    });
    // An idle client losing its server must not crash the process; the next query reports the error.
    pool.on('error', (e) => log.warn(`idle PostgreSQL connection failed: ${e.message}`));
    try {
      await migrate(pool);
    } catch (e) {
      await pool.end().catch(() => {});
      throw new NemetonError(`Cannot open the PostgreSQL metadata store: ${(e as Error).message}`, { cause: e, httpStatus: 503 });
    }
    return new PostgresMetadataStore(pool);
  }

  async schemaVersion(): Promise<number> {
    const r = await this.pool.query('SELECT MAX(version) AS v FROM nemeton_migrations');
    return Number(r.rows[0]?.v ?? 0);
  }

  async upsertDataSource(r: DataSourceRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO data_sources (name, created_at, schema_json) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET schema_json = excluded.schema_json`,
      [r.name, r.createdAt, JSON.stringify(r.schema)],
    );
  }

  async dataSources(): Promise<DataSourceRecord[]> {
    const r = await this.pool.query('SELECT * FROM data_sources ORDER BY name');
    return r.rows.map((row: SqlRow) => ({ name: String(row.name), createdAt: String(row.created_at), schema: JSON.parse(String(row.schema_json)) }));
  }

  async publishSegments(
    segments: readonly SegmentRecord[],
    commit?: { dataSource: string; expected: unknown; next: unknown },
    retire: readonly string[] = [],
  ): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      if (commit) {
        // Lock the commit row (or the data source's slot) so two publishers cannot both pass the check.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`commit:${commit.dataSource}`]);
        const row = await c.query('SELECT commit_metadata FROM data_source_metadata WHERE data_source = $1', [commit.dataSource]);
        const current = row.rows.length > 0 ? JSON.parse(String(row.rows[0].commit_metadata)) : null;
        if (JSON.stringify(current) !== JSON.stringify(commit.expected ?? null)) return false;
        await c.query(
          `INSERT INTO data_source_metadata (data_source, commit_metadata, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (data_source) DO UPDATE SET commit_metadata = excluded.commit_metadata, updated_at = excluded.updated_at`,
          [commit.dataSource, JSON.stringify(commit.next), new Date().toISOString()],
        );
      }
      for (const s of segments) {
        await c.query(
          `INSERT INTO segments (id, data_source, start_ms, end_ms, version, partition_num, num_partitions, used,
             num_rows, size_bytes, load_spec, payload, created_at, used_status_last_updated)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
          [s.id, s.dataSource, s.interval.start, s.interval.end, s.version, s.partitionNum, s.numPartitions, s.used ? 1 : 0,
            s.numRows, s.sizeBytes, JSON.stringify(s.loadSpec), JSON.stringify(s.payload), s.createdAt],
        );
      }
      if (retire.length > 0) {
        await c.query(
          'UPDATE segments SET used = 0, used_status_last_updated = $1 WHERE id = ANY($2::text[]) AND used = 1',
          [new Date().toISOString(), [...retire]],
        );
      }
      return true;
    });
  }

  async usedSegments(dataSource?: string): Promise<SegmentRecord[]> {
    const r = dataSource === undefined
      ? await this.pool.query('SELECT * FROM segments WHERE used = 1 ORDER BY data_source, start_ms, version, partition_num')
      : await this.pool.query('SELECT * FROM segments WHERE used = 1 AND data_source = $1 ORDER BY start_ms, version, partition_num', [dataSource]);
    return r.rows.map(toSegmentRecord);
  }

  async markUnused(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.pool.query(
      'UPDATE segments SET used = 0, used_status_last_updated = $1 WHERE id = ANY($2::text[]) AND used = 1',
      [new Date().toISOString(), [...ids]],
    );
    return r.rowCount ?? 0;
  }

  async commitMetadata(dataSource: string): Promise<unknown> {
    const r = await this.pool.query('SELECT commit_metadata FROM data_source_metadata WHERE data_source = $1', [dataSource]);
    return r.rows.length > 0 ? JSON.parse(String(r.rows[0].commit_metadata)) : null;
  }

  async deleteCommitMetadata(dataSource: string): Promise<void> {
    await this.pool.query('DELETE FROM data_source_metadata WHERE data_source = $1', [dataSource]);
  }

  async upsertSupervisor(r: SupervisorRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO supervisors (id, spec, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, state = excluded.state, updated_at = excluded.updated_at`,
      [r.id, JSON.stringify(r.spec), r.state, r.createdAt, r.updatedAt],
    );
  }

  async supervisors(): Promise<SupervisorRecord[]> {
    return (await this.pool.query('SELECT * FROM supervisors ORDER BY id')).rows.map(toSupervisorRecord);
  }

  async insertTask(t: TaskRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO tasks (id, type, data_source, status, created_at, updated_at, payload, report) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.id, t.type, t.dataSource, t.status, t.createdAt, t.updatedAt, JSON.stringify(t.payload), t.report ? JSON.stringify(t.report) : null],
    );
  }

  async updateTask(id: string, status: TaskRecord['status'], report: Record<string, unknown> | null): Promise<void> {
    await this.pool.query('UPDATE tasks SET status = $1, report = $2, updated_at = $3 WHERE id = $4',
      [status, report ? JSON.stringify(report) : null, new Date().toISOString(), id]);
  }

  async task(id: string): Promise<TaskRecord | undefined> {
    const r = await this.pool.query('SELECT * FROM tasks WHERE id = $1', [id]);
    return r.rows.length > 0 ? toTaskRecord(r.rows[0]) : undefined;
  }

  async tasks(): Promise<TaskRecord[]> {
    return (await this.pool.query('SELECT * FROM tasks ORDER BY created_at')).rows.map(toTaskRecord);
  }

  async upsertUser(u: UserRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (name, scram_iterations, scram_salt, scram_stored_key, scram_server_key, md5_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) DO UPDATE SET scram_iterations = excluded.scram_iterations, scram_salt = excluded.scram_salt,
         scram_stored_key = excluded.scram_stored_key, scram_server_key = excluded.scram_server_key, md5_hash = excluded.md5_hash`,
      [u.name, u.scramIterations, u.scramSalt, u.scramStoredKey, u.scramServerKey, u.md5Hash, new Date().toISOString()],
    );
  }

  async user(name: string): Promise<UserRecord | undefined> {
    const r = await this.pool.query('SELECT * FROM users WHERE name = $1', [name]);
    return r.rows.length > 0 ? toUserRecord(r.rows[0]) : undefined;
  }

  async users(): Promise<UserRecord[]> {
    return (await this.pool.query('SELECT * FROM users ORDER BY name')).rows.map(toUserRecord);
  }

  async getConfig(name: string): Promise<unknown> {
    const r = await this.pool.query('SELECT payload FROM config WHERE name = $1', [name]);
    return r.rows.length > 0 ? JSON.parse(String(r.rows[0].payload)) : undefined;
  }

  async setConfig(name: string, value: unknown): Promise<void> {
    await this.pool.query(
      'INSERT INTO config (name, payload) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET payload = excluded.payload',
      [name, JSON.stringify(value)],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Runs `fn` in a transaction on one pooled connection; rolls back when it throws. */
async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await c.query('CREATE TABLE IF NOT EXISTS nemeton_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await c.query('SELECT version FROM nemeton_migrations')).rows.map((r: SqlRow) => Number(r.version)));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      for (const s of m.statements) await c.query(s);
      await c.query('INSERT INTO nemeton_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
    }
  });
}
