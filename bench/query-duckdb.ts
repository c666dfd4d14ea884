/**
 * Engine speed against DuckDB (2 threads) in one process, interleaved run by
 * run so machine load hits both alike: per bench query, median ms of each and
 * their ratio (Nemeton in-process ÷ DuckDB).
 *   node --import tsx bench/query-duckdb.ts [--rows 1000000] [--days 3] [--ssb-sf 0.1] [--runs 21] [--query topN]
 */
import { parseArgs } from 'node:util';
import { makeDataset } from './lib/dataset.ts';
import { benchQueries, ssbQueries } from './lib/queries.ts';
import { duckdbPeer, nemetonPeers, NemetonNode } from './lib/peers.ts';
import { wikipediaTable, tableFromSchema, type BenchTable } from './lib/tables.ts';
import { generateSsb, ssbSchema } from './lib/ssb.ts';

const { values } = parseArgs({ options: { rows: { type: 'string' }, days: { type: 'string' }, 'ssb-sf': { type: 'string' }, runs: { type: 'string' }, query: { type: 'string' } } });
const rows = Number(values.rows ?? 1_000_000);
const days = Number(values.days ?? 3);
const runs = Number(values.runs ?? 21);
const sf = Number(values['ssb-sf'] ?? 0.1);
const dataset = makeDataset(rows, days);
const tables: BenchTable[] = [wikipediaTable(dataset)];
if (sf > 0) tables.push(tableFromSchema(ssbSchema(), generateSsb(sf)));
const queries = [...benchQueries(dataset), ...(sf > 0 ? ssbQueries() : [])].filter((q) => values.query === undefined || q.name.includes(values.query));
const shared = new NemetonNode();
const nemeton = nemetonPeers(shared)[0];
const duck = duckdbPeer(2);
await nemeton.load(tables);
await duck.load(tables);

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
process.stdout.write('| query | Nemeton ms | DuckDB(2) ms | ratio |\n|---|---:|---:|---:|\n');
for (const q of queries) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 3; i++) { await nemeton.run(q); await duck.run(q); }
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await nemeton.run(q);
    a.push(performance.now() - t);
    t = performance.now();
    await duck.run(q);
    b.push(performance.now() - t);
  }
  const ma = median(a), mb = median(b);
  process.stdout.write(`| ${q.name} | ${ma.toFixed(2)} | ${mb.toFixed(2)} | ${(ma / mb).toFixed(2)} |\n`);
}
await duck.close();
await shared.stop();
process.exit(0);
