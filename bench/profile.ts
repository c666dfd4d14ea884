/**
 * Runs one benchmark query many times against an in-process Nemeton node, for
 * `node --cpu-prof --import tsx bench/profile.ts --query 'topN' --iters 200`.
 * The loaded data directory is kept in --data-dir so re-runs skip ingestion.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchSchema, makeDataset } from './lib/dataset.ts';
import { benchQueries, ssbQueries } from './lib/queries.ts';
import { generateSsb, ssbSchema } from './lib/ssb.ts';
import { resolveConfig } from '../server/config.ts';
import { startNode } from '../server/node.ts';


const { values } = parseArgs({ options: { rows: { type: 'string' }, days: { type: 'string' }, query: { type: 'string' }, iters: { type: 'string' }, 'data-dir': { type: 'string' }, workers: { type: 'string' }, sql: { type: 'string' }, 'ssb-sf': { type: 'string' } } });
const rows = Number(values.rows ?? 1_000_000);
const days = Number(values.days ?? 3);
const dir = values['data-dir'] ?? `/tmp/nemeton-profile-${rows}-ssb`;
const iters = Number(values.iters ?? 100);
const fresh = !existsSync(dir);
const dataset = makeDataset(rows, days);
const node = await startNode(resolveConfig({}, { dataDir: dir, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: values.workers ? Number(values.workers) : 0 }));
if (fresh) {
  await node.ingestion.ingestRows(benchSchema(), dataset.rows, {});
  await node.ingestion.ingestRows(ssbSchema(), generateSsb(Number(values['ssb-sf'] ?? 0.1)), {});
}
node.markReady();
const all = [...benchQueries(dataset), ...ssbQueries()];
const qs = values.sql ? [{ name: 'sql', nemeton: values.sql }] : all.filter((q) => values.query === undefined || q.name.includes(values.query));
const session = { queryContext: {}, user: 'bench', database: 'nemeton', settings: new Map() };
for (const q of qs) {
  let n = 0;
  const t0 = performance.now();
  const samples: number[] = [];
  for (let i = 0; i < iters; i++) {
    const s = performance.now();
    const r = await node.sql.execute(q.nemeton, [], session);
    for await (const _ of r.rows) n++;
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  process.stderr.write(`${q.name}: median ${samples[samples.length >> 1].toFixed(2)} ms min ${samples[0].toFixed(2)} (rows ${n / iters}) total ${(performance.now() - t0).toFixed(0)} ms\n`);
}
await node.stop();
process.exit(0);
