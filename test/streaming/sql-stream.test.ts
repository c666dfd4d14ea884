/** SQL over native scans streams, with the same rows as the materialising path; other plans are unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { createSqlEngine } from '../../planner/engine/create-sql-engine.ts';
import type { SqlResult, SqlSessionContext } from '../../planner/sql-engine.ts';
import { countingRunner, narrowCatalog, narrowSource } from './support/fixtures.ts';

const { source } = narrowSource('n', 6000, 3, 900);
const executor = createQueryExecutor({ segments: source, workers: 0 });
const { runner, counters } = countingRunner(executor);
const catalog = narrowCatalog('n');
const streaming = createSqlEngine({ runner, catalog });
const materialising = createSqlEngine({ runner, catalog, noStreaming: true });

function session(queryContext: Record<string, unknown> = {}, signal?: AbortSignal): SqlSessionContext {
  return { queryContext, user: 'u', database: 'd', settings: new Map(), ...(signal ? { signal } : {}) };
}

async function all(r: SqlResult): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const row of r.rows) out.push([...row]);
  return out;
}

const STREAMED = [
  'SELECT k, v FROM n',
  'SELECT * FROM n',
  "SELECT v AS x, k AS y, k FROM n WHERE k = 'k3'",
  'SELECT __time, v FROM n ORDER BY __time DESC LIMIT 700',
  'SELECT __time, d FROM n ORDER BY __time LIMIT 100 OFFSET 2950',
  "SELECT k FROM n WHERE v > 100 AND k IN ('k1', 'k2') LIMIT 50 OFFSET 3",
  "SELECT v, d FROM n WHERE __time >= TIMESTAMP '2024-01-02 06:00:00' AND __time < TIMESTAMP '2024-01-03 00:00:00'",
  'SELECT v * 2 AS w, UPPER(k) AS u FROM n WHERE MOD(v, 7) = 0',
];
const MATERIALISED = [
  'SELECT k, COUNT(*) AS c, SUM(v) FROM n GROUP BY k',
  'SELECT COUNT(*) FROM n',
  'SELECT v FROM n ORDER BY v DESC LIMIT 5',
  'SELECT DISTINCT k FROM n',
];

test('streamed scans return the same rows and columns as the materialising path', async () => {
  for (const sql of STREAMED) {
    const before = counters.streams;
    const a = await streaming.execute(sql, [], session());
    const b = await materialising.execute(sql, [], session());
    assert.deepEqual(a.columns, b.columns, sql);
    assert.deepEqual(await all(a), await all(b), sql);
    assert.ok(counters.streams > before, `not streamed: ${sql}`);
  }
});

test('other plans keep the materialising path with the same answers', async () => {
  for (const sql of MATERIALISED) {
    const before = counters.streams;
    const a = await streaming.execute(sql, [], session());
    assert.equal(counters.streams, before, `streamed: ${sql}`);
    assert.equal(typeof a.rowCount, 'number');
    assert.deepEqual(await all(a), await all(await materialising.execute(sql, [], session())), sql);
  }
});

test('a streamed result may exceed maxSubqueryRows; the materialised one may not', async () => {
  const ctx = { maxSubqueryRows: 1000 };
  const rows = await all(await streaming.execute('SELECT v FROM n', [], session(ctx)));
  assert.equal(rows.length, 6000);
  assert.deepEqual(rows.map((r) => r[0]).sort((x, y) => Number(x) - Number(y)), Array.from({ length: 6000 }, (_, i) => i));
  await assert.rejects(materialising.execute('SELECT v FROM n', [], session(ctx)), (e: unknown) => e instanceof NemetonError && e.code === 'Resource limit exceeded');
});

test('failures before the first row reject execute(); a consumer that stops early ends the native stream', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(streaming.execute('SELECT k FROM n', [], session({}, ac.signal)), (e: unknown) => e instanceof NemetonError && e.sqlState === '57014');
  const ended = counters.ended;
  const r = await streaming.execute('SELECT k, v FROM n', [], session());
  const it = r.rows[Symbol.asyncIterator]();
  await it.next();
  await it.return?.();
  assert.equal(counters.ended, ended + 1);
  // Never iterated at all: return() still ends it.
  const unread = await streaming.execute('SELECT k, v FROM n', [], session());
  await unread.rows[Symbol.asyncIterator]().return?.();
  assert.equal(counters.ended, ended + 2);
});

test('cancelling mid-stream fails the next pull with 57014', async () => {
  const ac = new AbortController();
  const r = await streaming.execute('SELECT k, v FROM n', [], session({ sqlQueryId: 'cancel-me', maxSubqueryRows: 10 }, ac.signal));
  let n = 0;
  await assert.rejects(async () => {
    for await (const _ of r.rows) if (++n === 10) ac.abort();
  }, (e: unknown) => e instanceof NemetonError && e.sqlState === '57014');
  assert.ok(n < 6000, `read ${n} rows after cancel`);
});
