/**
 * The composition root of one cluster process: any mix of the broker,
 * historical, realtime and coordinator roles over a shared metadata store
 * (SQLite file or PostgreSQL) and deep storage (directory or S3/MinIO). Each
 * process announces itself with heartbeats, serves its roles' HTTP routes, and
 * stops cleanly on stop().
 *
 *   broker:     native queries (/druid/v2) and SQL (/druid/v2/sql, and pgwire when `pgPort` is set)
 *               over the cluster; INSERT goes to a realtime
 *   realtime:   SQL inserts and INSERT/REPLACE tasks, batch tasks and Kafka supervisors into incremental
 *               indexes, served to brokers until historicals have loaded the handed-off segments; each
 *               supervisor runs on one realtime (a lease in the metadata store), taken over by another
 *               when its realtime stops heartbeating
 *   historical: serves published segments the coordinator assigns
 *
 * Query admission (maxConcurrentQueries, maxQueuedQueries, queryLanes, as in
 * one process) applies on the broker to every query it receives, and on each
 * historical and realtime to the partials brokers ask of it; tasks there run
 * in the order of the priority, lane and cost estimate the broker forwards.
 *
 * Run directly as a process: `node --import tsx server/cluster-node.ts '<options JSON>'`;
 * it prints `NEMETON_CLUSTER_NODE_READY {"name","httpPort","pgPort"?}` once
 * serving and stops on SIGTERM/SIGINT.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '../common/errors.ts';
import { logger } from '../common/log.ts';
import type { MetadataStore } from '../cluster/metadata/metadata-store.ts';
import { SqliteMetadataStore } from '../cluster/metadata/sqlite-metadata-store.ts';
import { PostgresMetadataStore } from '../cluster/metadata/postgres-metadata-store.ts';
import type { DeepStorage } from '../cluster/deep-storage/deep-storage.ts';
import { LocalDeepStorage } from '../cluster/deep-storage/local-deep-storage.ts';
import { S3DeepStorage } from '../cluster/deep-storage/s3-deep-storage.ts';
import { SegmentCache } from '../cluster/segment-cache.ts';
import type { ClusterStore, NodeRole } from '../cluster/roles/cluster-store.ts';
import { SqliteClusterStore } from '../cluster/roles/sqlite-cluster-store.ts';
import { ServerAnnouncer } from '../cluster/roles/server-announcer.ts';
import { Historical } from '../cluster/roles/historical.ts';
import { Coordinator } from '../cluster/coordinator/coordinator.ts';
import { DEFAULT_TIER } from '../cluster/coordinator/rules.ts';
import { Broker } from '../cluster/broker/broker.ts';
import { BrokerServerView } from '../cluster/broker/broker-server-view.ts';
import { createQueryExecutor, type QueryExecutor } from '../query/executor/query-executor.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../storage/local-segment-source.ts';
import type { SqlEngine } from '../planner/sql-engine.ts';
import { createSqlEngine } from '../planner/engine/create-sql-engine.ts';
import { RealtimeSegmentSource } from '../cluster/roles/realtime-segment-source.ts';
import { Realtime } from '../cluster/roles/realtime.ts';
import { DataNode } from '../cluster/data-node.ts';
import { SegmentPublisher } from '../cluster/segment-publisher.ts';
import { IngestionService } from '../cluster/ingestion/ingestion-service.ts';
import { createSupervisorManager, type SupervisorManager } from '../cluster/kafka/supervisor-manager.ts';
import { createRealtimeInsertClient } from '../cluster/broker/realtime-insert-client.ts';
import { createHttpServer } from './http/http-server.ts';
import { QueryRegistry } from './http/query-registry.ts';
import { registerBrokerRoutes, registerCoordinatorRoutes, registerHistoricalRoutes, registerRealtimeRoutes } from './http/cluster-routes.ts';
import { registerIndexerRoutes } from './http/indexer-routes.ts';
import { registerClusterSupervisorRoutes } from './cluster-supervisor-routes.ts';
import { SupervisorAssigner } from '../cluster/roles/supervisor-assigner.ts';
import { failOrphanedTasks, taskRunner } from '../cluster/roles/orphaned-tasks.ts';
import { createPgServer, type PgServer } from './pgwire/index.ts';
import { createMetadataAuthProvider } from './metadata-auth-provider.ts';
import { createBrokerCatalog } from './broker-catalog.ts';
import { createSqlIngestion } from './sql-ingestion-adapter.ts';
import { defaultConfig } from './config.ts';
import { withPartialAdmission } from './data-process-admission.ts';
import type { AdmissionOptions, QueryAdmission } from '../query/executor/admission.ts';
import type { SqlInsertRequest } from '../planner/engine/sql-ingestion.ts';

const log = logger('cluster-node');
const VERSION = '0.1.0';
const ALL_ROLES: readonly NodeRole[] = ['broker', 'historical', 'realtime', 'coordinator'];

export type MetadataConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };
export type DeepStorageConfig =
  | { type: 'local'; dir: string }
  | { type: 's3'; endPoint: string; port?: number; accessKey: string; secretKey: string; bucket: string; useSSL?: boolean; prefix?: string };

export interface ClusterNodeOptions {
  readonly roles: readonly NodeRole[];
  readonly metadata: MetadataConfig;
  readonly deepStorage: DeepStorageConfig;
  readonly host: string;
  /** 0 picks a free port. */
  readonly httpPort: number;
  readonly dataDir: string;
  /** Historical tier (default `_default_tier`). */
  readonly tier?: string;
  /** Bytes of segments a historical may hold (default 10 GiB). */
  readonly maxSizeBytes?: number;
  /** Heartbeat period and time-to-live (defaults 1000 / 5000 ms). */
  readonly heartbeatMs?: number;
  readonly heartbeatTtlMs?: number;
  /** Broker: how often it re-reads the server view (default 1000 ms). */
  readonly brokerPollMs?: number;
  /** Broker: bytes of the per-segment result cache (default 64 MiB; 0 disables). */
  readonly brokerCacheBytes?: number;
  /** Coordinator lease time-to-live; passes run every third of it (default 3000 ms). */
  readonly coordinatorLeaseMs?: number;
  /** Historical query worker threads (default: available parallelism; 0: calling thread). */
  readonly workers?: number;
  /** Broker: PostgreSQL wire protocol port (0 picks a free port; absent: no pgwire server). */
  readonly pgPort?: number;
  /** Broker pgwire: let 'trust' (no users configured) apply beyond loopback (default false). */
  readonly allowTrustBeyondLoopback?: boolean;
  /** Realtime: rows an incremental index holds before it is handed off (default 150000). */
  readonly maxRowsInMemory?: number;
  /** Realtime: fresh data is handed off at least this often (default 600000 ms; 0: only when full or on demand). */
  readonly realtimeHandoffPeriodMs?: number;
  /** Realtime: how long a historical must serve a handed-off segment before the realtime lets go (default 3000 ms). */
  readonly realtimeHandoffGraceMs?: number;
  /** Realtime: on stop, how long to wait for historicals to take over published data (default 10000 ms). */
  readonly realtimeStopWaitMs?: number;
  /**
   * Queries running at once on this process (broker: queries it receives; historical, realtime: queries
   * brokers ask partials of); 0 = no limit. Default as one process (server/config.ts).
   */
  readonly maxConcurrentQueries?: number;
  /** Queries waiting beyond maxConcurrentQueries; more get Query capacity exceeded (HTTP 429, SQLSTATE 53300). */
  readonly maxQueuedQueries?: number;
  /** Query lanes: name → most queries held at once (context `lane`; a `low` lane takes negative priorities). */
  readonly queryLanes?: Readonly<Record<string, number>>;
  /** Historical, realtime: estimated cost up to which a query's tasks run ahead of heavier ones. */
  readonly interactiveQueryCost?: number;
}

