/**
 * The three event shapes of the ingestion benchmark (the (a), (b), (c)), each as records a
 * reader would produce (`ts` in epoch ms), with the schema every ingestion path uses (rollup off, so
 * rows == events and every path does the same work) and the SQL/EXTERN description of its columns.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DataSchema, DimensionSchema, IngestAggregator } from '../storage/schema.ts';

export interface Shape {
  readonly key: 'timestamp' | 'wikipedia' | 'wide';
  readonly title: string;
  /** Events per measured run by default. */
  readonly rows: number;
  /** Event i (a fresh object; `ts` is epoch ms). */
  record(i: number): Record<string, unknown>;
  /** Input columns (EXTERN signature), `ts` first. */
  readonly columns: readonly { readonly name: string; readonly type: 'string' | 'long' | 'double' }[];
  readonly dimensions: readonly DimensionSchema[];
  readonly metrics: readonly IngestAggregator[];
}

const T0 = Date.UTC(2024, 0, 1);

/** The schema of a shape's data source for batch and Kafka ingestion. */
export function shapeSchema(shape: Shape, dataSource: string): DataSchema {
  return {
    dataSource, dimensionsSpec: { dimensions: [...shape.dimensions], useSchemaDiscovery: false }, metricsSpec: [...shape.metrics],
    queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
  };
}

/** (a) Timestamp-only events: one count metric, no dimensions. */
const timestampShape: Shape = {
  key: 'timestamp', title: '(a) timestamp only', rows: 200_000,
  record: (i) => ({ ts: T0 + i * 7 }),
  columns: [{ name: 'ts', type: 'long' }],
  dimensions: [],
  metrics: [{ type: 'count', name: 'count' }],
};

const WIKI_STRINGS = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
const WIKI_LONGS = ['added', 'deleted', 'delta'];

/** (b) The Wikipedia edit shape: the shared wikiticker sample's records, repeated with shifted times (16 strings, 3 longs). */
function wikipediaShape(): Shape | null {
  const file = path.resolve(import.meta.dirname, '../../shared/data/wikiticker-2015-09-12-sampled.json.gz');
  if (!fs.existsSync(file)) return null;
  const raw = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const base = raw.map((r) => {
    const out: Record<string, unknown> = { ts: Date.parse(r.time as string) };
    // Text for every string field (the sample holds booleans and numbers in some), so SQL VALUES types stay uniform.
    for (const k of WIKI_STRINGS) out[k] = r[k] === null || r[k] === undefined ? null : String(r[k]);
    for (const k of WIKI_LONGS) out[k] = r[k];
    return out;
  });
  return {
    key: 'wikipedia', title: '(b) Wikipedia shape', rows: 100_000,
    record: (i) => ({ ...base[i % base.length], ts: (base[i % base.length].ts as number) + Math.floor(i / base.length) }),
    columns: [{ name: 'ts', type: 'long' }, ...WIKI_STRINGS.map((name) => ({ name, type: 'string' as const })), ...WIKI_LONGS.map((name) => ({ name, type: 'long' as const }))],
    dimensions: [...WIKI_STRINGS.map((name) => ({ name, type: 'string' as const })), ...WIKI_LONGS.map((name) => ({ name, type: 'long' as const }))],
    metrics: [],
  };
}

const CARDS = Array.from({ length: 30 }, (_, d) => [2, 5, 10, 50, 100, 1000, 10_000][d % 7]);
const DICTS = CARDS.map((c, d) => Array.from({ length: c }, (_, i) => `d${d}_v${i}`));
/** A deterministic pseudo-random value in [0, n) for (event, field). */
function pick(i: number, k: number, n: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return (h >>> 0) % n;
}

/** (c) 30 string dimensions (cardinalities 2..10,000) and 19 metrics (count + 18 sums/maxes of long inputs). */
const wideShape: Shape = {
  key: 'wide', title: '(c) 30 dims + 19 metrics', rows: 60_000,
  record: (i) => {
    const r: Record<string, unknown> = { ts: T0 + i * 37 };
    for (let k = 0; k < 30; k++) r[`dim${k}`] = DICTS[k][pick(i, k, CARDS[k])];
    for (let k = 0; k < 18; k++) r[`m${k}`] = pick(i, 100 + k, 1000);
    return r;
  },
  columns: [{ name: 'ts', type: 'long' }, ...Array.from({ length: 30 }, (_, k) => ({ name: `dim${k}`, type: 'string' as const })), ...Array.from({ length: 18 }, (_, k) => ({ name: `m${k}`, type: 'long' as const }))],
  dimensions: Array.from({ length: 30 }, (_, k) => ({ name: `dim${k}`, type: 'string' as const })),
  metrics: [{ type: 'count', name: 'count' }, ...Array.from({ length: 18 }, (_, k): IngestAggregator => ({ type: k % 3 === 0 ? 'longSum' : k % 3 === 1 ? 'doubleSum' : 'longMax', name: `sum_m${k}`, fieldName: `m${k}` }))],
};

/** The shapes available here (the Wikipedia one needs the shared sample). */
export function benchShapes(): Shape[] {
  const wiki = wikipediaShape();
  return wiki ? [timestampShape, wiki, wideShape] : [timestampShape, wideShape];
}
