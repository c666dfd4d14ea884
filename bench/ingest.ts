/**
 * Ingestion throughput in events/s on one core (single thread).
 * Index cases go through the incremental index (rollup + sort + serialize),
 * rows generated lazily as a reader would stream them (fixed-shape objects,
 * short-lived), so the numbers measure indexing, not the bench's heap:
 *   (a) timestamp-only events (rollup at second granularity, count metric; and no rollup)
 *   (b) Wikipedia shape: the shared wikiticker sample (16 string dims, 3 longs), no rollup / rollup per hour
 *   (c) 30 string dims + 19 metrics, synthetic, rollup per minute
 * End-to-end cases:
 *   (d) a batch JSON task through IngestionService (read file, parse, pipeline, index, publish)
 *   (e) SQL INSERT ... SELECT FROM TABLE(EXTERN(...)) on an in-process node
 * Run: node --import tsx bench/ingest.ts [rows] [case-filter]   (no assertions; prints a table)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { IncrementalIndex } from '../storage/incremental/incremental-index.ts';
import type { DataSchema, IngestAggregator, InputRow } from '../storage/schema.ts';
import { resolveConfig } from '../server/config.ts';
import { startNode } from '../server/node.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const FILTER = process.argv[3] ?? '';
const T0 = Date.UTC(2024, 0, 1);

/** CPU milliseconds (user + system) this process used since `from` — robust to a loaded machine, unlike wall time. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

function row(name: string, ms: number, cpu: number, n: number, segments: number): void {
  const rate = Math.round(n / (cpu / 1000));
  console.log(`| ${name} | ${n.toLocaleString('en')} | ${segments} | ${ms.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${rate.toLocaleString('en')} events/s |`);
}

function build(rows: Iterable<InputRow>, schema: DataSchema): number {
  const index = new IncrementalIndex(schema, { maxRowsInMemory: 4_000_000, maxBytesInMemory: 1024 * 1024 * 1024 });
  try {
    for (const r of rows) index.add(r);
    return index.handoff('v').length;
  } finally {
    index.close();
  }
}

function measure(name: string, rows: (n: number) => Iterable<InputRow>, n: number, schema: DataSchema): void {
  if (!name.includes(FILTER)) return;
  build(rows(Math.min(n, 20_000)), schema); // warm up
  const t = performance.now();
  const c = process.cpuUsage();
  const segments = build(rows(n), schema);
  row(name, performance.now() - t, cpuMs(c), n, segments);
}

console.log('| case | rows | segments | wall time | CPU time | throughput (per CPU second) |\n|---|---|---|---|---|---|');

// (a) timestamp only.
function* timestamps(n: number): Generator<InputRow> {
  for (let i = 0; i < n; i++) yield { __time: T0 + i * 7 };
}
measure('timestamp-only, rollup per second', timestamps, N, {
  dataSource: 'a', dimensionsSpec: { dimensions: [], useSchemaDiscovery: false }, metricsSpec: [{ type: 'count', name: 'count' }],
  queryGranularity: 'second', segmentGranularity: 'hour', rollup: true,
});
measure('timestamp-only, no rollup', timestamps, N, {
  dataSource: 'a', dimensionsSpec: { dimensions: [], useSchemaDiscovery: false }, metricsSpec: [{ type: 'count', name: 'count' }],
  queryGranularity: 'none', segmentGranularity: 'hour', rollup: false,
});

// (b) Wikipedia shape.
const wikiFile = path.resolve(import.meta.dirname, '../../shared/data/wikiticker-2015-09-12-sampled.json.gz');
if (fs.existsSync(wikiFile)) {
  const raw = zlib.gunzipSync(fs.readFileSync(wikiFile)).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const times = raw.map((r) => Date.parse(r.time as string));
  function* wiki(n: number): Generator<InputRow> {
    for (let i = 0; i < n; i++) yield { ...raw[i % raw.length], __time: times[i % raw.length] + Math.floor(i / raw.length) } as InputRow;
  }
  const n = Math.min(N, 400_000);
  const dims = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
  measure('wikipedia shape, no rollup', wiki, n, {
    dataSource: 'w', dimensionsSpec: { dimensions: [...dims.map((name) => ({ name, type: 'string' as const })), { name: 'added', type: 'long' }, { name: 'deleted', type: 'long' }, { name: 'delta', type: 'long' }] },
    metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
  });
  measure('wikipedia shape, rollup per hour', wiki, n, {
    dataSource: 'w', dimensionsSpec: { dimensions: ['channel', 'page', 'user', 'namespace', 'countryName'].map((name) => ({ name, type: 'string' as const })) },
    metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }, { type: 'longSum', name: 'delta', fieldName: 'delta' }],
    queryGranularity: 'hour', segmentGranularity: 'day', rollup: true,
  });
}

// (c) 30 dims + 19 metrics.
const CARDS = Array.from({ length: 30 }, (_, d) => [2, 5, 10, 50, 100, 1000, 10_000][d % 7]);
const DICTS = CARDS.map((c, d) => Array.from({ length: c }, (_, i) => `d${d}_v${i}`));
/** A fixed-shape object literal maker (as JSON.parse would give: one hidden class for all rows). */
const makeWide = new Function('t', 'd', 'm', `return { __time: t, ${Array.from({ length: 30 }, (_, i) => `dim${i}: d[${i}]`).join(', ')}, ${Array.from({ length: 19 }, (_, i) => `m${i}: m[${i}]`).join(', ')} };`) as (t: number, d: string[], m: number[]) => InputRow;
function* wide(n: number): Generator<InputRow> {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const d: string[] = new Array(30);
  const m: number[] = new Array(19);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 30; k++) d[k] = DICTS[k][Math.floor(rnd() * CARDS[k])];
    for (let k = 0; k < 19; k++) m[k] = Math.floor(rnd() * 1000);
    yield makeWide(T0 + i * 37, d, m);
  }
}
const wideMetrics: IngestAggregator[] = [{ type: 'count', name: 'count' }];
for (let m = 0; m < 18; m++) wideMetrics.push({ type: m % 3 === 0 ? 'longSum' : m % 3 === 1 ? 'doubleSum' : 'longMax', name: `sum_m${m}`, fieldName: `m${m}` });
const wideSchema: DataSchema = {
  dataSource: 'c', dimensionsSpec: { dimensions: Array.from({ length: 30 }, (_, d) => ({ name: `dim${d}`, type: 'string' as const })) },
  metricsSpec: wideMetrics, queryGranularity: 'minute', segmentGranularity: 'day', rollup: true,
};
measure('30 dims + 19 metrics, rollup per minute', wide, Math.min(N, 300_000), wideSchema);

