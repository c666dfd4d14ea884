/**
 * The consumer side of stream ingestion, independent of the Kafka client
 * library: a supplier is assigned partitions of one topic, is positioned on
 * offsets, and hands back batches of records. Offsets are plain numbers
 * (exact below 2^53, which Kafka offsets never reach in practice).
 *
 * The position of a partition is the next offset to read. It may move past
 * offsets that produced no record (transaction markers, aborted or compacted
 * records), so a task commits positions, not "last record offset + 1".
 */

/** One record of a partition. */
export interface StreamRecord {
  readonly partition: number;
  readonly offset: number;
  /** The record's value bytes (null for a tombstone). */
  readonly value: Uint8Array | null;
  /** The record's timestamp, epoch ms. */
  readonly timestamp: number;
}

/** How a supplier connects to the cluster. */
export interface RecordSupplierOptions {
  /** "host:port" list, from consumerProperties['bootstrap.servers']. */
  readonly bootstrapServers: readonly string[];
  /** Client id reported to the broker. */
  readonly clientId?: string;
  /** Only committed transactional records (default true, like Druid's read_committed). */
  readonly readCommitted?: boolean;
  /** Upper bound of bytes per fetch (default 8 MiB). */
  readonly maxBytesPerFetch?: number;
}

export interface RecordSupplier {
  /** Partition ids of a topic; throws a NemetonError naming the topic when it does not exist. */
  partitionIds(topic: string): Promise<number[]>;
  /** Reads from these partitions of `topic` from now on (replacing any earlier assignment). Positions start unset. */
  assign(topic: string, partitions: readonly number[]): void;
  /** Sets the next offset to read of an assigned partition. */
  seek(partition: number, offset: number): void;
  /** The next offset to read of an assigned partition (undefined before a seek). */
  position(partition: number): number | undefined;
  /** First available offset per assigned partition. */
  earliestOffsets(): Promise<Map<number, number>>;
  /** Offset after the last record (the high watermark / last stable offset) per assigned partition. */
  latestOffsets(): Promise<Map<number, number>>;
  /**
   * Waits up to `timeoutMs` for records after the current positions of every assigned (and seeked)
   * partition, returns them in offset order per partition and advances the positions. An empty array
   * means nothing arrived in time.
   */
  poll(timeoutMs: number): Promise<StreamRecord[]>;
  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}

/** Builds a supplier for one task. */
export type RecordSupplierFactory = (options: RecordSupplierOptions) => RecordSupplier;
