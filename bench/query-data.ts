/**
 * Generated Wikipedia-like rows for the query benchmark: 7 daily segments,
 * time-sorted, dictionary-encoded dimensions, held as MemorySegments.
 */
import { MemorySegment } from '../storage/memory-segment.ts';
import type { ColumnarData } from '../storage/columnar-data.ts';
import type { Segment } from '../storage/segment.ts';

export const BENCH_DAY0 = Date.UTC(2015, 8, 12);
const DAY = 86400000;

/** Deterministic xorshift random in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`).sort();
}

export interface BenchData {
  readonly segments: Segment[];
  /** Whole-data typed arrays, for the hand-written reference loops. */
  readonly time: Float64Array;
  readonly channel: Int32Array;
  readonly page: Int32Array;
  readonly isRobot: Int32Array;
  readonly added: Float64Array;
  readonly delta: Float64Array;
  readonly channels: readonly string[];
}

/** Builds `rows` rows over 7 days. */
export function generateBenchData(rows: number): BenchData {
  const rand = rng(12345);
  const channels = names('#ch', 50);
  const pages = names('page', 100000);
  const time = new Float64Array(rows);
  const channel = new Int32Array(rows);
  const page = new Int32Array(rows);
  const isRobot = new Int32Array(rows);
  const added = new Float64Array(rows);
  const delta = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    time[i] = BENCH_DAY0 + Math.floor((i / rows) * 7 * DAY);
    const r = rand();
    channel[i] = Math.min(49, Math.floor(r * r * 50));
    page[i] = Math.floor(Math.pow(rand(), 3) * 100000);
    isRobot[i] = rand() < 0.25 ? 1 : 0;
    added[i] = Math.floor(rand() * 1000);
    delta[i] = rand() * 200 - 100;
  }
  const segments: Segment[] = [];
  let start = 0;
  for (let d = 0; d < 7; d++) {
    const endT = BENCH_DAY0 + (d + 1) * DAY;
    let end = start;
    while (end < rows && time[end] < endT) end++;
    const data: ColumnarData = {
      numRows: end - start,
      time: time.slice(start, end),
      columns: [
        { kind: 'string', name: 'channel', dictionary: channels, ids: channel.slice(start, end), offsets: null, values: null, createBitmapIndex: true },
        { kind: 'string', name: 'page', dictionary: pages, ids: page.slice(start, end), offsets: null, values: null, createBitmapIndex: true },
        { kind: 'string', name: 'isRobot', dictionary: ['false', 'true'], ids: isRobot.slice(start, end), offsets: null, values: null, createBitmapIndex: true },
        { kind: 'numeric', name: 'added', type: 'LONG', role: 'metric', values: added.slice(start, end), exact: null, nulls: null },
        { kind: 'numeric', name: 'delta', type: 'DOUBLE', role: 'metric', values: delta.slice(start, end), exact: null, nulls: null },
      ],
    };
    segments.push(new MemorySegment({ dataSource: 'bench', interval: { start: BENCH_DAY0 + d * DAY, end: endT }, version: 'v1', partitionNum: 0 }, data));
    start = end;
  }
  return { segments, time, channel, page, isRobot, added, delta, channels };
}
