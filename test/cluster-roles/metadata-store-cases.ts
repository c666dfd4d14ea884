/** Metadata-store behaviour every implementation must show; run against SQLite and PostgreSQL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetadataStore, SegmentRecord } from '../../cluster/metadata/metadata-store.ts';
import type { ClusterStore } from '../../cluster/roles/cluster-store.ts';
import { migrations } from '../../cluster/metadata/migrations.ts';

export function segmentRecord(id: string, start: number, extra: Partial<SegmentRecord> = {}): SegmentRecord {
  return {
    id, dataSource: 'wiki', interval: { start, end: start + 86_400_000 }, version: 'v1', partitionNum: 0, numPartitions: 1,
    numRows: 10, sizeBytes: 100, loadSpec: { type: 'local', path: id }, payload: { sha256: 'x' }, used: true, createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

export interface StoreFactory {
  /** A fresh, empty store (metadata and cluster tables over the same database). */
  open(): Promise<{ metadata: MetadataStore; cluster: ClusterStore; close(): Promise<void> }>;
}

export function metadataStoreCases(name: string, factory: StoreFactory, skip: string | false): void {
  test(`${name}: schema version is the latest migration`, { skip }, async () => {
    const s = await factory.open();
    try {
      assert.equal(await s.metadata.schemaVersion(), migrations[migrations.length - 1].version);
    } finally {
      await s.close();
    }
  });

  test(`${name}: Kafka supervisors persist, update and commit metadata can be reset`, { skip }, async () => {
    const { metadata: store, close } = await factory.open();
    try {
      await store.upsertSupervisor!({ id: 'wiki', spec: { type: 'kafka' }, state: 'RUNNING', createdAt: 'a', updatedAt: 'a' });
      await store.upsertSupervisor!({ id: 'wiki', spec: { type: 'kafka', v: 2 }, state: 'SUSPENDED', createdAt: 'a', updatedAt: 'b' });
      assert.deepEqual(await store.supervisors!(), [{ id: 'wiki', spec: { type: 'kafka', v: 2 }, state: 'SUSPENDED', createdAt: 'a', updatedAt: 'b' }]);
      assert.equal(await store.publishSegments([segmentRecord('s1', 0)], { dataSource: 'wiki', expected: null, next: { offsets: 1 } }), true);
      await store.deleteCommitMetadata!('wiki');
      assert.equal(await store.commitMetadata('wiki'), null);
    } finally {
      await close();
    }
  });

  test(`${name}: segments publish atomically with commit metadata compare-and-set`, { skip }, async () => {
    const { metadata: store, close } = await factory.open();
    try {
      assert.equal(await store.publishSegments([segmentRecord('a', 0)], { dataSource: 'wiki', expected: null, next: { offsets: { 0: 5 } } }), true);
      assert.equal(await store.publishSegments([segmentRecord('b', 86_400_000)], { dataSource: 'wiki', expected: null, next: { offsets: { 0: 9 } } }), false);
      assert.deepEqual((await store.usedSegments('wiki')).map((s) => s.id), ['a']);
      assert.deepEqual(await store.commitMetadata('wiki'), { offsets: { 0: 5 } });
      assert.equal(await store.publishSegments([segmentRecord('b', 86_400_000)], { dataSource: 'wiki', expected: { offsets: { 0: 5 } }, next: { offsets: { 0: 9 } } }), true);
      assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['a', 'b']);
      await assert.rejects(store.publishSegments([segmentRecord('c', 0), segmentRecord('a', 0)]));
      assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['a', 'b']);
      assert.equal(await store.markUnused(['a', 'zzz']), 1);
      assert.deepEqual((await store.usedSegments()).map((s) => s.id), ['b']);
      const b = (await store.usedSegments('wiki'))[0];
      assert.deepEqual(b, segmentRecord('b', 86_400_000));
    } finally {
      await close();
    }
  });

  test(`${name}: concurrent compare-and-set publishes: exactly one wins`, { skip }, async () => {
    const { metadata: store, close } = await factory.open();
    try {
      const results = await Promise.all([0, 1, 2, 3].map((i) =>
        store.publishSegments([segmentRecord(`s${i}`, i * 86_400_000)], { dataSource: 'wiki', expected: null, next: { n: i } })));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await store.usedSegments()).length, 1);
    } finally {
      await close();
    }
  });

  test(`${name}: tasks, users, config and data sources round-trip`, { skip }, async () => {
    const { metadata: store, close } = await factory.open();
    try {
      await store.insertTask({ id: 't1', type: 'index_parallel', dataSource: 'wiki', status: 'RUNNING', createdAt: 'c', updatedAt: 'c', payload: { a: 1 }, report: null });
      await store.updateTask('t1', 'SUCCESS', { rows: 3 });
      assert.equal((await store.task('t1'))?.status, 'SUCCESS');
      assert.deepEqual((await store.task('t1'))?.report, { rows: 3 });
      assert.equal(await store.task('nope'), undefined);
      assert.equal((await store.tasks()).length, 1);
      await store.upsertUser({ name: 'admin', scramIterations: 4096, scramSalt: 's', scramStoredKey: 'k', scramServerKey: 'sk', md5Hash: 'm' });
      await store.upsertUser({ name: 'admin', scramIterations: 8192, scramSalt: 's', scramStoredKey: 'k', scramServerKey: 'sk', md5Hash: 'm' });
      assert.equal((await store.user('admin'))?.scramIterations, 8192);
      assert.equal((await store.users()).length, 1);
      await store.setConfig('k', { v: [1, 2] });
      assert.deepEqual(await store.getConfig('k'), { v: [1, 2] });
      assert.equal(await store.getConfig('absent'), undefined);
      await store.upsertDataSource({ name: 'wiki', createdAt: 'now', schema: { x: 1 } });
      await store.upsertDataSource({ name: 'wiki', createdAt: 'now', schema: { x: 2 } });
      assert.deepEqual((await store.dataSources()).map((d) => d.schema), [{ x: 2 }]);
    } finally {
      await close();
    }
  });

  test(`${name}: server heartbeats expire, served segments follow live servers, leases are exclusive`, { skip }, async () => {
    const { cluster, close } = await factory.open();
    try {
      const server = (n: string, expiresAt: number) => ({
        name: n, host: '127.0.0.1', httpPort: 1, roles: ['historical' as const], tier: '_default_tier', maxSize: 1000, heartbeatAt: 0, expiresAt,
      });
      await cluster.announceServer(server('h1', 100));
      await cluster.announceServer(server('h2', 200));
      await cluster.setServedSegments('h1', ['a', 'b']);
      await cluster.updateServedSegments('h2', ['a'], []);
      await cluster.updateServedSegments('h2', ['a', 'c'], ['zz']);
      assert.deepEqual((await cluster.liveServers(50)).map((s) => s.name), ['h1', 'h2']);
      assert.deepEqual((await cluster.liveServers(150)).map((s) => s.name), ['h2']);
      assert.deepEqual((await cluster.liveServers(150))[0].roles, ['historical']);
      assert.deepEqual(await cluster.servedSegments(150), [{ server: 'h2', segmentId: 'a' }, { server: 'h2', segmentId: 'c' }]);
      assert.equal((await cluster.servedSegments(50)).length, 4);
      await cluster.unannounceServer('h2');
      assert.deepEqual(await cluster.servedSegments(150), []);

      assert.equal(await cluster.tryAcquireLease('coordinator', 'c1', 1000, 100), true);
      assert.equal(await cluster.tryAcquireLease('coordinator', 'c2', 1050, 100), false);
      assert.equal(await cluster.leaseHolder('coordinator', 1050), 'c1');
      assert.equal(await cluster.tryAcquireLease('coordinator', 'c1', 1090, 100), true); // renewal
      assert.equal(await cluster.tryAcquireLease('coordinator', 'c2', 1150, 100), false);
      assert.equal(await cluster.tryAcquireLease('coordinator', 'c2', 1200, 100), true); // expired: taken over
      await cluster.releaseLease('coordinator', 'c1'); // not the holder: no effect
      assert.equal(await cluster.leaseHolder('coordinator', 1210), 'c2');
      await cluster.releaseLease('coordinator', 'c2');
      assert.equal(await cluster.leaseHolder('coordinator', 1210), null);

      await cluster.setRules('wiki', [{ type: 'dropForever' }]);
      await cluster.setRules('wiki', [{ type: 'loadForever', tieredReplicants: { hot: 1 } }]);
      assert.deepEqual((await cluster.allRules()).get('wiki'), [{ type: 'loadForever', tieredReplicants: { hot: 1 } }]);
    } finally {
      await close();
    }
  });
}
