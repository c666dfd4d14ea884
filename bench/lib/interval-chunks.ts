/**
 * Splits a time-ordered row stream into runs of one segment-granularity
 * bucket each, without materialising any run: the loader ingests one bucket
 * at a time, so Nemeton's memory holds one interval's rows (not the whole
 * table) and each load hands off straight from memory, with no persisted
 * pieces to merge.
 */
import type { InputRow, SimpleGranularity } from '../../storage/schema.ts';
import { truncate } from '../../storage/time/granularity.ts';

/** One bucket's consecutive rows; `rows` can be iterated once, and must be before the next chunk is taken. */
export interface IntervalChunk {
  /** Start of the bucket (epoch ms). */
  readonly bucket: number;
  /** True when this bucket already had an earlier run (input not in time order): load it as an append. */
  readonly seenBefore: boolean;
  readonly rows: Iterable<InputRow>;
}

/**
 * Consecutive runs of rows sharing the `granularity` bucket of `__time`.
 * Rows out of time order start a new run of an earlier bucket (flagged
 * `seenBefore`), so every row is yielded exactly once whatever the order.
 * Taking the next chunk before finishing `rows` skips the rest of the run.
 */
export function* intervalChunks(rows: Iterable<InputRow>, granularity: SimpleGranularity): Generator<IntervalChunk> {
  const it = rows[Symbol.iterator]();
  let next = it.next();
  const seen = new Set<number>();
  const bucketOf = (r: InputRow): number => (granularity === 'all' ? 0 : truncate(r.__time, granularity));
  while (!next.done) {
    const bucket = bucketOf(next.value);
    const seenBefore = seen.has(bucket);
    seen.add(bucket);
    let done = false;
    const run: Iterable<InputRow> = {
      *[Symbol.iterator]() {
        while (!done && !next.done && bucketOf(next.value) === bucket) {
          const r = next.value;
          next = it.next();
          yield r;
        }
        done = true;
      },
    };
    yield { bucket, seenBefore, rows: run };
    // Skip whatever the consumer left of this run.
    while (!next.done && bucketOf(next.value) === bucket) next = it.next();
    done = true;
  }
}
