import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { migrations } from '../../cluster/metadata/migrations.ts';
import type { SegmentRecord } from '../../cluster/metadata/metadata-store.ts';

function segment(id: string, start: number): SegmentRecord {
  return {
    id, dataSource: 'wiki', interval: { start, end: start + 86_400_000 }, version: 'v1', partitionNum: 0, numPartitions: 1,
    numRows: 10, sizeBytes: 100, loadSpec: { type: 'local', path: id }, payload: { sha256: 'x' }, used: true, createdAt: '2026-01-01T00:00:00.000Z',
  };
}

test('migrations run once and the schema version is the latest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-meta-'));
  try {
    const path = join(dir, 'metadata.db');
    const a = new SqliteMetadataStore(path);
    assert.equal(await a.schemaVersion(), migrations[migrations.length - 1].version);
    await a.upsertDataSource({ name: 'wiki', createdAt: 'now', schema: { x: 1 } });
    await a.close();
    const b = new SqliteMetadataStore(path); // reopening must not re-run migrations nor lose data
    assert.deepEqual((await b.dataSources()).map((d) => d.name), ['wiki']);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('segments publish atomically with commit metadata compare-and-set', async () => {
  const store = new SqliteMetadataStore(':memory:');
  assert.equal(await store.publishSegments([segment('a', 0)], { dataSource: 'wiki', expected: null, next: { offsets: { 0: 5 } } }), true);
  // A stale expectation writes nothing.
  assert.equal(await store.publishSegments([segment('b', 86_400_000)], { dataSource: 'wiki', expected: null, next: { offsets: { 0: 9 } } }), false);
  assert.deepEqual((await store.usedSegments('wiki')).map((s) => s.id), ['a']);
  assert.deepEqual(await store.commitMetadata('wiki'), { offsets: { 0: 5 } });
  assert.equal(await store.publishSegments([segment('b', 86_400_000)], { dataSource: 'wiki', expected: { offsets: { 0: 5 } }, next: { offsets: { 0: 9 } } }), true);
  assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['a', 'b']);
  // A duplicate id fails the whole transaction: nothing half-written.
  await assert.rejects(store.publishSegments([segment('c', 0), segment('a', 0)]));
  assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['a', 'b']);
  assert.equal(await store.markUnused(['a', 'zzz']), 1);
  assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['b']);
  await store.close();
});

test('tasks, users and config round-trip', async () => {
  const store = new SqliteMetadataStore(':memory:');
  await store.insertTask({ id: 't1', type: 'index_parallel', dataSource: 'wiki', status: 'RUNNING', createdAt: 'c', updatedAt: 'c', payload: { a: 1 }, report: null });
  await store.updateTask('t1', 'SUCCESS', { rows: 3 });
  assert.equal((await store.task('t1'))?.status, 'SUCCESS');
  assert.deepEqual((await store.task('t1'))?.report, { rows: 3 });
  assert.equal(await store.task('nope'), undefined);
  await store.upsertUser({ name: 'admin', scramIterations: 4096, scramSalt: 's', scramStoredKey: 'k', scramServerKey: 'sk', md5Hash: 'm' });
  assert.equal((await store.user('admin'))?.scramIterations, 4096);
  await store.setConfig('k', { v: [1, 2] });
  assert.deepEqual(await store.getConfig('k'), { v: [1, 2] });
  await store.close();
});
