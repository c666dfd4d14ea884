/** Heap measurement for streaming tests: a forced GC (exposed at run time) before reading heapUsed. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** heapUsed after a full collection, in bytes. */
export function settledHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Tracks live heap growth above a settled baseline: each sample forces a
 * collection first, so garbage does not count (sample sparingly).
 */
export class HeapWatch {
  private readonly base = settledHeap();
  private peak = 0;

  /** Records the current live heap. */
  sample(): void {
    const h = settledHeap() - this.base;
    if (h > this.peak) this.peak = h;
  }

  /** Largest live growth seen, in bytes. */
  get growth(): number {
    return this.peak;
  }

  /** Growth that survives a full collection now, in bytes. */
  retained(): number {
    return settledHeap() - this.base;
  }
}

export const MB = 1024 * 1024;
