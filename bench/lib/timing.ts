/** Warm-up then timed runs; min/median/max in milliseconds. */
export interface Timing {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly runs: number;
}

/**
 * Runs fn at least `warmup` times and until `warmupMs` have passed (at most 50 warm-up runs), so JIT-compiled
 * engines are measured warm like native ones, then times `runs` runs.
 */
export async function timeIt(fn: () => Promise<unknown> | unknown, runs = 5, warmup = 2, warmupMs = 200): Promise<Timing> {
  const warmStart = performance.now();
  for (let i = 0; i < 50 && (i < warmup || performance.now() - warmStart < warmupMs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { min: samples[0], median: samples[Math.floor(samples.length / 2)], max: samples[samples.length - 1], runs };
}
