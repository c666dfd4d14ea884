/** Peers load regenerated rows (nothing shared in memory): every regeneration gives the same rows as the materialised list. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset } from '../../bench/lib/dataset.ts';
import { generateSsb, ssbRowCount, ssbRows, ssbSchema } from '../../bench/lib/ssb.ts';
import { tableFromSchema, wikipediaTable } from '../../bench/lib/tables.ts';

test('dataset and tables regenerate identical rows per loader; typed arrays match them', () => {
  const d = makeDataset(2000, 2);
  const t = wikipediaTable(d);
  assert.equal(t.rowCount, 2000);
  const a = [...t.eachRow()];
  const b = [...t.eachRow()];
  assert.deepEqual(a, b);
  assert.deepEqual(a, d.rows);
  for (const i of [0, 7, 1999]) {
    assert.equal(d.time[i], a[i].__time);
    assert.equal(d.metrics.score[i], a[i].score);
    assert.equal(d.dims.channel.dictionary[d.dims.channel.ids[i]], a[i].channel ?? null);
  }
  const ssb = tableFromSchema(ssbSchema(), { count: ssbRowCount(0.001), generate: () => ssbRows(0.001) });
  assert.equal(ssb.rowCount, 6000);
  assert.deepEqual([...ssb.eachRow()], generateSsb(0.001));
  assert.equal(ssb.rows.length, 6000);
});
