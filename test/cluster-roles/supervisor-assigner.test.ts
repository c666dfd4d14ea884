/**
 * Supervisor assignment over a shared metadata store: each supervisor runs on
 * exactly one of several realtimes, a submission is taken by the realtime that
 * received it, a newer record restarts the supervisor where it runs, a
 * terminated one stops and frees its lease, and a realtime whose heartbeat
 * expires loses its supervisors to a live one. Orphaned tasks (runner gone)
 * are failed; other realtimes' running tasks are not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import type { SupervisorRecord, TaskRecord } from '../../cluster/metadata/metadata-store.ts';
import { SqliteClusterStore } from '../../cluster/roles/sqlite-cluster-store.ts';
import { SupervisorAssigner, supervisorLease, type AssignableSupervisors } from '../../cluster/roles/supervisor-assigner.ts';
import { failOrphanedTasks, isOrphanedTask } from '../../cluster/roles/orphaned-tasks.ts';

const TTL = 400;

/** Records what the assigner asks of one realtime's supervisors. */
class FakeSupervisors implements AssignableSupervisors {
  readonly running = new Map<string, string>();
  readonly adopted: string[] = [];
  async adopt(r: SupervisorRecord): Promise<void> {
    this.adopted.push(`${r.id}@${r.state}`);
    if (r.state === 'TERMINATED') this.running.delete(r.id);
    else this.running.set(r.id, r.updatedAt);
  }
  async release(id: string): Promise<void> { this.running.delete(id); }
  runningVersion(id: string): string | undefined { return this.running.get(id); }
  ids(): string[] { return [...this.running.keys()].sort(); }
}

let tmp = '';
let metadata: SqliteMetadataStore;
let cluster: SqliteClusterStore;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-assigner-'));
  metadata = new SqliteMetadataStore(join(tmp, 'metadata.db'));
  cluster = new SqliteClusterStore(join(tmp, 'metadata.db'));
});

