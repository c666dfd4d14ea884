/**
 * Helpers for tests that need real external servers. Each start* function launches a fresh server on
 * 127.0.0.1 at free ports with a temp data dir, resolves when it is ready, and its stop() shuts it down and
 * removes the data; servers still running when the test process exits are killed.
 *
 * Gate such tests with `{ skip: skipUnlessInstalled('kafka') }`: skipped (with a message) when the
 * component is absent on a developer machine, an error in CI.
 */
export { freePort } from './free-port.ts';
export { startPostgres } from './postgres.ts';
export type { PostgresOptions, PostgresServer } from './postgres.ts';
export { startKafka } from './kafka.ts';
export type { KafkaOptions, KafkaServer, KafkaTopicSpec } from './kafka.ts';
export { startMinio } from './minio.ts';
export type { MinioOptions, MinioServer } from './minio.ts';
export {
  jdbcQuery,
  missingPgClientTools,
  odbcQuery,
  PgClientError,
  pgClientTools,
  psqlQuery,
  psycopg2Query,
  runPgbench,
  sqlalchemyQuery,
} from './pg-clients.ts';
export type { ClientResult, PgClientTools, PgTarget } from './pg-clients.ts';
export { retryOnPortClash } from './free-port.ts';
export { javaCommand } from './java.ts';
export {
  cacheDir,
  isCI,
  kafkaLibsDir,
  locateComponent,
  minioBinary,
  pinnedVersions,
  postgresBinDir,
  skipUnlessInstalled,
} from './components.ts';
export type { ExternalComponent } from './components.ts';
