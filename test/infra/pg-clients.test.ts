import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipUnlessInstalled } from '../support/components.ts';
import {
  jdbcQuery,
  odbcQuery,
  PgClientError,
  psqlQuery,
  psycopg2Query,
  runPgbench,
  sqlalchemyQuery,
} from '../support/pg-clients.ts';
import type { ClientResult, PgTarget } from '../support/pg-clients.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresServer } from '../support/postgres.ts';

const skip = skipUnlessInstalled('postgres') || skipUnlessInstalled('pg-clients');

const clients: [string, (t: PgTarget, sql: string) => Promise<ClientResult>][] = [
  ['psql', psqlQuery],
  ['psycopg2', psycopg2Query],
  ['sqlalchemy', sqlalchemyQuery],
  ['jdbc', jdbcQuery],
  ['odbc', odbcQuery],
];

describe('real PostgreSQL clients against a real PostgreSQL', { skip, timeout: 120000 }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres({ password: 'pw', database: 'clients' });
    await psqlQuery(server, "CREATE TABLE t (id int, name text); INSERT INTO t VALUES (1, 'a b'), (2, NULL)");
  });
  after(() => server?.stop());

  for (const [name, query] of clients) {
    test(`${name} returns columns and rows as text`, async () => {
      const r = await query(server, 'SELECT id, name FROM t ORDER BY id');
      assert.deepEqual(r.columns, ['id', 'name']);
      // isql cannot tell NULL from ''; every other client reports null.
      assert.deepEqual(r.rows, [['1', 'a b'], ['2', name === 'odbc' ? '' : null]]);
    });

    test(`${name} reports a syntax error with SQLSTATE 42601`, async () => {
      await assert.rejects(query(server, 'SELEC 1'), (err: unknown) => {
        assert.ok(err instanceof PgClientError, String(err));
        assert.equal(err.client, name);
        assert.equal(err.sqlState, '42601', err.message);
        return true;
      });
    });
  }

  test('a wrong password is refused', async () => {
    await assert.rejects(psycopg2Query({ ...server, password: 'nope' }, 'SELECT 1'), /password authentication failed/);
  });

  test('pgbench initialises and runs a select-only load', async () => {
    await runPgbench(server, ['-i', '-s', '1', '-q']);
    const r = await runPgbench(server, ['-S', '-c', '2', '-t', '20', '-n']);
    assert.match(r.stdout, /number of transactions actually processed: 40\/40/);
    const count = await psqlQuery(server, 'SELECT count(*) FROM pgbench_accounts');
    assert.deepEqual(count.rows, [['100000']]);
  });
});
