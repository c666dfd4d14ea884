/** The bench loads Nemeton one segment interval at a time: every row lands in exactly one chunk of its bucket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalChunks } from '../../bench/lib/interval-chunks.ts';
import { makeDataset } from '../../bench/lib/dataset.ts';
import { ssbRows } from '../../bench/lib/ssb.ts';
import { truncate } from '../../storage/time/granularity.ts';
import type { InputRow } from '../../storage/schema.ts';

const DAY = 86_400_000;

/** Reads each chunk's rows before taking the next chunk (as a loader does). */
function collect(chunks: Iterable<{ bucket: number; seenBefore: boolean; rows: Iterable<InputRow> }>): { bucket: number; seenBefore: boolean; rows: InputRow[] }[] {
  const out: { bucket: number; seenBefore: boolean; rows: InputRow[] }[] = [];
  for (const c of chunks) out.push({ bucket: c.bucket, seenBefore: c.seenBefore, rows: [...c.rows] });
  return out;
}

test('time-ordered rows split into one chunk per bucket, in order, none lost', () => {
  const d = makeDataset(3000, 3);
  const chunks = collect(intervalChunks(d.eachRow(), 'day'));
  assert.equal(chunks.length, 3);
  assert.deepEqual(chunks.map((c) => c.bucket), [0, 1, 2].map((i) => d.dayStart + i * DAY));
  assert.ok(chunks.every((c) => !c.seenBefore && c.rows.every((r) => truncate(r.__time, 'day') === c.bucket)));
  assert.deepEqual(chunks.flatMap((c) => c.rows), d.rows);
  const years = collect(intervalChunks(ssbRows(0.001), 'year')).map((c) => [new Date(c.bucket).getUTCFullYear(), c.rows.length]);
  assert.deepEqual(years.map(([y]) => y), [1992, 1993, 1994, 1995, 1996, 1997, 1998]);
  assert.equal(years.reduce((a, [, n]) => a + n, 0), 6000);
});

test('rows out of time order start a new run of an earlier bucket, flagged seenBefore', () => {
  const rows: InputRow[] = [0, 1, DAY + 5, 2, DAY + 9, 2 * DAY].map((t) => ({ __time: t, v: t }));
  const got = collect(intervalChunks(rows, 'day')).map((c) => ({ bucket: c.bucket, seenBefore: c.seenBefore, times: c.rows.map((r) => r.__time) }));
  assert.deepEqual(got, [
    { bucket: 0, seenBefore: false, times: [0, 1] },
    { bucket: DAY, seenBefore: false, times: [DAY + 5] },
    { bucket: 0, seenBefore: true, times: [2] },
    { bucket: DAY, seenBefore: true, times: [DAY + 9] },
    { bucket: 2 * DAY, seenBefore: false, times: [2 * DAY] },
  ]);
});

test('a chunk left unread is skipped; an empty input gives no chunk; granularity all is one chunk', () => {
  const rows: InputRow[] = [0, 1, 2, DAY, DAY + 1].map((t) => ({ __time: t }));
  const seen: number[][] = [];
  for (const c of intervalChunks(rows, 'day')) {
    if (c.bucket === 0) {
      for (const r of c.rows) { seen.push([r.__time]); break; }
      continue;
    }
    seen.push([...c.rows].map((r) => r.__time));
  }
  assert.deepEqual(seen, [[0], [DAY, DAY + 1]]);
  assert.equal([...intervalChunks([], 'day')].length, 0);
  const all = collect(intervalChunks(rows, 'all'));
  assert.equal(all.length, 1);
  assert.equal(all[0].rows.length, 5);
  // Taking every chunk without reading any skips every row.
  assert.deepEqual([...intervalChunks(rows, 'day')].map((c) => [...c.rows].length), [0, 0]);
});
