/**
 * Orders used when building segments: the incremental index's sorted
 * dictionary (a native sort, then a UTF-8 comparator pass when surrogates
 * occur) must equal sortUtf8 with a remap to match, and sortPermutation on
 * unsorted times with ties must equal a plain stable comparator sort.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StringDimIndexer } from '../../storage/incremental/string-dim-indexer.ts';
import { sortUtf8 } from '../../storage/dictionary-order.ts';
import { sortPermutation } from '../../storage/sort-rows.ts';

const strArb = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('\uD83D\uDE00', '\uFF21', '\uE000x', '\uD800', 'a\uDC00', 'Z', ''));

test('sorted dictionary: UTF-8 order with surrogates and U+E000..U+FFFF, null first, remap consistent', () => {
  fc.assert(fc.property(fc.array(fc.option(strArb, { nil: null }), { maxLength: 80 }), (values) => {
    const d = new StringDimIndexer('s');
    for (const v of values) d.idFor(v);
    const { dictionary, remap } = d.sortedDictionary();
    const distinct = [...new Set(values.filter((v): v is string => v !== null))];
    const expected: (string | null)[] = [...(values.includes(null) ? [null] : []), ...sortUtf8(distinct)];
    assert.deepEqual(dictionary, expected);
    for (let id = 0; id < d.values.length; id++) assert.equal(dictionary[remap[id]], d.values[id]);
  }), { numRuns: 300 });
});

test('sortPermutation: unsorted times with ties sort like a stable comparator on (time, ids)', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 3 })), { maxLength: 200 }), (rows) => {
    const n = rows.length;
    const time = Float64Array.from(rows, ([t]) => t * 1000);
    const ids = Int32Array.from(rows, ([, k]) => k);
    const perm = sortPermutation(n, time, [{ kind: 'ids', ids, cardinality: 4 }]);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || ids[a] - ids[b] || a - b);
    assert.deepEqual(Array.from(perm), expected);
    const perm2 = sortPermutation(n, time, [{ kind: 'num', values: Float64Array.from(rows, ([, k]) => -k), nulls: null }]);
    const expected2 = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || ids[b] - ids[a] || a - b);
    assert.deepEqual(Array.from(perm2), expected2);
  }), { numRuns: 300 });
});
