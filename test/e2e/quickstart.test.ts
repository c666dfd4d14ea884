/**
 * The foundation's promise: a quickstart node answers the README's three
 * queries (psql/pgwire, HTTP SQL, HTTP native) with numbers equal to a naive
 * count over the generated rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { resolveConfig } from '../../server/config.ts';
import { startNode, type RunningNode } from '../../server/node.ts';
import { loadQuickstartSample } from '../../server/quickstart/load-quickstart.ts';
import { generateWikipedia } from '../../server/quickstart/wikipedia-sample.ts';

const execFileAsync = promisify(execFile);
const ROWS = 20_000;
let node: RunningNode;
let dir: string;

interface Expected { count: number; byChannel: Map<string, { edits: number; added: number }> }
function naive(): Expected {
  const byChannel = new Map<string, { edits: number; added: number }>();
  let count = 0;
  for (const r of generateWikipedia({ rows: ROWS })) {
    count++;
    const c = byChannel.get(r.channel as string) ?? { edits: 0, added: 0 };
    c.edits++;
    c.added += r.added as number;
    byChannel.set(r.channel as string, c);
  }
  return { count, byChannel };
}
const expected = naive();
const top5 = [...expected.byChannel.entries()].sort((a, b) => b[1].edits - a[1].edits || (a[0] < b[0] ? -1 : 1)).slice(0, 5);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nemeton-e2e-'));
  node = await startNode(resolveConfig({}, { dataDir: dir, pgPort: 0, httpPort: 0, logLevel: 'warn' }));
  await loadQuickstartSample(node, ROWS, () => {});
  node.markReady();
});

after(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const TOP_SQL = 'SELECT channel, COUNT(*) AS edits, SUM(added) FROM wikipedia GROUP BY channel ORDER BY edits DESC LIMIT 5';

test('pgwire: top channels match a naive count', async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: node.pgPort, user: 'admin', database: 'nemeton' });
  await client.connect();
  try {
    const res = await client.query(TOP_SQL);
    assert.equal(res.rows.length, 5);
    for (let i = 0; i < 5; i++) {
      const row = res.rows[i] as Record<string, unknown>;
      assert.equal(row.channel, top5[i][0]);
      assert.equal(Number(row.edits), top5[i][1].edits);
      assert.equal(Number(row.EXPR$2 ?? Object.values(row)[2]), top5[i][1].added);
    }
    // Unknown table -> 42P01, and the connection keeps working.
    await assert.rejects(client.query('SELECT * FROM nope'), (e: { code?: string }) => e.code === '42P01');
    await assert.rejects(client.query('SELEC 1'), (e: { code?: string; position?: string }) => e.code === '42601' && e.position !== undefined);
    assert.equal(Number((await client.query('SELECT COUNT(*) AS c FROM wikipedia')).rows[0].c), expected.count);
  } finally {
    await client.end();
  }
});

test('psql: the README command prints the top channels', { skip: spawnSync('psql', ['--version']).status !== 0 && !process.env.CI ? 'psql not installed' : false }, async () => {
  // The server runs in this process, so psql must run asynchronously.
  const { stdout } = await execFileAsync('psql', ['-h', '127.0.0.1', '-p', String(node.pgPort), '-U', 'admin', '-d', 'nemeton', '-A', '-t', '-F', '|', '-c', TOP_SQL], { encoding: 'utf8', timeout: 20_000 });
  const lines = stdout.trim().split('\n');
  assert.deepEqual(lines, top5.map(([ch, v]) => `${ch}|${v.edits}|${v.added}`));
});

test('HTTP SQL: COUNT(*) matches', async () => {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2/sql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'SELECT COUNT(*) FROM wikipedia' }),
  });
  assert.equal(res.status, 200);
  const body = await res.json() as Record<string, unknown>[];
  assert.equal(body.length, 1);
  assert.equal(Object.values(body[0])[0], expected.count);
});

test('HTTP native: timeseries count matches', async () => {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2`, {
    method: 'POST',
    body: JSON.stringify({ queryType: 'timeseries', dataSource: 'wikipedia', intervals: ['1000/3000'], granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }] }),
  });
  assert.equal(res.status, 200);
  const body = await res.json() as { timestamp: string; result: { rows: number } }[];
  assert.equal(body.length, 1);
  assert.equal(body[0].result.rows, expected.count);
});

test('HTTP: bad input gets Druid error JSON and the server keeps serving', async () => {
  const base = `http://127.0.0.1:${node.httpPort}`;
  const unknown = await fetch(`${base}/druid/v2/sql`, { method: 'POST', body: JSON.stringify({ query: 'SELECT * FROM nope' }) });
  assert.equal(unknown.status, 400);
  assert.ok('errorMessage' in (await unknown.json() as object));
  const malformed = await fetch(`${base}/druid/v2`, { method: 'POST', body: '{' });
  assert.equal(malformed.status, 400);
  assert.equal(await (await fetch(`${base}/status/health`)).json(), true);
});

test('HTTP native: a scan streams and equals the materialised result; a bad scan is still a 400', async () => {
  const query = { queryType: 'scan', dataSource: 'wikipedia', intervals: ['1000/3000'], columns: ['__time', 'channel', 'added'], order: 'ascending', limit: 7_000, batchSize: 1000 };
  const streamed = await (await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2`, { method: 'POST', body: JSON.stringify(query) })).json() as { events: unknown[] }[];
  const materialised = await (await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2?pretty`, { method: 'POST', body: JSON.stringify(query) })).json() as { events: unknown[] }[];
  assert.equal(streamed.flatMap((b) => b.events).length, 7_000);
  assert.deepEqual(streamed.flatMap((b) => b.events), materialised.flatMap((b) => b.events));
  const bad = await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2`, { method: 'POST', body: JSON.stringify({ ...query, intervals: ['not an interval'] }) });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: string }).error, 'Invalid input');
});
