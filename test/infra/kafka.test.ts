import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { skipUnlessInstalled } from '../support/components.ts';
import { startKafka } from '../support/kafka.ts';

const skip = skipUnlessInstalled('kafka');

test('startKafka runs a KRaft broker that round-trips a message', { skip, timeout: 120000 }, async () => {
  const kafka = await startKafka({ topics: [{ name: 'events', partitions: 3 }] });
  try {
    assert.match(kafka.bootstrap, /^127\.0\.0\.1:\d+$/);
    assert.ok(existsSync(kafka.dataDir));
    const admin = new Admin({ clientId: 'infra-test', bootstrapBrokers: [kafka.bootstrap] });
    const meta = await admin.metadata({ topics: ['events'] });
    assert.equal(meta.topics.get('events')?.partitionsCount, 3);
    await admin.close();

    const producer = new Producer({ clientId: 'infra-test', bootstrapBrokers: [kafka.bootstrap], serializers: stringSerializers });
    await producer.send({ messages: [{ topic: 'events', key: 'k1', value: '{"hello":"kafka"}', partition: 2 }] });
    await producer.close();

    const consumer = new Consumer({
      groupId: 'infra-test-group',
      clientId: 'infra-test',
      bootstrapBrokers: [kafka.bootstrap],
      deserializers: stringDeserializers,
    });
    const stream = await consumer.consume({ topics: ['events'], mode: 'earliest', autocommit: false });
    let received: { key: string; value: string; partition: number } | undefined;
    for await (const message of stream) {
      received = { key: message.key, value: message.value, partition: message.partition };
      break;
    }
    await stream.close();
    await consumer.close(true);
    assert.deepEqual(received, { key: 'k1', value: '{"hello":"kafka"}', partition: 2 });
  } finally {
    await kafka.stop();
  }
});

test('startKafka createTopics adds topics after start and stop() cleans up', { skip, timeout: 120000 }, async () => {
  const kafka = await startKafka();
  try {
    await kafka.createTopics([{ name: 'a', partitions: 2 }, { name: 'b' }]);
    const admin = new Admin({ clientId: 'infra-test', bootstrapBrokers: [kafka.bootstrap] });
    const topics = await admin.listTopics();
    await admin.close();
    assert.ok(topics.includes('a') && topics.includes('b'), `topics: ${topics.join(',')}`);
    await assert.rejects(kafka.createTopics([{ name: 'c', partitions: 0 }]), /bad partition count/);
  } finally {
    await kafka.stop();
  }
  assert.equal(existsSync(kafka.dataDir), false);
});
