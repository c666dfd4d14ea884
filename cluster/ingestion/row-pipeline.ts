/**
 * Turns raw input records into InputRows following a batch spec: timestamp,
 * transforms, the transform filter and the spec's intervals. Counts what
 * happens to every record, as Druid's task reports do.
 */
import { parseIsoInterval } from '../../query/time/iso-time.ts';
import type { InputRow } from '../../storage/schema.ts';
import type { BatchIngestionSpec } from './ingestion-spec.ts';
import type { RawItem } from './input-reader.ts';
import { timestampParser } from './timestamp-parser.ts';
import { compileTransforms } from './transforms.ts';

export interface RowStats {
  processed: number;
  processedBytes: number;
  processedWithError: number;
  thrownAway: number;
  unparseable: number;
}

export interface ParseError {
  readonly timestamp: string;
  readonly input: string;
  readonly details: string;
}

export function emptyRowStats(): RowStats {
  return { processed: 0, processedBytes: 0, processedWithError: 0, thrownAway: 0, unparseable: 0 };
}

export interface RowPipeline {
  readonly stats: RowStats;
  readonly parseErrors: ParseError[];
  /** The InputRow for a raw item, or null when it was counted as unparseable or thrown away. */
  accept(item: RawItem): InputRow | null;
}

export function createRowPipeline(spec: BatchIngestionSpec): RowPipeline {
  const stats = emptyRowStats();
  const parseErrors: ParseError[] = [];
  const parseTime = timestampParser(spec.timestampSpec);
  const column = spec.timestampSpec.column;
  const intervals = spec.intervals.map((i) => parseIsoInterval(i));
  const transform = compileTransforms(spec.transformSpec);
  const maxSaved = spec.tuningConfig.maxSavedParseExceptions;
  const fail = (input: string, details: string) => {
    stats.unparseable++;
    if (parseErrors.length < maxSaved) parseErrors.push({ timestamp: new Date().toISOString(), input: input.slice(0, 1000), details });
  };
  return {
    stats,
    parseErrors,
    accept(item: RawItem): InputRow | null {
      if (!item.ok) {
        fail(item.input, item.error);
        return null;
      }
      const record = item.record;
      const t = parseTime(record[column]);
      if (t === null || !Number.isFinite(t)) {
        fail(JSON.stringify(record), `Unparseable timestamp found! Event: ${JSON.stringify(record).slice(0, 300)}`);
        return null;
      }
      const row = transform({ ...record, __time: t });
      if (row === null) {
        stats.thrownAway++;
        return null;
      }
      const time = row.__time as number;
      if (intervals.length > 0 && !intervals.some((iv) => iv.start <= time && time < iv.end)) {
        stats.thrownAway++;
        return null;
      }
      stats.processed++;
      return row as InputRow;
    },
  };
}
