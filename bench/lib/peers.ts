/**
 * The engines the benchmark compares, each loaded with the same tables:
 * Nemeton (in-process engine, pgwire, HTTP), DuckDB (1 and 2 threads),
 * SQLite, and PostgreSQL 15 when its binaries are installed.
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchQuery } from './queries.ts';
import type { BenchTable, ColumnKind } from './tables.ts';
import { copyFrom, copyText } from './pg-copy.ts';
import { intervalChunks } from './interval-chunks.ts';
import { resolveConfig } from '../../server/config.ts';
import { startNode, type RunningNode } from '../../server/node.ts';
import { startPostgres, type PostgresServer } from '../../test/support/postgres.ts';

/** Load time and bytes on disk (null when the engine keeps the table in memory only). */
export interface LoadResult { readonly ms: number; readonly bytes: number | null }

export interface Peer {
  readonly name: string;
  /** Which query text this peer runs. */
  readonly dialect: 'nemeton' | 'duckdb' | 'postgres' | 'sqlite';
  load(tables: readonly BenchTable[]): Promise<LoadResult>;
  run(q: BenchQuery): Promise<number>;
  close(): Promise<void>;
}

function dirSize(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

/**
 * Rows an interval's load keeps in memory before persisting: above the bench's
 * intervals (10M rows over 3 days is ~3.3M a day, over 7 days ~1.5M; SSB SF 1
 * ~0.9M a year), so a load usually persists and merges nothing; about 0.3 GB
 * per million rows of the Wikipedia shape.
 */
const CHUNK_ROWS_IN_MEMORY = 4_000_000;

/** One Nemeton node shared by the three Nemeton front doors. */
export class NemetonNode {
  node: RunningNode | null = null;
  private dir = '';
  async start(tables: readonly BenchTable[]): Promise<LoadResult> {
    this.dir = mkdtempSync(join(tmpdir(), 'nemeton-bench-'));
    this.node = await startNode(resolveConfig({}, { dataDir: this.dir, pgPort: 0, httpPort: 0, logLevel: 'warn' }));
    const t0 = performance.now();
    for (const t of tables) {
      // One load per segment interval: each hands off straight from memory (no persisted pieces to merge)
      // and only one interval's rows are held at a time.
      for (const chunk of intervalChunks(t.eachRow(), t.schema.segmentGranularity)) {
        await this.node.ingestion.ingestRows(t.schema, chunk.rows, { append: chunk.seenBefore, maxRowsInMemory: CHUNK_ROWS_IN_MEMORY });
      }
    }
    this.node.markReady();
    return { ms: performance.now() - t0, bytes: dirSize(join(this.dir, 'deep')) };
  }
  async stop(): Promise<void> {
    await this.node?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const SESSION = { queryContext: {}, user: 'bench', database: 'nemeton', settings: new Map<string, string>() };

export function nemetonPeers(shared: NemetonNode): Peer[] {
  let client: pg.Client | null = null;
  const inProcess: Peer = {
    name: 'Nemeton (in-process)', dialect: 'nemeton',
    load: (tables) => shared.start(tables),
    run: async (q) => {
      const r = await shared.node!.sql.execute(q.nemeton, [], SESSION);
      let n = 0;
      for await (const _ of r.rows) n++;
      return n;
    },
    close: async () => {},
  };
  const wire: Peer = {
    name: 'Nemeton (pgwire)', dialect: 'nemeton',
    load: async () => {
      client = new pg.Client({ host: '127.0.0.1', port: shared.node!.pgPort, user: 'admin', database: 'nemeton' });
      await client.connect();
      return { ms: 0, bytes: null };
    },
    run: async (q) => (await client!.query(q.nemeton)).rowCount ?? 0,
    close: async () => { await client?.end(); },
  };
  const http: Peer = {
    name: 'Nemeton (HTTP)', dialect: 'nemeton',
    load: async () => ({ ms: 0, bytes: null }),
    run: async (q) => {
      const res = await fetch(`http://127.0.0.1:${shared.node!.httpPort}/druid/v2/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q.nemeton, resultFormat: 'array' }) });
      const body = (await res.json()) as unknown;
      if (!res.ok || !Array.isArray(body)) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
      return body.length;
    },
    close: async () => {},
  };
  return [inProcess, wire, http];
}

const quote = (c: string) => `"${c}"`;

function duckType(k: ColumnKind): string {
  return k === 'time' ? 'TIMESTAMP' : k === 'string' ? 'VARCHAR' : k === 'long' ? 'BIGINT' : 'DOUBLE';
}

export function duckdbPeer(threads: number): Peer {
  let con: DuckDBConnection | null = null;
  return {
    name: `DuckDB (${threads} thread${threads > 1 ? 's' : ''})`, dialect: 'duckdb',
    async load(tables) {
      const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
      con = await inst.connect();
      const t0 = performance.now();
      for (const t of tables) {
        // Rows are appended straight into the final table (time as TIMESTAMP); generated rows come in time
        // order, so no sorted copy is made (a copy doubled DuckDB's peak memory) unless some row was out of order.
        await con.run(`CREATE TABLE ${t.name} (${t.columns.map((c) => `${quote(c.name)} ${duckType(c.kind)}`).join(', ')})`);
        const app = await con.createAppender(t.name);
        let last = -Infinity;
        let sorted = true;
        for (const r of t.eachRow()) {
          for (const c of t.columns) {
            const v = r[c.name];
            if (v === null || v === undefined) app.appendNull();
            else if (c.kind === 'string') app.appendVarchar(String(v));
            else if (c.kind === 'double') app.appendDouble(v as number);
            else if (c.kind === 'time') {
              if ((v as number) < last) sorted = false;
              last = v as number;
              app.appendTimestamp(new DuckDBTimestampValue(BigInt(v as number) * 1000n));
            } else app.appendBigInt(BigInt(v as number));
          }
          app.endRow();
        }
        app.closeSync();
        if (!sorted) {
          await con.run(`CREATE TABLE sorted_rows AS SELECT * FROM ${t.name} ORDER BY __time`);
          await con.run(`DROP TABLE ${t.name}`);
          await con.run(`ALTER TABLE sorted_rows RENAME TO ${t.name}`);
        }
      }
      return { ms: performance.now() - t0, bytes: null };
    },
    run: async (q) => (await con!.runAndReadAll(q.duckdb)).currentRowCount,
    close: async () => { con?.closeSync?.(); },
  };
}

function sqliteType(k: ColumnKind): string {
  return k === 'string' ? 'TEXT' : k === 'double' ? 'REAL' : 'INTEGER';
}

export function sqlitePeer(): Peer {
  let db: Database.Database | null = null;
  let dir = '';
  return {
    name: 'SQLite', dialect: 'sqlite',
    async load(tables) {
      dir = mkdtempSync(join(tmpdir(), 'nemeton-bench-sqlite-'));
      db = new Database(join(dir, 'bench.db'));
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -1048576');
      const t0 = performance.now();
      for (const t of tables) {
        db.exec(`CREATE TABLE ${t.name} (${t.columns.map((c) => `${quote(c.name)} ${sqliteType(c.kind)}`).join(', ')})`);
        const insert = db.prepare(`INSERT INTO ${t.name} VALUES (${t.columns.map(() => '?').join(', ')})`);
        const names = t.columns.map((c) => c.name);
        db.transaction(() => { for (const r of t.eachRow()) insert.run(...names.map((c) => (r[c] ?? null) as string | number | null)); })();
        db.exec(`CREATE INDEX ${t.name}_time ON ${t.name} (__time)`);
      }
      return { ms: performance.now() - t0, bytes: statSync(join(dir, 'bench.db')).size };
    },
    run: async (q) => db!.prepare(q.sqlite).all().length,
    close: async () => { db?.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

function pgType(k: ColumnKind): string {
  return k === 'time' ? 'timestamp' : k === 'string' ? 'text' : k === 'long' ? 'bigint' : 'double precision';
}

/** A PostgreSQL 15 server started for the run (test/support/postgres.ts), loaded with COPY FROM STDIN. */
export class PostgresPeer implements Peer {
  readonly name = 'PostgreSQL';
  readonly dialect = 'postgres' as const;
  server: PostgresServer | null = null;
  private client: pg.Client | null = null;

  async load(tables: readonly BenchTable[]): Promise<LoadResult> {
    this.server = await startPostgres({
      settings: { shared_buffers: '2GB', work_mem: '256MB', max_parallel_workers_per_gather: '2', jit: 'off', max_connections: '100' },
    });
    this.client = new pg.Client({ connectionString: this.server.url });
    await this.client.connect();
    const t0 = performance.now();
    let bytes = 0;
    for (const t of tables) {
      await this.client.query(`CREATE UNLOGGED TABLE ${t.name} (${t.columns.map((c) => `${quote(c.name)} ${pgType(c.kind)}`).join(', ')})`);
      const names = t.columns.map((c) => c.name);
      const kinds = t.columns.map((c) => c.kind);
      function* lines(): Generator<string> {
        for (const r of t.eachRow()) {
          let line = '';
          for (let i = 0; i < names.length; i++) {
            const v = r[names[i]];
            const k = kinds[i];
            // Only strings can need escaping; numbers print as they are.
            const s = k === 'time' ? new Date(v as number).toISOString().replace('T', ' ').replace('Z', '') : k === 'string' ? copyText(v) : v === null || v === undefined ? '\\N' : String(v);
            line += i === 0 ? s : '\t' + s;
          }
          yield line + '\n';
        }
      }
      await copyFrom(this.client, `COPY ${t.name} FROM STDIN`, lines());
      await this.client.query(`CREATE INDEX ${t.name}_time ON ${t.name} (__time)`);
      await this.client.query(`VACUUM ANALYZE ${t.name}`);
      bytes += Number((await this.client.query(`SELECT pg_total_relation_size('${t.name}') AS n`)).rows[0].n);
    }
    return { ms: performance.now() - t0, bytes };
  }

  async run(q: BenchQuery): Promise<number> {
    return (await this.client!.query(q.postgres)).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.client?.end();
    await this.server?.stop();
  }
}