export interface RunningClusterNode {
  /** `host:port`, the name in the `servers` table. */
  readonly name: string;
  readonly httpPort: number;
  readonly roles: readonly NodeRole[];
  readonly metadata: MetadataStore;
  readonly cluster: ClusterStore;
  readonly historical?: Historical;
  readonly broker?: Broker;
  readonly brokerView?: BrokerServerView;
  readonly coordinator?: Coordinator;
  readonly realtime?: Realtime;
  readonly ingestion?: IngestionService;
  readonly supervisors?: SupervisorManager;
  /** Realtime: decides which supervisors run here. */
  readonly supervisorAssigner?: SupervisorAssigner;
  /** Broker: the SQL engine behind /druid/v2/sql and pgwire. */
  readonly sql?: SqlEngine;
  /** Broker: the pgwire port, when `pgPort` was given. */
  readonly pgPort?: number;
  /** Historical: admission control of the partials brokers ask of it. */
  readonly historicalAdmission?: QueryAdmission;
  /** Realtime: admission control of the partials brokers ask of it. */
  readonly realtimeAdmission?: QueryAdmission;
  /** Milliseconds from the call to startClusterNode until it served. */
  readonly startupMs: number;
  /** Stops every role, unannounces, closes the HTTP server and the store. Idempotent. */
  stop(): Promise<void>;
}

