/**
 * Storage benchmark: prints a markdown table of segment size, bitmap size,
 * build throughput and numeric decode throughput. No assertions.
 * Run: node --import tsx bench/storage.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { DuckDBTimestampMillisecondsValue } from '@duckdb/node-api';
import { buildSegments } from '../storage/build-segments.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import { segmentCache } from '../storage/block-cache.ts';
import type { DataSchema, InputRow } from '../storage/schema.ts';

const rowsOut: [string, string][] = [];
const ms = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

// 1. Wikiticker: bytes per row vs raw JSON.
const wikiFile = path.resolve(import.meta.dirname, '../../shared/data/wikiticker-2015-09-12-sampled.json.gz');
if (fs.existsSync(wikiFile)) {
  const text = zlib.gunzipSync(fs.readFileSync(wikiFile)).toString('utf8');
  const raw = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const rows = raw.map((r) => ({ ...r, __time: Date.parse(r.time as string) }));
  const dims = ['channel', 'cityName', 'comment', 'countryIsoCode', 'countryName', 'isAnonymous', 'isMinor', 'isNew', 'isRobot', 'isUnpatrolled', 'metroCode', 'namespace', 'page', 'regionIsoCode', 'regionName', 'user'];
  const schema: DataSchema = {
    dataSource: 'wikipedia',
    dimensionsSpec: { dimensions: [...dims.map((name) => ({ name, type: 'string' as const })), { name: 'added', type: 'long' }, { name: 'deleted', type: 'long' }, { name: 'delta', type: 'long' }] },
    metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
  };
  let built: ReturnType<typeof buildSegments> = [];
  const t = ms(() => { built = buildSegments(rows, schema, { segmentVersion: 'v' }); });
  const bytes = built.reduce((a, b) => a + b.bytes.length, 0);
  rowsOut.push(['wikiticker raw JSON bytes/row', (Buffer.byteLength(text) / rows.length).toFixed(1)]);
  rowsOut.push(['wikiticker gzip JSON bytes/row', (fs.statSync(wikiFile).size / rows.length).toFixed(1)]);
  rowsOut.push(['wikiticker segment bytes/row', (bytes / rows.length).toFixed(1)]);
  rowsOut.push(['wikiticker build rows/s (19 cols)', Math.round(rows.length / (t / 1000)).toLocaleString('en-US')]);
  // Bitmaps vs plain int arrays.
  const seg = openSegment(built[0].bytes, built[0].id);
  let bitmapBytes = 0;
  let intBytes = 0;
  for (const d of dims) {
    const c = seg.stringColumn(d)!;
    for (let id = 0; id < c.cardinality; id++) {
      const b = c.bitmap(id);
      bitmapBytes += b.getSerializationSizeInBytes('portable');
      intBytes += b.size * 4;
    }
  }
  rowsOut.push(['wikiticker bitmap bytes (portable roaring, uncompressed)', bitmapBytes.toLocaleString('en-US')]);
  rowsOut.push(['same rows as plain int32 arrays', intBytes.toLocaleString('en-US')]);
  rowsOut.push(['wikiticker DuckDB file bytes/row (same rows, checkpointed)', (await duckDbBytes(rows, dims) / rows.length).toFixed(1)]);
}

/** Size on disk of the same rows in a DuckDB database file, after a checkpoint. */
async function duckDbBytes(rows: readonly Record<string, unknown>[], dims: readonly string[]): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-duck-'));
  try {
    const file = path.join(dir, 'wiki.duckdb');
    const con = await (await DuckDBInstance.create(file)).connect();
    await con.run(`CREATE TABLE wikipedia (__time TIMESTAMP, ${dims.map((d) => `"${d}" VARCHAR`).join(', ')}, added BIGINT, deleted BIGINT, delta BIGINT)`);
    const app = await con.createAppender('wikipedia');
    for (const r of rows) {
      app.appendTimestampMilliseconds(new DuckDBTimestampMillisecondsValue(BigInt(r.__time as number)));
      for (const d of dims) { const v = r[d]; if (v === null || v === undefined) app.appendNull(); else app.appendVarchar(String(v)); }
      for (const m of ['added', 'deleted', 'delta']) app.appendBigInt(BigInt(Number(r[m] ?? 0)));
      app.endRow();
    }
    app.closeSync();
    await con.run('CHECKPOINT');
    con.closeSync();
    return fs.statSync(file).size;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// 2. Narrow rows build throughput.
const N = 1_000_000;
const channels = Array.from({ length: 50 }, (_, i) => `#ch${i}`);
const narrow: InputRow[] = new Array(N);
for (let i = 0; i < N; i++) narrow[i] = { __time: 1_442_016_000_000 + Math.floor(i * 86.4), channel: channels[i % 50], isRobot: i % 3 === 0 ? 'true' : 'false', added: i % 1000, delta: (i % 200) - 100 };
const narrowSchema = (rollup: boolean): DataSchema => ({
  dataSource: 'narrow',
  dimensionsSpec: { dimensions: [{ name: 'channel', type: 'string' }, { name: 'isRobot', type: 'string' }] },
  metricsSpec: [{ type: 'count', name: 'cnt' }, { type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'doubleSum', name: 'delta', fieldName: 'delta' }],
  queryGranularity: rollup ? 'minute' : 'none', segmentGranularity: 'day', rollup,
});
let narrowBuilt: ReturnType<typeof buildSegments> = [];
const tNo = ms(() => { narrowBuilt = buildSegments(narrow, narrowSchema(false), { segmentVersion: 'v' }); });
rowsOut.push(['narrow rows build rows/s (rollup off, 1M rows, 2 dims 3 metrics)', Math.round(N / (tNo / 1000)).toLocaleString('en-US')]);
const tRoll = ms(() => buildSegments(narrow, narrowSchema(true), { segmentVersion: 'v' }));
rowsOut.push(['narrow rows build rows/s (rollup minute)', Math.round(N / (tRoll / 1000)).toLocaleString('en-US')]);
const nb = narrowBuilt.reduce((a, b) => a + b.bytes.length, 0);
rowsOut.push(['narrow segment bytes/row', (nb / N).toFixed(2)]);

// 3. Numeric decode throughput.
const seg = openSegment(narrowBuilt[0].bytes, narrowBuilt[0].id);
for (const name of ['added', 'delta']) {
  const col = seg.numericColumn(name)!;
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    segmentCache.clear();
    best = Math.min(best, ms(() => col.values()));
  }
  const rawMB = (seg.numRows * 8) / 1e6;
  rowsOut.push([`decode ${name} (${seg.numRows.toLocaleString('en-US')} rows) MB/s of float64 output`, Math.round(rawMB / (best / 1000)).toLocaleString('en-US')]);
  const hot = ms(() => col.values());
  rowsOut.push([`hot (cached) values() ${name} ms`, hot.toFixed(3)]);
}

console.log('| measure | value |\n|---|---|');
for (const [k, v] of rowsOut) console.log(`| ${k} | ${v} |`);
