/** MetadataStore on SQLite (better-sqlite3): the one-process default. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.ts';
import type { DataSourceRecord, MetadataStore, SegmentRecord, SupervisorRecord, TaskRecord, UserRecord } from './metadata-store.ts';
import { toSegmentRecord, toSupervisorRecord, toTaskRecord, toUserRecord } from './metadata-rows.ts';

type Row = Record<string, unknown>;

export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Database.Database;

  /** Opens (creating when absent) the database at `path` and runs pending migrations. ':memory:' works for tests. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS nemeton_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = new Set(
      (this.db.prepare('SELECT version FROM nemeton_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        for (const s of m.statements) this.db.exec(s);
        this.db.prepare('INSERT INTO nemeton_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, new Date().toISOString());
      })();
    }
  }

  async schemaVersion(): Promise<number> {
    const r = this.db.prepare('SELECT MAX(version) AS v FROM nemeton_migrations').get() as { v: number | null };
    return r.v ?? 0;
  }

  async upsertDataSource(r: DataSourceRecord): Promise<void> {
    this.db.prepare(
      `INSERT INTO data_sources (name, created_at, schema_json) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET schema_json = excluded.schema_json`,
    ).run(r.name, r.createdAt, JSON.stringify(r.schema));
  }

  async dataSources(): Promise<DataSourceRecord[]> {
    return (this.db.prepare('SELECT * FROM data_sources ORDER BY name').all() as Row[]).map((r) => ({
      name: String(r.name),
      createdAt: String(r.created_at),
      schema: JSON.parse(String(r.schema_json)),
    }));
  }

  async publishSegments(
    segments: readonly SegmentRecord[],
    commit?: { dataSource: string; expected: unknown; next: unknown },
    retire: readonly string[] = [],
  ): Promise<boolean> {
    const unuse = this.db.prepare('UPDATE segments SET used = 0, used_status_last_updated = ? WHERE id = ? AND used = 1');
    const insert = this.db.prepare(
      `INSERT INTO segments (id, data_source, start_ms, end_ms, version, partition_num, num_partitions, used,
         num_rows, size_bytes, load_spec, payload, created_at, used_status_last_updated)
       VALUES (@id, @dataSource, @start, @end, @version, @partitionNum, @numPartitions, @used,
         @numRows, @sizeBytes, @loadSpec, @payload, @createdAt, @createdAt)`,
    );
    return this.db.transaction((): boolean => {
      if (commit) {
        const row = this.db.prepare('SELECT commit_metadata FROM data_source_metadata WHERE data_source = ?')
          .get(commit.dataSource) as { commit_metadata: string } | undefined;
        const current = row ? JSON.parse(row.commit_metadata) : null;
        if (JSON.stringify(current) !== JSON.stringify(commit.expected ?? null)) return false;
        this.db.prepare(
          `INSERT INTO data_source_metadata (data_source, commit_metadata, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (data_source) DO UPDATE SET commit_metadata = excluded.commit_metadata, updated_at = excluded.updated_at`,
        ).run(commit.dataSource, JSON.stringify(commit.next), new Date().toISOString());
      }
      for (const s of segments) {
        insert.run({
          id: s.id, dataSource: s.dataSource, start: s.interval.start, end: s.interval.end, version: s.version,
          partitionNum: s.partitionNum, numPartitions: s.numPartitions, used: s.used ? 1 : 0,
          numRows: s.numRows, sizeBytes: s.sizeBytes, loadSpec: JSON.stringify(s.loadSpec),
          payload: JSON.stringify(s.payload), createdAt: s.createdAt,
        });
      }
      const now = new Date().toISOString();
      for (const id of retire) unuse.run(now, id);
      return true;
    })();
  }

  async usedSegments(dataSource?: string): Promise<SegmentRecord[]> {
    const rows = (dataSource === undefined
      ? this.db.prepare('SELECT * FROM segments WHERE used = 1 ORDER BY data_source, start_ms, version, partition_num').all()
      : this.db.prepare('SELECT * FROM segments WHERE used = 1 AND data_source = ? ORDER BY start_ms, version, partition_num').all(dataSource)
    ) as Row[];
    return rows.map(toSegmentRecord);
  }

  async markUnused(ids: readonly string[]): Promise<number> {
    const stmt = this.db.prepare('UPDATE segments SET used = 0, used_status_last_updated = ? WHERE id = ? AND used = 1');
    const now = new Date().toISOString();
    return this.db.transaction(() => ids.reduce((n, id) => n + stmt.run(now, id).changes, 0))();
  }

  async commitMetadata(dataSource: string): Promise<unknown> {
    const row = this.db.prepare('SELECT commit_metadata FROM data_source_metadata WHERE data_source = ?')
      .get(dataSource) as { commit_metadata: string } | undefined;
    return row ? JSON.parse(row.commit_metadata) : null;
  }

  async deleteCommitMetadata(dataSource: string): Promise<void> {
    this.db.prepare('DELETE FROM data_source_metadata WHERE data_source = ?').run(dataSource);
  }

  async upsertSupervisor(r: SupervisorRecord): Promise<void> {
    this.db.prepare(
      `INSERT INTO supervisors (id, spec, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, state = excluded.state, updated_at = excluded.updated_at`,
    ).run(r.id, JSON.stringify(r.spec), r.state, r.createdAt, r.updatedAt);
  }

  async supervisors(): Promise<SupervisorRecord[]> {
    return (this.db.prepare('SELECT * FROM supervisors ORDER BY id').all() as Row[]).map(toSupervisorRecord);
  }

  async insertTask(t: TaskRecord): Promise<void> {
    this.db.prepare(
      `INSERT INTO tasks (id, type, data_source, status, created_at, updated_at, payload, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(t.id, t.type, t.dataSource, t.status, t.createdAt, t.updatedAt, JSON.stringify(t.payload), t.report ? JSON.stringify(t.report) : null);
  }

  async updateTask(id: string, status: TaskRecord['status'], report: Record<string, unknown> | null): Promise<void> {
    this.db.prepare('UPDATE tasks SET status = ?, report = ?, updated_at = ? WHERE id = ?')
      .run(status, report ? JSON.stringify(report) : null, new Date().toISOString(), id);
  }

  async task(id: string): Promise<TaskRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as Row | undefined;
    return r ? toTaskRecord(r) : undefined;
  }

  async tasks(): Promise<TaskRecord[]> {
    return (this.db.prepare('SELECT * FROM tasks ORDER BY created_at').all() as Row[]).map(toTaskRecord);
  }

  async upsertUser(u: UserRecord): Promise<void> {
    this.db.prepare(
      `INSERT INTO users (name, scram_iterations, scram_salt, scram_stored_key, scram_server_key, md5_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET scram_iterations = excluded.scram_iterations, scram_salt = excluded.scram_salt,
         scram_stored_key = excluded.scram_stored_key, scram_server_key = excluded.scram_server_key, md5_hash = excluded.md5_hash`,
    ).run(u.name, u.scramIterations, u.scramSalt, u.scramStoredKey, u.scramServerKey, u.md5Hash, new Date().toISOString());
  }

  async user(name: string): Promise<UserRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
    return r ? toUserRecord(r) : undefined;
  }

  async users(): Promise<UserRecord[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as Row[]).map(toUserRecord);
  }

  async getConfig(name: string): Promise<unknown> {
    const r = this.db.prepare('SELECT payload FROM config WHERE name = ?').get(name) as { payload: string } | undefined;
    return r ? JSON.parse(r.payload) : undefined;
  }

  async setConfig(name: string, value: unknown): Promise<void> {
    this.db.prepare('INSERT INTO config (name, payload) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET payload = excluded.payload')
      .run(name, JSON.stringify(value));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