function validate(o: ClusterNodeOptions): void {
  if (!Array.isArray(o.roles) || o.roles.length === 0) throw errors.invalidInput('A cluster node needs at least one role');
  for (const r of o.roles) if (!ALL_ROLES.includes(r)) throw errors.invalidInput(`Unknown role [${String(r)}]; roles are ${ALL_ROLES.join(', ')}`);
}

async function openStores(config: MetadataConfig): Promise<{ metadata: MetadataStore; cluster: ClusterStore; close(): Promise<void> }> {
  if (config.type === 'postgres') {
    const store = await PostgresMetadataStore.open({ url: config.url });
    return { metadata: store, cluster: store, close: () => store.close() };
  }
  const metadata = new SqliteMetadataStore(config.path);
  const cluster = new SqliteClusterStore(config.path);
  return { metadata, cluster, close: async () => { cluster.close(); await metadata.close(); } };
}

/** Deep storage from its configuration. */
export function createDeepStorage(config: DeepStorageConfig): DeepStorage {
  return config.type === 's3' ? new S3DeepStorage(config) : new LocalDeepStorage(config.dir);
}

const unsupportedSql: SqlEngine = {
  execute: async () => { throw errors.unsupported('SQL on a cluster process without the broker role (send SQL to a broker)'); },
  describe: async () => { throw errors.unsupported('SQL on a cluster process without the broker role (send SQL to a broker)'); },
  splitStatements: (sql) => [sql],
};

/** The admission limits of a process from its options (defaults as one process). */
function admissionOptions(o: ClusterNodeOptions): AdmissionOptions {
  return {
    maxConcurrentQueries: o.maxConcurrentQueries ?? defaultConfig.maxConcurrentQueries,
    maxQueuedQueries: o.maxQueuedQueries ?? defaultConfig.maxQueuedQueries,
    lanes: o.queryLanes ?? defaultConfig.queryLanes,
  };
}

