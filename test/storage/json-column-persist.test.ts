/** JSON-valued dimensions survive persisting mid-ingest and the merge at hand-off (they are dimensions, not metrics). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { jsonColumnReader } from '../../storage/json-column.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';

const schema = (rollup: boolean): DataSchema => ({
  dataSource: 'jp', queryGranularity: 'none', segmentGranularity: 'all', rollup,
  dimensionsSpec: { dimensions: [{ name: 'obj', type: 'json' }, { name: 'tags', type: 'auto', castToType: 'ARRAY<STRING>' }, { name: 'nums', type: 'auto', castToType: 'ARRAY<LONG>' }, { name: 's', type: 'string' }] },
  metricsSpec: [{ type: 'count', name: 'cnt' }],
});

/** Rows in shuffled time order with repeating JSON values (so pieces overlap and rollup has equal rows). */
function rows(n: number): InputRow[] {
  const out: InputRow[] = [];
  for (let i = 0; i < n; i++) {
    const t = ((i * 7) % 3) * 1000;
    out.push({
      __time: t, s: `s${i % 2}`,
      obj: i % 6 === 0 ? null : { k: i % 2, nested: { v: `x${i % 3}` } },
      tags: i % 4 === 0 ? null : [`t${i % 2}`, 'u'],
      nums: [i % 2, 7],
    });
  }
  return out;
}

/** Every row of the handed-off segments as [time, s, obj, tags, nums, cnt], sorted. */
function contents(index: IncrementalIndex): unknown[][] {
  const out: unknown[][] = [];
  for (const b of index.handoff('v1')) {
    const seg = openSegment(b.bytes, b.id);
    assert.equal(seg.column('obj')?.complexType, 'json');
    assert.equal(seg.column('tags')?.complexType, 'ARRAY<STRING>');
    assert.equal(seg.column('nums')?.complexType, 'ARRAY<LONG>');
    const obj = jsonColumnReader(seg.complexColumn('obj')!);
    const tags = jsonColumnReader(seg.complexColumn('tags')!);
    const nums = jsonColumnReader(seg.complexColumn('nums')!);
    const s = seg.stringColumn('s')!;
    const cnt = seg.numericColumn('cnt')!.values();
    const time = seg.time();
    for (let r = 0; r < seg.numRows; r++) out.push([time[r], s.value(r), obj(r), tags(r), nums(r), cnt[r]]);
  }
  return out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

for (const rollup of [false, true]) {
  test(`json and typed-array dimensions keep their values across persisted pieces (rollup ${rollup})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-json-persist-'));
    try {
      const input = rows(240);
      const persisted = new IncrementalIndex(schema(rollup), { maxRowsInMemory: 8, persistDir: dir, blockRows: 16 });
      for (const r of input) persisted.add(r);
      assert.ok(persisted.persistedCount >= 3, 'the rows were persisted in several pieces');
      const inMemory = new IncrementalIndex(schema(rollup), { blockRows: 16 });
      for (const r of input) inMemory.add(r);
      const got = contents(persisted);
      const want = contents(inMemory);
      assert.deepEqual(got, want);
      if (!rollup) {
        assert.equal(got.length, input.length);
        assert.ok(got.some((r) => r[2] !== null && (r[2] as { nested: { v: string } }).nested.v === 'x1'));
      } else {
        assert.ok(got.length < input.length, 'equal rows rolled up');
        assert.equal(got.reduce((a, r) => a + (r[5] as number), 0), input.length);
      }
      persisted.close();
      inMemory.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('an auto-typed array column inferred differently by two persisted pieces is widened, never truncated', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-json-widen-'));
  try {
    const s: DataSchema = {
      dataSource: 'jw', queryGranularity: 'none', segmentGranularity: 'all', rollup: false,
      dimensionsSpec: { dimensions: [{ name: 'nums', type: 'auto' }] }, metricsSpec: [{ type: 'count', name: 'cnt' }],
    };
    const index = new IncrementalIndex(s, { maxRowsInMemory: 4, persistDir: dir, blockRows: 16 });
    // The first piece sees only integers (ARRAY<LONG>), the second a fraction (ARRAY<DOUBLE>).
    for (let i = 0; i < 4; i++) index.add({ __time: i, nums: [i, 2] });
    for (let i = 4; i < 8; i++) index.add({ __time: i, nums: [i + 0.5] });
    assert.ok(index.persistedCount >= 1);
    const built = index.handoff('v1');
    assert.equal(built.length, 1);
    const seg = openSegment(built[0].bytes, built[0].id);
    assert.equal(seg.column('nums')?.complexType, 'ARRAY<DOUBLE>');
    const nums = jsonColumnReader(seg.complexColumn('nums')!);
    const values = Array.from({ length: seg.numRows }, (_, r) => nums(r));
    assert.deepEqual(values, [[0, 2], [1, 2], [2, 2], [3, 2], [4.5], [5.5], [6.5], [7.5]]);
    index.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