// (d) + (e): end to end on an in-process node.
if ('batch JSON task (30 dims + 19 metrics)'.includes(FILTER) || 'SQL INSERT EXTERN (30 dims + 19 metrics)'.includes(FILTER)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-bench-ingest-'));
  try {
    const n = Math.min(N, 100_000);
    const file = path.join(dir, 'wide.json');
    const out = fs.openSync(file, 'w');
    let buf: string[] = [];
    for (const r of wide(n)) {
      buf.push(JSON.stringify({ ...r, __time: undefined, ts: new Date(r.__time).toISOString() }));
      if (buf.length === 10_000) { fs.writeSync(out, `${buf.join('\n')}\n`); buf = []; }
    }
    fs.writeSync(out, `${buf.join('\n')}\n`);
    fs.closeSync(out);
    const node = await startNode(resolveConfig({}, { dataDir: path.join(dir, 'var'), pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 1 }));
    try {
      if ('batch JSON task (30 dims + 19 metrics)'.includes(FILTER)) {
        const spec = (ds: string) => ({
          type: 'index_parallel',
          spec: {
            dataSchema: {
              dataSource: ds, timestampSpec: { column: 'ts', format: 'iso' }, dimensionsSpec: wideSchema.dimensionsSpec, metricsSpec: wideMetrics,
              granularitySpec: { segmentGranularity: 'day', queryGranularity: 'minute', rollup: true },
            },
            ioConfig: { inputSource: { type: 'local', files: [file] }, inputFormat: { type: 'json' } },
          },
        });
        await node.ingestion.waitForTask(await node.ingestion.submitTask(spec('warm')));
        const t = performance.now();
        const c = process.cpuUsage();
        const id = await node.ingestion.submitTask(spec('task'));
        await node.ingestion.waitForTask(id);
        row('batch JSON task (30 dims + 19 metrics)', performance.now() - t, cpuMs(c), n, (await node.metadata.usedSegments('task')).length);
      }
      if ('SQL INSERT EXTERN (30 dims + 19 metrics)'.includes(FILTER)) {
        const cols = [{ name: 'ts', type: 'string' }, ...Array.from({ length: 30 }, (_, i) => ({ name: `dim${i}`, type: 'string' })), ...Array.from({ length: 19 }, (_, i) => ({ name: `m${i}`, type: 'long' }))];
        const select = ['TIME_PARSE(ts) AS __time', ...Array.from({ length: 30 }, (_, i) => `dim${i}`), ...Array.from({ length: 19 }, (_, i) => `m${i}`)].join(', ');
        const sql = (ds: string) => `INSERT INTO ${ds} SELECT ${select} FROM TABLE(EXTERN('{"type":"local","files":["${file}"]}', '{"type":"json"}', '${JSON.stringify(cols)}')) PARTITIONED BY DAY`;
        const session = { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map<string, string>() };
        const t = performance.now();
        const c = process.cpuUsage();
        await node.sql.execute(sql('sqlins'), [], session);
        row('SQL INSERT EXTERN (30 dims + 19 metrics)', performance.now() - t, cpuMs(c), n, (await node.metadata.usedSegments('sqlins')).length);
      }
    } finally {
      await node.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
