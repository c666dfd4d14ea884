/** ClusterStore over a SqlClient: the same SQL on SQLite and PostgreSQL (tables from migration 2). */
import type { LoadRule } from '../coordinator/rules.ts';
import type { ClusterStore, NodeRole, ServedSegment, ServerRecord } from './cluster-store.ts';
import type { SqlClient, SqlRow, SqlTransaction } from './sql-client.ts';

export class SqlClusterStore implements ClusterStore {
  private rulesVersion = 0;

  constructor(protected readonly sql: SqlClient, protected readonly transaction: SqlTransaction) {}

  async announceServer(s: ServerRecord): Promise<void> {
    await this.sql.execute(
      `INSERT INTO servers (name, host, roles, tier, http_port, max_size, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET host = excluded.host, roles = excluded.roles, tier = excluded.tier,
         http_port = excluded.http_port, max_size = excluded.max_size, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
      [s.name, s.host, s.roles.join(','), s.tier, s.httpPort, s.maxSize, s.heartbeatAt, s.expiresAt],
    );
  }

  async unannounceServer(name: string): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.execute('DELETE FROM server_segments WHERE server_name = ?', [name]);
      await tx.execute('DELETE FROM servers WHERE name = ?', [name]);
    });
  }

  async liveServers(now: number): Promise<ServerRecord[]> {
    const rows = await this.sql.all('SELECT * FROM servers WHERE expires_at > ? ORDER BY name', [now]);
    return rows.map(toServerRecord);
  }

  async setServedSegments(server: string, segmentIds: readonly string[]): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.execute('DELETE FROM server_segments WHERE server_name = ?', [server]);
      for (const id of segmentIds) await tx.execute('INSERT INTO server_segments (server_name, segment_id) VALUES (?, ?)', [server, id]);
    });
  }

  async updateServedSegments(server: string, added: readonly string[], removed: readonly string[]): Promise<void> {
    if (added.length === 0 && removed.length === 0) return;
    await this.transaction(async (tx) => {
      for (const id of removed) await tx.execute('DELETE FROM server_segments WHERE server_name = ? AND segment_id = ?', [server, id]);
      for (const id of added) {
        await tx.execute(
          'INSERT INTO server_segments (server_name, segment_id) VALUES (?, ?) ON CONFLICT (server_name, segment_id) DO NOTHING',
          [server, id],
        );
      }
    });
  }

  async servedSegments(now: number): Promise<ServedSegment[]> {
    const rows = await this.sql.all(
      `SELECT ss.server_name, ss.segment_id FROM server_segments ss JOIN servers s ON s.name = ss.server_name
       WHERE s.expires_at > ? ORDER BY ss.segment_id, ss.server_name`,
      [now],
    );
    return rows.map((r) => ({ server: String(r.server_name), segmentId: String(r.segment_id) }));
  }

  async tryAcquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const changed = await this.sql.execute(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      [name, holder, now + ttlMs, now],
    );
    return changed > 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.sql.execute('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]);
  }

  async leaseHolder(name: string, now: number): Promise<string | null> {
    const rows = await this.sql.all('SELECT holder FROM leases WHERE name = ? AND expires_at > ?', [name, now]);
    return rows.length > 0 ? String(rows[0].holder) : null;
  }

  async setRules(dataSource: string, rules: readonly LoadRule[]): Promise<void> {
    // Versions sort as strings: a zero-padded clock plus a per-process counter keeps them increasing.
    const version = `${String(Date.now()).padStart(15, '0')}-${String(++this.rulesVersion).padStart(6, '0')}`;
    await this.sql.execute('INSERT INTO rules (data_source, version, payload) VALUES (?, ?, ?)', [dataSource, version, JSON.stringify(rules)]);
  }

  async allRules(): Promise<Map<string, LoadRule[]>> {
    const rows = await this.sql.all('SELECT data_source, version, payload FROM rules ORDER BY data_source, version');
    const out = new Map<string, LoadRule[]>();
    for (const r of rows) out.set(String(r.data_source), JSON.parse(String(r.payload)) as LoadRule[]);
    return out;
  }
}

function toServerRecord(r: SqlRow): ServerRecord {
  return {
    name: String(r.name),
    host: String(r.host),
    httpPort: Number(r.http_port),
    roles: String(r.roles).split(',').filter((x) => x !== '') as NodeRole[],
    tier: String(r.tier),
    maxSize: Number(r.max_size),
    heartbeatAt: Number(r.heartbeat_at),
    expiresAt: Number(r.expires_at),
  };
}
