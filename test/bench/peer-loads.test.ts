/** Peers' loads keep every row, type time as a timestamp, and leave rows in time order (in or out of order on input). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duckdbPeer, NemetonNode, nemetonPeers } from '../../bench/lib/peers.ts';
import { tableFromSchema } from '../../bench/lib/tables.ts';
import type { BenchQuery } from '../../bench/lib/queries.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const schema: DataSchema = {
  dataSource: 'events',
  dimensionsSpec: { dimensions: [{ name: 's', type: 'string' }, { name: 'n', type: 'long' }, { name: 'd', type: 'double' }] },
  metricsSpec: [], queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
};

function rows(shuffled: boolean): InputRow[] {
  const out: InputRow[] = [];
  for (let i = 0; i < 900; i++) out.push({ __time: T0 + Math.floor((i * 3 * DAY) / 900), s: i % 7 === 0 ? null : `v${i % 5}`, n: i, d: i / 4 });
  if (shuffled) out.push(out.splice(400, 100)[0], ...out.splice(10, 50));
  return out;
}

const query = (sql: string): BenchQuery => ({ name: sql, kind: 'scan', goal: 'par', nemeton: sql, duckdb: sql, postgres: sql, sqlite: sql });

for (const shuffled of [false, true]) {
  test(`DuckDB load: every row, TIMESTAMP time, rows in time order (input ${shuffled ? 'shuffled' : 'in order'})`, async () => {
    const input = rows(shuffled);
    const peer = duckdbPeer(1);
    await peer.load([tableFromSchema(schema, input)]);
    try {
      assert.equal(await peer.run(query('SELECT * FROM events')), input.length);
      assert.equal(await peer.run(query(`SELECT 1 FROM events WHERE __time = TIMESTAMP '2024-01-02 00:00:00' AND typeof(__time) = 'TIMESTAMP'`)), 1);
      assert.equal(await peer.run(query('SELECT 1 FROM events WHERE s IS NULL')), input.filter((r) => r.s === null).length);
      assert.equal(await peer.run(query('SELECT 1 FROM (SELECT __time, lag(__time) OVER (ORDER BY rowid) AS prev FROM events) WHERE prev > __time')), 0);
    } finally {
      await peer.close();
    }
  });
}

test('Nemeton load per segment interval: every row, one segment per day, out-of-order rows appended to their day', async () => {
  const node = new NemetonNode();
  const [inProcess] = nemetonPeers(node);
  const input = rows(true);
  try {
    await inProcess.load([tableFromSchema(schema, input)]);
    assert.equal(await inProcess.run(query('SELECT * FROM events')), input.length);
    assert.equal(await inProcess.run(query('SELECT COUNT(*) FROM events GROUP BY FLOOR(__time TO DAY)')), 3);
    const segments = await node.node!.sql.execute('SELECT COUNT(*) AS n FROM sys.segments WHERE datasource = \'events\'', [], { queryContext: {}, user: 'bench', database: 'nemeton', settings: new Map() });
    const counts: unknown[] = [];
    for await (const r of segments.rows) counts.push(r);
    // Days 0 and 1 get an appended partition for their out-of-order run.
    assert.deepEqual(counts, [[5]]);
  } finally {
    await node.stop();
  }
});
