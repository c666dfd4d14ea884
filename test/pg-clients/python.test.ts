/** psycopg2 and SQLAlchemy's inspector (what Superset uses to discover tables) against a real node. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import { runProgram, skipWithout, tool } from './fixtures/clients.ts';
import { setUserPassword } from '../../server/metadata-auth-provider.ts';

const SCRIPT = fileURLToPath(new URL('./python/py_check.py', import.meta.url));

describe('psycopg2 and SQLAlchemy', { skip: skipWithout('python3'), timeout: 120_000 }, () => {
  let t: TestNode;
  let r: Record<string, unknown>;
  before(async () => {
    t = await startTestNode();
    await setUserPassword(t.node.metadata, 'analyst', 's3cret');
    const run = await runProgram(tool('python3'), [SCRIPT, String(t.port), 'analyst', 's3cret'], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: 110_000 });
    assert.equal(run.status, 0, `py_check.py failed:\n${run.stderr}`);
    r = JSON.parse(run.stdout);
  });
  after(() => t?.stop());

  test('psycopg2: wrong password refused, parameters, result description, quoting', () => {
    assert.equal(r.wrongPassword, 'refused');
    assert.deepEqual(r.params, [['DE', 5], ['US', 7]]);
    assert.deepEqual(r.description, [['country', 25], ['qty', 20]]);
    assert.deepEqual(r.quoting, [["it's", 42]]);
  });

  test('psycopg2: connection.cancel() stops a slow query with 57014; the connection stays usable', () => {
    assert.equal(r.cancel, '57014');
    assert.equal(r.afterCancel, 1);
  });

  test('SQLAlchemy: text() with bound parameters', () => {
    assert.deepEqual(r.sqlalchemyRows, [['apple', 7], ['pear', 8], ['plum', 4]]);
  });

  test('SQLAlchemy inspector: schemas, tables, views, columns, keys, indexes', () => {
    assert.equal(r.defaultSchema, 'public');
    assert.deepEqual(r.schemas, ['information_schema', 'lookup', 'public', 'sys']);
    assert.deepEqual(r.tables, ['sales']);
    assert.deepEqual(r.views, ['segments', 'server_segments', 'servers', 'supervisors', 'tasks']);
    assert.deepEqual(r.columns, [['__time', 'TIMESTAMP', false], ['country', 'TEXT', true], ['product', 'TEXT', true], ['qty', 'BIGINT', true], ['price', 'DOUBLE_PRECISION', true]]);
    assert.deepEqual(r.pk, { constrained_columns: [], name: null });
    assert.deepEqual(r.fks, []);
    assert.deepEqual(r.indexes, []);
  });
});
