/** node-postgres (pg) and porsager's postgres with default options (fetch_types on) against a real node. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import postgres from 'postgres';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import { setUserPassword } from '../../server/metadata-auth-provider.ts';

const SLOW = 'SELECT COUNT(*) FROM (SELECT a, (SELECT COUNT(*) FROM pg_catalog.pg_type t WHERE t.oid = a) AS n FROM generate_series(1, 1000000) a) x';

describe('node drivers', () => {
  let t: TestNode;
  const login = { host: '127.0.0.1', user: 'analyst', password: 's3cret', database: 'nemeton' };
  before(async () => {
    t = await startTestNode();
    await setUserPassword(t.node.metadata, 'analyst', 's3cret');
  });
  after(() => t?.stop());

  test('postgres (porsager), default options: type fetch, parameters, reuse, metadata', async () => {
    const sql = postgres({ ...login, port: t.port, max: 1 });
    try {
      for (const [product, want] of [['apple', ['US']], ['pear', ['US']], ['apple', ['US']]] as const) {
        const rows = await sql`SELECT country FROM sales WHERE product = ${product} AND qty > ${5} ORDER BY country`;
        assert.deepEqual(rows.map((r) => r.country), want);
      }
      const res = await sql`SELECT qty, price, __time FROM sales ORDER BY __time LIMIT 1`;
      assert.deepEqual(res.columns.map((c) => [c.name, c.type]), [['qty', 20], ['price', 701], ['__time', 1114]]);
      assert.equal(res[0].price, 1.5);
      await assert.rejects(postgres({ ...login, password: 'wrong', port: t.port, max: 1 })`SELECT 1`, (e: any) => e.code === '28P01');
    } finally {
      await sql.end();
    }
  });

  test('pg: named prepared statement reused, field metadata, catalog functions, cancel, wrong password', async () => {
    const c = new pg.Client({ ...login, port: t.port });
    await c.connect();
    try {
      const q = { name: 'by-product', text: 'SELECT country, SUM(qty) AS n FROM sales WHERE product = $1 GROUP BY country ORDER BY 1' };
      const a = await c.query({ ...q, values: ['apple'] });
      const b = await c.query({ ...q, values: ['pear'] });
      assert.deepEqual(a.rows, [{ country: 'DE', n: '5' }, { country: 'FR', n: '3' }, { country: 'US', n: '7' }]);
      assert.deepEqual(b.rows, [{ country: 'DE', n: '1' }, { country: 'FR', n: '2' }, { country: 'US', n: '8' }]);
      assert.deepEqual(a.fields.map((f) => [f.name, f.dataTypeID]), [['country', 25], ['n', 20]]);
      const info = await c.query("SELECT current_database() AS db, current_user AS u, current_schema() AS s, 'sales'::regclass = (SELECT oid FROM pg_class WHERE relname = 'sales') AS same, 'a' = ANY($1) AS anyp, format_type(1043, 36) AS ft, has_table_privilege('sales', 'SELECT') AS p, pg_backend_pid() > 0 AS pid", [['a', 'b']]);
      assert.deepEqual(info.rows, [{ db: 'nemeton', u: 'analyst', s: 'public', same: true, anyp: true, ft: 'character varying(32)', p: true, pid: true }]);
      const slow = c.query(SLOW).then(() => 'completed', (e: any) => e.code);
      await new Promise((r) => setTimeout(r, 200));
      const killer = new pg.Client({ ...login, port: t.port });
      await killer.connect();
      await killer.query('SELECT 1');
      // node-postgres cancels through a CancelRequest on a new connection with this client's key.
      await new Promise<void>((resolve, reject) => {
        const con = new (pg as any).Connection();
        con.connect(t.port, '127.0.0.1');
        con.on('connect', () => { con.cancel((c as any).processID, (c as any).secretKey); resolve(); });
        con.on('error', (e: Error) => reject(e));
        con.on('end', () => con.removeAllListeners('error'));
        con.stream.on('error', () => {});
      });
      await killer.end();
      assert.equal(await slow, '57014');
      assert.deepEqual((await c.query('SELECT 1 AS one')).rows, [{ one: '1' }]);
    } finally {
      await c.end();
    }
    const bad = new pg.Client({ ...login, password: 'nope', port: t.port });
    await assert.rejects(bad.connect(), (e: any) => e.code === '28P01');
  });
});
