/** psql's backslash commands run their pg_catalog queries against a real node and print what PostgreSQL would. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import { runProgram, skipWithout, tool } from './fixtures/clients.ts';

describe('psql', { skip: skipWithout('psql') }, () => {
  let t: TestNode;
  before(async () => { t = await startTestNode(); });
  after(() => t?.stop());

  const psql = async (...args: string[]): Promise<string> => {
    const r = await runProgram(tool('psql'), ['-X', '-h', '127.0.0.1', '-p', String(t.port), '-U', 'admin', '-d', 'nemeton', '-v', 'ON_ERROR_STOP=1', ...args],
      { env: { ...process.env, PGCONNECT_TIMEOUT: '5', PGPASSWORD: '' } });
    assert.equal(r.status, 0, `psql ${args.join(' ')} failed: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /ERROR/);
    return r.stdout;
  };

  test('\\l lists the database', async () => {
    const out = await psql('-c', '\\l');
    assert.match(out, /List of databases/);
    assert.match(out, /^ nemeton \| admin \| UTF8 {5}\| C\.UTF-8 \| C\.UTF-8 \|/m);
  });

  test('\\dn lists the schemas', async () => {
    assert.equal(await psql('-c', '\\dn'), [
      'List of schemas', '  Name  | Owner ', '--------+-------', ' lookup | admin', ' public | admin', ' sys    | admin', '(3 rows)', '', '',
    ].join('\n'));
  });

  test('\\dt lists data sources as tables of public', async () => {
    assert.equal(await psql('-c', '\\dt'), [
      '       List of relations', ' Schema | Name  | Type  | Owner ', '--------+-------+-------+-------', ' public | sales | table | admin', '(1 row)', '', '',
    ].join('\n'));
  });

  test('\\d sales describes the columns with PostgreSQL type names', async () => {
    assert.equal(await psql('-c', '\\d sales'), [
      '                          Table "public.sales"',
      ' Column  |            Type             | Collation | Nullable | Default ',
      '---------+-----------------------------+-----------+----------+---------',
      ' __time  | timestamp without time zone |           | not null | ',
      ' country | text                        |           |          | ',
      ' product | text                        |           |          | ',
      ' qty     | bigint                      |           |          | ',
      ' price   | double precision            |           |          | ',
      '', '',
    ].join('\n'));
  });

  test('\\d with a pattern, \\dv over sys and \\dS over pg_catalog', async () => {
    assert.match(await psql('-c', '\\d sal*'), /Table "public\.sales"/);
    assert.match(await psql('-c', '\\dv sys.*'), / sys {4}\| segments {8}\| view \| admin/);
    assert.match(await psql('-c', '\\dS pg_am'), /Table "pg_catalog\.pg_am"[\s\S]* amname {4}\| text/);
    const missing = await runProgram(tool('psql'), ['-X', '-h', '127.0.0.1', '-p', String(t.port), '-U', 'admin', '-d', 'nemeton', '-c', '\\d nope']);
    assert.equal(missing.stderr.trim(), 'Did not find any relation named "nope".');
  });

  test('\\x expanded display of a query', async () => {
    const out = await psql('-c', '\\x', '-c', "SELECT country, qty FROM sales WHERE product = 'plum' ORDER BY qty");
    assert.equal(out, 'Expanded display is on.\n-[ RECORD 1 ]\ncountry | US\nqty     | 4\n-[ RECORD 2 ]\ncountry | FR\nqty     | 6\n\n');
  });

  test('\\copy (SELECT ...) TO STDOUT as CSV', async () => {
    const out = await psql('-c', "\\copy (SELECT country, SUM(qty) AS n FROM sales GROUP BY country ORDER BY country) TO STDOUT WITH (FORMAT csv, HEADER)");
    assert.equal(out, 'country,n\nDE,6\nFR,11\nUS,19\n');
  });

  test('a parameterised query via \\gset variables and server-side session functions', async () => {
    const out = await psql('-At', '-c', "SELECT current_database(), current_user, current_schema()");
    assert.equal(out, 'nemeton|admin|public\n');
  });
});
