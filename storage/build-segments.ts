/** Batch ingestion: rows in, serialized segments (one per segmentGranularity interval) out. */
import type { DataSchema, InputRow } from './schema.ts';
import { IncrementalIndex, type IncrementalIndexOptions } from './incremental/incremental-index.ts';
import type { BuiltSegment } from './merge/split-segments.ts';

export type { BuiltSegment };

export interface BuildOptions extends IncrementalIndexOptions {
  /** Version of the built segments (default: the current time, ISO). */
  readonly segmentVersion?: string;
  /** Dynamic partitioning: at most this many rows per segment (more partitions per interval). */
  readonly maxRowsPerSegment?: number;
}

/**
 * Indexes rows with the schema (rollup, discovery, bounded memory with
 * persist + merge; batch defaults: 4M rows / 1 GiB before a persist) and
 * returns the segments, sorted by interval.
 */
export function buildSegments(rows: Iterable<InputRow>, schema: DataSchema, options: BuildOptions = {}): BuiltSegment[] {
  const index = new IncrementalIndex(schema, { maxRowsInMemory: 4_000_000, maxBytesInMemory: 1024 * 1024 * 1024, ...options });
  try {
    for (const row of rows) index.add(row);
    return index.handoff(options.segmentVersion ?? new Date().toISOString(), options.maxRowsPerSegment);
  } finally {
    index.close();
  }
}
