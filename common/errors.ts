/**
 * Errors that cross layers. Every error a user can see carries a Druid-style
 * error code (the `error` field of Druid's error JSON), a SQLSTATE for the
 * PostgreSQL wire protocol and an HTTP status for the HTTP API.
 */

export type DruidErrorCode =
  | 'Invalid input'          // bad query or bad request (Druid's "invalidInput" category)
  | 'SQL parse failed'
  | 'Plan validation failed'
  | 'Unsupported operation'
  | 'Query timeout'
  | 'Query capacity exceeded'
  | 'Query cancelled'
  | 'Resource limit exceeded'
  | 'Forbidden'
  | 'Not found'
  | 'Unknown exception';

export interface NemetonErrorOptions {
  /** Druid's `error` field. */
  code?: DruidErrorCode;
  /** PostgreSQL SQLSTATE, five characters. */
  sqlState?: string;
  httpStatus?: number;
  /** 1-based character position in the SQL text, for syntax errors. */
  position?: number;
  detail?: string;
  hint?: string;
  /** Druid's `errorClass`; defaults to a Druid-looking class name for the code. */
  errorClass?: string;
  cause?: unknown;
}

export class NemetonError extends Error {
  readonly code: DruidErrorCode;
  readonly sqlState: string;
  readonly httpStatus: number;
  readonly position: number | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly errorClass: string;

  constructor(message: string, options: NemetonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NemetonError';
    this.code = options.code ?? 'Unknown exception';
    this.sqlState = options.sqlState ?? defaultSqlState(this.code);
    this.httpStatus = options.httpStatus ?? defaultHttpStatus(this.code);
    this.position = options.position;
    this.detail = options.detail;
    this.hint = options.hint;
    this.errorClass = options.errorClass ?? defaultErrorClass(this.code);
  }
}

function defaultSqlState(code: DruidErrorCode): string {
  switch (code) {
    case 'Invalid input': return '22023';
    case 'SQL parse failed': return '42601';
    case 'Plan validation failed': return '42000';
    case 'Unsupported operation': return '0A000';
    case 'Query timeout': return '57014';
    case 'Query cancelled': return '57014';
    case 'Query capacity exceeded': return '53300';
    case 'Resource limit exceeded': return '53000';
    case 'Forbidden': return '42501';
    case 'Not found': return '42704';
    default: return 'XX000';
  }
}

function defaultHttpStatus(code: DruidErrorCode): number {
  switch (code) {
    case 'Query timeout': return 504;
    case 'Query capacity exceeded': return 429;
    case 'Forbidden': return 403;
    case 'Not found': return 404;
    case 'Unknown exception': return 500;
    case 'Resource limit exceeded': return 400;
    default: return 400;
  }
}

function defaultErrorClass(code: DruidErrorCode): string {
  switch (code) {
    case 'SQL parse failed': return 'org.apache.calcite.sql.parser.SqlParseException';
    case 'Plan validation failed': return 'org.apache.calcite.tools.ValidationException';
    case 'Query timeout': return 'java.util.concurrent.TimeoutException';
    case 'Query cancelled': return 'java.util.concurrent.CancellationException';
    case 'Query capacity exceeded': return 'org.apache.druid.query.QueryCapacityExceededException';
    case 'Unsupported operation': return 'org.apache.druid.query.QueryUnsupportedException';
    case 'Resource limit exceeded': return 'org.apache.druid.query.ResourceLimitExceededException';
    default: return 'org.apache.druid.error.DruidException';
  }
}

/** Shorthands for the errors raised most often. */
export const errors = {
  invalidInput: (message: string, extra: NemetonErrorOptions = {}) =>
    new NemetonError(message, { code: 'Invalid input', ...extra }),
  syntax: (message: string, position?: number) =>
    new NemetonError(message, { code: 'SQL parse failed', sqlState: '42601', ...(position === undefined ? {} : { position }) }),
  tableNotFound: (name: string) =>
    new NemetonError(`Object '${name}' not found`, { code: 'Plan validation failed', sqlState: '42P01' }),
  columnNotFound: (name: string) =>
    new NemetonError(`Column '${name}' not found in any table`, { code: 'Plan validation failed', sqlState: '42703' }),
  unsupported: (what: string) =>
    new NemetonError(`${what} is not supported`, { code: 'Unsupported operation', sqlState: '0A000' }),
  timeout: (ms: number) =>
    new NemetonError(`Query did not complete within configured timeout period [${ms} ms]`, { code: 'Query timeout' }),
  cancelled: (queryId: string) =>
    new NemetonError(`Query [${queryId}] was cancelled`, { code: 'Query cancelled' }),
  resourceLimit: (message: string) =>
    new NemetonError(message, { code: 'Resource limit exceeded', sqlState: '53000' }),
  corrupt: (what: string, why: string) =>
    new NemetonError(`${what} is corrupt: ${why}`, { code: 'Unknown exception', sqlState: 'XX001', httpStatus: 500 }),
};

/** Turns anything thrown into a NemetonError, keeping NemetonErrors as they are. */
export function asNemetonError(e: unknown): NemetonError {
  if (e instanceof NemetonError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new NemetonError(message, { code: 'Unknown exception', cause: e });
}

/** Druid's error JSON, as returned over HTTP. */
export function toDruidErrorJson(e: NemetonError, host: string | null = null): Record<string, unknown> {
  return {
    error: e.code,
    errorMessage: e.message,
    errorClass: e.errorClass,
    host,
    ...(e.position === undefined ? {} : { position: e.position }),
  };
}
