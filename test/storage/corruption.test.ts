import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { NemetonError } from '../../common/errors.ts';
import { segmentCache } from '../../storage/block-cache.ts';
import type { DataSchema } from '../../storage/schema.ts';
import { readRows } from './helpers.ts';

const schema: DataSchema = {
  dataSource: 'c',
  dimensionsSpec: { dimensions: [{ name: 's', type: 'string' }, { name: 'mv', type: 'string' }, { name: 'f', type: 'float' }] },
  metricsSpec: [{ type: 'count', name: 'cnt' }, { type: 'longSum', name: 'x', fieldName: 'x' }, { type: 'hyperUnique', name: 'u', fieldName: 's' }],
  queryGranularity: 'none', segmentGranularity: 'all', rollup: false,
};
const rows = Array.from({ length: 40 }, (_, i) => ({
  __time: 1000 + i * 7, s: i % 5 === 0 ? null : `v${i % 7}`, mv: i % 3 === 0 ? ['a', 'b'] : 'c', f: i % 4 === 0 ? null : i / 2, x: i * 1000,
}));
const built = buildSegments(rows, schema, { blockRows: 8, segmentVersion: 'v1' })[0];
const good = JSON.stringify(readRows(openSegment(built.bytes, built.id)));

/** Opens and reads every column (and every bitmap); returns the rows as JSON. */
function readAll(bytes: Uint8Array): string {
  segmentCache.clear();
  const seg = openSegment(bytes, built.id);
  for (const d of seg.dimensions) {
    const c = seg.stringColumn(d)!;
    for (let id = 0; id < c.cardinality; id++) c.bitmap(id);
  }
  return JSON.stringify(readRows(seg));
}

function expectCorrupt(bytes: Uint8Array, where: string): void {
  try {
    const out = readAll(bytes);
    assert.fail(`no error for ${where}; rows ${out === good ? 'equal' : 'DIFFER'}`);
  } catch (e) {
    if (!(e instanceof NemetonError)) throw new Error(`${where}: not a NemetonError: ${String(e)}`);
    assert.match(e.message, /Segment \[c_/, `${where}: message names the segment`);
    assert.equal(e.sqlState, 'XX001');
  }
}

test('every single-byte flip is detected', () => {
  assert.equal(readAll(built.bytes), good);
  for (let pos = 0; pos < built.bytes.length; pos++) {
    const bad = built.bytes.slice();
    bad[pos] ^= 1 << (pos % 8);
    expectCorrupt(bad, `flip at ${pos}`);
  }
});

test('every truncation is detected', () => {
  for (let len = 0; len < built.bytes.length; len += 1) expectCorrupt(built.bytes.slice(0, len), `truncate to ${len}`);
});

test('appended garbage is detected', () => {
  const longer = new Uint8Array(built.bytes.length + 3);
  longer.set(built.bytes);
  expectCorrupt(longer, 'appended bytes');
});
