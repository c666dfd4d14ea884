/**
 * Data and wrappers for the streaming tests: segment sources built with the
 * real batch builder, and a runner wrapper that counts what a native stream
 * produced, so a test can see whether the server kept pulling.
 */
import { buildSegments } from '../../../storage/build-segments.ts';
import { openSegment } from '../../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../../storage/local-segment-source.ts';
import { toShared } from '../../../storage/shared-bytes.ts';
import type { DataSchema, InputRow } from '../../../storage/schema.ts';
import type { NativeQuery } from '../../../query/model/query.ts';
import type { NativeQueryRunner, RunOptions } from '../../../query/native-runner.ts';
import type { QueryExecutor } from '../../../query/executor/query-executor.ts';
import { staticCatalog, type Catalog } from '../../../planner/catalog.ts';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/**
 * `n` narrow rows (k: 16 strings, v: row number, d: a double) spread evenly
 * over `days` day segments, each split into partitions of at most
 * `maxRowsPerSegment` rows. Rows are generated lazily, so building millions
 * keeps memory low.
 */
export function narrowSource(dataSource: string, n: number, days: number, maxRowsPerSegment?: number): { source: LocalSegmentSource; segments: number } {
  const perDay = Math.ceil(n / days);
  const step = Math.max(1, Math.floor(DAY / perDay));
  function* rows(): Iterable<InputRow> {
    for (let i = 0; i < n; i++) {
      const day = Math.floor(i / perDay);
      yield { __time: T0 + day * DAY + ((i % perDay) * step) % DAY, k: `k${i % 16}`, v: i, d: (i % 1000) / 4 } as InputRow;
    }
  }
  const schema: DataSchema = {
    dataSource, rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
    dimensionsSpec: { dimensions: [{ name: 'k', type: 'string' }, { name: 'v', type: 'long' }, { name: 'd', type: 'double' }] },
    metricsSpec: [],
  };
  const source = new LocalSegmentSource();
  const built = buildSegments(rows(), schema, { segmentVersion: 'v1', ...(maxRowsPerSegment ? { maxRowsPerSegment } : {}) });
  for (const b of built) source.addSegment(b.id, openSegment(toShared(b.bytes), b.id));
  return { source, segments: built.length };
}

/** The SQL catalog entry of a narrowSource data source. */
export function narrowCatalog(dataSource: string): Catalog {
  return staticCatalog([{
    schema: 'druid', name: dataSource, kind: 'datasource',
    columns: [
      { name: '__time', sqlType: 'TIMESTAMP', nativeType: 'LONG' },
      { name: 'k', sqlType: 'VARCHAR', nativeType: 'STRING' },
      { name: 'v', sqlType: 'BIGINT', nativeType: 'LONG' },
      { name: 'd', sqlType: 'DOUBLE', nativeType: 'DOUBLE' },
    ],
  }]);
}

/** What the native streams of a counting runner did. */
export interface StreamCounters {
  /** runStream calls. */
  streams: number;
  /** Chunks and scan rows handed out so far. */
  chunks: number;
  rows: number;
  /** Streams that ended (finished, failed, or stopped by their consumer). */
  ended: number;
  /** The error the last stream ended with, if any. */
  lastError: unknown;
}

/** Wraps an executor so every native stream is counted as it is pulled. */
export function countingRunner(executor: QueryExecutor): { runner: NativeQueryRunner; counters: StreamCounters } {
  const counters: StreamCounters = { streams: 0, chunks: 0, rows: 0, ended: 0, lastError: undefined };
  async function* counted(q: NativeQuery, options?: RunOptions): AsyncGenerator<unknown[]> {
    counters.streams++;
    try {
      for await (const chunk of executor.runStream(q, options)) {
        counters.chunks++;
        for (const b of chunk as { events?: unknown[] }[]) counters.rows += b.events?.length ?? 0;
        yield chunk;
      }
    } catch (e) {
      counters.lastError = e;
      throw e;
    } finally {
      counters.ended++;
    }
  }
  return { runner: { run: (q, o) => executor.run(q, o), runStream: counted }, counters };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds (or fails after `ms`). */
export async function waitFor(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Waits until `value()` stops changing for `quietMs` (at most `ms`) and
 * returns it: where a paused consumer leaves a producer once buffers are full.
 */
export async function settled(value: () => number, quietMs = 300, ms = 8000): Promise<number> {
  const until = Date.now() + ms;
  let last = value();
  let since = Date.now();
  while (Date.now() < until) {
    await sleep(25);
    const v = value();
    if (v !== last) { last = v; since = Date.now(); } else if (Date.now() - since >= quietMs) return v;
  }
  throw new Error(`value kept changing for ${ms} ms (last ${last})`);
}
