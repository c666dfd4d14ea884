/**
 * What the front doors (PostgreSQL wire protocol, HTTP SQL API) need from SQL:
 * execute a statement with parameters in a session, or describe it without
 * running it. Values in rows are plain JS: string, number (DOUBLE/FLOAT and
 * BIGINT while exact), bigint (BIGINT beyond 2^53), boolean, null, Date-free
 * TIMESTAMP as epoch ms number, arrays as JS arrays.
 */

/** Druid SQL types (what Druid's `sqlTypesHeader` reports). */
export type SqlType =
  | 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'SMALLINT' | 'DOUBLE' | 'FLOAT' | 'REAL' | 'DECIMAL' | 'BOOLEAN'
  | 'TIMESTAMP' | 'DATE' | 'OTHER' | 'ARRAY' | 'NULL';

export interface SqlColumn {
  readonly name: string;
  readonly sqlType: SqlType;
  /** Element type for ARRAY columns. */
  readonly elementType?: SqlType;
  /** Druid's native type name for `typesHeader` (STRING, LONG, DOUBLE, FLOAT, COMPLEX<...>, ARRAY<...>). */
  readonly nativeType?: string;
}

export interface SqlSessionContext {
  /** Druid query context values (sqlTimeZone, useApproximateCountDistinct, sqlQueryId, timeout...). */
  readonly queryContext: Readonly<Record<string, unknown>>;
  readonly user: string;
  readonly database: string;
  /** Session settings set with SET (search_path, TimeZone, application_name...). */
  readonly settings: Map<string, string>;
  /** Aborted when the client cancels (CancelRequest, DELETE /druid/v2/sql/{id}, disconnect). */
  readonly signal?: AbortSignal;
}

export interface SqlResult {
  readonly columns: readonly SqlColumn[];
  /** Rows stream so that a large result never sits whole in memory. */
  readonly rows: AsyncIterable<readonly unknown[]>;
  /** PostgreSQL command tag verb: SELECT, INSERT, SET, BEGIN, EXPLAIN... */
  readonly command: string;
  /** For INSERT/REPLACE and other statements without rows: the affected row count. */
  readonly rowCount?: number;
  readonly queryId: string;
}

export interface SqlDescription {
  readonly columns: readonly SqlColumn[];
  /** Inferred types of `$1..$n` / `?` parameters (VARCHAR when unknown). */
  readonly parameterTypes: readonly SqlType[];
  /** False for statements that return no rows (SET, INSERT...). */
  readonly returnsRows: boolean;
}

export interface SqlEngine {
  execute(sql: string, parameters: readonly unknown[], session: SqlSessionContext): Promise<SqlResult>;
  describe(sql: string, session: SqlSessionContext): Promise<SqlDescription>;
  /** Split a simple-query string into statements (semicolons outside quotes/comments). */
  splitStatements(sql: string): string[];
}
