import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentCache } from '../../cluster/segment-cache.ts';
import { deepStorageKey, sha256 } from '../../cluster/segment-publisher.ts';
import type { SegmentRecord } from '../../cluster/metadata/metadata-store.ts';

test('local deep storage writes atomically and refuses keys that escape its root', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-deep-'));
  try {
    const deep = new LocalDeepStorage(dir);
    const spec = await deep.put('a/b/segment.nem', new Uint8Array([1, 2, 3]));
    assert.deepEqual([...(await deep.get(spec))], [1, 2, 3]);
    await assert.rejects(deep.put('../evil', new Uint8Array(1)), /escapes/);
    await deep.delete(spec);
    await assert.rejects(deep.get(spec));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segment cache verifies checksums and re-fetches a corrupted cached copy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-cache-'));
  try {
    const deep = new LocalDeepStorage(join(dir, 'deep'));
    const bytes = new Uint8Array([9, 8, 7, 6]);
    const id = { dataSource: 'wiki', interval: { start: 0, end: 1000 }, version: 'v1', partitionNum: 0 };
    const loadSpec = await deep.put(deepStorageKey(id), bytes);
    const record: SegmentRecord = {
      id: 'wiki_seg', dataSource: 'wiki', interval: id.interval, version: 'v1', partitionNum: 0, numPartitions: 1,
      numRows: 1, sizeBytes: 4, loadSpec, payload: { sha256: sha256(bytes) }, used: true, createdAt: 'x',
    };
    const cache = new SegmentCache(join(dir, 'cache'), deep);
    const loaded = await cache.load(record);
    assert.ok(loaded.buffer instanceof SharedArrayBuffer);
    assert.deepEqual([...loaded], [9, 8, 7, 6]);
    writeFileSync(join(dir, 'cache', 'wiki_seg.nem'), new Uint8Array([0, 0, 0, 0]));
    assert.deepEqual([...(await cache.load(record))], [9, 8, 7, 6]);
    // Corrupt deep storage copy: an error naming the segment, never wrong bytes.
    await deep.put(deepStorageKey(id), new Uint8Array([1]));
    await cache.drop(record);
    await assert.rejects(cache.load(record), /wiki_seg.*corrupt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
