import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { skipUnlessInstalled } from '../support/components.ts';
import { startKafka, type KafkaServer } from '../support/kafka.ts';
import { storedOffsets } from '../../cluster/kafka/kafka-offsets.ts';
import { createPlatformaticRecordSupplier } from '../../cluster/kafka/platformatic-record-supplier.ts';
import { event, kafkaSpec, openStack, produce, visibleIds, visibleRows, waitFor } from './fixtures.ts';

const skip = skipUnlessInstalled('kafka');
let kafka: KafkaServer;

before(async () => {
  if (skip) return;
  kafka = await startKafka({ topics: [
    { name: 'live', partitions: 3 }, { name: 'restart', partitions: 3 }, { name: 'dirty', partitions: 2 }, { name: 'persist', partitions: 2 },
  ] });
}, { timeout: 90000 });
after(async () => { await kafka?.stop(); });

async function brokerCount(topic: string, partitions: number[]): Promise<number> {
  const s = createPlatformaticRecordSupplier({ bootstrapServers: [kafka.bootstrap] });
  s.assign(topic, partitions);
  const latest = await s.latestOffsets();
  await s.close();
  return [...latest.values()].reduce((a, b) => a + b, 0);
}

test('events are queryable at once, hand-off publishes segments and offsets together', { skip, timeout: 60000 }, async () => {
  const stack = await openStack();
  try {
    await stack.manager.submit(kafkaSpec('live', 'live', kafka.bootstrap));
    await waitFor(() => stack.manager.status('live').payload !== undefined && (stack.manager.status('live').payload as { state: string }).state === 'RUNNING', 10000, 'RUNNING');
    const N = 3000;
    await produce(kafka.bootstrap, 'live', Array.from({ length: N }, (_, i) => event(i)), 3);
    assert.equal(await brokerCount('live', [0, 1, 2]), N);
    const ms = await waitFor(() => visibleRows(stack.segments, 'live') === N, 5000, `${N} rows visible`);
    assert.ok(ms < 2000, `visible after ${ms} ms`);

    // One more event: produce → visible latency.
    const t0 = Date.now();
    await produce(kafka.bootstrap, 'live', [event(N)], 3);
    const lat = await waitFor(() => visibleRows(stack.segments, 'live') === N + 1, 3000, 'one more row');
    assert.ok(Date.now() - t0 < 1000, `single event visible after ${Date.now() - t0} ms (wait ${lat})`);
    assert.equal(await stack.metadata.commitMetadata('live'), null, 'nothing committed before hand-off');

    await stack.manager.handoff('live');
    const used = await stack.metadata.usedSegments('live');
    assert.ok(used.length > 0);
    assert.equal(used.reduce((n, s) => n + s.numRows, 0), N + 1, 'published rows');
    const offsets = storedOffsets(await stack.metadata.commitMetadata('live'), 'live');
    assert.equal([...offsets.values()].reduce((a, b) => a + b, 0), N + 1, 'committed offsets cover every event');
    assert.deepEqual([...offsets.keys()].sort(), [0, 1, 2]);
    // Served from published segments now, not twice.
    assert.equal(visibleRows(stack.segments, 'live'), N + 1);
    assert.equal(new Set(visibleIds(stack.segments, 'live')).size, N + 1);
    const status = stack.manager.status('live').payload as { rowStats: { processed: number }; activeTasks: unknown[] };
    assert.equal(status.rowStats.processed, N + 1);
    assert.equal(status.activeTasks.length, 2);
    assert.deepEqual(stack.manager.sysSupervisorsRows().map((r) => [r.supervisor_id, r.state, r.healthy, r.source]), [['live', 'RUNNING', 1, 'live']]);
  } finally {
    await stack.close();
  }
});

