/** The decoded-data cache: byte bound under any sequence of operations, second-chance eviction, held entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteLruCache } from '../../storage/block-cache.ts';

test('used bytes never exceed the bound and equal the sizes of the entries still held', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 200 }),
    fc.array(fc.oneof(
      fc.record({ op: fc.constant('set' as const), k: fc.integer({ min: 0, max: 15 }), bytes: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ op: fc.constant('get' as const), k: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ op: fc.constant('entry' as const), k: fc.integer({ min: 0, max: 15 }), bytes: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ op: fc.constant('drop' as const), k: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ op: fc.constant('resize' as const), bytes: fc.integer({ min: 1, max: 200 }) }),
    ), { maxLength: 120 }),
    (max, ops) => {
      const c = new ByteLruCache(max);
      const sizes = new Map<string, number>();
      let bound = max;
      for (const o of ops) {
        if (o.op === 'set') { c.set(`k${o.k}`, o.k, o.bytes); sizes.set(`k${o.k}`, o.bytes); }
        else if (o.op === 'get') c.get(`k${o.k}`);
        else if (o.op === 'entry') {
          const e = c.entry(`k${o.k}`, () => o.k, () => o.bytes);
          assert.equal(e.value, o.k);
          if (!sizes.has(`k${o.k}`) || c.get(`k${o.k}`) !== undefined) sizes.set(`k${o.k}`, e.bytes);
        } else if (o.op === 'drop') c.dropPrefix(`k${o.k}`);
        else { c.resize(o.bytes); bound = o.bytes; }
        assert.ok(c.usedBytes <= bound, `used ${c.usedBytes} > ${bound}`);
      }
      let held = 0;
      let count = 0;
      for (const [k, b] of sizes) {
        const before = c.hits;
        if (c.get(k) !== undefined) { held += b; count++; }
        assert.ok(c.hits >= before);
      }
      assert.equal(c.usedBytes, held);
      assert.equal(c.size, count);
    },
  ), { numRuns: 400 });
});

test('a hit gives an entry a second chance; the least recently used unreferenced entry goes first', () => {
  const c = new ByteLruCache(100);
  c.set('a', 1, 30);
  c.set('b', 2, 30);
  c.set('c', 3, 30);
  c.get('a');
  c.set('d', 4, 30); // b is the oldest unreferenced entry
  assert.equal(c.get('b'), undefined);
  assert.deepEqual(['a', 'c', 'd'].map((k) => c.get<number>(k)), [1, 3, 4]);
});

test('a value just stored is not evicted before older entries, even when all of them were hit', () => {
  const c = new ByteLruCache(100);
  c.set('a', 1, 40);
  c.set('b', 2, 40);
  c.get('a');
  c.get('b');
  c.set('c', 3, 40);
  assert.equal(c.get('c'), 3);
  assert.equal(c.get('a'), undefined);
  assert.equal(c.get('b'), 2);
});

test('held entries: touch counts as a hit; eviction, drop and clear make them not live and release the value', () => {
  const c = new ByteLruCache(100);
  const a = c.entry('a', () => new Uint8Array(10), () => 50);
  assert.equal(a.live, true);
  const b = c.entry('b', () => new Uint8Array(10), () => 50);
  const hits = c.hits;
  assert.equal(c.touch(a), a.value);
  assert.equal(c.hits, hits + 1);
  c.set('c', 'x', 50); // b was never hit: it goes, a survives
  assert.equal(b.live, false);
  assert.equal(b.value, undefined);
  assert.equal(a.live, true);
  c.dropPrefix('a');
  assert.equal(a.live, false);
  assert.equal(a.value, undefined);
  const d = c.entry('d', () => 7, () => 10);
  c.clear();
  assert.equal(d.live, false);
  assert.equal(c.usedBytes, 0);
  // A value larger than the bound is computed and returned but not kept.
  const big = c.entry('big', () => 'v', () => 1000);
  assert.equal(big.value, 'v');
  assert.equal(big.live, false);
  assert.equal(c.get('big'), undefined);
});
