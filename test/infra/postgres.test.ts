import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { skipUnlessInstalled } from '../support/components.ts';
import { startPostgres } from '../support/postgres.ts';

const skip = skipUnlessInstalled('postgres');

test('startPostgres serves SQL on loopback and stop() removes the cluster', { skip, timeout: 60000 }, async () => {
  const server = await startPostgres();
  try {
    assert.equal(server.host, '127.0.0.1');
    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
    await client.connect();
    try {
      const res = await client.query('SELECT 40 + $1::int AS answer, current_user AS who, version() AS v', [2]);
      assert.equal(res.rows[0].answer, 42);
      assert.equal(res.rows[0].who, 'postgres');
      assert.match(res.rows[0].v, /^PostgreSQL \d+/);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
  assert.equal(existsSync(server.dataDir), false);
  await assert.rejects(async () => {
    const c = new pg.Client({ host: server.host, port: server.port, user: server.user, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
    } finally {
      await c.end().catch(() => undefined);
    }
  });
});

test('startPostgres with a password enforces it and creates the database', { skip, timeout: 60000 }, async () => {
  const server = await startPostgres({ password: 's3cret', database: 'nemeton_test' });
  try {
    const good = new pg.Client({ connectionString: server.url });
    await good.connect();
    const res = await good.query('SELECT current_database() AS db');
    assert.equal(res.rows[0].db, 'nemeton_test');
    await good.end();
    const bad = new pg.Client({ host: server.host, port: server.port, user: server.user, password: 'wrong', database: server.database });
    await assert.rejects(bad.connect(), /password authentication failed/);
    await bad.end().catch(() => undefined);
  } finally {
    await server.stop();
  }
});
