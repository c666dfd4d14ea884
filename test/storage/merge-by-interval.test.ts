/** Merging persisted pieces one segment interval at a time gives the very segments a whole-load merge gives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { mergeSegments, combineKindsOf } from '../../storage/merge/merge-segments.ts';
import { splitByGranularity } from '../../storage/merge/split-segments.ts';
import { mergeByInterval } from '../../storage/merge/merge-by-interval.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import type { BuiltSegment } from '../../storage/merge/split-segments.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function schema(rollup: boolean): DataSchema {
  return {
    dataSource: 'm',
    dimensionsSpec: { dimensions: [{ name: 'a', type: 'string' }, { name: 'tags', type: 'string' }, { name: 'n', type: 'long' }] },
    metricsSpec: rollup ? [{ type: 'count', name: 'cnt' }, { type: 'longSum', name: 'sum', fieldName: 'v' }, { type: 'doubleMax', name: 'mx', fieldName: 'v' }] : [],
    queryGranularity: rollup ? 'minute' : 'none', segmentGranularity: 'hour', rollup,
  };
}

/** Rows over five hours in shuffled order (so persisted pieces overlap in time), with repeats for rollup. */
function rows(count: number): InputRow[] {
  const out: InputRow[] = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < count; i++) {
    const hour = i % 7 === 3 ? 4 : Math.floor(rnd() * 3); // hour 3 stays empty
    out.push({
      __time: T0 + hour * HOUR + Math.floor(rnd() * 4) * 60_000,
      a: `v${Math.floor(rnd() * (hour === 4 ? 3 : 20))}`,
      tags: i % 5 === 0 ? ['x', `t${i % 3}`] : i % 11 === 0 ? null : `t${i % 4}`,
      n: i % 13 === 0 ? null : i % 6,
      v: i % 9,
    });
  }
  return out;
}

function pieces(s: DataSchema, input: InputRow[], dir: string): IncrementalIndex {
  const index = new IncrementalIndex(s, { maxRowsInMemory: 70, persistDir: dir, blockRows: 16 });
  for (const r of input) index.add(r);
  return index;
}

function assertSameSegments(a: BuiltSegment[], b: BuiltSegment[]): void {
  assert.deepEqual(a.map((x) => x.id), b.map((x) => x.id));
  for (let i = 0; i < a.length; i++) assert.ok(Buffer.from(a[i].bytes).equals(Buffer.from(b[i].bytes)), `segment ${i} differs`);
}

for (const rollup of [false, true]) {
  test(`mergeByInterval equals merge-then-split (rollup ${rollup}), dynamic and hashed partitioning`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-merge-interval-'));
    try {
      const s = schema(rollup);
      const index = pieces(s, rows(400), dir);
      const segs = index.segments();
      assert.ok(index.persistedCount >= 4, 'the rows were persisted in several pieces');
      const opts = { rollup, combine: combineKindsOf(s.metricsSpec), metricsSpec: s.metricsSpec };
      for (const partitioning of [undefined, 25, { type: 'hashed' as const, numShards: 3 }]) {
        const whole = splitByGranularity(mergeSegments(segs, opts), 'm', 'hour', 'v1', 16, partitioning);
        const byInterval = mergeByInterval(segs, opts, 'm', 'hour', 'v1', 16, partitioning);
        assert.ok(whole.length >= 4);
        assertSameSegments(byInterval, whole);
      }
      const all = mergeByInterval(segs, opts, 'm', 'all', 'v1', 16);
      assertSameSegments(all, splitByGranularity(mergeSegments(segs, opts), 'm', 'all', 'v1', 16));
      index.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('handoff of a persisted index gives the segments of a load that never persisted', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-merge-interval-'));
  try {
    const s = schema(true);
    const input = rows(300);
    const persisted = pieces(s, input, dir);
    assert.ok(persisted.persistedCount > 0);
    const inMemory = new IncrementalIndex(s, { blockRows: 16 });
    for (const r of input) inMemory.add(r);
    assertSameSegments(persisted.handoff('v2'), inMemory.handoff('v2'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
