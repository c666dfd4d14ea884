/**
 * Parquet input through hyparquet: a parquet file written by a real writer
 * (hyparquet-writer when installed, else DuckDB's COPY ... (FORMAT PARQUET))
 * is ingested by a batch task with int64, double, string and null columns.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ingestionFixture, type IngestionFixture } from './service-fixture.ts';

let fx: IngestionFixture;
before(() => { fx = ingestionFixture(); });
after(() => fx.close());

const require = createRequire(import.meta.url);
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
const writer = installed('hyparquet-writer') ? 'hyparquet-writer' : installed('@duckdb/node-api') ? 'duckdb' : null;

/** Writes 1000 rows: ts (ISO string), shop (string, every 10th null), qty (BIGINT), price (DOUBLE). */
async function writeParquet(file: string): Promise<void> {
  if (writer === 'hyparquet-writer') {
    const mod = await import('hyparquet-writer' as string) as { parquetWriteFile(o: unknown): void };
    const n = 1000;
    mod.parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'ts', data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()), type: 'STRING' },
        { name: 'shop', data: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : `shop${i % 7}`)), type: 'STRING' },
        { name: 'qty', data: Array.from({ length: n }, (_, i) => BigInt(i)), type: 'INT64' },
        { name: 'price', data: Array.from({ length: n }, (_, i) => i / 4), type: 'DOUBLE' },
      ],
    });
    return;
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (
      SELECT strftime(TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE, '%Y-%m-%dT%H:%M:%SZ') AS ts,
             CASE WHEN i % 10 = 0 THEN NULL ELSE 'shop' || (i % 7) END AS shop,
             i::BIGINT AS qty, i / 4.0::DOUBLE AS price
      FROM range(1000) t(i)) TO '${file.replace(/'/g, "''")}' (FORMAT PARQUET)`);
  } finally {
    conn.closeSync?.();
  }
}

test('parquet file ingested through a batch task', { skip: writer === null ? 'no parquet writer installed (neither hyparquet-writer nor @duckdb/node-api); not installing one for a test' : false }, async () => {
  const file = join(fx.dir, 'orders.parquet');
  await writeParquet(file);
  assert.ok(existsSync(file));
  const r = await fx.runTask({
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: 'orders', timestampSpec: { column: 'ts', format: 'iso' }, dimensionsSpec: { dimensions: ['shop'] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'qty', fieldName: 'qty' }, { type: 'doubleSum', name: 'price', fieldName: 'price' }],
        granularitySpec: { segmentGranularity: 'hour', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { inputSource: { type: 'local', baseDir: fx.dir, filter: '*.parquet' }, inputFormat: { type: 'parquet' } },
    },
  });
  assert.equal(r.status, 'SUCCESS', r.payload.errorMsg);
  assert.equal(r.payload.rowStats.buildSegments.processed, 1000);
  assert.ok(r.payload.rowStats.buildSegments.processedBytes > 0);
  assert.equal(r.payload.segmentsPublished, 17, '1000 minutes span 17 hours');
  const [tot] = await fx.executor.run({ queryType: 'timeseries', dataSource: 'orders', intervals: ['2024/2025'], granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }, { type: 'longSum', name: 'qty', fieldName: 'qty' }, { type: 'doubleSum', name: 'price', fieldName: 'price' }] } as never) as { result: Record<string, number> }[];
  assert.deepEqual(tot.result, { rows: 1000, qty: 499_500, price: 499_500 / 4 });
  const groups = await fx.executor.run({ queryType: 'groupBy', dataSource: 'orders', intervals: ['2024/2025'], granularity: 'all', dimensions: ['shop'], aggregations: [{ type: 'count', name: 'rows' }] } as never) as { event: { shop: string | null; rows: number } }[];
  const byShop = new Map(groups.map((g) => [g.event.shop, g.event.rows]));
  assert.equal(byShop.get(null), 100);
  let expectShop1 = 0;
  for (let i = 0; i < 1000; i++) if (i % 10 !== 0 && i % 7 === 1) expectShop1++;
  assert.equal(byShop.get('shop1'), expectShop1);
});
