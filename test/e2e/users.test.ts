/** Users managed by the CLI and by SQL (CREATE/ALTER USER ... PASSWORD); connections then need SCRAM-SHA-256. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { resolveConfig } from '../../server/config.ts';
import { startNode } from '../../server/node.ts';
import { parseUserStatement } from '../../server/user-statements.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nemeton.js');

test('user statements parse, and other forms are refused clearly', () => {
  assert.deepEqual(parseUserStatement("CREATE USER bob WITH PASSWORD 'it''s'"), { verb: 'CREATE', name: 'bob', password: "it's" });
  assert.deepEqual(parseUserStatement('ALTER ROLE "Ann" LOGIN PASSWORD \'x\''), { verb: 'ALTER', name: 'Ann', password: 'x' });
  assert.equal(parseUserStatement('SELECT 1'), null);
  assert.throws(() => parseUserStatement('DROP USER bob'), /not supported/);
});

test('a CLI-created user must authenticate; SQL changes passwords and adds users', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-users-'));
  try {
    const out = await run(process.execPath, [BIN, 'user', 'admin', '--data-dir', dir], { env: { ...process.env, NEMETON_PASSWORD: 's3cret' } });
    assert.match(out.stdout, /created user admin/);
    const node = await startNode(resolveConfig({}, { dataDir: dir, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
    try {
      const connect = async (user: string, password: string) => {
        const c = new pg.Client({ host: '127.0.0.1', port: node.pgPort, user, password, database: 'nemeton' });
        await c.connect();
        return c;
      };
      await assert.rejects(connect('admin', 'wrong'), (e: { code?: string }) => e.code === '28P01');
      const admin = await connect('admin', 's3cret');
      try {
        assert.equal((await admin.query("ALTER USER admin WITH PASSWORD 'n3w'")).command, 'ALTER');
        assert.equal((await admin.query("CREATE USER reader WITH PASSWORD 'r'")).command, 'CREATE');
      } finally {
        await admin.end();
      }
      await assert.rejects(connect('admin', 's3cret'), (e: { code?: string }) => e.code === '28P01');
      const again = await connect('admin', 'n3w');
      await again.end();
      const reader = await connect('reader', 'r');
      assert.equal(Number((await reader.query('SELECT 1 AS one')).rows[0].one), 1);
      await reader.end();
    } finally {
      await node.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
