import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { kafkaLibsDir } from './components.ts';
import { javaCommand } from './java.ts';
import { freePort, retryOnPortClash } from './free-port.ts';
import { formatKraftStorage } from './kraft-storage.ts';
import { startManagedProcess } from './managed-process.ts';

/** A topic to create once the broker is up. */
export interface KafkaTopicSpec {
  name: string;
  /** Partition count (default 1). */
  partitions?: number;
}

/** Options for {@link startKafka}. */
export interface KafkaOptions {
  /** Topics created (and waited for until every partition has a leader) before startKafka resolves. */
  topics?: KafkaTopicSpec[];
  /** Broker setting `auto.create.topics.enable` (default false, so tests create topics explicitly). */
  autoCreateTopics?: boolean;
  /** Extra server.properties entries. */
  properties?: Record<string, string>;
  /** JVM max heap (default "512m"). */
  heap?: string;
  /** Startup timeout in ms (default 60000). */
  timeoutMs?: number;
}

/** A throwaway single-node Kafka cluster (KRaft, combined broker+controller) on 127.0.0.1. */
export interface KafkaServer {
  /** "127.0.0.1:<port>" — the PLAINTEXT listener, for `bootstrapBrokers`. */
  bootstrap: string;
  /** The KRaft cluster id the storage was formatted with. */
  clusterId: string;
  /** The broker's log directory (removed by stop()). */
  dataDir: string;
  /** Creates topics and waits until every partition has a leader. */
  createTopics(topics: KafkaTopicSpec[]): Promise<void>;
  /** Recent broker log output (diagnostics). */
  logs(): string;
  /** SIGTERM (controlled shutdown), SIGKILL after a grace period, then removes the log dirs. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts Apache Kafka (the jars scripts/install.sh fetched from Maven Central) as a single KRaft node with
 * ephemeral loopback ports and a temp log dir: formats the storage with a fresh cluster id (see
 * kraft-storage.ts), runs
 * `kafka.Kafka`, waits for "Kafka Server started" and for the admin API to answer, then creates
 * `options.topics`.
 */
export async function startKafka(options: KafkaOptions = {}): Promise<KafkaServer> {
  return retryOnPortClash(() => startKafkaOnce(options));
}

async function startKafkaOnce(options: KafkaOptions): Promise<KafkaServer> {
  const libs = kafkaLibsDir();
  if (!libs) throw new Error('startKafka: Kafka jars not found (run scripts/install.sh --only kafka)');
  const timeoutMs = options.timeoutMs ?? 60000;
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const tempDir = mkdtempSync(join(tmpdir(), 'nemeton-kafka-'));
  const logDir = join(tempDir, 'data');
  const propsFile = join(tempDir, 'server.properties');
  const properties: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': '1',
    'num.network.threads': '2',
    'num.io.threads': '2',
    'auto.create.topics.enable': String(options.autoCreateTopics ?? false),
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'share.coordinator.state.topic.num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    'log.retention.check.interval.ms': '3600000',
    ...options.properties,
  };
  writeFileSync(propsFile, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');

  const classpath = join(libs, '*');
  const jvm = [
    '-Xms128m',
    `-Xmx${options.heap ?? '512m'}`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info',
    '-cp',
    classpath,
  ];
  let clusterId: string;
  try {
    clusterId = await formatKraftStorage({
      kafkaVersion: basename(dirname(libs)),
      jvmArgs: jvm,
      logDir,
      nodeId: properties['node.id'],
      timeoutMs,
    });
  } catch (err) {
    rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }

  const broker = startManagedProcess({
    name: 'kafka',
    command: javaCommand(),
    args: [...jvm, 'kafka.Kafka', propsFile],
    tempDirs: [tempDir],
    stopSignal: 'SIGTERM',
  });
  const bootstrap = `127.0.0.1:${brokerPort}`;
  const createTopics = (topics: KafkaTopicSpec[]) => createAndAwaitTopics(bootstrap, topics, timeoutMs);
  try {
    await broker.waitForOutput(/Kafka Server started/, timeoutMs);
    await broker.waitUntil(() => brokerAnswers(bootstrap), timeoutMs, 200);
    if (options.topics && options.topics.length > 0) await createTopics(options.topics);
  } catch (err) {
    await broker.stop(1000);
    throw err;
  }
  return {
    bootstrap,
    clusterId,
    dataDir: logDir,
    createTopics,
    logs: () => broker.output(),
    stop: () => broker.stop(5000),
  };
}

async function brokerAnswers(bootstrap: string): Promise<boolean> {
  const admin = new Admin({ clientId: 'nemeton-test-probe', bootstrapBrokers: [bootstrap], retries: 0, timeout: 2000 });
  try {
    const meta = await admin.metadata({ topics: [] });
    return meta.brokers.size > 0;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

async function createAndAwaitTopics(bootstrap: string, topics: KafkaTopicSpec[], timeoutMs: number): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Admin({ clientId: 'nemeton-test-admin', bootstrapBrokers: [bootstrap] });
  try {
    // Topics with the same partition count go in one request.
    const byCount = new Map<number, string[]>();
    for (const t of topics) {
      const n = t.partitions ?? 1;
      if (!Number.isInteger(n) || n < 1) throw new Error(`createTopics: bad partition count ${n} for ${t.name}`);
      byCount.set(n, [...(byCount.get(n) ?? []), t.name]);
    }
    for (const [partitions, names] of byCount) await admin.createTopics({ topics: names, partitions, replicas: 1 });
    const deadline = Date.now() + timeoutMs;
    const names = topics.map((t) => t.name);
    for (;;) {
      const meta = await admin.metadata({ topics: names, forceUpdate: true });
      const ready = topics.every((t) => {
        const md = meta.topics.get(t.name);
        return md !== undefined && md.partitionsCount === (t.partitions ?? 1) && md.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`createTopics: partitions of ${names.join(', ')} have no leader after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.close();
  }
}
