/**
 * Druid's duration granularity: fixed-length buckets of `duration` ms aligned
 * to an origin instant (default the epoch). Zone-free by definition.
 */
import type { Granularity } from './granularity.ts';

export class DurationGranularity implements Granularity {
  readonly kind = 'duration' as const;
  private readonly phase: number;

  /** @param duration bucket length in ms, a positive integer; @param origin any instant on a bucket boundary. */
  constructor(readonly duration: number, readonly origin = 0) {
    const r = origin % duration;
    this.phase = r < 0 ? r + duration : r;
  }

  bucketStart(t: number): number {
    const d = this.duration;
    let off = (t % d) - this.phase;
    if (off < 0) off += d;
    if (off >= d) off -= d;
    return t - off;
  }

  next(start: number): number {
    return start + this.duration;
  }

  toJSON(): unknown {
    return { type: 'duration', duration: this.duration, ...(this.origin !== 0 ? { origin: new Date(this.origin).toISOString() } : {}) };
  }
}
