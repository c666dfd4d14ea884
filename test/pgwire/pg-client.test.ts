/** The `pg` driver (node-postgres) against the server: simple, extended, prepared reuse, cancel, auth. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createStaticAuthProvider } from '../../server/pgwire/index.ts';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';

describe('pg driver', () => {
  let t: TestServer;
  let client: pg.Client;
  before(async () => {
    t = await startTestServer();
    client = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'alice', database: 'wiki', application_name: 'pgtest' });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await t.server.close();
  });

  test('simple query returns typed values', async () => {
    const r = await client.query('select * from types');
    assert.equal(r.rowCount, 2);
    const row = r.rows[0];
    assert.equal(row.b, true);
    assert.equal(row.i2, -12);
    assert.equal(row.i4, 123456);
    assert.equal(row.i8, '9007199254740993');
    assert.equal(row.f4, 1.5);
    assert.equal(row.f8, 3.141592653589793);
    assert.equal(row.num, '12345.6789');
    assert.equal(row.s, 'héllo, "wörld"');
    assert.equal(row.ts.toISOString(), '2024-01-15T10:30:45.123Z'.replace('Z', 'Z'));
    assert.deepEqual(row.sa, ['a', 'b c', null, '']);
    assert.deepEqual(row.la, ['1', '-2', '3']);
    assert.deepEqual(row.da, [0.5, -1.25]);
    assert.deepEqual(Object.values(r.rows[1]), new Array(13).fill(null));
  });

  test('extended query with parameters', async () => {
    const r = await client.query('select $1::BIGINT, $2', [42, 'x']);
    assert.deepEqual(r.rows, [{ p1: '42', p2: 'x' }]);
    assert.deepEqual(t.engine.lastParameters, [42, 'x']);
  });

  test('named prepared statement is reused', async () => {
    const before = t.engine.executed.length;
    const a = await client.query({ name: 'echo', text: 'select $1::INTEGER, $2', values: [1, 'a'] });
    const b = await client.query({ name: 'echo', text: 'select $1::INTEGER, $2', values: [2, 'b'] });
    assert.deepEqual(a.rows, [{ p1: 1, p2: 'a' }]);
    assert.deepEqual(b.rows, [{ p1: 2, p2: 'b' }]);
    assert.equal(t.engine.executed.length - before, 2);
  });

  test('errors carry SQLSTATE and position, session stays usable', async () => {
    await assert.rejects(client.query('selec 1'), (e: any) => e.code === '42601' && e.position === '1');
    await assert.rejects(client.query('select * from missing'), (e: any) => e.code === '42P01');
    await assert.rejects(client.query('select nope from types'), (e: any) => e.code === '42703');
    await assert.rejects(client.query('select 1/0'), (e: any) => e.code === '22012');
    await assert.rejects(client.query('select * from unsupported'), (e: any) => e.code === '0A000');
    await assert.rejects(client.query('select * from hog'), (e: any) => e.code === '53000');
    await assert.rejects(client.query('select $1::BIGINT', ['abc']), (e: any) => e.code === '22P02');
    assert.equal((await client.query('select 7')).rows[0]['?column?'], 7);
  });

  test('cancel aborts the running query with 57014', async () => {
    const running = client.query('select pg_sleep(10)');
    await new Promise((r) => setTimeout(r, 100));
    const canceller = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'alice' });
    (canceller as any).cancel(client, (client as any).activeQuery);
    const started = Date.now();
    await assert.rejects(running, (e: any) => e.code === '57014' && /canceling statement/.test(e.message));
    assert.ok(Date.now() - started < 3000);
    assert.equal((await client.query('select 3')).rows[0]['?column?'], 3);
  });

  test('session settings and transactions', async () => {
    await client.query("SET TimeZone = 'America/New_York'");
    assert.equal((await client.query('SHOW timezone')).rows[0].TimeZone, 'America/New_York');
    assert.equal((await client.query('SHOW application_name')).rows[0].application_name, 'pgtest');
    await client.query('BEGIN');
    await client.query('select 1');
    await client.query('COMMIT');
    await client.query('SET sqlTimeZone = \'Asia/Tokyo\'');
    await client.query('select 1');
    assert.equal(t.engine.lastSession?.queryContext.sqlTimeZone, 'Asia/Tokyo');
    assert.equal(t.engine.lastSession?.settings.get('timezone'), 'America/New_York');
    await client.query('RESET ALL');
  });

  test('insert returns its row count', async () => {
    const r = await client.query('insert into t values (1)');
    assert.equal(r.rowCount, 3);
    assert.equal(r.command, 'INSERT');
  });
});

describe('pg driver authentication', () => {
  for (const method of ['scram-sha-256', 'md5', 'cleartext'] as const) {
    test(`${method}: right password connects, wrong password gets 28P01`, async () => {
      const t = await startTestServer({ auth: createStaticAuthProvider({ users: { bob: 's3cret' }, method, trustLoopback: false }) });
      try {
        const good = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'bob', password: 's3cret' });
        await good.connect();
        assert.equal((await good.query('select 5')).rows[0]['?column?'], 5);
        await good.end();
        const bad = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'bob', password: 'nope' });
        await assert.rejects(bad.connect(), (e: any) => e.code === '28P01' && /password authentication failed/.test(e.message));
        const unknown = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'mallory', password: 'x' });
        await assert.rejects(unknown.connect(), (e: any) => e.code === '28P01');
      } finally {
        await t.server.close();
      }
    });
  }
});
