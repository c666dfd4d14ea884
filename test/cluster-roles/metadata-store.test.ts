/** The metadata-store contract on SQLite and on a real PostgreSQL server. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { PostgresMetadataStore, toPgPlaceholders } from '../../cluster/metadata/postgres-metadata-store.ts';
import { SqliteClusterStore } from '../../cluster/roles/sqlite-cluster-store.ts';
import { migrations } from '../../cluster/metadata/migrations.ts';
import { skipUnlessInstalled, startPostgres, type PostgresServer } from '../support/index.ts';
import { metadataStoreCases } from './metadata-store-cases.ts';

const dirs: string[] = [];
metadataStoreCases('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'nemeton-cr-meta-'));
    dirs.push(dir);
    const metadata = new SqliteMetadataStore(join(dir, 'metadata.db'));
    const cluster = new SqliteClusterStore(join(dir, 'metadata.db'));
    return { metadata, cluster, close: async () => { cluster.close(); await metadata.close(); } };
  },
}, false);
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const pgSkip = skipUnlessInstalled('postgres');
let server: PostgresServer | undefined;
let dbCounter = 0;
before(async () => { if (!pgSkip) server = await startPostgres(); });
after(async () => { await server?.stop(); });

/** A fresh database per case on the shared server. */
async function freshDatabaseUrl(): Promise<string> {
  const name = `meta_${process.pid}_${++dbCounter}`;
  const c = new pg.Client({ connectionString: server!.url });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  return server!.url.replace(/\/[^/]*$/, `/${name}`);
}

metadataStoreCases('postgres', {
  async open() {
    const store = await PostgresMetadataStore.open({ url: await freshDatabaseUrl() });
    return { metadata: store, cluster: store, close: () => store.close() };
  },
}, pgSkip);

test('postgres: processes migrating at once apply each migration exactly once', { skip: pgSkip }, async () => {
  const url = await freshDatabaseUrl();
  const stores = await Promise.all([0, 1, 2, 3].map(() => PostgresMetadataStore.open({ url })));
  try {
    for (const s of stores) assert.equal(await s.schemaVersion(), migrations[migrations.length - 1].version);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = (await c.query('SELECT version FROM nemeton_migrations ORDER BY version')).rows.map((r) => r.version);
    await c.end();
    assert.deepEqual(rows, migrations.map((m) => m.version));
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
});

test('postgres: an unreachable server is a clear 503 error', { skip: pgSkip }, async () => {
  await assert.rejects(
    PostgresMetadataStore.open({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 1000 }),
    (e: Error & { httpStatus?: number }) => /Cannot open the PostgreSQL metadata store/.test(e.message) && e.httpStatus === 503,
  );
});

test('placeholders are renumbered for PostgreSQL', () => {
  assert.equal(toPgPlaceholders('SELECT ? , ?, x FROM t WHERE y = ?'), 'SELECT $1 , $2, x FROM t WHERE y = $3');
});
