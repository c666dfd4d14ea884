/**
 * ClusterStore on the SQLite metadata file (a cluster on one machine): its own
 * better-sqlite3 connection to the same database, WAL mode, busy timeout so
 * several processes can share the file. The schema comes from
 * SqliteMetadataStore's migrations, which must have run first.
 */
import Database from 'better-sqlite3';
import type { SqlClient, SqlParam, SqlRow } from './sql-client.ts';
import { SqlClusterStore } from './sql-cluster-store.ts';

class SqliteSqlClient implements SqlClient {
  constructor(private readonly db: Database.Database) {}
  async all(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    return this.db.prepare(sql).all(...params) as SqlRow[];
  }
  async execute(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.db.prepare(sql).run(...params).changes;
  }
}

export class SqliteClusterStore extends SqlClusterStore {
  private readonly db: Database.Database;

  /** Opens the metadata database at `path` (already migrated). */
  constructor(path: string) {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const client = new SqliteSqlClient(db);
    // The callbacks only touch this connection synchronously between awaits, so BEGIN..COMMIT brackets them.
    super(client, async (fn) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(client);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });
    this.db = db;
  }

  close(): void {
    this.db.close();
  }
}
