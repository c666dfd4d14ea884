/**
 * Publishing: segment bytes go to deep storage first, then one metadata
 * transaction records all segments of the publish (optionally with stream
 * offsets), and only then are they announced for queries. A failure before
 * the transaction leaves no visible trace but orphan files in deep storage.
 */
import { createHash } from 'node:crypto';
import type { SegmentId } from '../storage/segment.ts';
import { segmentIdToString } from '../storage/segment.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import type { DeepStorage } from './deep-storage/deep-storage.ts';
import type { MetadataStore, SegmentRecord } from './metadata/metadata-store.ts';

export interface SegmentToPublish {
  readonly id: SegmentId;
  readonly bytes: Uint8Array;
  readonly numRows: number;
  /** Partitions in this (interval, version) set; defaults to the count given for that interval in this publish. */
  readonly numPartitions?: number;
  readonly payload?: Record<string, unknown>;
}

/** A column as recorded in a published segment's payload (`payload.columns`), so brokers know schemas without loading data. */
export interface PublishedColumn {
  readonly name: string;
  /** STRING, LONG, FLOAT, DOUBLE or COMPLEX. */
  readonly type: string;
  readonly complexType?: string;
  readonly multiValue?: boolean;
}

/**
 * Columns, dimensions and metrics of segment bytes for the payload; empty when
 * the bytes are not a readable segment (publishing never fails because of it).
 */
export function describeSegmentBytes(bytes: Uint8Array, id: SegmentId): { columns?: PublishedColumn[]; dimensions?: string[]; metrics?: string[] } {
  try {
    const seg = openSegment(bytes, id);
    const columns = seg.columns().map((c) => ({
      name: c.name, type: c.type, ...(c.complexType ? { complexType: c.complexType } : {}), ...(c.hasMultipleValues ? { multiValue: true } : {}),
    }));
    return { columns, dimensions: [...seg.dimensions], metrics: [...seg.metrics] };
  } catch {
    return {};
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deep storage key of a segment: dataSource/interval/version/partition/segment.nem */
export function deepStorageKey(id: SegmentId): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._=-]/g, '_');
  const interval = `${new Date(id.interval.start).toISOString()}_${new Date(id.interval.end).toISOString()}`;
  return `${safe(id.dataSource)}/${safe(interval)}/${safe(id.version)}/${id.partitionNum}/segment.nem`;
}

export class SegmentPublisher {
  constructor(private readonly deep: DeepStorage, private readonly metadata: MetadataStore) {}

  /**
   * Pushes and records the segments; returns the records, or null when the commit metadata check failed.
   * Segments named in `retire` are marked unused in the same metadata transaction.
   */
  async publish(
    segments: readonly SegmentToPublish[],
    commit?: { dataSource: string; expected: unknown; next: unknown },
    retire?: readonly string[],
  ): Promise<SegmentRecord[] | null> {
    const perSet = new Map<string, number>();
    for (const s of segments) {
      const k = `${s.id.dataSource}|${s.id.interval.start}|${s.id.interval.end}|${s.id.version}`;
      perSet.set(k, (perSet.get(k) ?? 0) + 1);
    }
    const now = new Date().toISOString();
    const records: SegmentRecord[] = [];
    for (const s of segments) {
      const loadSpec = await this.deep.put(deepStorageKey(s.id), s.bytes);
      const k = `${s.id.dataSource}|${s.id.interval.start}|${s.id.interval.end}|${s.id.version}`;
      records.push({
        id: segmentIdToString(s.id),
        dataSource: s.id.dataSource,
        interval: s.id.interval,
        version: s.id.version,
        partitionNum: s.id.partitionNum,
        numPartitions: s.numPartitions ?? perSet.get(k) ?? 1,
        numRows: s.numRows,
        sizeBytes: s.bytes.byteLength,
        loadSpec,
        payload: { ...describeSegmentBytes(s.bytes, s.id), ...(s.payload ?? {}), sha256: sha256(s.bytes) },
        used: true,
        createdAt: now,
      });
    }
    const ok = retire && retire.length > 0 ? await this.metadata.publishSegments(records, commit, retire) : await this.metadata.publishSegments(records, commit);
    return ok ? records : null;
  }
}
