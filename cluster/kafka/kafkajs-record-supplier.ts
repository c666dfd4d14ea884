/**
 * RecordSupplier over kafkajs 2.2.4 — kept as the comparison point for the platformatic supplier (see
 * the figures there) and as a fallback client. kafkajs has no manual assignment: this joins a private
 * consumer group whose assigner hands the single member exactly the assigned partitions, seeks them,
 * and bridges the callback-driven `eachBatch` into `poll()` (each batch callback waits until poll takes
 * it, which is the back-pressure). A seek after start restarts the consumer.
 */
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, Kafka, logLevel, type Consumer, type PartitionAssigner } from 'kafkajs';
import { NemetonError } from '../../common/errors.ts';
import type { RecordSupplier, RecordSupplierOptions, StreamRecord } from './record-supplier.ts';

/** Creates the kafkajs supplier. */
export function createKafkajsRecordSupplier(options: RecordSupplierOptions): RecordSupplier {
  return new KafkajsRecordSupplier(options);
}

interface Pending {
  readonly records: StreamRecord[];
  readonly partition: number;
  readonly next: number;
  readonly taken: () => void;
}

class KafkajsRecordSupplier implements RecordSupplier {
  private readonly kafka: Kafka;
  private topic: string | null = null;
  private partitions: number[] = [];
  private readonly positions = new Map<number, number>();
  private consumer: Consumer | null = null;
  private dirty = true;
  private queue: Pending[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly options: RecordSupplierOptions) {
    this.kafka = new Kafka({ clientId: options.clientId ?? 'nemeton-kafkajs', brokers: [...options.bootstrapServers], logLevel: process.env.NEMETON_KAFKAJS_LOG ? logLevel.INFO : logLevel.NOTHING });
  }

  async partitionIds(topic: string): Promise<number[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b);
    } catch (e) {
      throw new NemetonError(`Kafka topic [${topic}] is not available: ${(e as Error).message}`, { code: 'Invalid input', cause: e });
    } finally {
      await admin.disconnect();
    }
  }

  assign(topic: string, partitions: readonly number[]): void {
    this.topic = topic;
    this.partitions = [...partitions].sort((a, b) => a - b);
    this.positions.clear();
    this.dirty = true;
  }

  seek(partition: number, offset: number): void {
    if (!this.partitions.includes(partition)) throw new NemetonError(`Partition [${partition}] is not assigned`);
    this.positions.set(partition, offset);
    this.dirty = true;
  }

  position(partition: number): number | undefined {
    return this.positions.get(partition);
  }

  private async offsets(pick: 'low' | 'high'): Promise<Map<number, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const list = await admin.fetchTopicOffsets(this.topic!);
      const out = new Map<number, number>();
      for (const o of list) if (this.partitions.includes(o.partition)) out.set(o.partition, Number(o[pick]));
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  earliestOffsets(): Promise<Map<number, number>> {
    return this.offsets('low');
  }

  latestOffsets(): Promise<Map<number, number>> {
    return this.offsets('high');
  }

  private async restart(): Promise<void> {
    await this.stopConsumer();
    const topic = this.topic!;
    const wanted = this.partitions.filter((p) => this.positions.has(p));
    if (wanted.length === 0) return;
    const assigner: PartitionAssigner = () => ({
      name: 'NemetonManualAssigner',
      version: 1,
      protocol: ({ topics }) => ({ name: 'NemetonManualAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
      assign: async ({ members }) => members.map((m, i) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: i === 0 ? { [topic]: wanted } : {}, userData: Buffer.alloc(0) }),
      })),
    });
    const consumer = this.kafka.consumer({
      groupId: `nemeton-kafkajs-${randomUUID()}`,
      partitionAssigners: [assigner],
      maxWaitTimeInMs: 100,
      readUncommitted: this.options.readCommitted === false,
      maxBytes: this.options.maxBytesPerFetch ?? 8 * 1024 * 1024,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const partition = batch.partition;
        const records: StreamRecord[] = batch.messages.map((m) => ({
          partition,
          offset: Number(m.offset),
          value: m.value,
          timestamp: Number(m.timestamp),
        }));
        const next = Number(batch.lastOffset()) + 1;
        await new Promise<void>((taken) => {
          this.queue.push({ records, partition, next, taken });
          this.wake?.();
        });
        await heartbeat();
      },
    });
    for (const p of wanted) consumer.seek({ topic, partition: p, offset: String(this.positions.get(p)) });
  }

  private async stopConsumer(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    const dropped = this.queue;
    this.queue = [];
    for (const d of dropped) d.taken();
    if (c) await c.disconnect().catch(() => undefined);
  }

  async poll(timeoutMs: number): Promise<StreamRecord[]> {
    if (this.topic === null) throw new NemetonError('RecordSupplier: no topic assigned');
    if (this.dirty) {
      this.dirty = false;
      await this.restart();
    }
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { this.wake = null; resolve(); }, timeoutMs);
        this.wake = () => { clearTimeout(timer); this.wake = null; resolve(); };
      });
    }
    const out: StreamRecord[] = [];
    const taken = this.queue;
    this.queue = [];
    for (const t of taken) {
      const pos = this.positions.get(t.partition) ?? 0;
      for (const r of t.records) if (r.offset >= pos) out.push(r);
      if (t.next > pos) this.positions.set(t.partition, t.next);
      t.taken();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.stopConsumer();
  }
}