test('a restart resumes at the committed offsets: no loss, no duplicates; supervisors persist', { skip, timeout: 60000 }, async () => {
  const first = await openStack();
  await first.manager.submit(kafkaSpec('restart', 'restart', kafka.bootstrap, { io: { taskCount: 3 } }));
  await produce(kafka.bootstrap, 'restart', Array.from({ length: 900 }, (_, i) => event(i)), 3);
  await waitFor(() => visibleRows(first.segments, 'restart') === 900, 5000, '900 rows');
  await first.manager.handoff('restart');
  // Unpublished rows at a stop are handed off by stop().
  await produce(kafka.bootstrap, 'restart', Array.from({ length: 300 }, (_, i) => event(900 + i)), 3);
  await waitFor(() => visibleRows(first.segments, 'restart') === 1200, 5000, '1200 rows');
  await first.close();

  await produce(kafka.bootstrap, 'restart', Array.from({ length: 300 }, (_, i) => event(1200 + i)), 3);
  const second = await openStack(first.dir);
  try {
    assert.equal(visibleRows(second.segments, 'restart'), 1200, 'published data served after restart');
    await second.manager.start();
    assert.deepEqual(second.manager.ids(), ['restart']);
    await waitFor(() => visibleRows(second.segments, 'restart') === 1500, 5000, '1500 rows after restart');
    const ids = visibleIds(second.segments, 'restart');
    assert.equal(ids.length, 1500);
    assert.equal(new Set(ids).size, 1500);

    // Suspend publishes and stops; resume continues; terminate removes it from the list.
    await second.manager.suspend('restart');
    assert.equal((await second.metadata.usedSegments('restart')).reduce((n, s) => n + s.numRows, 0), 1500);
    assert.equal(second.manager.sysSupervisorsRows()[0].suspended, 1);
    await second.manager.resume('restart');
    await second.manager.terminate('restart');
    assert.deepEqual(second.manager.ids(), []);
    assert.deepEqual((await second.metadata.supervisors!()).map((r) => [r.id, r.state]), [['restart', 'TERMINATED']]);
  } finally {
    await second.close();
  }
});

test('late and unparseable events are counted and dropped; reset re-reads from the earliest offset', { skip, timeout: 60000 }, async () => {
  const stack = await openStack();
  try {
    await stack.manager.submit(kafkaSpec('dirty', 'dirty', kafka.bootstrap, { io: { taskCount: 1, lateMessageRejectionPeriod: 'PT1H' } }));
    const now = Date.now();
    const values = [
      event(1, now), event(2, now),
      JSON.stringify({ ts: now - 3 * 3600_000, id: 'late', page: 'x', added: 1 }),
      '{not json', '[1,2]', JSON.stringify({ id: 'no-time', page: 'x' }),
      event(3, now),
    ];
    await produce(kafka.bootstrap, 'dirty', values, 2);
    await waitFor(() => {
      const s = (stack.manager.status('dirty').payload as { rowStats: { processed: number; thrownAway: number; unparseable: number } }).rowStats;
      return s.processed + s.thrownAway + s.unparseable === 7;
    }, 5000, 'all 7 messages accounted');
    const payload = stack.manager.status('dirty').payload as { rowStats: { processed: number; thrownAway: number; unparseable: number }; unparseableEvents: string[] };
    assert.deepEqual({ ...payload.rowStats, processedBytes: 0 }, { processed: 3, processedBytes: 0, processedWithError: 0, thrownAway: 1, unparseable: 3 });
    assert.equal(payload.unparseableEvents.length, 3);
    assert.match(payload.unparseableEvents.join('\n'), /Unable to parse row|not a JSON object|Unparseable timestamp/);
    assert.equal(visibleRows(stack.segments, 'dirty'), 3);

    await stack.manager.handoff('dirty');
    assert.equal([...storedOffsets(await stack.metadata.commitMetadata('dirty'), 'dirty').values()].reduce((a, b) => a + b, 0), 7);
    await stack.manager.reset('dirty');
    assert.equal(await stack.metadata.commitMetadata('dirty'), null);
    // The published 3 rows stay; reading again from earliest adds the same 3 as fresh rows.
    await waitFor(() => visibleRows(stack.segments, 'dirty') === 6, 5000, 're-read after reset');
  } finally {
    await stack.close();
  }
});

test('memory stays bounded: rows past maxRowsInMemory are persisted and still queryable', { skip, timeout: 60000 }, async () => {
  const stack = await openStack();
  try {
    await stack.manager.submit(kafkaSpec('persist', 'persist', kafka.bootstrap, { io: { taskCount: 1 }, tuning: { maxRowsInMemory: 100 } }));
    await produce(kafka.bootstrap, 'persist', Array.from({ length: 1050 }, (_, i) => event(i)), 2);
    await waitFor(() => visibleRows(stack.segments, 'persist') === 1050, 5000, '1050 rows');
    const pieces = stack.segments.segmentsFor('persist', [{ start: -8.64e15, end: 8.64e15 }]);
    assert.ok(pieces.length >= 10, `persisted pieces: ${pieces.length}`);
    assert.ok(pieces.every((s) => s.numRows <= 100));
    await stack.manager.handoff('persist');
    const used = await stack.metadata.usedSegments('persist');
    assert.equal(used.reduce((n, s) => n + s.numRows, 0), 1050);
    assert.equal(new Set(visibleIds(stack.segments, 'persist')).size, 1050);
  } finally {
    await stack.close();
  }
});
