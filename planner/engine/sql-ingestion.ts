/**
 * What INSERT / REPLACE need from the ingestion side. The SQL engine evaluates
 * the SELECT (over EXTERN input or tables) and hands finished rows over.
 */
import type { SqlColumn } from '../sql-engine.ts';

export interface SqlInsertRequest {
  readonly mode: 'INSERT' | 'REPLACE';
  readonly dataSource: string;
  /** Output columns of the SELECT; `__time` (TIMESTAMP, epoch ms) is required. */
  readonly columns: readonly SqlColumn[];
  readonly rows: readonly (readonly unknown[])[];
  /** Segment granularity: 'ALL', a unit name (DAY, HOUR, ...) or an ISO period; '' for a streaming INSERT ... VALUES. */
  readonly partitionedBy: string;
  readonly clusteredBy: readonly string[];
  /** REPLACE: intervals to overwrite (ISO strings); OVERWRITE ALL gives the eternity interval. */
  readonly replaceIntervals?: readonly string[];
}

/**
 * Rows of an INSERT/REPLACE produced while they are written: `emit` gets each
 * row in an array the producer reuses for the next row, so the receiver must
 * copy what it keeps before returning. Resolves when the input ends; throws
 * (and the write is abandoned, nothing published) on bad input.
 */
export type SqlRowProducer = (emit: (row: readonly unknown[]) => void) => Promise<void>;

/** An INSERT/REPLACE whose rows stream from `produce` (EXTERN input read once, never held in memory). */
export interface SqlInsertStreamRequest extends Omit<SqlInsertRequest, 'rows'> {
  readonly produce: SqlRowProducer;
}

export interface SqlIngestion {
  /**
   * Reads external input for TABLE(EXTERN(inputSource, inputFormat, signature)).
   * Rows are objects keyed by the signature's column names.
   */
  readExternal?(inputSource: unknown, inputFormat: unknown, signature: readonly { name: string; type: string }[]): Promise<readonly Record<string, unknown>[]>;
  /**
   * Writes rows into a data source; returns the number of rows written and,
   * when the write ran as a recorded task, its id (the statement then answers
   * one row with column TASK, as Druid does).
   */
  writeRows?(request: SqlInsertRequest): Promise<{ readonly rowCount: number; readonly taskId?: string }>;
  /**
   * The input's raw records in batches as they are read (records are the
   * reader's own objects: read them, do not keep them). Throws on the first
   * unparseable record.
   */
  readExternalBatches?(inputSource: unknown, inputFormat: unknown): AsyncIterable<readonly Record<string, unknown>[]>;
  /** As writeRows, with the rows streamed from `request.produce` while they are written. */
  writeRowStream?(request: SqlInsertStreamRequest): Promise<{ readonly rowCount: number; readonly taskId?: string }>;
}
