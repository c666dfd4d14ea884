/**
 * INSERT/REPLACE ... SELECT ... FROM TABLE(EXTERN(...)) streams the input into the write: records are
 * read once, filtered and projected row by row, never held whole (so no subquery row limit applies),
 * and a bad record fails the statement with nothing published. Plans the per-row path cannot run
 * (aggregation, ordering) still go through the general executor.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../server/config.ts';
import { startNode, type RunningNode } from '../../server/node.ts';

let node: RunningNode;
let dir: string;
let file: string;
const N = 3000;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nemeton-sqlstream-'));
  file = join(dir, 'events.json');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(JSON.stringify({ ts: Date.UTC(2024, 0, 1 + (i % 3), 0, 0, i % 60), k: `k${i % 5}`, v: i, flag: i % 2 === 0 }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  node = await startNode(resolveConfig({}, { dataDir: join(dir, 'var'), pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
  node.markReady();
});

after(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sql(query: string, context: Record<string, unknown> = {}): Promise<{ status: number; rows: Record<string, unknown>[]; error?: string }> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, context }) });
  const json = await res.json() as Record<string, unknown>[] | { errorMessage?: string };
  return Array.isArray(json) ? { status: res.status, rows: json } : { status: res.status, rows: [], error: json.errorMessage ?? JSON.stringify(json) };
}

const extern = (path: string) => `TABLE(EXTERN('{"type":"local","files":["${path}"]}', '{"type":"json"}', '[{"name":"ts","type":"long"},{"name":"k","type":"string"},{"name":"v","type":"long"},{"name":"flag","type":"string"}]'))`;

test('filters and expressions run per record; more input rows than the subquery row limit load fine', async () => {
  const r = await sql(`INSERT INTO streamed SELECT MILLIS_TO_TIMESTAMP(ts) AS __time, UPPER(k) AS k, v * 2 AS v2, flag
    FROM ${extern(file)} WHERE v >= 10 PARTITIONED BY DAY`, { maxSubqueryRows: 100 });
  assert.equal(r.status, 200, r.error);
  const got = await sql('SELECT COUNT(*) AS n, SUM(v2) AS s, COUNT(DISTINCT k) AS ks, MIN(k) AS mk, SUM(flag) AS f FROM streamed');
  const expectedSum = 2 * ((N * (N - 1)) / 2 - 45);
  assert.deepEqual(got.rows, [{ n: N - 10, s: expectedSum, ks: 5, mk: 'K0', f: (N - 10) / 2 }]);
  assert.equal((await sql('SELECT COUNT(*) AS n FROM streamed WHERE __time >= TIMESTAMP \'2024-01-03 00:00:00\'')).rows[0].n, N / 3 - 3);
});

test('REPLACE streams too; a record outside OVERWRITE WHERE fails the statement and publishes nothing', async () => {
  const before = (await node.metadata.usedSegments('streamed')).map((s) => s.id).sort();
  const bad = await sql(`REPLACE INTO streamed OVERWRITE WHERE __time >= TIMESTAMP '2024-01-01 00:00:00' AND __time < TIMESTAMP '2024-01-02 00:00:00'
    SELECT MILLIS_TO_TIMESTAMP(ts) AS __time, k FROM ${extern(file)} PARTITIONED BY DAY`);
  assert.notEqual(bad.status, 200);
  assert.match(bad.error ?? '', /outside the OVERWRITE intervals/);
  assert.deepEqual((await node.metadata.usedSegments('streamed')).map((s) => s.id).sort(), before);

  const ok = await sql(`REPLACE INTO streamed OVERWRITE WHERE __time >= TIMESTAMP '2024-01-01 00:00:00' AND __time < TIMESTAMP '2024-01-02 00:00:00'
    SELECT MILLIS_TO_TIMESTAMP(ts) AS __time, k FROM ${extern(file)} WHERE ts < ${Date.UTC(2024, 0, 2)} PARTITIONED BY DAY`);
  assert.equal(ok.status, 200, ok.error);
  const perDay = await sql('SELECT TIME_FLOOR(__time, \'P1D\') AS d, COUNT(*) AS n, COUNT(v2) AS nv FROM streamed GROUP BY 1 ORDER BY 1');
  assert.deepEqual(perDay.rows.map((r) => [r.n, r.nv]), [[N / 3, 0], [N / 3 - 3, N / 3 - 3], [N / 3 - 3, N / 3 - 3]]);
});

test('an unparseable record fails the statement naming it, and nothing is published', async () => {
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"ts": 1704067200000, "k": "a", "v": 1}\n{"ts": oops}\n');
  const r = await sql(`INSERT INTO broken_ds SELECT MILLIS_TO_TIMESTAMP(ts) AS __time, k FROM ${extern(broken)} PARTITIONED BY DAY`);
  assert.notEqual(r.status, 200);
  assert.match(r.error ?? '', /EXTERN input: Unable to parse row \[\{"ts": oops\}\]/);
  assert.deepEqual(await node.metadata.usedSegments('broken_ds'), []);
});

test('aggregating and ordered SELECTs over EXTERN still run through the general executor', async () => {
  const r = await sql(`INSERT INTO rolled SELECT TIME_FLOOR(MILLIS_TO_TIMESTAMP(ts), 'P1D') AS __time, k, COUNT(*) AS n FROM ${extern(file)}
    GROUP BY 1, 2 PARTITIONED BY DAY`);
  assert.equal(r.status, 200, r.error);
  assert.deepEqual((await sql('SELECT COUNT(*) AS rows_, SUM(n) AS n FROM rolled')).rows, [{ rows_: 15, n: N }]);
});
