import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperLogLog } from '../../storage/sketches/hll.ts';
import { hashString, hashDictionary } from '../../storage/sketches/hash.ts';
import { ByteLruCache } from '../../storage/block-cache.ts';
import { NemetonError } from '../../common/errors.ts';

test('estimates are within a few percent across magnitudes', () => {
  for (const n of [0, 1, 10, 100, 1000, 10_000, 200_000]) {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) h.add(hashString(`item-${i}`));
    const e = h.estimate();
    assert.ok(Math.abs(e - n) <= Math.max(2, n * 0.06), `n=${n} estimate=${e}`);
  }
});

test('merge is a union; serialize round-trips (sparse and dense)', () => {
  const a = new HyperLogLog();
  const b = new HyperLogLog();
  for (let i = 0; i < 5000; i++) a.add(hashString(`k${i}`));
  for (let i = 2500; i < 7500; i++) b.add(hashString(`k${i}`));
  const u = a.clone().merge(b);
  assert.ok(Math.abs(u.estimate() - 7500) < 7500 * 0.06);
  for (const h of [u, new HyperLogLog().add(hashString('one'))]) {
    const bytes = h.serialize();
    assert.deepEqual(HyperLogLog.deserialize(bytes).registers, h.registers);
  }
  assert.ok(new HyperLogLog().add(hashString('one')).serialize().length < 20, 'small sketches are sparse');
  assert.throws(() => HyperLogLog.deserialize(Uint8Array.of(9, 9, 9)), NemetonError);
});

test('typed-array kernels agree with add; nulls are skipped', () => {
  const dict = ['a', 'b', null, 'c'];
  const hashes = hashDictionary(dict);
  assert.equal(hashes[2], -1);
  const viaAll = new HyperLogLog().addAll(hashes);
  const viaAdd = new HyperLogLog();
  for (const v of dict) if (v !== null) viaAdd.add(hashString(v));
  assert.deepEqual(viaAll.registers, viaAdd.registers);
  assert.equal(hashString('abc'), hashString('abc'));
  assert.notEqual(hashString('abc'), hashString('abd'));
  assert.ok(Number.isSafeInteger(hashString('x')) && hashString('x') >= 0);
});

test('byte-bounded LRU evicts least recently used', () => {
  const c = new ByteLruCache(100);
  c.set('a', 1, 40);
  c.set('b', 2, 40);
  c.get('a');
  c.set('c', 3, 40);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.usedBytes, 80);
  c.set('huge', 4, 1000);
  assert.equal(c.get('huge'), undefined);
  c.dropPrefix('a');
  assert.equal(c.size, 1);
});
