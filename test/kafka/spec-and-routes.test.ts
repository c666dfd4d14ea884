import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { parseKafkaSupervisorSpec } from '../../cluster/kafka/kafka-supervisor-spec.ts';
import { createMessageParser } from '../../cluster/kafka/kafka-message-parser.ts';
import { storedOffsets, withOffsets } from '../../cluster/kafka/kafka-offsets.ts';
import { OffsetCommitter } from '../../cluster/kafka/offset-committer.ts';
import { registerSupervisorRoutes } from '../../server/http/supervisor-routes.ts';
import { Router } from '../../server/http/router.ts';
import { sendError } from '../../server/http/responses.ts';
import { kafkaSpec, openStack } from './fixtures.ts';

test('a full spec parses with Druid defaults and periods', () => {
  const s = parseKafkaSupervisorSpec(kafkaSpec('wiki', 'events', 'a:9092,b:9093', { io: { lateMessageRejectionPeriod: 'PT1H', taskDuration: 'PT10M' } }));
  assert.equal(s.id, 'wiki');
  assert.equal(s.topic, 'events');
  assert.deepEqual(s.bootstrapServers, ['a:9092', 'b:9093']);
  assert.equal(s.taskCount, 2);
  assert.equal(s.taskDurationMs, 600_000);
  assert.equal(s.lateMessageRejectionPeriodMs, 3_600_000);
  assert.equal(s.maxRowsInMemory, 1000);
  assert.equal(s.dataSchema.segmentGranularity, 'hour');
  assert.equal(s.rowSpec.timestampSpec.column, 'ts');
});

test('bad specs fail with messages naming the field', () => {
  const bad = (mutate: (s: { spec: { ioConfig: Record<string, unknown>; tuningConfig: Record<string, unknown>; dataSchema: Record<string, unknown> } }) => void, re: RegExp) => {
    const spec = kafkaSpec('wiki', 'events', 'h:9092') as never;
    mutate(spec);
    assert.throws(() => parseKafkaSupervisorSpec(spec), (e: Error & { httpStatus?: number }) => re.test(e.message) && e.httpStatus === 400, String(re));
  };
  bad((s) => { delete s.spec.ioConfig.topic; }, /ioConfig.topic/);
  bad((s) => { s.spec.ioConfig.consumerProperties = {}; }, /bootstrap.servers/);
  bad((s) => { s.spec.ioConfig.consumerProperties = { 'bootstrap.servers': 'nohost' }; }, /host:port/);
  bad((s) => { s.spec.ioConfig.taskCount = 0; }, /taskCount/);
  bad((s) => { s.spec.ioConfig.taskDuration = 'one hour'; }, /taskDuration/);
  bad((s) => { s.spec.ioConfig.taskDuration = 'P1M'; }, /without years or months/);
  bad((s) => { s.spec.ioConfig.inputFormat = { type: 'csv' }; }, /columns/);
  bad((s) => { s.spec.ioConfig.inputFormat = { type: 'avro' }; }, /inputFormat type \[avro\]/);
  bad((s) => { s.spec.tuningConfig.maxRowsInMemory = -5; }, /maxRowsInMemory/);
  bad((s) => { delete s.spec.dataSchema.dataSource; }, /dataSource/);
  bad((s) => { s.spec.ioConfig.topic = 'bad topic!'; }, /legal Kafka topic/);
  assert.throws(() => parseKafkaSupervisorSpec({ type: 'kinesis', spec: {} }), /kinesis.*not supported/);
  assert.throws(() => parseKafkaSupervisorSpec('x'), /JSON object/);
});

test('message parsing: json objects, several lines, csv columns, bad bytes', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const json = createMessageParser({ type: 'json' });
  assert.deepEqual(json(enc('{"a":1}')), [{ ok: true, record: { a: 1 } }]);
  assert.deepEqual(json(enc('{"a":1}\n{"a":2}\n')).map((r) => r.ok && r.record.a), [1, 2]);
  assert.equal(json(enc('{oops')).length, 1);
  assert.equal(json(enc('{oops'))[0].ok, false);
  assert.equal(json(null)[0].ok, false);
  assert.equal(json(new Uint8Array([0xff, 0xfe]))[0].ok, false);
  const csv = createMessageParser({ type: 'csv', columns: ['ts', 'page', 'tags'], listDelimiter: '|' });
  assert.deepEqual(csv(enc('1,home,a|b')), [{ ok: true, record: { ts: '1', page: 'home', tags: ['a', 'b'] } }]);
  assert.equal(csv(enc('1,2,3,4'))[0].ok, false);
});

test('commit metadata helpers keep other partitions', () => {
  const m = withOffsets(null, 't', new Map([[0, 5], [1, 7]]));
  assert.deepEqual(m, { type: 'kafka', partitions: { topic: 't', partitionOffsets: { '0': 5, '1': 7 } } });
  assert.deepEqual([...storedOffsets(withOffsets(m, 't', new Map([[1, 9]])), 't')], [[0, 5], [1, 9]]);
  assert.deepEqual([...storedOffsets(m, 'other')], []);
});

test('a publish whose start offsets are stale writes nothing', async () => {
  const stack = await openStack();
  try {
    const c = new OffsetCommitter('ds', 't', stack.metadata, stack.publisher);
    assert.equal((await c.publish([], new Map(), new Map([[0, 10]]))).ok, true);
    assert.deepEqual([...(await c.committed())], [[0, 10]]);
    // A zombie task that also started from "none" must not commit again.
    const stale = await c.publish([], new Map(), new Map([[0, 12]]));
    assert.equal(stale.ok, false);
    assert.deepEqual([...(await c.committed())], [[0, 10]]);
    assert.equal((await c.publish([], new Map([[0, 10]]), new Map([[0, 12]]))).ok, true);
    // Another partition advances independently.
    assert.equal((await c.publish([], new Map(), new Map([[1, 3]]))).ok, true);
    assert.deepEqual(await stack.metadata.commitMetadata('ds'), { type: 'kafka', partitions: { topic: 't', partitionOffsets: { '0': 12, '1': 3 } } });
  } finally {
    await stack.close();
  }
});

test('HTTP routes: bad specs are 400s, unknown supervisors 404s', async () => {
  const stack = await openStack();
  const router = new Router();
  registerSupervisorRoutes(router, stack.manager);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = router.match(req.method ?? 'GET', url.pathname);
    if (m === null || !('handler' in m)) { res.writeHead(404).end(); return; }
    (async () => m.handler(req, res, m.params, url))().catch((e) => sendError(res, e, null));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/druid/indexer/v1/supervisor`;
  try {
    const post = (body: string) => fetch(base, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    let r = await post('{bad');
    assert.equal(r.status, 400);
    assert.match((await r.json() as { errorMessage: string }).errorMessage, /Malformed JSON/);
    r = await post(JSON.stringify({ type: 'kafka', spec: { dataSchema: { dataSource: 'x', timestampSpec: {} }, ioConfig: { consumerProperties: { 'bootstrap.servers': 'h:1' } } } }));
    assert.equal(r.status, 400);
    assert.match((await r.json() as { errorMessage: string }).errorMessage, /ioConfig.topic/);
    assert.deepEqual(await (await fetch(base)).json(), []);
    r = await fetch(`${base}/nope/status`);
    assert.equal(r.status, 404);
    assert.match((await r.json() as { errorMessage: string }).errorMessage, /nope/);
    assert.equal((await fetch(`${base}/nope/suspend`, { method: 'POST' })).status, 404);
  } finally {
    server.closeAllConnections();
    server.close();
    await stack.close();
  }
});
