/**
 * Native query engine benchmark: 10M generated rows (7 daily segments), four
 * queries, each next to a hand-written typed-array loop over the same data.
 * Prints median ms and rows/s/core. Run: node --import tsx bench/query.ts [rows]
 */
import { createQueryExecutor } from '../query/index.ts';
import type { Segment, SegmentSource } from '../storage/segment.ts';
import { overlaps } from '../common/interval.ts';
import { BENCH_DAY0, generateBenchData } from './query-data.ts';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const RUNS = 7;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

// ---- hand-written reference loops ----
function handCount(ch: Int32Array, rb: Int32Array, x: number, y: number): number {
  let c = 0;
  for (let i = 0; i < ch.length; i++) c += ((ch[i] === x) as unknown as number) & ((rb[i] === y) as unknown as number);
  return c;
}
function handSum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
function handTopN(ch: Int32Array, page: Int32Array, from: number, to: number, x: number, counts: Int32Array): number {
  counts.fill(0);
  for (let i = from; i < to; i++) if (ch[i] === x) counts[page[i]]++;
  let best = 0;
  for (let k = 0; k < 10; k++) {
    let m = -1;
    let at = 0;
    for (let j = 0; j < counts.length; j++) if (counts[j] > m) { m = counts[j]; at = j; }
    counts[at] = -1;
    best += at;
  }
  return best;
}
function handGroupBy(t: Float64Array, ch: Int32Array, v: Float64Array, cnt: Float64Array, sum: Float64Array): number {
  cnt.fill(0);
  sum.fill(0);
  const t0 = t[0];
  for (let i = 0; i < t.length; i++) {
    const g = Math.floor((t[i] - t0) / 3600000) * 50 + ch[i];
    cnt[g]++;
    sum[g] += v[i];
  }
  return cnt.length;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const data = generateBenchData(ROWS);
  console.log(`generated ${ROWS.toLocaleString()} rows in ${(performance.now() - t0).toFixed(0)} ms`);
  const segs: Segment[] = data.segments;
  const source: SegmentSource = {
    segmentsFor: (ds, ivs) => segs.filter((s) => s.id.dataSource === ds && ivs.some((iv) => overlaps(iv, s.id.interval))),
    dataSources: () => ['bench'],
  };
  const ex = createQueryExecutor({ segments: source });
  const all = ['2015-09-12/2015-09-19'];
  const oneDay = ['2015-09-13/2015-09-14'];
  const chX = data.channels[3];
  const dayStart = BENCH_DAY0 + 86400000;
  let from = 0;
  while (data.time[from] < dayStart) from++;
  let to = from;
  while (to < ROWS && data.time[to] < dayStart + 86400000) to++;
  const counts = new Int32Array(100000);
  const hours = 7 * 24;
  const cnt = new Float64Array(hours * 50);
  const sum = new Float64Array(hours * 50);

  const cases: { name: string; rows: number; engine: () => Promise<unknown>; hand: () => unknown }[] = [
    {
      name: "count where channel = X and isRobot = 'false'", rows: ROWS,
      engine: () => ex.run({ queryType: 'timeseries', dataSource: 'bench', intervals: all, granularity: 'all', filter: { type: 'and', fields: [{ type: 'selector', dimension: 'channel', value: chX }, { type: 'selector', dimension: 'isRobot', value: 'false' }] }, aggregations: [{ type: 'count', name: 'c' }] }),
      hand: () => handCount(data.channel, data.isRobot, 3, 0),
    },
    {
      name: 'sum of a double column, all rows', rows: ROWS,
      engine: () => ex.run({ queryType: 'timeseries', dataSource: 'bench', intervals: all, granularity: 'all', aggregations: [{ type: 'doubleSum', name: 's', fieldName: 'delta' }] }),
      hand: () => handSum(data.delta),
    },
    {
      name: 'topN: top 10 pages by count, one channel, one day', rows: to - from,
      engine: () => ex.run({ queryType: 'topN', dataSource: 'bench', intervals: oneDay, granularity: 'all', dimension: 'page', metric: 'c', threshold: 10, filter: { type: 'selector', dimension: 'channel', value: chX }, aggregations: [{ type: 'count', name: 'c' }] }),
      hand: () => handTopN(data.channel, data.page, from, to, 3, counts),
    },
    {
      name: 'groupBy hour x channel: count, sum', rows: ROWS,
      engine: () => ex.run({ queryType: 'groupBy', dataSource: 'bench', intervals: all, granularity: 'hour', dimensions: ['channel'], aggregations: [{ type: 'count', name: 'c' }, { type: 'doubleSum', name: 's', fieldName: 'delta' }] }),
      hand: () => handGroupBy(data.time, data.channel, data.delta, cnt, sum),
    },
  ];
  console.log('| query | engine ms | engine Mrows/s/core | hand loop ms | hand Mrows/s/core | engine/hand |');
  console.log('|---|---|---|---|---|---|');
  for (const c of cases) {
    const e = await time(c.engine);
    const h = await time(c.hand);
    const rate = (ms: number) => (c.rows / ms / 1000).toFixed(0);
    console.log(`| ${c.name} | ${e.toFixed(1)} | ${rate(e)} | ${h.toFixed(1)} | ${rate(h)} | ${(e / h).toFixed(1)}x |`);
  }
  await ex.close();
}

await main();
