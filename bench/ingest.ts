/**
 * Ingestion throughput in events/s on one core (single thread), through
 * buildSegments (index + rollup + sort + serialize):
 *   (a) timestamp-only events (rollup at second granularity, count metric)
 *   (b) Wikipedia shape: the shared wikiticker sample (16 string dims, 3 longs), no rollup
 *   (c) 30 string dims + 19 metrics, synthetic, rollup at minute
 * Run: node --import tsx bench/ingest.ts [rows]   (no assertions; prints a table)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildSegments } from '../storage/build-segments.ts';
import type { DataSchema, IngestAggregator, InputRow } from '../storage/schema.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const T0 = Date.UTC(2024, 0, 1);

function measure(name: string, rows: InputRow[], schema: DataSchema): void {
  buildSegments(rows.slice(0, Math.min(rows.length, 20_000)), schema, { segmentVersion: 'warm' });
  const t = performance.now();
  const built = buildSegments(rows, schema, { segmentVersion: 'v' });
  const ms = performance.now() - t;
  const rate = Math.round(rows.length / (ms / 1000));
  console.log(`| ${name} | ${rows.length.toLocaleString('en')} | ${built.length} | ${ms.toFixed(0)} ms | ${rate.toLocaleString('en')} events/s |`);
}

console.log('| case | rows | segments | time | throughput |\n|---|---|---|---|---|');

// (a) timestamp only.
{
  const rows: InputRow[] = new Array(N);
  for (let i = 0; i < N; i++) rows[i] = { __time: T0 + i * 7 };
  measure('timestamp-only, rollup per second', rows, {
    dataSource: 'a', dimensionsSpec: { dimensions: [] , useSchemaDiscovery: false }, metricsSpec: [{ type: 'count', name: 'count' }],
    queryGranularity: 'second', segmentGranularity: 'hour', rollup: true,
  });
  measure('timestamp-only, no rollup', rows, {
    dataSource: 'a', dimensionsSpec: { dimensions: [], useSchemaDiscovery: false }, metricsSpec: [{ type: 'count', name: 'count' }],
    queryGranularity: 'none', segmentGranularity: 'hour', rollup: false,
  });
}

// (b) Wikipedia shape.
const wikiFile = path.resolve(import.meta.dirname, '../../shared/data/wikiticker-2015-09-12-sampled.json.gz');
if (fs.existsSync(wikiFile)) {
  const raw = zlib.gunzipSync(fs.readFileSync(wikiFile)).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const rows: InputRow[] = [];
  for (let rep = 0; rows.length < Math.min(N, 400_000); rep++) for (const r of raw) rows.push({ ...r, __time: Date.parse(r.time as string) + rep } as InputRow);
  const dims = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
  measure('wikipedia shape, no rollup', rows, {
    dataSource: 'w', dimensionsSpec: { dimensions: [...dims.map((name) => ({ name, type: 'string' as const })), { name: 'added', type: 'long' }, { name: 'deleted', type: 'long' }, { name: 'delta', type: 'long' }] },
    metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
  });
  measure('wikipedia shape, rollup per hour', rows, {
    dataSource: 'w', dimensionsSpec: { dimensions: ['channel', 'page', 'user', 'namespace', 'countryName'].map((name) => ({ name, type: 'string' as const })) },
    metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }, { type: 'longSum', name: 'delta', fieldName: 'delta' }],
    queryGranularity: 'hour', segmentGranularity: 'day', rollup: true,
  });
}

// (c) 30 dims + 19 metrics.
{
  const n = Math.min(N, 300_000);
  const cards = Array.from({ length: 30 }, (_, d) => [2, 5, 10, 50, 100, 1000, 10_000][d % 7]);
  const dictionaries = cards.map((c, d) => Array.from({ length: c }, (_, i) => `d${d}_v${i}`));
  const rows: InputRow[] = new Array(n);
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = { __time: T0 + Math.floor(i * 37) };
    for (let d = 0; d < 30; d++) r[`dim${d}`] = dictionaries[d][Math.floor(rnd() * cards[d])];
    for (let m = 0; m < 19; m++) r[`m${m}`] = Math.floor(rnd() * 1000);
    rows[i] = r as InputRow;
  }
  const metrics: IngestAggregator[] = [{ type: 'count', name: 'count' }];
  for (let m = 0; m < 18; m++) metrics.push({ type: m % 3 === 0 ? 'longSum' : m % 3 === 1 ? 'doubleSum' : 'longMax', name: `sum_m${m}`, fieldName: `m${m}` });
  measure('30 dims + 19 metrics, rollup per minute', rows, {
    dataSource: 'c', dimensionsSpec: { dimensions: Array.from({ length: 30 }, (_, d) => ({ name: `dim${d}`, type: 'string' as const })) },
    metricsSpec: metrics, queryGranularity: 'minute', segmentGranularity: 'day', rollup: true,
  });
}
