/**
 * Merging persisted pieces into segments one segmentGranularity bucket at a
 * time: each piece is sorted by time, so its rows in a bucket are a
 * contiguous range; merging bucket by bucket keeps one bucket's rows in
 * memory instead of the whole load's (a 10M-row load over a week otherwise
 * materialises every row twice before writing anything).
 */
import type { Segment } from '../segment.ts';
import type { SimpleGranularity } from '../schema.ts';
import type { ColumnarData, ColumnData } from '../columnar-data.ts';
import { lowerBoundTime, RowRangeSegment } from '../row-range-segment.ts';
import { nextBucket, truncate } from '../time/granularity.ts';
import { mergeSegments, type MergeOptions } from './merge-segments.ts';
import { splitByGranularity, type BuiltSegment, type Partitioning } from './split-segments.ts';
import { compactDictionary } from './compact-dictionary.ts';

/** The ascending bucket starts that hold at least one row of some piece. */
function bucketsOf(pieces: readonly Segment[], g: SimpleGranularity): number[] {
  const starts = new Set<number>();
  for (const p of pieces) {
    const time = p.time();
    for (let i = 0; i < time.length;) {
      const b = truncate(time[i], g);
      starts.add(b);
      i = lowerBoundTime(time, nextBucket(b, g));
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** Merged rows whose dictionaries still list every value of the pieces, reduced to the values in use. */
function compactDictionaries(data: ColumnarData): ColumnarData {
  const columns: ColumnData[] = data.columns.map((c) => {
    if (c.kind !== 'string') return c;
    if (c.ids !== null) {
      const dictionary = compactDictionary(c.dictionary, c.ids, c.ids);
      return { ...c, dictionary };
    }
    const dictionary = compactDictionary(c.dictionary, c.values!, c.values!);
    return { ...c, dictionary };
  });
  return { ...data, columns };
}

/**
 * The same segments as `splitByGranularity(mergeSegments(pieces, options), ...)`
 * — sorted, rolled up when asked, split per bucket and partitioned — merged
 * one bucket at a time. Pieces must each be sorted by time.
 */
export function mergeByInterval(
  pieces: readonly Segment[], options: MergeOptions, dataSource: string, g: SimpleGranularity, version: string,
  blockRows?: number, partitioning?: number | Partitioning,
): BuiltSegment[] {
  if (g === 'all') return splitByGranularity(mergeSegments(pieces, options), dataSource, g, version, blockRows, partitioning);
  const out: BuiltSegment[] = [];
  for (const start of bucketsOf(pieces, g)) {
    const end = nextBucket(start, g);
    const parts: Segment[] = [];
    for (const p of pieces) {
      const time = p.time();
      const from = lowerBoundTime(time, start);
      const to = lowerBoundTime(time, end);
      if (from < to) parts.push(from === 0 && to === p.numRows ? p : new RowRangeSegment(p, from, to));
    }
    const data = compactDictionaries(mergeSegments(parts, options));
    out.push(...splitByGranularity(data, dataSource, g, version, blockRows, partitioning));
  }
  return out;
}
