/**
 * `npm run bench` — Nemeton against DuckDB (1 and 2 threads), PostgreSQL 15,
 * SQLite and a hand-written typed-array loop on the same generated rows, in
 * one run: Druid-shaped queries, the Star Schema Benchmark (flattened), the
 * Druid workload mix through pgbench at several client counts, connection
 * set-up, load time, bytes on disk, scan rates and peak RSS.
 *   npm run bench                      quick: 1M rows, SSB SF 0.1 (~5 min)
 *   npm run bench -- --full            10M rows, SSB SF 1
 *   npm run bench -- --rows N --ssb-sf F --no-postgres --no-ssb --no-mix --readme
 *   npm run bench -- --peers nemeton,duckdb2,postgres   (any of nemeton, duckdb1, duckdb2, postgres, sqlite)
 *   npm run bench -- --help
 * Writes bench/results/latest.{md,json,svg}, and the README's Performance
 * section after the default quick run or with --readme (never with
 * --no-readme). Ratios, never pass/fail.
 */
import { availableParallelism, cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDataset } from './lib/dataset.ts';
import { benchQueries, ssbQueries, type BenchQuery } from './lib/queries.ts';
import { duckdbPeer, nemetonPeers, NemetonNode, PostgresPeer, sqlitePeer, type Peer } from './lib/peers.ts';
import { timeIt } from './lib/timing.ts';
import { FOCUS, REFERENCE, toMarkdown, toSvg, WIRE, type BenchReport, type QueryResult } from './lib/report.ts';
import { wikipediaTable, tableFromSchema, type BenchTable } from './lib/tables.ts';
import { ssbRowCount, ssbRows, ssbSchema } from './lib/ssb.ts';
import { connectTime, druidMix, runMix } from './lib/concurrency.ts';
import { postgresBinDir } from '../test/support/components.ts';
import { updateReadmeSection } from './lib/readme.ts';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean' }, rows: { type: 'string' }, days: { type: 'string' }, runs: { type: 'string' },
    'ssb-sf': { type: 'string' }, 'no-postgres': { type: 'boolean' }, 'no-ssb': { type: 'boolean' }, 'no-mix': { type: 'boolean' },
    'mix-seconds': { type: 'string' }, clients: { type: 'string' }, readme: { type: 'boolean' }, 'no-readme': { type: 'boolean' },
    peers: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`npm run bench [-- options]
  --full               10,000,000 rows over 7 days and SSB at scale factor 1 (default: 1,000,000 rows over 3 days, SSB 0.1)
  --rows N, --days D   Wikipedia-like rows and the days they span
  --ssb-sf F           SSB scale factor (6,000,000 rows per unit); --no-ssb leaves SSB out
  --runs N             timed runs per query, after a warm-up of at least 200 ms (default 7)
  --peers LIST         any of nemeton,duckdb1,duckdb2,postgres,sqlite (default: all); --no-postgres drops PostgreSQL
  --no-mix             skip the Druid mix through pgbench; --mix-seconds S and --clients 1,8,32 tune it
  --readme             rewrite README's Performance section (done by default after the plain quick run); --no-readme never
`);
  process.exit(0);
}
const rows = values.rows ? Number(values.rows) : values.full ? 10_000_000 : 1_000_000;
const days = values.days ? Number(values.days) : values.full ? 7 : 3;
const runs = values.runs ? Number(values.runs) : 7;
const ssbSf = values['no-ssb'] ? null : Number(values['ssb-sf'] ?? (values.full ? 1 : 0.1));
const mixSeconds = Number(values['mix-seconds'] ?? (values.full ? 20 : 8));
const clients = (values.clients ?? '1,8,32').split(',').map(Number);
const cores = availableParallelism();

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

log(`generating ${rows.toLocaleString('en-US')} rows over ${days} days`);
const dataset = makeDataset(rows, days);
const tables: BenchTable[] = [wikipediaTable(dataset)];
if (ssbSf !== null) {
  log(`generating SSB at scale factor ${ssbSf}`);
  tables.push(tableFromSchema(ssbSchema(), { count: ssbRowCount(ssbSf), generate: () => ssbRows(ssbSf) }));
}
const ssbRowTotal = tables[1]?.rowCount ?? 0;
const queries: BenchQuery[] = [...benchQueries(dataset), ...(ssbSf !== null ? ssbQueries() : [])];
const shared = new NemetonNode();
const wanted = new Set((values.peers ?? 'nemeton,duckdb1,duckdb2,postgres,sqlite').split(',').map((x) => x.trim()));
const postgres = wanted.has('postgres') && !values['no-postgres'] && postgresBinDir() !== undefined ? new PostgresPeer() : null;
if (wanted.has('postgres') && !values['no-postgres'] && postgres === null) log('PostgreSQL binaries not found: skipping PostgreSQL');
const peers: Peer[] = [
  ...(wanted.has('nemeton') ? nemetonPeers(shared) : []),
  ...(wanted.has('duckdb1') ? [duckdbPeer(1)] : []),
  ...(wanted.has('duckdb2') ? [duckdbPeer(2)] : []),
  ...(postgres ? [postgres] : []),
  ...(wanted.has('sqlite') ? [sqlitePeer()] : []),
];
const load: BenchReport['load'] = {};
const active: Peer[] = [];
for (const p of peers) {
  log(`loading ${p.name}`);
  try {
    const cpu0 = process.cpuUsage();
    const r = await p.load(tables);
    const cpu = process.cpuUsage(cpu0);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    load[p.name] = r.ms > 0 ? { ...r, cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes } : r;
    if (r.ms > 0) log(`  ${(r.ms / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU in this process), peak RSS so far ${(peakRssBytes / 2 ** 30).toFixed(2)} GiB`);
    active.push(p);
  } catch (e) {
    load[p.name] = { error: (e as Error).message.slice(0, 200) };
    log(`  ${p.name} failed to load: ${(e as Error).message}`);
  }
}

