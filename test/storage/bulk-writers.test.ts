/**
 * The writer's bulk kernels must produce exactly the bytes of the per-item
 * path they replace: portable Roaring bitmaps written in place versus
 * serializePortable, dictionary strings encoded in one pass versus one
 * TextEncoder call each, and whole bitmap indexes versus addVarItems.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { serializePortable } from '../../storage/format/roaring-portable.ts';
import { portableBytes, writePortableBytes } from '../../storage/format/portable-bitmap-writer.ts';
import { addBitmapItems, addStringItems } from '../../storage/format/var-items-writer.ts';
import { BodyBuilder } from '../../storage/format/body-builder.ts';

/** Ascending distinct rows drawn from a mix of sparse and dense 64K chunks. */
const rowsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 1, max: 9000 })), { maxLength: 5 })
  .chain((chunks) => fc.constant(chunks))
  .map((chunks) => {
    const set = new Set<number>();
    for (const [key, seed, count] of chunks) {
      let x = seed;
      for (let i = 0; i < count; i++) {
        x = (Math.imul(x, 1103515245) + 12345) & 0xffff;
        set.add(key * 65536 + x);
      }
    }
    return Int32Array.from([...set].sort((a, b) => a - b));
  });

test('portable bitmaps written in place equal serializePortable (array and bitmap containers, several chunks)', () => {
  fc.assert(fc.property(rowsArb, fc.nat(), (rows, cut) => {
    const start = rows.length === 0 ? 0 : cut % rows.length;
    const expected = serializePortable(rows, start, rows.length);
    assert.equal(portableBytes(rows, start, rows.length), expected.length);
    const out = new Uint8Array(expected.length + 7);
    const end = writePortableBytes(rows, start, rows.length, out, 7);
    assert.equal(end, expected.length + 7);
    assert.deepEqual(Buffer.from(out.subarray(7)), Buffer.from(expected));
  }), { numRuns: 150 });
});

test('a bitmap index built in bulk equals one bitmap per id through addVarItems', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 200_000 }), fc.nat(), (card, numRows, seed) => {
    // Random ids per row, grouped by id with a counting sort (as the writer does).
    const ids = new Int32Array(numRows);
    let x = seed | 1;
    for (let r = 0; r < numRows; r++) {
      x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) | 1;
      ids[r] = ((x >>> 0) % card) < card / 3 ? 0 : (x >>> 0) % card;
    }
    const starts = new Int32Array(card + 1);
    for (let r = 0; r < numRows; r++) starts[ids[r] + 1]++;
    for (let i = 0; i < card; i++) starts[i + 1] += starts[i];
    const fill = starts.slice(0, card);
    const rows = new Int32Array(numRows);
    for (let r = 0; r < numRows; r++) rows[fill[ids[r]]++] = r;
    const bulk = new BodyBuilder();
    const perItem = new BodyBuilder();
    const a = addBitmapItems(bulk, starts, rows, card);
    const b = perItem.addVarItems(card, (id) => serializePortable(rows, starts[id], starts[id + 1]));
    assert.deepEqual(a, b);
    assert.deepEqual(Buffer.concat(bulk.parts), Buffer.concat(perItem.parts));
  }), { numRuns: 12 });
});

test('dictionary strings encoded in one pass equal per-item UTF-8 (non-ASCII, emoji, lone surrogates, empty)', () => {
  const utf8 = new TextEncoder();
  const strArb = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', 'é', '日本', '😀', '\ud800', 'a\udfffb', 'x'.repeat(70_000)));
  fc.assert(fc.property(fc.array(strArb, { maxLength: 300 }), fc.boolean(), (values, withNull) => {
    const dict: (string | null)[] = withNull ? [null, ...values] : values;
    const from = withNull ? 1 : 0;
    const bulk = new BodyBuilder();
    const perItem = new BodyBuilder();
    const a = addStringItems(bulk, dict, from);
    const b = perItem.addVarItems(dict.length - from, (i) => utf8.encode(dict[i + from] as string));
    assert.deepEqual(a, b);
    assert.deepEqual(Buffer.concat(bulk.parts), Buffer.concat(perItem.parts));
  }), { numRuns: 100 });
});
