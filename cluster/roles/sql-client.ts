/**
 * The little SQL surface the cluster coordination tables need, so one
 * implementation (SqlClusterStore) runs on both SQLite and PostgreSQL.
 * SQL is written with `?` placeholders; the PostgreSQL client renumbers them.
 */
export type SqlParam = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlClient {
  /** Rows of a query. */
  all(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/** Runs `fn` inside one transaction (committed when it resolves, rolled back when it throws). */
export type SqlTransaction = <T>(fn: (tx: SqlClient) => Promise<T>) => Promise<T>;
