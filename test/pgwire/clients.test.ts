/** Other real clients: postgres (porsager), psql, and pg over TLS with SCRAM. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import postgres from 'postgres';
import { createStaticAuthProvider } from '../../server/pgwire/index.ts';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';

const run = promisify(execFile);
const tlsDir = new URL('./fixtures/tls/', import.meta.url);
const tls = { key: readFileSync(new URL('key.pem', tlsDir)), cert: readFileSync(new URL('cert.pem', tlsDir)) };

describe('postgres (porsager)', () => {
  let t: TestServer;
  let sql: postgres.Sql;
  before(async () => {
    t = await startTestServer();
    sql = postgres({ host: '127.0.0.1', port: t.port, user: 'u', database: 'd', fetch_types: false, max: 1 });
  });
  after(async () => {
    await sql.end();
    await t.server.close();
  });

  test('tagged template with parameters (Describe statement, then Bind/Execute)', async () => {
    const rows = await sql`select ${5}::BIGINT, ${'a'}`;
    assert.deepEqual([...rows], [{ p1: '5', p2: 'a' }]);
    const again = await sql`select ${6}::BIGINT, ${'b'}`;
    assert.deepEqual([...again], [{ p1: '6', p2: 'b' }]);
  });

  test('typed results and errors', async () => {
    const [row] = await sql`select * from types`;
    assert.equal(row.b, true);
    assert.equal(row.i4, 123456);
    assert.equal(row.f8, 3.141592653589793);
    assert.equal((row.ts as Date).toISOString(), '2024-01-15T10:30:45.123Z');
    await assert.rejects(sql`select * from missing`, (e: any) => e.code === '42P01');
  });

  test('simple protocol via unsafe with multiple statements', async () => {
    const result = await sql.unsafe('select 1; select 2').simple();
    assert.equal(result.length, 2);
  });

  test('cursor reads in batches through PortalSuspended', async () => {
    const seen: number[] = [];
    await sql.begin(async (tx) => {
      await tx`select * from numbers(25)`.cursor(10, async (rows) => {
        seen.push(rows.length);
      });
    });
    assert.deepEqual(seen, [10, 10, 5]);
  });
});

describe('psql', { skip: !existsSync('/usr/bin/psql') && 'psql not installed' }, () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.server.close());

  const psql = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run('/usr/bin/psql', ['-h', '127.0.0.1', '-p', String(t.port), '-U', 'u', '-d', 'd', '-X', ...args], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '5', PGSSLMODE: 'prefer' },
      timeout: 10_000,
    });

  test('-c query prints an aligned table', async () => {
    const { stdout } = await psql('-c', 'select * from numbers(3)');
    assert.match(stdout, /^\s+n\s*\n-+\n\s+0\n\s+1\n\s+2\n\(3 rows\)/);
  });

  test('\\x expanded display and several statements', async () => {
    const { stdout } = await psql('-c', '\\x', '-c', 'select 1; select version()');
    assert.match(stdout, /Expanded display is on/);
    assert.match(stdout, /version \| PostgreSQL 15\.0 \(Nemeton\)/);
  });

  test('errors go to stderr with the message', async () => {
    await assert.rejects(psql('-v', 'ON_ERROR_STOP=1', '-c', 'select * from missing'), (e: any) => /ERROR:\s+Object 'missing' not found/.test(e.stderr));
  });

  test('COPY TO STDOUT as CSV', async () => {
    const { stdout } = await psql('-c', 'COPY (select * from numbers(3)) TO STDOUT WITH (FORMAT csv, HEADER)');
    assert.equal(stdout, 'n\n0\n1\n2\n');
  });
});

describe('TLS', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ tls, auth: createStaticAuthProvider({ users: { carol: 'pw' }, trustLoopback: false }) });
  });
  after(() => t.server.close());

  test('pg connects over TLS with SCRAM and runs queries', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'carol', password: 'pw', ssl: { rejectUnauthorized: false } });
    await c.connect();
    assert.equal((await c.query('SHOW ssl')).rows[0].ssl, 'on');
    assert.equal((await c.query('select * from numbers(1000)')).rowCount, 1000);
    await c.end();
  });

  test('a client that does not ask for TLS still connects (TLS optional)', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'carol', password: 'pw' });
    await c.connect();
    assert.equal((await c.query('SHOW ssl')).rows[0].ssl, 'off');
    await c.end();
  });

  test('psql with sslmode=require', { skip: !existsSync('/usr/bin/psql') && 'psql not installed' }, async () => {
    const { stdout } = await run('/usr/bin/psql', ['-X', '-At', '-c', 'select 1', `host=127.0.0.1 port=${t.port} user=carol dbname=d sslmode=require`], {
      env: { ...process.env, PGPASSWORD: 'pw' },
      timeout: 10_000,
    });
    assert.equal(stdout.trim(), '1');
  });
});

describe('trust beyond loopback', () => {
  test('trust is refused for non-loopback addresses unless allowed', async () => {
    const { authenticate } = await import('../../server/pgwire/authenticate.ts');
    const ch = { send: async () => undefined, read: async () => null };
    const provider = { methodFor: () => 'trust' as const };
    const remote = { user: 'u', database: 'd', remoteAddress: '10.0.0.5', loopback: false, tls: false };
    await assert.rejects(authenticate(ch, provider, remote, false), (e: any) => e.sqlState === '28000');
    assert.equal(await authenticate(ch, provider, remote, true), 'trust');
  });
});

describe('session behaviour', () => {
  let t: TestServer;
  let c: pg.Client;
  before(async () => {
    t = await startTestServer();
    c = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'u' });
    await c.connect();
  });
  after(async () => {
    await c.end();
    await t.server.close();
  });

  test('statement_timeout cancels with 57014', async () => {
    await c.query("SET statement_timeout = '100ms'");
    await assert.rejects(c.query('select pg_sleep(5)'), (e: any) => e.code === '57014' && /statement timeout/.test(e.message));
    await c.query('RESET statement_timeout');
    assert.equal((await c.query('SHOW statement_timeout')).rows[0].statement_timeout, '0');
  });

  test('DISCARD ALL drops prepared statements and resets settings', async () => {
    await c.query({ name: 'keep', text: 'select $1::INTEGER', values: [1] });
    await c.query("SET application_name = 'zzz'");
    await c.query('DISCARD ALL');
    assert.equal((await c.query('SHOW application_name')).rows[0].application_name, '');
  });

  test('startup options -c set parameters', async () => {
    const o = new pg.Client({ host: '127.0.0.1', port: t.port, user: 'u', options: '-c statement_timeout=5s -c TimeZone=Europe/Paris' });
    await o.connect();
    assert.equal((await o.query('SHOW TimeZone')).rows[0].TimeZone, 'Europe/Paris');
    assert.equal((await o.query('SHOW statement_timeout')).rows[0].statement_timeout, '5s');
    await o.end();
  });
});
