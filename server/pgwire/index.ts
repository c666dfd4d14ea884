/**
 * PostgreSQL wire protocol (v3) front door for a SqlEngine: psql, JDBC, ODBC,
 * Python and Node drivers and BI tools connect unmodified.
 */
export { createPgServer, type PgServer, type PgServerOptions } from './server.ts';
export {
  createStaticAuthProvider,
  formatScramVerifier,
  md5PasswordHash,
  parseScramVerifier,
  scramSecretFromPassword,
  trustAuthProvider,
  type PgAuthMethod,
  type PgAuthProvider,
  type PgAuthRequest,
  type ScramSecret,
  type StaticAuthOptions,
} from './auth-provider.ts';
export { oidForColumn, oidForSqlType, Oid } from './type-oids.ts';
export { SERVER_VERSION, NEMETON_VERSION } from './session-settings.ts';
