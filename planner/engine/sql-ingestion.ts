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
}
