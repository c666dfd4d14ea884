/**
 * Compares the two RecordSupplier implementations against a real broker (test/support/kafka.ts):
 *   throughput — records/s reading a pre-filled 4-partition topic from offset 0 to its end;
 *   latency    — produce one record, time until poll() returns it (caught-up reader), median and p95.
 * `node --import tsx bench/kafka-suppliers.ts [--records N]`. Prints a table; ratios, no pass/fail.
 */
import { parseArgs } from 'node:util';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { startKafka } from '../test/support/kafka.ts';
import { createKafkajsRecordSupplier } from '../cluster/kafka/kafkajs-record-supplier.ts';
import { createPlatformaticRecordSupplier } from '../cluster/kafka/platformatic-record-supplier.ts';
import type { RecordSupplierFactory } from '../cluster/kafka/record-supplier.ts';

const { values } = parseArgs({ options: { records: { type: 'string' }, probes: { type: 'string' } } });
const total = Number(values.records ?? 200_000);
const probes = Number(values.probes ?? 40);
const PARTITIONS = 4;

const kafka = await startKafka({ topics: [{ name: 'bench', partitions: PARTITIONS }, { name: 'probe', partitions: 1 }] });
try {
  const producer = new Producer({ clientId: 'bench', bootstrapBrokers: [kafka.bootstrap], serializers: stringSerializers, idempotent: true });
  const t0 = Date.now();
  for (let i = 0; i < total; i += 5000) {
    const messages = [];
    for (let j = i; j < Math.min(total, i + 5000); j++) {
      messages.push({ topic: 'bench', partition: j % PARTITIONS, value: JSON.stringify({ timestamp: 1_700_000_000_000 + j, id: j, page: `page-${j % 997}`, user: `u${j % 101}`, added: j % 50 }) });
    }
    await producer.send({ messages });
  }
  process.stderr.write(`produced ${total} records in ${Date.now() - t0} ms\n`);

  const suppliers: [string, RecordSupplierFactory][] = [
    ['@platformatic/kafka 1.35', createPlatformaticRecordSupplier],
    ['kafkajs 2.2.4', createKafkajsRecordSupplier],
  ];
  const rows: string[] = [];
  for (const [name, factory] of suppliers) {
    process.stderr.write(`measuring ${name}\n`);
    // Throughput.
    const s = factory({ bootstrapServers: [kafka.bootstrap], clientId: 'bench' });
    s.assign('bench', [...Array(PARTITIONS).keys()]);
    for (let p = 0; p < PARTITIONS; p++) s.seek(p, 0);
    let n = 0;
    const start = process.hrtime.bigint();
    while (n < total) n += (await s.poll(500)).length;
    process.stderr.write(`  consumed ${n}\n`);
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    await s.close();

    // Latency: a caught-up reader of the probe topic.
    const r = factory({ bootstrapServers: [kafka.bootstrap], clientId: 'bench-probe' });
    r.assign('probe', [0]);
    r.seek(0, (await r.latestOffsets()).get(0)!);
    await r.poll(200);
    const lat: number[] = [];
    for (let i = 0; i < probes; i++) {
      const sent = performance.now();
      await producer.send({ messages: [{ topic: 'probe', partition: 0, value: `probe-${name}-${i}` }] });
      for (;;) {
        const got = await r.poll(1000);
        if (got.some((g) => Buffer.from(g.value!).toString() === `probe-${name}-${i}`)) break;
      }
      lat.push(performance.now() - sent);
    }
    await r.close();
    lat.sort((a, b) => a - b);
    const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))].toFixed(1);
    rows.push(`| ${name} | ${Math.round(total / secs).toLocaleString('en-US')} | ${q(0.5)} | ${q(0.95)} |`);
  }
  await producer.close();
  console.log(`Node ${process.version}, ${total} JSON records over ${PARTITIONS} partitions, ${probes} latency probes\n`);
  console.log('| supplier | records/s consumed | produce→poll median ms | p95 ms |\n|---|---:|---:|---:|');
  for (const r of rows) console.log(r);
} finally {
  await kafka.stop();
}
