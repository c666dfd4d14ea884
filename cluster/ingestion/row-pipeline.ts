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

/** One saved parse problem (the first maxSavedParseExceptions of a task are kept). */
export interface ParseError {
  /** When it happened (ISO). */
  readonly timestamp: string;
  /** The offending input (line or record), cut to 1000 characters. */
  readonly input: string;
  /** The reason, naming the field and value when one is at fault. */
  readonly details: string;
  /** 'unparseable' (row dropped) or 'processedWithError' (row kept, a field read as null); default unparseable. */
  readonly errorType?: 'unparseable' | 'processedWithError';
}

/** A saved parse error in Druid's task-report shape (ParseExceptionReport). */
export function parseErrorReport(p: ParseError): { timeOfExceptionMillis: number; input: string; errorType: string; details: string[] } {
  return { timeOfExceptionMillis: Date.parse(p.timestamp), input: p.input, errorType: p.errorType ?? 'unparseable', details: [p.details] };
}

/** Fields the schema reads as numbers: numeric dimensions and numeric metrics' input fields. */
function numericFields(spec: BatchIngestionSpec): string[] {
  const out = new Set<string>();
  for (const d of spec.dataSchema.dimensionsSpec.dimensions) if (d.type !== 'string') out.add(d.name);
  for (const m of spec.dataSchema.metricsSpec) {
    if (m.type !== 'count' && /^(long|double|float)(Sum|Min|Max)$/.test(m.type)) out.add(m.fieldName);
  }
  return [...out];
}

export function emptyRowStats(): RowStats {
  return { processed: 0, processedBytes: 0, processedWithError: 0, thrownAway: 0, unparseable: 0 };
}

export interface RowPipeline {
  readonly stats: RowStats;
  readonly parseErrors: ParseError[];
  /** The InputRow for a raw item, or null when it was counted as unparseable or thrown away. */
  accept(item: RawItem): InputRow | null;
  /**
   * Takes back the count of the last accepted row (processed or processedWithError), for a caller
   * that drops it afterwards and counts it elsewhere (a Kafka task's late rows).
   */
  uncount(): void;
}

export function createRowPipeline(spec: BatchIngestionSpec): RowPipeline {
  const stats = emptyRowStats();
  const parseErrors: ParseError[] = [];
  const parseTime = timestampParser(spec.timestampSpec);
  const column = spec.timestampSpec.column;
  const intervals = spec.intervals.map((i) => parseIsoInterval(i));
  const transform = compileTransforms(spec.transformSpec);
  const maxSaved = spec.tuningConfig.maxSavedParseExceptions;
  const numeric = numericFields(spec);
  const fail = (input: string, details: string) => {
    stats.unparseable++;
    if (parseErrors.length < maxSaved) parseErrors.push({ timestamp: new Date().toISOString(), input: input.slice(0, 1000), details, errorType: 'unparseable' });
  };
  /** Reasons for numeric fields holding text that is not a number (the row is kept; the field reads as null). */
  const badNumbers = (row: Record<string, unknown>): string[] | null => {
    let bad: string[] | null = null;
    for (let i = 0; i < numeric.length; i++) {
      const v = row[numeric[i]];
      if (typeof v === 'string' && v.trim() !== '' && Number.isNaN(Number(v))) {
        (bad ??= []).push(`Unable to parse value [${v.slice(0, 100)}] for field [${numeric[i]}] as a number`);
      }
    }
    return bad;
  };
  const anyText = textIn(numeric);
  let lastCounted: 'processed' | 'processedWithError' | null = null;
  return {
    stats,
    parseErrors,
    uncount() {
      if (lastCounted !== null) stats[lastCounted]--;
      lastCounted = null;
    },
    accept(item: RawItem): InputRow | null {
      lastCounted = null;
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
      // The record is this pipeline's own (fresh from the reader): it becomes the row, no copy.
      (record as Record<string, unknown>).__time = t;
      const row = transform(record as Record<string, unknown>);
      if (row === null) {
        stats.thrownAway++;
        return null;
      }
      const time = row.__time as number;
      if (intervals.length > 0 && !intervals.some((iv) => iv.start <= time && time < iv.end)) {
        stats.thrownAway++;
        return null;
      }
      // The common row holds no text in numeric fields: one generated check, then the detailed scan only when needed.
      const bad = numeric.length > 0 && anyText(row) ? badNumbers(row) : null;
      if (bad !== null) {
        stats.processedWithError++;
        lastCounted = 'processedWithError';
        if (parseErrors.length < maxSaved) {
          parseErrors.push({ timestamp: new Date().toISOString(), input: JSON.stringify(record, (k, v) => (k === '__time' ? undefined : v)).slice(0, 1000), details: `Found unparseable columns in row: ${bad.join('; ')}`, errorType: 'processedWithError' });
        }
      } else {
        stats.processed++;
        lastCounted = 'processed';
      }
      return row as InputRow;
    },
  };
}

/**
 * A check that any of the fields holds a string. Generated code reads each
 * field at its own site (monomorphic for records of one shape, where a loop
 * over names makes one megamorphic keyed read); a loop where code generation
 * is off.
 */
function textIn(fields: readonly string[]): (row: Record<string, unknown>) => boolean {
  try {
    const body = fields.length === 0 ? 'return false;' : `return ${fields.map((f) => `typeof row[${JSON.stringify(f)}] === 'string'`).join(' || ')};`;
    return new Function('row', body) as (row: Record<string, unknown>) => boolean;
  } catch {
    return (row) => fields.some((f) => typeof row[f] === 'string');
  }
}
