/** The benchmark harness: deterministic SSB data, the Druid mix, COPY loading, pgbench parsing and goal reporting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { generateSsb, SSB_QUERIES, ssbSchema } from '../../bench/lib/ssb.ts';
import { copyFrom, copyText } from '../../bench/lib/pg-copy.ts';
import { druidMix, runMix } from '../../bench/lib/concurrency.ts';
import { makeDataset } from '../../bench/lib/dataset.ts';
import { tableFromSchema, wikipediaTable } from '../../bench/lib/tables.ts';
import { goalLines, type BenchReport } from '../../bench/lib/report.ts';
import { skipUnlessInstalled, startPostgres } from '../support/index.ts';

test('SSB generator: deterministic, time-ordered, dbgen value domains', () => {
  const a = generateSsb(0.001);
  const b = generateSsb(0.001);
  assert.equal(a.length, 6000);
  assert.deepEqual(a.slice(0, 50), b.slice(0, 50));
  for (let i = 1; i < a.length; i++) assert.ok((a[i].__time as number) >= (a[i - 1].__time as number));
  assert.equal(new Date(a[0].__time as number).toISOString().slice(0, 10), '1992-01-01');
  assert.equal(new Date(a.at(-1)!.__time as number).toISOString().slice(0, 10), '1998-08-02');
  for (const r of a.slice(0, 500)) {
    assert.match(r.c_city as string, /^.{9}\d$/);
    assert.equal((r.c_city as string).slice(0, 9).trimEnd(), (r.c_nation as string).slice(0, 9));
    assert.match(r.p_brand1 as string, /^MFGR#[1-5][1-5]\d{1,2}$/);
    assert.ok((r.p_brand1 as string).startsWith(r.p_category as string) && (r.p_category as string).startsWith(r.p_mfgr as string));
    assert.ok((r.lo_discount as number) >= 0 && (r.lo_discount as number) <= 10);
    assert.equal(r.lo_revenue, Math.floor(((r.lo_extendedprice as number) * (100 - (r.lo_discount as number))) / 100));
    assert.equal(r.d_year, new Date(r.__time as number).getUTCFullYear());
  }
  assert.equal(SSB_QUERIES.length, 13);
  const t = tableFromSchema(ssbSchema(), a);
  assert.deepEqual(t.columns.filter((c) => c.kind === 'time').map((c) => c.name), ['__time']);
  assert.equal(t.columns.length, 19);
});

test('wikipedia bench table carries a double column; the Druid mix weighs 30/60/10', () => {
  const d = makeDataset(2000, 2);
  const t = wikipediaTable(d);
  assert.equal(t.columns.find((c) => c.name === 'score')?.kind, 'double');
  assert.ok(d.rows.some((r) => !Number.isInteger(r.score)));
  assert.equal(d.metrics.score[5], d.rows[5].score);
  const mix = druidMix(d);
  const weight = (k: string) => mix.filter((m) => m.kind === k).reduce((s, m) => s + m.weight, 0);
  assert.deepEqual([weight('aggregate'), weight('groupBy'), weight('search')], [30, 60, 10]);
  assert.ok(mix.every((m) => !/\bisRobot\b/.test(m.postgres.replace(/"isRobot"/g, ''))));
});

test('COPY text escaping', () => {
  assert.equal(copyText(null), '\\N');
  assert.equal(copyText(undefined), '\\N');
  assert.equal(copyText('a\tb\\c\nd'), 'a\\tb\\\\c\\nd');
  assert.equal(copyText(1.5), '1.5');
});

test('goal lines: met / NOT met from medians', () => {
  const t = (m: number) => ({ min: m, median: m, max: m, runs: 1 });
  const report: BenchReport = {
    date: 'd', machine: 'm', cores: 2, command: 'c', rows: 10, days: 1, ssbScaleFactor: null, ssbRows: 0, load: {},
    queries: [
      { query: 'fast', kind: 'topN', goal: 'half', timings: { 'Nemeton (in-process)': t(1), 'Nemeton (pgwire)': t(1.5), 'DuckDB (2 threads)': t(4), SQLite: t(100), PostgreSQL: t(40) } },
      { query: 'slow', kind: 'scan', goal: 'par', timings: { 'Nemeton (in-process)': t(5), 'Nemeton (pgwire)': t(5), 'DuckDB (2 threads)': t(4) } },
    ],
    scanRates: { 'sum of a double column': 6e8 }, concurrency: { 'Nemeton (pgwire)': [{ clients: 8, tps: 1, p50: 10, p99: 120, transactions: 1, failed: 0 }] }, connectMs: {}, peakRssBytes: 0,
  };
  const lines = goalLines(report).join('\n');
  assert.match(lines, /fast: .* in-process 0\.25, pgwire 0\.38 — met/);
  assert.match(lines, /slow: .* — NOT met/);
  assert.match(lines, /50x faster .* — NOT met \(short: fast vs PostgreSQL: 40\.0x\)/);
  assert.match(lines, /sum of a double column: 600M — met/);
  assert.match(lines, /p99 < 100 ms: 120\.0 ms .* — NOT met/);
});

test('COPY FROM STDIN and the pgbench mix against a real PostgreSQL', { skip: skipUnlessInstalled('postgres') || skipUnlessInstalled('pg-clients') }, async () => {
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    await client.query('CREATE TABLE t (__time timestamp, s text, n bigint, d double precision)');
    const lines = ['2015-09-12 00:00:00\ta\\tb\t1\t0.5\n', '2015-09-12 01:00:00\t\\N\t2\t\\N\n'];
    for (let i = 0; i < 5000; i++) lines.push(`2015-09-13 00:00:00\tx${i}\t${i}\t1.25\n`);
    await copyFrom(client, 'COPY t FROM STDIN', lines);
    const r = await client.query('SELECT COUNT(*)::int AS c, SUM(n)::bigint AS s, COUNT(s)::int AS nn FROM t');
    assert.deepEqual(r.rows[0], { c: 5002, s: String(3 + (4999 * 5000) / 2), nn: 5001 });
    assert.equal((await client.query("SELECT s FROM t WHERE n = 1")).rows[0].s, 'a\tb');
    await assert.rejects(copyFrom(client, 'COPY t FROM STDIN', ['not-a-time\tx\t1\t1\n']), /invalid input syntax/);
    // Multi-byte text over several 1 MiB chunks, and one line longer than a chunk.
    await client.query('CREATE TABLE u (s text)');
    const wide: string[] = [];
    for (let i = 0; i < 30_000; i++) wide.push(`é€😀 ${i} ${'ü'.repeat(i % 50)}\n`);
    wide.splice(12_345, 0, `${'€'.repeat(400_000)}\n`);
    await copyFrom(client, 'COPY u FROM STDIN', wide);
    const u = await client.query('SELECT COUNT(*)::int AS c, SUM(char_length(s))::bigint AS chars FROM u');
    assert.deepEqual(u.rows[0], { c: 30_001, chars: String(wide.reduce((a, l) => a + [...l].length - 1, 0)) });
    const results = await runMix({ host: '127.0.0.1', port: server.port, user: server.user, database: server.database },
      [{ name: 'count', kind: 'aggregate', weight: 1, nemeton: '', postgres: 'SELECT COUNT(*) FROM t' }], 'postgres', [1, 2], 1);
    assert.deepEqual(results.map((x) => x.clients), [1, 2]);
    for (const x of results) {
      assert.ok(x.transactions > 0 && x.tps > 0, JSON.stringify(x));
      // Sub-millisecond transactions on a quiet machine have been seen to log a median of 0 µs; see bench/lib/concurrency.ts.
      assert.ok(x.p50 >= 0 && x.p99 >= x.p50, JSON.stringify(x));
      assert.equal(x.failed, 0);
    }
  } finally {
    await client.end();
    await server.stop();
  }
});

test('README Performance section: replaced in place, other sections untouched, appended when absent', async () => {
  const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { updateReadmeSection } = await import('../../bench/lib/readme.ts');
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-readme-'));
  try {
    const path = join(dir, 'README.md');
    writeFileSync(path, '# X\n\n## Intro\n\nhello\n\n## Performance\n\nold table\n\n## Tests\n\nrun them\n');
    updateReadmeSection(path, '| new | table |', 'npm run bench');
    const text = readFileSync(path, 'utf8');
    assert.match(text, /## Intro\n\nhello\n\n## Performance\n\n\| new \| table \|/);
    assert.doesNotMatch(text, /old table/);
    assert.match(text, /`npm run bench`[^\n]*\n\n## Tests\n\nrun them\n$/);
    writeFileSync(path, '# X\n\n## Intro\n\nhello\n');
    updateReadmeSection(path, 'body', 'cmd');
    assert.match(readFileSync(path, 'utf8'), /hello\n\n## Performance\n\nbody\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
