/** Shared pieces of the Kafka tests: a one-process storage stack, specs, producing, counting rows. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { ETERNITY } from '../../common/interval.ts';
import { DataNode } from '../../cluster/data-node.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { SegmentCache } from '../../cluster/segment-cache.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { createSupervisorManager, type SupervisorManager } from '../../cluster/kafka/supervisor-manager.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';

export interface Stack {
  readonly dir: string;
  readonly metadata: SqliteMetadataStore;
  readonly segments: LocalSegmentSource;
  readonly dataNode: DataNode;
  readonly publisher: SegmentPublisher;
  readonly manager: SupervisorManager;
  close(): Promise<void>;
}

/** A storage stack over `dir` (a fresh temp dir by default); reopening the same dir is a restart. */
export async function openStack(dir = mkdtempSync(join(tmpdir(), 'nemeton-kafka-test-'))): Promise<Stack> {
  const metadata = new SqliteMetadataStore(join(dir, 'metadata.db'));
  const deep = new LocalDeepStorage(join(dir, 'deep'));
  const segments = new LocalSegmentSource();
  const dataNode = new DataNode(metadata, new SegmentCache(join(dir, 'cache'), deep), segments, openSegment);
  await dataNode.sync();
  const publisher = new SegmentPublisher(deep, metadata);
  const manager = createSupervisorManager({ metadata, publisher, segments, dataNode, tmpDir: join(dir, 'tmp'), restartDelayMs: 200 });
  return {
    dir, metadata, segments, dataNode, publisher, manager,
    close: async () => {
      await manager.stop();
      await metadata.close();
    },
  };
}

/** A supervisor spec over `topic` into `dataSource` (rollup off, so rows == events). */
export function kafkaSpec(dataSource: string, topic: string, bootstrap: string, extra: { io?: Record<string, unknown>; tuning?: Record<string, unknown>; inputFormat?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    type: 'kafka',
    spec: {
      dataSchema: {
        dataSource,
        timestampSpec: { column: 'ts', format: 'millis' },
        dimensionsSpec: { dimensions: ['id', 'page'] },
        metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }],
        granularitySpec: { segmentGranularity: 'hour', queryGranularity: 'none', rollup: false },
      },
      ioConfig: {
        topic,
        consumerProperties: { 'bootstrap.servers': bootstrap },
        taskCount: 2,
        useEarliestOffset: true,
        taskDuration: 'PT1H',
        inputFormat: extra.inputFormat ?? { type: 'json' },
        ...extra.io,
      },
      tuningConfig: { type: 'kafka', maxRowsInMemory: 1000, ...extra.tuning },
    },
  };
}

/** JSON event number i (timestamp near now, so late-message rejection keeps it). */
export function event(i: number, now = Date.now()): string {
  return JSON.stringify({ ts: now - (i % 1000), id: `e${i}`, page: `p${i % 7}`, added: 1 });
}

/** Produces values round-robin over `partitions` partitions with an idempotent producer (no duplicates on retry). */
export async function produce(bootstrap: string, topic: string, values: readonly string[], partitions: number): Promise<void> {
  const producer = new Producer({ clientId: 'test-producer', bootstrapBrokers: [bootstrap], serializers: stringSerializers, idempotent: true });
  try {
    for (let i = 0; i < values.length; i += 2000) {
      await producer.send({ messages: values.slice(i, i + 2000).map((value, j) => ({ topic, value, partition: (i + j) % partitions })) });
    }
  } finally {
    await producer.close();
  }
}

/** Rows the segment source serves for a data source (published + fresh). */
export function visibleRows(segments: LocalSegmentSource, dataSource: string): number {
  return segments.segmentsFor(dataSource, [ETERNITY]).reduce((n, s) => n + s.numRows, 0);
}

/** Every value of the `id` dimension the segment source serves (one entry per row). */
export function visibleIds(segments: LocalSegmentSource, dataSource: string): string[] {
  const out: string[] = [];
  for (const s of segments.segmentsFor(dataSource, [ETERNITY])) {
    const col = s.stringColumn('id');
    if (!col) continue;
    const ids = col.ids();
    for (let r = 0; r < ids.length; r++) out.push(col.value(ids[r]) ?? 'null');
  }
  return out;
}

/** Waits until `check` returns true (polling every 20 ms) or throws after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
