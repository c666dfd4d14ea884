/**
 * Kafka offsets as stored in a data source's commit metadata:
 *   {type: 'kafka', partitions: {topic, partitionOffsets: {'0': 123, ...}}}
 * where each offset is the next one to read. Partitions of a data source are advanced by different
 * tasks, so a task reads and writes only its own partitions' entries.
 */

export interface KafkaCommitMetadata {
  readonly type: 'kafka';
  readonly partitions: { readonly topic: string; readonly partitionOffsets: Readonly<Record<string, number>> };
}

/** The stored metadata as Kafka offsets, or null when absent or not Kafka's (another stream type). */
export function asKafkaCommitMetadata(stored: unknown): KafkaCommitMetadata | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as { type?: unknown; partitions?: { topic?: unknown; partitionOffsets?: unknown } };
  if (s.type !== 'kafka' || typeof s.partitions?.topic !== 'string') return null;
  const po = s.partitions.partitionOffsets;
  if (typeof po !== 'object' || po === null) return null;
  return stored as KafkaCommitMetadata;
}

/** Offsets of `topic` in the stored metadata (empty when it holds another topic or nothing). */
export function storedOffsets(stored: unknown, topic: string): Map<number, number> {
  const m = asKafkaCommitMetadata(stored);
  const out = new Map<number, number>();
  if (m === null || m.partitions.topic !== topic) return out;
  for (const [k, v] of Object.entries(m.partitions.partitionOffsets)) out.set(Number(k), Number(v));
  return out;
}

/** `stored` with the given partitions' offsets replaced (other partitions of the same topic kept). */
export function withOffsets(stored: unknown, topic: string, offsets: ReadonlyMap<number, number>): KafkaCommitMetadata {
  const base = storedOffsets(stored, topic);
  for (const [p, o] of offsets) base.set(p, o);
  const partitionOffsets: Record<string, number> = {};
  for (const p of [...base.keys()].sort((a, b) => a - b)) partitionOffsets[String(p)] = base.get(p)!;
  return { type: 'kafka', partitions: { topic, partitionOffsets } };
}
