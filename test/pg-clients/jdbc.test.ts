/** pgJDBC (the driver DBeaver, Metabase and most JVM BI tools use) against a real node: JdbcCheck.java prints one line per check. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import { runProgram, skipWithout, tool } from './fixtures/clients.ts';
import { setUserPassword } from '../../server/metadata-auth-provider.ts';
import { javaCommand } from '../support/java.ts';

const SOURCE = fileURLToPath(new URL('./java/JdbcCheck.java', import.meta.url));

describe('pgJDBC', { skip: skipWithout('jdbcJar'), timeout: 120_000 }, () => {
  let t: TestNode;
  let checks: Map<string, string>;
  before(async () => {
    t = await startTestNode();
    await setUserPassword(t.node.metadata, 'analyst', 's3cret');
    const r = await runProgram(javaCommand(), ['-cp', tool('jdbcJar'), SOURCE, String(t.port), 'analyst', 's3cret'], { timeoutMs: 110_000 });
    assert.equal(r.status, 0, `JdbcCheck failed:\n${r.stdout}\n${r.stderr}`);
    checks = new Map(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  });
  after(() => t?.stop());

  test('a wrong password is refused with 28P01', () => assert.equal(checks.get('wrongPassword'), '28P01'));

  test('a reused PreparedStatement with parameters (past the server-prepare threshold) keeps answering right', () => {
    const apple = 'DE=5 FR=3 US=7 ';
    const pear = 'DE=1 FR=2 US=8 ';
    assert.equal(checks.get('prepared'), [apple, pear, apple, pear, apple, pear, apple].join('|') + '|'.trimEnd());
  });

  test('ResultSetMetaData names PostgreSQL types and JDBC type codes; values read back typed', () => {
    assert.equal(checks.get('metadata'), '__time:timestamp:93 country:text:12 qty:int8:-5 price:float8:8');
    assert.equal(checks.get('firstRow'), '2024-01-01T10:00:00Z FR 3 1.5');
  });

  test('Statement.cancel stops a slow query with 57014 and the connection stays usable', () => {
    assert.equal(checks.get('cancel'), '57014');
    assert.equal(checks.get('cancelFast'), 'true');
    assert.equal(checks.get('afterCancel'), '1');
  });

  test('DatabaseMetaData: product, schemas, tables, views, columns, keys, types', () => {
    assert.equal(checks.get('product'), 'PostgreSQL 15');
    assert.equal(checks.get('schemas'), '[information_schema, lookup, pg_catalog, public, sys]');
    assert.equal(checks.get('tables'), '[sales]');
    assert.equal(checks.get('views'), '[segments, server_segments, servers, supervisors, tasks]');
    assert.equal(checks.get('columns'), '[__time/timestamp/93/1, country/text/12/2, product/text/12/3, qty/int8/-5/4, price/float8/8/5]');
    assert.equal(checks.get('primaryKeys'), '[]');
    assert.equal(checks.get('typeInfo'), 'true');
  });
});
