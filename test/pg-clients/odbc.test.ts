/** psqlODBC through unixODBC's isql: queries, and SQLTables/SQLColumns via isql's `help` commands. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import { runProgram, skipWithout, tool } from './fixtures/clients.ts';

describe('psqlODBC (isql)', { skip: skipWithout('isql') || skipWithout('odbcDriver') }, () => {
  let t: TestNode;
  before(async () => { t = await startTestNode(); });
  after(() => t?.stop());

  const isql = async (input: string): Promise<string> => {
    const conn = `DRIVER=${tool('odbcDriver')};SERVER=127.0.0.1;PORT=${t.port};DATABASE=nemeton;UID=admin;PWD=`;
    const r = await runProgram(tool('isql'), ['-k', conn, '-b', '-d|', '-c'], { input });
    assert.equal(r.status, 0, `isql failed: ${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /\[ISQL\]ERROR/);
    return r.stdout;
  };

  test('a query returns its rows', async () => {
    const out = await isql("SELECT country, SUM(qty) AS n FROM sales GROUP BY country ORDER BY country\n");
    assert.equal(out.trim(), 'country|n\nDE|6\nFR|11\nUS|19');
  });

  test('SQLTables lists the data source', async () => {
    const out = await isql('help\n');
    assert.match(out, /nemeton\|public\|sales\|TABLE\|/);
  });

  test('SQLColumns describes its columns', async () => {
    const out = await isql('help sales\n');
    for (const col of ['__time', 'country', 'product', 'qty', 'price']) assert.match(out, new RegExp(`\\|sales\\|${col}\\|`));
    assert.match(out, /\|sales\|qty\|-5\|int8\|/);
  });
});