/** Starts a cluster process with the given roles; resolves once it serves HTTP and has announced itself. */
export async function startClusterNode(options: ClusterNodeOptions): Promise<RunningClusterNode> {
  const startedAt = performance.now();
  validate(options);
  mkdirSync(options.dataDir, { recursive: true });
  const stores = await openStores(options.metadata);
  const { metadata, cluster } = stores;
  const roles = [...new Set(options.roles)];
  const has = (r: NodeRole) => roles.includes(r);
  const cleanups: (() => Promise<void>)[] = [];
  const admission = admissionOptions(options);
  const interactiveCost = options.interactiveQueryCost ?? defaultConfig.interactiveQueryCost;

  let historical: Historical | undefined;
  let historicalExecutor: QueryExecutor | undefined;
  if (has('historical')) {
    const deep = createDeepStorage(options.deepStorage);
    const executor = createQueryExecutor({ segments: new LocalSegmentSource(), workers: options.workers, admission, interactiveCost });
    cleanups.push(() => executor.close());
    historicalExecutor = withPartialAdmission(executor);
    historical = new Historical({
      name: '', cluster, cache: new SegmentCache(join(options.dataDir, 'segment-cache'), deep),
      manifestDir: join(options.dataDir, 'segment-manifest'), executor: historicalExecutor, open: openSegment,
    });
    const restored = await historical.restoreFromCache();
    if (restored > 0) log.info(`serving ${restored} segments from the local cache`);
  }

  let broker: Broker | undefined;
  let brokerView: BrokerServerView | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  if (has('broker')) {
    brokerView = new BrokerServerView(metadata, cluster);
    const mergeExecutor = createQueryExecutor({ segments: new LocalSegmentSource(), workers: 0 });
    broker = new Broker({ view: brokerView, executor: mergeExecutor, cacheBytes: options.brokerCacheBytes, admission });
    cleanups.push(async () => { await broker!.close(); await mergeExecutor.close(); });
  }

  let realtime: Realtime | undefined;
  let ingestion: IngestionService | undefined;
  let supervisors: SupervisorManager | undefined;
  let assigner: SupervisorAssigner | undefined;
  let realtimeSource: RealtimeSegmentSource | undefined;
  let realtimeAdmission: QueryAdmission | undefined;
  if (has('realtime')) {
    const deep = createDeepStorage(options.deepStorage);
    const source = new RealtimeSegmentSource();
    realtimeSource = source;
    const cache = new SegmentCache(join(options.dataDir, 'realtime-cache'), deep);
    const dataNode = new DataNode(metadata, cache, source, openSegment);
    const publisher = new SegmentPublisher(deep, metadata);
    const tmpDir = join(options.dataDir, 'tmp');
    ingestion = new IngestionService({ metadata, publisher, segments: source, dataNode, tmpDir, maxRowsInMemory: options.maxRowsInMemory ?? 150_000 });
    const assignment = { claim: (id: string) => assigner!.claim(id), changed: (id: string) => assigner!.changed(id) };
    supervisors = createSupervisorManager({ metadata, publisher, segments: source, dataNode, tmpDir, assignment });
    assigner = new SupervisorAssigner({ metadata, cluster, supervisors, leaseTtlMs: options.heartbeatTtlMs ?? 5000, periodMs: options.heartbeatMs ?? 1000 });
    const executor = createQueryExecutor({ segments: source, workers: 0, admission, interactiveCost });
    cleanups.push(() => executor.close());
    const realtimeExecutor = withPartialAdmission(executor);
    realtimeAdmission = executor.admission;
    realtime = new Realtime({
      source, executor: realtimeExecutor, cluster, servedRecords: () => dataNode.servedRecords(), dropCached: (r) => cache.drop(r),
      handoffGraceMs: options.realtimeHandoffGraceMs,
    });
  }

  let sql: SqlEngine | undefined;
  if (broker !== undefined && brokerView !== undefined) {
    const b = broker;
    sql = createSqlEngine({
      runner: { run: (q, o) => b.run(q, o?.signal) },
      catalog: createBrokerCatalog({ view: brokerView, version: VERSION, metadata, cluster }),
      ingestion: createRealtimeInsertClient(brokerView),
    });
  }

  const queries = new QueryRegistry();
  let ready = false;
  const http = createHttpServer({
    runNative: (q, signal) => {
      if (broker === undefined) throw errors.unsupported('Native queries on a process without the broker role');
      return broker.run(q, signal);
    },
    sql: sql ?? unsupportedSql,
    queries,
    version: VERSION,
    isReady: () => ready,
    dataSources: () => brokerView?.dataSources() ?? [],
  });
  const httpPort = await http.listen(options.httpPort, options.host);
  const name = `${options.host}:${httpPort}`;
  if (historical !== undefined) {
    historical.setName(name);
    registerHistoricalRoutes(http.router, historical);
  }

  let coordinator: Coordinator | undefined;
  if (has('coordinator')) {
    coordinator = new Coordinator({ name, metadata, cluster, leaseTtlMs: options.coordinatorLeaseMs });
    registerCoordinatorRoutes(http.router, coordinator, cluster);
  }
  if (broker !== undefined && brokerView !== undefined) registerBrokerRoutes(http.router, broker, brokerView);
  if (realtime !== undefined && ingestion !== undefined && supervisors !== undefined && assigner !== undefined) {
    realtime.setName(name);
    assigner.setName(name);
    const ing = ingestion;
    // Fail only the unfinished tasks of a previous process of this name, of processes that are gone, and
    // of processes that did not record themselves; other live realtimes' tasks keep running.
    const live = new Set((await cluster.liveServers(Date.now())).map((s) => s.name));
    await ing.recover({ isOrphan: (t) => { const r = taskRunner(t); return r === undefined || r === name || !live.has(r); } });
    ing.setTaskRunner(name);
    const sqlIngestion = createSqlIngestion(ing);
    registerRealtimeRoutes(http.router, realtime, {
      writeRows: async (request) => sqlIngestion.writeRows!(request as unknown as SqlInsertRequest),
      handoff: (ds) => ing.handoff(ds),
    });
    registerIndexerRoutes(http.router, ing);
    registerClusterSupervisorRoutes(http.router, { manager: supervisors, assigner, cluster, metadata });
  }

  let pg: PgServer | undefined;
  let pgPort: number | undefined;
  if (sql !== undefined && options.pgPort !== undefined) {
    const allowTrust = options.allowTrustBeyondLoopback ?? false;
    pg = createPgServer({
      engine: sql, host: options.host, port: options.pgPort,
      auth: createMetadataAuthProvider(metadata, { allowTrustBeyondLoopback: allowTrust }), allowTrustBeyondLoopback: allowTrust,
    });
    try {
      pgPort = (await pg.listen()).port;
    } catch (e) {
      await http.close().catch(() => {});
      for (const c of cleanups) await c().catch(() => {});
      await stores.close().catch(() => {});
      throw e;
    }
  }

  const announcer = new ServerAnnouncer(cluster, {
    name, host: options.host, httpPort, roles, tier: options.tier ?? DEFAULT_TIER,
    maxSize: options.maxSizeBytes ?? 10 * 1024 ** 3,
    heartbeatMs: options.heartbeatMs ?? 1000, ttlMs: options.heartbeatTtlMs ?? 5000,
    onBeat: historical || realtime ? async () => {
      await historical?.announceAll();
      await realtime?.checkHandoffs().catch((e) => log.warn(`hand-off check failed: ${(e as Error).message}`));
    } : undefined,
  });
  let handoffTimer: NodeJS.Timeout | undefined;
  let orphanTimer: NodeJS.Timeout | undefined;
  try {
    await announcer.start();
    if (brokerView !== undefined) {
      await brokerView.refresh();
      const poll = () => {
        pollTimer = setTimeout(() => { void brokerView!.refresh().finally(() => { if (pollTimer !== undefined) poll(); }); }, options.brokerPollMs ?? 1000);
      };
      poll();
    }
    coordinator?.start();
    if (assigner !== undefined) {
      await assigner.start();
      const reap = async () => {
        const live = new Set((await cluster.liveServers(Date.now())).map((s) => s.name));
        const failed = await failOrphanedTasks(metadata, live);
        if (failed > 0) log.warn(`marked ${failed} task(s) of stopped processes FAILED`);
      };
      orphanTimer = setInterval(() => { void reap().catch((e) => log.warn(`checking for orphaned tasks failed: ${(e as Error).message}`)); }, options.heartbeatTtlMs ?? 5000);
      orphanTimer.unref();
    }
    const period = options.realtimeHandoffPeriodMs ?? 600_000;
    if (ingestion !== undefined && period > 0) {
      const ing = ingestion;
      handoffTimer = setInterval(() => { void ing.handoff().catch((e) => log.warn(`periodic hand-off failed: ${(e as Error).message}`)); }, period);
      handoffTimer.unref();
    }
  } catch (e) {
    await pg?.close().catch(() => {});
    await http.close().catch(() => {});
    for (const c of cleanups) await c().catch(() => {});
    await stores.close().catch(() => {});
    throw e;
  }
  ready = true;
  const startupMs = Math.round(performance.now() - startedAt);
  log.info(`cluster node ${name} serving roles ${roles.join(', ')}${pgPort !== undefined ? `, PostgreSQL on port ${pgPort}` : ''} (started in ${startupMs} ms)`);

  let stopping: Promise<void> | undefined;
  return {
    name, httpPort, roles, metadata, cluster, historical, broker, brokerView, coordinator, realtime, ingestion, supervisors, supervisorAssigner: assigner, sql, pgPort, startupMs,
    historicalAdmission: historicalExecutor?.admission, realtimeAdmission,
    stop: () => {
      stopping ??= (async () => {
        ready = false;
        const t = pollTimer;
        pollTimer = undefined;
        if (t !== undefined) clearTimeout(t);
        if (handoffTimer !== undefined) clearInterval(handoffTimer);
        if (orphanTimer !== undefined) clearInterval(orphanTimer);
        await coordinator?.stop();
        if (realtime !== undefined && realtimeSource !== undefined) {
          // Publish everything, then give historicals a moment to take it over before the realtime goes.
          await assigner?.stop();
          await supervisors?.stop().catch((e) => log.warn(`stopping supervisors: ${(e as Error).message}`));
          await assigner?.releaseLeases().catch(() => {});
          await ingestion?.shutdown().catch((e) => log.warn(`final hand-off failed: ${(e as Error).message}`));
          const deadline = Date.now() + (options.realtimeStopWaitMs ?? 10_000);
          const src = realtimeSource;
          const holding = () => src.dataSources().some((ds) => src.publishedIds(ds).length > 0);
          while (holding() && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
            await realtime.checkHandoffs().catch(() => {});
          }
          if (holding()) log.warn('stopping with published segments no historical has loaded yet; they are unavailable until one does');
        }
        await pg?.close().catch(() => {});
        await announcer.stop(true);
        // A realtime keeps answering (with nothing left to add) until brokers have seen it leave.
        if (realtime !== undefined) await new Promise((r) => setTimeout(r, (options.brokerPollMs ?? 1000) + 200));
        await http.close();
        for (const c of cleanups) await c().catch(() => {});
        await stores.close().catch(() => {});
        log.info(`cluster node ${name} stopped`);
      })();
      return stopping;
    },
  };
}

/** The line a node started as a process prints once it serves. */
export const READY_MARKER = 'NEMETON_CLUSTER_NODE_READY';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as ClusterNodeOptions;
  const node = await startClusterNode(options);
  process.stdout.write(`${READY_MARKER} ${JSON.stringify({ name: node.name, httpPort: node.httpPort, startupMs: node.startupMs, ...(node.pgPort !== undefined ? { pgPort: node.pgPort } : {}) })}\n`);
  const shutdown = () => { void node.stop().finally(() => process.exit(0)); };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`cluster node failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