after(async () => {
  cluster.close();
  await metadata.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function announce(name: string, ttl = TTL): Promise<void> {
  const now = Date.now();
  await cluster.announceServer({ name, host: '127.0.0.1', httpPort: Number(name.split(':')[1]), roles: ['realtime'], tier: '_default_tier', maxSize: 0, heartbeatAt: now, expiresAt: now + ttl });
}

let clock = 0;
async function putSupervisor(id: string, state: string): Promise<SupervisorRecord> {
  // Strictly increasing updatedAt, as successive real updates have.
  const t = new Date(Date.UTC(2024, 0, 1) + ++clock * 1000).toISOString();
  const record: SupervisorRecord = { id, spec: { type: 'kafka', ioConfig: { topic: id } }, state, createdAt: t, updatedAt: t };
  await metadata.upsertSupervisor(record);
  return record;
}

function realtime(name: string): { assigner: SupervisorAssigner; sups: FakeSupervisors } {
  const sups = new FakeSupervisors();
  const assigner = new SupervisorAssigner({ metadata, cluster, supervisors: sups, leaseTtlMs: TTL, periodMs: 60_000 });
  assigner.setName(name);
  return { assigner, sups };
}

test('each supervisor runs on exactly one realtime; both realtimes get some', async () => {
  const a = realtime('127.0.0.1:1001');
  const b = realtime('127.0.0.1:1002');
  await Promise.all([announce(a.assigner.self), announce(b.assigner.self)]);
  const ids = Array.from({ length: 12 }, (_, i) => `s${i}`);
  for (const id of ids) await putSupervisor(id, 'RUNNING');
  for (let round = 0; round < 2; round++) { await a.assigner.pass(); await b.assigner.pass(); }
  for (const id of ids) {
    const on = [a, b].filter((r) => r.sups.runningVersion(id) !== undefined).length;
    assert.equal(on, 1, `supervisor ${id} runs on ${on} realtimes`);
    assert.equal(await a.assigner.holder(id), a.sups.runningVersion(id) !== undefined ? a.assigner.self : b.assigner.self);
  }
  assert.ok(a.sups.ids().length > 0 && b.sups.ids().length > 0, `split ${a.sups.ids().length}/${b.sups.ids().length}`);
  // Terminate them all: every holder stops its supervisors and frees the leases.
  for (const id of ids) await putSupervisor(id, 'TERMINATED');
  await a.assigner.pass();
  await b.assigner.pass();
  assert.deepEqual([...a.sups.ids(), ...b.sups.ids()], []);
  for (const id of ids) assert.equal(await cluster.leaseHolder(supervisorLease(id), Date.now()), null);
});

test('a submission is taken by the realtime that received it; a newer record restarts it there', async () => {
  const a = realtime('127.0.0.1:2001');
  const b = realtime('127.0.0.1:2002');
  await Promise.all([announce(a.assigner.self), announce(b.assigner.self)]);
  // Whichever the hashing prefers, a claim by the receiving realtime wins a free lease.
  const first = await putSupervisor('clicks', 'RUNNING');
  await b.assigner.changed('clicks');
  await a.assigner.pass();
  assert.equal(b.sups.runningVersion('clicks'), first.updatedAt);
  assert.equal(a.sups.runningVersion('clicks'), undefined);
  // Suspended elsewhere (a newer record): the holder restarts it as recorded; the other still does not run it.
  const suspended = await putSupervisor('clicks', 'SUSPENDED');
  await a.assigner.pass();
  await b.assigner.pass();
  assert.equal(b.sups.runningVersion('clicks'), suspended.updatedAt);
  assert.deepEqual(b.sups.adopted, ['clicks@RUNNING', 'clicks@SUSPENDED']);
  assert.equal(a.sups.runningVersion('clicks'), undefined);
  // An equal (not newer) record changes nothing.
  await b.assigner.pass();
  assert.equal(b.sups.adopted.length, 2);
  await putSupervisor('clicks', 'TERMINATED');
  await b.assigner.pass();
});

test('when the holder stops heartbeating its supervisors move to a live realtime', async () => {
  const a = realtime('127.0.0.1:3001');
  const b = realtime('127.0.0.1:3002');
  await Promise.all([announce(a.assigner.self), announce(b.assigner.self)]);
  await putSupervisor('views', 'RUNNING');
  await a.assigner.changed('views');
  await b.assigner.pass();
  assert.ok(a.sups.runningVersion('views') !== undefined);
  assert.equal(b.sups.runningVersion('views'), undefined);
  // a goes silent (no more heartbeats or passes); b keeps beating and passing until it takes over.
  const deadline = Date.now() + 10_000;
  while (b.sups.runningVersion('views') === undefined && Date.now() < deadline) {
    await announce(b.assigner.self);
    await b.assigner.pass();
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(b.sups.runningVersion('views') !== undefined, 'b took the supervisor over');
  assert.equal(await b.assigner.holder('views'), b.assigner.self);
  // a comes back: it sees the lease is b's and stops its stale instance.
  await announce(a.assigner.self);
  await a.assigner.pass();
  assert.equal(a.sups.runningVersion('views'), undefined);
  assert.ok(b.sups.runningVersion('views') !== undefined);
  await putSupervisor('views', 'TERMINATED');
  await b.assigner.pass();
});

test('orphaned tasks are failed; live runners\' and runner-less tasks are left alone', async () => {
  const now = new Date().toISOString();
  const task = (id: string, runner: string | undefined, status: TaskRecord['status'] = 'RUNNING'): TaskRecord => ({
    id, type: 'query_controller', dataSource: 'd', status, createdAt: now, updatedAt: now, payload: runner === undefined ? {} : { runner }, report: null,
  });
  await metadata.insertTask(task('t-dead', '127.0.0.1:9'));
  await metadata.insertTask(task('t-live', '127.0.0.1:10'));
  await metadata.insertTask(task('t-none', undefined));
  await metadata.insertTask(task('t-done', '127.0.0.1:9', 'SUCCESS'));
  const live = new Set(['127.0.0.1:10']);
  assert.equal(isOrphanedTask(task('x', '127.0.0.1:9'), live), true);
  assert.equal(await failOrphanedTasks(metadata, live), 1);
  const byId = new Map((await metadata.tasks()).map((t) => [t.id, t]));
  assert.equal(byId.get('t-dead')!.status, 'FAILED');
  assert.match(String((byId.get('t-dead')!.report as { errorMsg?: string }).errorMsg), /127\.0\.0\.1:9/);
  assert.equal(byId.get('t-live')!.status, 'RUNNING');
  assert.equal(byId.get('t-none')!.status, 'RUNNING');
  assert.equal(byId.get('t-done')!.status, 'SUCCESS');
  assert.equal(await failOrphanedTasks(metadata, live), 0);
});