const slowPeers = new Set(['SQLite', 'PostgreSQL']);
const results: QueryResult[] = [];
for (const q of queries) {
  const timings: QueryResult['timings'] = {};
  const loop = q.loop;
  if (loop !== undefined) timings[REFERENCE] = await timeIt(() => loop(dataset), runs);
  for (const p of active) {
    const slow = slowPeers.has(p.name);
    try {
      timings[p.name] = await timeIt(() => p.run(q), runs, slow ? 1 : 3);
    } catch (e) {
      timings[p.name] = { error: (e as Error).message.slice(0, 200) };
    }
  }
  log(`${q.name}: ${Object.entries(timings).map(([k, v]) => `${k}=${'median' in v ? v.median.toFixed(2) : `error (${v.error})`}`).join(' ')}`);
  results.push({ query: q.name, kind: q.kind, goal: q.goal, timings });
}

const scanRates: Record<string, number> = {};
const fullScans = new Set(queries.filter((q) => q.fullScan === true).map((q) => q.name));
for (const r of results.filter((x) => fullScans.has(x.query))) {
  const t = r.timings[FOCUS];
  if (t && 'median' in t && t.median > 0) scanRates[r.query] = rows / (t.median / 1000) / cores;
}

const concurrency: BenchReport['concurrency'] = {};
const connectMs: BenchReport['connectMs'] = {};
if (shared.node !== null) connectMs[WIRE] = await connectTime({ host: '127.0.0.1', port: shared.node.pgPort, user: 'admin', database: 'nemeton' });
if (postgres?.server) connectMs.PostgreSQL = await connectTime({ connectionString: postgres.server.url });
if (!values['no-mix']) {
  const mix = druidMix(dataset);
  const targets: [string, 'nemeton' | 'postgres', { host: string; port: number; user: string; database: string } | null][] = [
    [WIRE, 'nemeton', shared.node ? { host: '127.0.0.1', port: shared.node.pgPort, user: 'admin', database: 'nemeton' } : null],
    ['PostgreSQL', 'postgres', postgres?.server ? { host: '127.0.0.1', port: postgres.server.port, user: postgres.server.user, database: postgres.server.database } : null],
  ];
  for (const [name, dialect, target] of targets) {
    if (target === null) continue;
    log(`Druid mix on ${name}: ${clients.join(', ')} clients × ${mixSeconds} s`);
    try {
      concurrency[name] = await runMix(target, mix, dialect, clients, mixSeconds);
      for (const r of concurrency[name] as { clients: number; tps: number; p50: number; p99: number }[]) log(`  ${r.clients} clients: ${r.tps.toFixed(1)} tps, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
    } catch (e) {
      concurrency[name] = { error: (e as Error).message.slice(0, 300) };
      log(`  failed: ${(e as Error).message.slice(0, 300)}`);
    }
  }
}

for (const p of active) await p.close();
await shared.stop();

const report: BenchReport = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  cores,
  command: `npm run bench${process.argv.slice(2).filter((a) => a !== '--readme' && a !== '--no-readme').length > 0 ? ` -- ${process.argv.slice(2).filter((a) => a !== '--readme' && a !== '--no-readme').join(' ')}` : ''}`,
  rows, days, ssbScaleFactor: ssbSf, ssbRows: ssbRowTotal, load, queries: results, scanRates, concurrency, connectMs,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
const names = [REFERENCE, ...peers.map((p) => p.name)];
const md = toMarkdown(report, names);
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2));
writeFileSync(join(dir, 'latest.md'), md + '\n');
writeFileSync(join(dir, 'latest.svg'), toSvg(report, names));
// The plain quick run refreshes the README; other runs only when asked.
const writeReadme = values['no-readme'] !== true && (values.readme === true || process.argv.slice(2).length === 0);
if (writeReadme) updateReadmeSection(join(import.meta.dirname, '..', 'README.md'), md, report.command);
process.stdout.write(md + '\n');
process.exit(0);
