/**
 * Ingestion throughput in events per CPU-second of this process (i.e. per core) for three event shapes
 * — (a) timestamp only, (b) the Wikipedia edit shape, (c) 30 dimensions + 19 metrics — through every
 * ingestion path on an in-process node:
 *   index only   the incremental index alone (rows as objects; the ceiling of the paths below)
 *   SQL VALUES   INSERT ... VALUES, 500 rows a statement (streaming insert, visible at once)
 *   SQL EXTERN   INSERT ... SELECT FROM TABLE(EXTERN(local JSON)) PARTITIONED BY DAY (segments published)
 *   batch JSON   an index_parallel task over the same file (segments published)
 *   Kafka        (--kafka) a supervisor reading a pre-filled 4-partition topic on a real broker
 * and, with --kafka, the produce → visible-in-a-query latency (median/p95/p99). Every path is warmed
 * up on a small run first and checked with COUNT(*). Writes bench/results/ingest.{md,json}.
 * Run: node --import tsx bench/ingest.ts [--kafka] [--scale F] [--shape timestamp|wikipedia|wide] [--samples N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../server/config.ts';
import { startNode } from '../server/node.ts';
import { benchShapes, type Shape } from './ingest-shapes.ts';
import { batchTask, countRows, indexOnly, sqlExtern, sqlValues, writeJsonFile, type Run } from './ingest-paths.ts';
import type { KafkaBench } from './ingest-kafka.ts';

const { values: args } = parseArgs({ options: { kafka: { type: 'boolean' }, scale: { type: 'string' }, shape: { type: 'string' }, samples: { type: 'string' } } });
const scale = Number(args.scale ?? 1);
const samples = Number(args.samples ?? 100);
const PATHS = ['index only', 'SQL VALUES', 'SQL EXTERN', 'batch JSON', ...(args.kafka ? ['Kafka'] : [])] as const;
type PathName = typeof PATHS[number];

const progress = (s: string) => process.stderr.write(`[ingest bench] ${s}\n`);
const shapes = benchShapes().filter((s) => args.shape === undefined || s.key === args.shape);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-bench-ingest-'));
const results: { shape: string; events: number; path: PathName; cpuMs: number; wallMs: number; eventsPerCpuSecond: number }[] = [];
let seq = 0;
let latency: { samples: number; medianMs: number; p95Ms: number; p99Ms: number } | null = null;

const node = await startNode(resolveConfig({}, { dataDir: path.join(dir, 'var'), pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 1 }));
let kafka: KafkaBench | null = null;
try {
  if (args.kafka) {
    progress('starting Kafka');
    const { startKafkaBench } = await import('./ingest-kafka.ts');
    kafka = await startKafkaBench([...shapes.map((s) => s.key), 'warm']);
    progress('Kafka warm-up (client library, supervisor start)');
    const { kafkaThroughput } = await import('./ingest-kafka.ts');
    await kafkaThroughput(node, kafka, shapes[0], 'kafka_warm', 2000, 'warm');
  }
  for (const shape of shapes) {
    const n = Math.max(1000, Math.round(shape.rows * scale));
    const warm = Math.min(n, 5000);
    const file = path.join(dir, `${shape.key}.json`);
    const warmFile = path.join(dir, `${shape.key}-warm.json`);
    writeJsonFile(shape, file, n);
    writeJsonFile(shape, warmFile, warm);
    for (const p of PATHS) {
      progress(`${shape.title}: ${p}, ${n.toLocaleString('en-US')} events`);
      const run = await runPath(p, shape, n, file, warmFile, warm);
      const rate = Math.round(n / (run.cpuMs / 1000));
      results.push({ shape: shape.title, events: n, path: p, cpuMs: Math.round(run.cpuMs), wallMs: Math.round(run.wallMs), eventsPerCpuSecond: rate });
      progress(`  ${rate.toLocaleString('en-US')} events/s/core (${run.cpuMs.toFixed(0)} ms CPU, ${run.wallMs.toFixed(0)} ms wall)`);
    }
  }
  if (kafka) {
    progress(`Kafka produce → visible latency, ${samples} samples`);
    const { kafkaLatency } = await import('./ingest-kafka.ts');
    const lat = await kafkaLatency(node, kafka, shapes.find((s) => s.key === 'wikipedia') ?? shapes[0], samples);
    const q = (f: number) => Math.round(lat[Math.min(lat.length - 1, Math.floor(f * lat.length))] * 10) / 10;
    latency = { samples, medianMs: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99) };
  }
} finally {
  await kafka?.stop();
  await node.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function runPath(p: PathName, shape: Shape, n: number, file: string, warmFile: string, warm: number): Promise<Run> {
  const ds = (tag: string) => `${shape.key}_${p.replace(/\W+/g, '_').toLowerCase()}_${tag}${seq++}`;
  if (p === 'index only') {
    await indexOnly(shape, warm);
    return indexOnly(shape, n);
  }
  if (p === 'Kafka') {
    const { kafkaThroughput } = await import('./ingest-kafka.ts');
    return kafkaThroughput(node, kafka!, shape, ds(''), n);
  }
  const one = p === 'SQL VALUES' ? (name: string, _f: string, count: number) => sqlValues(node, shape, name, count)
    : p === 'SQL EXTERN' ? (name: string, f: string) => sqlExtern(node, shape, name, f)
      : (name: string, f: string) => batchTask(node, shape, name, f);
  await one(ds('warm'), warmFile, warm);
  const name = ds('');
  const run = await one(name, file, n);
  const got = await countRows(node, name);
  if (got !== n) throw new Error(`${p} ${shape.key}: ${got} rows visible, expected ${n}`);
  return run;
}

const fmt = (x: number) => x.toLocaleString('en-US');
const lines = [
  `Ingestion, events per CPU-second of the ingesting process (per core); Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`,
  'Rollup off everywhere (rows == events); every path ends with its rows counted by a COUNT(*) query.',
  '',
  `| shape | events | ${PATHS.join(' | ')} |`,
  `|---|---:|${PATHS.map(() => '---:').join('|')}|`,
  ...[...new Set(results.map((r) => r.shape))].map((s) => {
    const rs = results.filter((r) => r.shape === s);
    return `| ${s} | ${fmt(rs[0].events)} | ${PATHS.map((p) => fmt(rs.find((r) => r.path === p)?.eventsPerCpuSecond ?? 0)).join(' | ')} |`;
  }),
  ...(latency ? ['', `Kafka produce → visible in a COUNT(*) query (${latency.samples} samples): median ${latency.medianMs} ms, p95 ${latency.p95Ms} ms, p99 ${latency.p99Ms} ms.`] : []),
];
console.log(lines.join('\n'));
const outDir = path.resolve(import.meta.dirname, 'results');
fs.writeFileSync(path.join(outDir, 'ingest.md'), `${lines.join('\n')}\n`);
fs.writeFileSync(path.join(outDir, 'ingest.json'), `${JSON.stringify({ node: process.version, cores: os.cpus().length, date: new Date().toISOString(), results, latency }, null, 2)}\n`);
