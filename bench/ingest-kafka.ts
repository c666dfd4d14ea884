/**
 * Kafka ingestion on a real broker (test/support/kafka.ts, installed by scripts/install.sh) through the
 * product's supervisor (submitted over the node's HTTP API, as an operator would):
 *   throughput — N events of a shape pre-produced into a 4-partition topic; CPU of this process from
 *                the supervisor's submit until every event is processed (then checked with COUNT(*));
 *   latency    — produce one event into a caught-up supervisor's topic, poll a real COUNT(*) query until
 *                it is counted; median / p95 / p99 over the samples.
 */
import { Producer, stringSerializers } from '@platformatic/kafka';
import { startKafka, type KafkaServer } from '../test/support/kafka.ts';
import type { RunningNode } from '../server/node.ts';
import { shapeSchema, type Shape } from './ingest-shapes.ts';
import { countRows, measured, type Run } from './ingest-paths.ts';

const PARTITIONS = 4;

/** A broker and a producer for the benchmark; `stop` ends both. */
export interface KafkaBench {
  readonly kafka: KafkaServer;
  produce(topic: string, values: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a single-node broker with the given 4-partition topics and a 1-partition `latency` topic. */
export async function startKafkaBench(topics: readonly string[]): Promise<KafkaBench> {
  const kafka = await startKafka({ topics: [...topics.map((name) => ({ name, partitions: PARTITIONS })), { name: 'latency', partitions: 1 }] });
  const producer = new Producer({ clientId: 'bench-producer', bootstrapBrokers: [kafka.bootstrap], serializers: stringSerializers, idempotent: true });
  return {
    kafka,
    async produce(topic, values) {
      for (let i = 0; i < values.length; i += 5000) {
        await producer.send({ messages: values.slice(i, i + 5000).map((value, j) => ({ topic, value, partition: (i + j) % PARTITIONS })) });
      }
    },
    async stop() {
      await producer.close();
      await kafka.stop();
    },
  };
}

function supervisorSpec(shape: Shape, ds: string, topic: string, bootstrap: string): Record<string, unknown> {
  const schema = shapeSchema(shape, ds);
  return {
    type: 'kafka',
    spec: {
      dataSchema: {
        dataSource: ds, timestampSpec: { column: 'ts', format: 'millis' }, dimensionsSpec: schema.dimensionsSpec, metricsSpec: schema.metricsSpec,
        granularitySpec: { segmentGranularity: 'day', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { topic, consumerProperties: { 'bootstrap.servers': bootstrap }, taskCount: 1, useEarliestOffset: true, taskDuration: 'PT1H', inputFormat: { type: 'json' } },
      tuningConfig: { type: 'kafka', maxRowsInMemory: 1_000_000 },
    },
  };
}

async function http(node: RunningNode, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}${path}`, {
    method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows the supervisor has processed so far (its status report). */
async function processed(node: RunningNode, ds: string): Promise<number> {
  const s = await http(node, 'GET', `/druid/indexer/v1/supervisor/${ds}/status`) as { payload?: { rowStats?: { processed?: number } } };
  return s.payload?.rowStats?.processed ?? 0;
}

/** Events/s of a supervisor reading `n` pre-produced events of `shape` (CPU of this process, per core). */
export async function kafkaThroughput(node: RunningNode, bench: KafkaBench, shape: Shape, ds: string, n: number, topic: string = shape.key): Promise<Run> {
  const values: string[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = JSON.stringify(shape.record(i));
  await bench.produce(topic, values);
  const run = await measured(async () => {
    await http(node, 'POST', '/druid/indexer/v1/supervisor', supervisorSpec(shape, ds, topic, bench.kafka.bootstrap));
    while (await processed(node, ds) < n) await sleep(50);
  });
  const visible = await countRows(node, ds);
  if (visible !== n) throw new Error(`Kafka ${shape.key}: ${visible} rows visible, expected ${n}`);
  await http(node, 'POST', `/druid/indexer/v1/supervisor/${ds}/terminate`);
  return run;
}

/** Produce → visible-in-a-query latency in ms, one event at a time, `samples` times; sorted. */
export async function kafkaLatency(node: RunningNode, bench: KafkaBench, shape: Shape, samples: number): Promise<number[]> {
  const ds = 'kafka_latency';
  await http(node, 'POST', '/druid/indexer/v1/supervisor', supervisorSpec(shape, ds, 'latency', bench.kafka.bootstrap));
  await bench.produce('latency', [JSON.stringify(shape.record(0))]);
  while (await countRows(node, ds) < 1) await sleep(20);
  const out: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const value = JSON.stringify(shape.record(i));
    const t = performance.now();
    await bench.produce('latency', [value]);
    while (await countRows(node, ds) < i + 1) await sleep(1);
    out.push(performance.now() - t);
  }
  await http(node, 'POST', `/druid/indexer/v1/supervisor/${ds}/terminate`);
  return out.sort((a, b) => a - b);
}
