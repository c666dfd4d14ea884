/**
 * The composition root: builds every role of a one-process Nemeton from the
 * configuration and starts its front doors. The same pieces run separately in
 * a cluster; here they are wired together in memory.
 *
 *   metadata (SQLite) ─ deep storage (dir) ─ segment cache ─ data node ─┐
 *                                                                       ├─ segment source ─ query executor ─ SQL engine
 *   ingestion (batch tasks, inserts) ─ publisher ───────────────────────┘                 └─ HTTP API, pgwire
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { logger } from '../common/log.ts';
import { NemetonError } from '../common/errors.ts';
import { SqliteMetadataStore } from '../cluster/metadata/sqlite-metadata-store.ts';
import type { MetadataStore } from '../cluster/metadata/metadata-store.ts';
import { LocalDeepStorage } from '../cluster/deep-storage/local-deep-storage.ts';
import { SegmentCache } from '../cluster/segment-cache.ts';
import { SegmentPublisher } from '../cluster/segment-publisher.ts';
import { DataNode } from '../cluster/data-node.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../storage/local-segment-source.ts';
import { createQueryExecutor } from '../query/executor/query-executor.ts';
import { createSqlEngine } from '../planner/engine/create-sql-engine.ts';
import { createPgServer } from './pgwire/index.ts';
import { createHttpServer } from './http/http-server.ts';
import { QueryRegistry } from './http/query-registry.ts';
import { createMetadataAuthProvider, setUserPassword } from './metadata-auth-provider.ts';
import { withUserStatements } from './user-statements.ts';
import { createCatalog } from './catalog.ts';
import type { NemetonConfig } from './config.ts';
import type { SqlEngine } from '../planner/sql-engine.ts';
import { IngestionService } from '../cluster/ingestion/ingestion-service.ts';
import { registerIndexerRoutes } from './http/indexer-routes.ts';
import { createSqlIngestion } from './sql-ingestion-adapter.ts';
import { createSupervisorManager } from '../cluster/kafka/supervisor-manager.ts';
import { registerSupervisorRoutes } from './http/supervisor-routes.ts';

const log = logger('nemeton');
export const VERSION = '0.1.0';

export interface RunningNode {
  readonly config: NemetonConfig;
  readonly httpPort: number;
  readonly pgPort: number;
  readonly metadata: MetadataStore;
  readonly segments: LocalSegmentSource;
  readonly ingestion: IngestionService;
  /** The SQL engine behind both front doors (for embedding and benchmarks). */
  readonly sql: SqlEngine;
  /** Flips /status/health to true. */
  markReady(): void;
  /** Persists fresh data, closes the front doors and the metadata store. */
  stop(): Promise<void>;
}

async function listenOrExplain(what: string, port: number, host: string, listen: () => Promise<number>): Promise<number> {
  try {
    return await listen();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new NemetonError(`${what} port ${port} on ${host} is already in use; choose another with --${what === 'HTTP' ? 'http' : 'pg'}-port`);
    if (code === 'EACCES') throw new NemetonError(`no permission to listen on ${host}:${port} (${what})`);
    throw e;
  }
}

export async function startNode(config: NemetonConfig): Promise<RunningNode> {
  mkdirSync(config.dataDir, { recursive: true });
  const metadata = new SqliteMetadataStore(join(config.dataDir, 'metadata.db'));
  const deep = new LocalDeepStorage(join(config.dataDir, 'deep'));
  const cache = new SegmentCache(join(config.dataDir, 'cache'), deep);
  const segments = new LocalSegmentSource();
  const dataNode = new DataNode(metadata, cache, segments, openSegment);
  const synced = await dataNode.sync();
  if (synced.loaded > 0) log.info(`serving ${synced.loaded} segments from ${join(config.dataDir, 'cache')}`);

  // Workers start with the node (not on the first query); tiny queries stay on this thread, where a
  // message round trip would cost more than the scan.
  const executor = createQueryExecutor({
    segments, workers: config.workers > 0 ? config.workers : undefined, prestartWorkers: true, minRowsForWorkers: 65_536,
    admission: { maxConcurrentQueries: config.maxConcurrentQueries, maxQueuedQueries: config.maxQueuedQueries, lanes: config.queryLanes },
    interactiveCost: config.interactiveQueryCost,
  });
  const publisher = new SegmentPublisher(deep, metadata);
  const ingestion = new IngestionService({
    metadata, publisher, segments, dataNode, tmpDir: join(config.dataDir, 'tmp'), maxRowsInMemory: config.maxRowsInMemory,
  });
  await ingestion.recover();
  const supervisors = createSupervisorManager({ metadata, publisher, segments, dataNode, tmpDir: join(config.dataDir, 'tmp') });
  const catalog = createCatalog({ segments, metadata, dataNode, ingestion, supervisorRows: () => supervisors.sysSupervisorsRows() });
  const sql = createSqlEngine({ runner: executor, catalog, ingestion: createSqlIngestion(ingestion) });
  const queries = new QueryRegistry();
  let ready = false;

  const http = createHttpServer({
    runNative: (q, signal) => executor.run(q as never, { signal }),
    streamNative: (q, signal) => executor.runStream(q as never, { signal }),
    sql,
    queries,
    version: VERSION,
    isReady: () => ready,
    dataSources: () => segments.dataSources(),
  });
  registerIndexerRoutes(http.router, ingestion);
  registerSupervisorRoutes(http.router, supervisors);
  const pg = createPgServer({
    engine: withUserStatements(sql, (name, password) => setUserPassword(metadata, name, password)),
    host: config.host,
    port: config.pgPort,
    auth: createMetadataAuthProvider(metadata, { allowTrustBeyondLoopback: config.allowTrustBeyondLoopback }),
    allowTrustBeyondLoopback: config.allowTrustBeyondLoopback,
  });

  let httpPort: number;
  let pgPort: number;
  try {
    httpPort = await listenOrExplain('HTTP', config.httpPort, config.host, () => http.listen(config.httpPort, config.host));
    pgPort = await listenOrExplain('PostgreSQL', config.pgPort, config.host, async () => (await pg.listen()).port);
  } catch (e) {
    await http.close().catch(() => {});
    await executor.close();
    await metadata.close();
    throw e;
  }
  await supervisors.start(); // resumes persisted Kafka supervisors
  log.info(`Nemeton ${VERSION} listening: PostgreSQL on ${config.host}:${pgPort} (psql -h ${config.host} -p ${pgPort} -U admin -d nemeton), HTTP on http://${config.host}:${httpPort}/ (console, /druid/v2, /druid/v2/sql); data in ${config.dataDir}`);

  let stopped = false;
  return {
    config,
    httpPort,
    pgPort,
    metadata,
    segments,
    ingestion,
    sql,
    markReady: () => { ready = true; },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      ready = false;
      // Close the front doors first, so that no insert lands after the hand-off and is lost.
      await pg.close();
      await http.close();
      await supervisors.stop(); // hands off: segments and Kafka offsets published together
      await ingestion.shutdown(); // hands off fresh inserts
      await executor.close();
      await metadata.close();
      log.info('stopped');
    },
  };
}
