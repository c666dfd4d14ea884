/**
 * The cost of placing a segment on a server, in the spirit of Druid's
 * CostBalancerStrategy: segments close in time (and of the same data source)
 * are likely queried together, so putting them on one server concentrates
 * load. Cost grows with the time proximity of the segments already there
 * (exponential decay with a one-day half-life), doubled for the same data
 * source, plus how full the server is.
 */

const HALF_LIFE_MS = 86_400_000;
const LN2 = Math.LN2;

/** Columnar view of the segments one server holds (or will hold), for the cost kernel. */
export class ServerLoad {
  starts = new Float64Array(16);
  ends = new Float64Array(16);
  dataSources = new Int32Array(16);
  count = 0;
  bytes = 0;

  constructor(readonly maxBytes: number) {}

  add(start: number, end: number, dataSource: number, size: number): void {
    if (this.count === this.starts.length) {
      const grow = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts, (n) => new Float64Array(n));
      this.ends = grow(this.ends, (n) => new Float64Array(n));
      this.dataSources = grow(this.dataSources, (n) => new Int32Array(n));
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.dataSources[this.count] = dataSource;
    this.count++;
    this.bytes += size;
  }
}

/** Sum over held segments of 2^(-gap/half-life), where overlapping intervals have gap 0; same data source counts twice. */
export function proximityCost(
  starts: Float64Array, ends: Float64Array, dataSources: Int32Array, count: number,
  start: number, end: number, dataSource: number,
): number {
  let cost = 0;
  for (let i = 0; i < count; i++) {
    const s = starts[i];
    const e = ends[i];
    const gap = s >= end ? s - end : start >= e ? start - e : 0;
    const w = Math.exp((-gap / HALF_LIFE_MS) * LN2);
    cost += dataSources[i] === dataSource ? 2 * w : w;
  }
  return cost;
}

/** Placement cost of a segment on a server; Infinity when it does not fit. */
export function placementCost(load: ServerLoad, start: number, end: number, dataSource: number, size: number): number {
  if (load.bytes + size > load.maxBytes) return Infinity;
  const fill = load.maxBytes > 0 ? load.bytes / load.maxBytes : 0;
  return proximityCost(load.starts, load.ends, load.dataSources, load.count, start, end, dataSource) + fill;
}
