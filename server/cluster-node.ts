/**
 * The composition root of one cluster process: any mix of the broker,
 * historical and coordinator roles over a shared metadata store (SQLite file
 * or PostgreSQL) and deep storage (directory or S3/MinIO). Each process
 * announces itself with heartbeats, serves its roles' HTTP routes, and stops
 * cleanly on stop().
 *
 * Run directly as a process: `node --import tsx server/cluster-node.ts '<options JSON>'`;
 * it prints `NEMETON_CLUSTER_NODE_READY {"name","httpPort"}` once serving and
 * stops on SIGTERM/SIGINT.
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
import { createHttpServer } from './http/http-server.ts';
import { QueryRegistry } from './http/query-registry.ts';
import { registerBrokerRoutes, registerCoordinatorRoutes, registerHistoricalRoutes } from './http/cluster-routes.ts';

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
  /** Stops every role, unannounces, closes the HTTP server and the store. Idempotent. */
  stop(): Promise<void>;
}

function validate(o: ClusterNodeOptions): void {
  if (!Array.isArray(o.roles) || o.roles.length === 0) throw errors.invalidInput('A cluster node needs at least one role');
  for (const r of o.roles) if (!ALL_ROLES.includes(r)) throw errors.invalidInput(`Unknown role [${String(r)}]; roles are ${ALL_ROLES.join(', ')}`);
  if (o.roles.includes('realtime')) throw errors.unsupported('The realtime role in a multi-process cluster');
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
  execute: async () => { throw errors.unsupported('SQL on a cluster process (send native queries to the broker at /druid/v2)'); },
  describe: async () => { throw errors.unsupported('SQL on a cluster process (send native queries to the broker at /druid/v2)'); },
  splitStatements: (sql) => [sql],
};

/** Starts a cluster process with the given roles; resolves once it serves HTTP and has announced itself. */
export async function startClusterNode(options: ClusterNodeOptions): Promise<RunningClusterNode> {
  validate(options);
  mkdirSync(options.dataDir, { recursive: true });
  const stores = await openStores(options.metadata);
  const { metadata, cluster } = stores;
  const roles = [...new Set(options.roles)];
  const has = (r: NodeRole) => roles.includes(r);
  const cleanups: (() => Promise<void>)[] = [];

  let historical: Historical | undefined;
  let historicalExecutor: QueryExecutor | undefined;
  if (has('historical')) {
    const deep = createDeepStorage(options.deepStorage);
    historicalExecutor = createQueryExecutor({ segments: new LocalSegmentSource(), workers: options.workers });
    cleanups.push(() => historicalExecutor!.close());
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
    broker = new Broker({ view: brokerView, executor: mergeExecutor, cacheBytes: options.brokerCacheBytes });
    cleanups.push(async () => { await broker!.close(); await mergeExecutor.close(); });
  }

  const queries = new QueryRegistry();
  let ready = false;
  const http = createHttpServer({
    runNative: (q, signal) => {
      if (broker === undefined) throw errors.unsupported('Native queries on a process without the broker role');
      return broker.run(q, signal);
    },
    sql: unsupportedSql,
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

  const announcer = new ServerAnnouncer(cluster, {
    name, host: options.host, httpPort, roles, tier: options.tier ?? DEFAULT_TIER,
    maxSize: options.maxSizeBytes ?? 10 * 1024 ** 3,
    heartbeatMs: options.heartbeatMs ?? 1000, ttlMs: options.heartbeatTtlMs ?? 5000,
    onBeat: historical ? () => historical!.announceAll() : undefined,
  });
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
  } catch (e) {
    await http.close().catch(() => {});
    for (const c of cleanups) await c().catch(() => {});
    await stores.close().catch(() => {});
    throw e;
  }
  ready = true;
  log.info(`cluster node ${name} serving roles ${roles.join(', ')}`);

  let stopping: Promise<void> | undefined;
  return {
    name, httpPort, roles, metadata, cluster, historical, broker, brokerView, coordinator,
    stop: () => {
      stopping ??= (async () => {
        ready = false;
        const t = pollTimer;
        pollTimer = undefined;
        if (t !== undefined) clearTimeout(t);
        await coordinator?.stop();
        await announcer.stop(true);
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
  process.stdout.write(`${READY_MARKER} ${JSON.stringify({ name: node.name, httpPort: node.httpPort })}\n`);
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
