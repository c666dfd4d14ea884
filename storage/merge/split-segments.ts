/**
 * Splitting sorted columnar rows into one segment per segmentGranularity
 * bucket, with dictionaries compacted to the values each slice uses.
 */
import type { SimpleGranularity } from '../schema.ts';
import type { SegmentId } from '../segment.ts';
import type { ColumnarData, ColumnData } from '../columnar-data.ts';
import { ETERNITY } from '../../common/interval.ts';
import { nextBucket, truncate } from '../time/granularity.ts';
import { writeSegment } from '../format/segment-writer.ts';
import { partitionRows, takeRows, type Partitioning } from './partition-rows.ts';
import { compactDictionary } from './compact-dictionary.ts';

export type { Partitioning };

/** A built, serialized segment. */
export interface BuiltSegment {
  readonly id: SegmentId;
  readonly bytes: Uint8Array;
}

/** Rows [start, end) of data with dictionaries reduced to the ids in use. */
export function sliceColumnar(data: ColumnarData, start: number, end: number): ColumnarData {
  if (start === 0 && end === data.numRows) return data;
  const n = end - start;
  const columns: ColumnData[] = data.columns.map((c) => {
    if (c.kind === 'numeric') {
      return { ...c, values: c.values.slice(start, end), exact: c.exact?.slice(start, end) ?? null, nulls: c.nulls?.slice(start, end) ?? null };
    }
    if (c.kind === 'complex') return { ...c, values: c.values.slice(start, end) };
    let src: Int32Array;
    let offsets: Int32Array | null = null;
    if (c.ids !== null) src = c.ids.subarray(start, end);
    else {
      const base = c.offsets![start];
      src = c.values!.subarray(base, c.offsets![end]);
      offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = c.offsets![start + i] - base;
    }
    const ids = new Int32Array(src.length);
    const dictionary = compactDictionary(c.dictionary, src, ids);
    return c.ids !== null
      ? { ...c, dictionary, ids }
      : { ...c, dictionary, offsets, values: ids };
  });
  return { numRows: n, time: data.time.slice(start, end), columns };
}

/**
 * Serializes sorted rows as segments per granularity bucket. Each bucket is
 * one segment (partition 0), or with `maxRowsPerSegment` (dynamic
 * partitioning) consecutive partitions 0..k-1 of at most that many rows, or,
 * with a hashed / range Partitioning, partitions 0..k-1 of one version whose
 * union is the bucket's rows (empty partitions are not written).
 */
export function splitByGranularity(data: ColumnarData, dataSource: string, g: SimpleGranularity, version: string, blockRows?: number, partitioning?: number | Partitioning): BuiltSegment[] {
  const out: BuiltSegment[] = [];
  const opts = blockRows === undefined ? {} : { blockRows };
  const spec: Partitioning = typeof partitioning === 'object' ? partitioning : { type: 'dynamic', ...(partitioning !== undefined ? { maxRowsPerSegment: partitioning } : {}) };
  const limit = spec.type === 'dynamic' && spec.maxRowsPerSegment !== undefined && spec.maxRowsPerSegment > 0 ? Math.floor(spec.maxRowsPerSegment) : Number.POSITIVE_INFINITY;
  const emit = (interval: { start: number; end: number }, start: number, end: number): void => {
    let partitionNum = 0;
    if (spec.type !== 'dynamic') {
      for (const rows of partitionRows(data, start, end, spec)) {
        out.push({ id: { dataSource, interval, version, partitionNum: partitionNum++ }, bytes: writeSegment(takeRows(data, rows), opts) });
      }
      return;
    }
    for (let s = start; s < end; s += limit) {
      const e = Math.min(end, s + limit);
      const slice = s === 0 && e === data.numRows ? data : sliceColumnar(data, s, e);
      out.push({ id: { dataSource, interval, version, partitionNum: partitionNum++ }, bytes: writeSegment(slice, opts) });
    }
  };
  if (g === 'all') {
    if (data.numRows > 0) emit(ETERNITY, 0, data.numRows);
    return out;
  }
  let start = 0;
  while (start < data.numRows) {
    const bucket = truncate(data.time[start], g);
    const next = nextBucket(bucket, g);
    let end = start;
    while (end < data.numRows && data.time[end] < next) end++;
    emit({ start: bucket, end: next }, start, end);
    start = end;
  }
  return out;
}
