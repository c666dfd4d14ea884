/**
 * Worker-pool benchmark: persisted segments (storage's file format) in
 * shared memory, one query on the calling thread vs spread over worker
 * threads. Run: node --import tsx bench/query-workers.ts [rows]
 */
import { availableParallelism } from 'node:os';
import { overlaps } from '../common/interval.ts';
import { createQueryExecutor } from '../query/index.ts';
import { buildSegments } from '../storage/build-segments.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import type { DataSchema, InputRow } from '../storage/schema.ts';
import type { Segment } from '../storage/segment.ts';
import { toShared } from '../storage/shared-bytes.ts';
import { BENCH_DAY0, generateBenchData } from './query-data.ts';

const ROWS = Number(process.argv[2] ?? 2_000_000);

function* rowsOf(data: ReturnType<typeof generateBenchData>): Generator<InputRow> {
  for (let i = 0; i < data.time.length; i++) {
    yield { __time: data.time[i], channel: data.channels[data.channel[i]], page: `p${data.page[i]}`, isRobot: data.isRobot[i] === 1 ? 'true' : 'false', added: data.added[i], delta: data.delta[i] };
  }
}

async function main(): Promise<void> {
  const data = generateBenchData(ROWS);
  const schema: DataSchema = {
    dataSource: 'bench', rollup: false, queryGranularity: 'none', segmentGranularity: 'hour',
    dimensionsSpec: { dimensions: ['channel', 'page', 'isRobot'].map((name) => ({ name, type: 'string' as const })) },
    metricsSpec: [{ type: 'longSum', name: 'added', fieldName: 'added' }, { type: 'doubleSum', name: 'delta', fieldName: 'delta' }],
  };
  const t0 = performance.now();
  const segs: Segment[] = buildSegments(rowsOf(data), schema, { segmentVersion: 'v1' }).map((b) => openSegment(toShared(b.bytes), b.id));
  console.log(`built ${segs.length} segments of ${ROWS.toLocaleString()} rows in ${(performance.now() - t0).toFixed(0)} ms`);
  const source = { segmentsFor: (_ds: string, ivs: readonly { start: number; end: number }[]) => segs.filter((s) => ivs.some((iv) => overlaps(iv, s.id.interval))), dataSources: () => ['bench'] };
  const iv = [`${new Date(BENCH_DAY0).toISOString()}/P7D`];
  const queries: [string, unknown][] = [
    ['groupBy hour x channel: count, sum', { queryType: 'groupBy', dataSource: 'bench', intervals: iv, granularity: 'hour', dimensions: ['channel'], aggregations: [{ type: 'count', name: 'c' }, { type: 'doubleSum', name: 's', fieldName: 'delta' }] }],
    ['sum of a double, all rows', { queryType: 'timeseries', dataSource: 'bench', intervals: iv, granularity: 'all', aggregations: [{ type: 'doubleSum', name: 's', fieldName: 'delta' }] }],
    ['count where channel = X (filter)', { queryType: 'timeseries', dataSource: 'bench', intervals: iv, granularity: 'all', filter: { type: 'selector', dimension: 'channel', value: data.channels[3] }, aggregations: [{ type: 'count', name: 'c' }] }],
  ];
  const workers = Math.max(2, availableParallelism());
  console.log(`| query | calling thread ms | ${workers} workers ms | speedup |`);
  console.log('|---|---|---|---|');
  const local = createQueryExecutor({ segments: source, workers: 0 });
  const pooled = createQueryExecutor({ segments: source, workers });
  for (const [name, q] of queries) {
    const time = async (ex: typeof local) => {
      for (let i = 0; i < 2; i++) await ex.run(q);
      const xs: number[] = [];
      for (let i = 0; i < 5; i++) { const s = performance.now(); await ex.run(q); xs.push(performance.now() - s); }
      return xs.sort((a, b) => a - b)[2];
    };
    const a = await time(local);
    const b = await time(pooled);
    console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}x |`);
  }
  await pooled.close();
}

await main();
