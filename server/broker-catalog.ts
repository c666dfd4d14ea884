/**
 * The SQL catalog of a broker process, filled from its server view: one
 * `druid` table per data source that historicals serve or realtimes hold
 * (columns from the published segments' payloads and the realtimes' reports,
 * newest first, as the one-process catalog orders them), and Druid's `sys`
 * tables from cluster state: segments (published and realtime), servers (one
 * row per live process and role) and server_segments; with the metadata store
 * also tasks (every recorded task, located on the realtime that runs it) and
 * supervisors (each with the state reported by the realtime running it).
 */
import { request } from 'undici';
import { SYS_SEGMENTS_COLUMNS, SYS_SERVERS_COLUMNS, SYS_SERVER_SEGMENTS_COLUMNS, SYS_SUPERVISORS_COLUMNS, SYS_TASKS_COLUMNS } from './sys-table-columns.ts';
import { assembleCatalog } from './assemble-catalog.ts';
import type { Catalog, CatalogColumn, CatalogTable } from '../planner/catalog.ts';
import { complexColumnType } from '../planner/catalog.ts';
import type { BrokerServerView } from '../cluster/broker/broker-server-view.ts';
import type { RealtimeColumn } from '../cluster/roles/wire-format.ts';
import { realtimeSegmentId } from '../cluster/roles/wire-format.ts';
import { overshadowedIds } from '../cluster/coordinator/overshadowed.ts';
import type { MetadataStore, SupervisorRecord, TaskRecord } from '../cluster/metadata/metadata-store.ts';
import type { ClusterStore, ServerRecord } from '../cluster/roles/cluster-store.ts';
import { supervisorLease } from '../cluster/roles/supervisor-assigner.ts';
import { taskRunner } from '../cluster/roles/orphaned-tasks.ts';
import { parseKafkaSupervisorSpec } from '../cluster/kafka/kafka-supervisor-spec.ts';

export interface BrokerCatalogOptions {
  readonly view: BrokerServerView;
  /** Product version in sys.servers. */
  readonly version: string;
  /** The metadata store, for sys.tasks and sys.supervisors (empty tables without it). */
  readonly metadata?: MetadataStore;
  /** Cluster state, for which realtime runs each supervisor. */
  readonly cluster?: ClusterStore;
  /** Timeout of asking a realtime for a supervisor's status (default 2000 ms). */
  readonly statusTimeoutMs?: number;
}

/** One sys.tasks row of a recorded task (location: the realtime that runs or ran it). */
export function sysTaskRow(t: TaskRecord): unknown[] {
  const runner = taskRunner(t);
  const colon = runner?.lastIndexOf(':') ?? -1;
  const host = runner !== undefined && colon > 0 ? runner.slice(0, colon) : null;
  const port = runner !== undefined && colon > 0 ? Number(runner.slice(colon + 1)) : -1;
  const report = t.report as { errorMsg?: string; ingestionStatsAndErrors?: { payload?: { errorMsg?: string } } } | null;
  return [
    t.id, t.id, t.type, t.dataSource, t.createdAt, t.createdAt, t.status, t.status === 'RUNNING' ? 'RUNNING' : 'NONE',
    Date.parse(t.updatedAt) - Date.parse(t.createdAt), runner ?? null, host, port, -1,
    report?.ingestionStatsAndErrors?.payload?.errorMsg ?? report?.errorMsg ?? null,
  ];
}

/** Asks the realtime running a supervisor for its status payload; null when it cannot answer. */
async function supervisorStatus(server: ServerRecord, id: string, timeoutMs: number): Promise<Record<string, unknown> | null> {
  try {
    const res = await request(`http://${server.host}:${server.httpPort}/druid/indexer/v1/supervisor/${encodeURIComponent(id)}/status`, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const body = await res.body.json() as { payload?: Record<string, unknown> };
    return res.statusCode === 200 && typeof body.payload === 'object' ? body.payload : null;
  } catch {
    return null;
  }
}

/** One sys.supervisors row: the running realtime's view when it answers, else the persisted state (PENDING: nobody runs it). */
function sysSupervisorRow(r: SupervisorRecord, status: Record<string, unknown> | null): unknown[] {
  let topic: string | null = null;
  try { topic = parseKafkaSupervisorSpec(r.spec).topic; } catch { /* a spec this version cannot read */ }
  const suspended = r.state === 'SUSPENDED';
  if (status !== null) {
    return [r.id, String(status.state ?? r.state), String(status.detailedState ?? status.state ?? r.state), status.healthy === true ? 1 : 0, 'kafka',
      topic, status.suspended === true ? 1 : 0, JSON.stringify(r.spec)];
  }
  const state = suspended ? 'SUSPENDED' : 'PENDING';
  return [r.id, state, state, 0, 'kafka', topic, suspended ? 1 : 0, JSON.stringify(r.spec)];
}

/** SQL and native type of a reported column. */
export function catalogColumnOf(c: RealtimeColumn): CatalogColumn {
  const multi = c.multiValue ? { multiValue: true } : {};
  switch (c.type) {
    case 'STRING': return { name: c.name, sqlType: 'VARCHAR', nativeType: 'STRING', ...multi };
    case 'LONG': return { name: c.name, sqlType: 'BIGINT', nativeType: 'LONG' };
    case 'FLOAT': return { name: c.name, sqlType: 'FLOAT', nativeType: 'FLOAT' };
    case 'DOUBLE': return { name: c.name, sqlType: 'DOUBLE', nativeType: 'DOUBLE' };
    default: return { name: c.name, ...complexColumnType(c.complexType) };
  }
}


function systemTable(name: string, columns: readonly CatalogColumn[], rows: () => unknown[][] | Promise<unknown[][]>): CatalogTable {
  return { schema: 'sys', name, kind: 'system', columns, rows };
}

const SERVER_TYPES: Record<string, string> = { broker: 'broker', historical: 'historical', coordinator: 'coordinator', realtime: 'indexer' };

export function createBrokerCatalog(options: BrokerCatalogOptions): Catalog {
  const { view } = options;
  const startTime = new Date().toISOString();

  const dataSourceTable = (name: string): CatalogTable | undefined => {
    const cols = view.columns(name);
    if (cols === undefined) return undefined;
    return { schema: 'druid', name, kind: 'datasource', columns: [{ name: '__time', sqlType: 'TIMESTAMP', nativeType: 'LONG' }, ...cols.map(catalogColumnOf)] };
  };

  const sysSegments = systemTable('segments', SYS_SEGMENTS_COLUMNS, () => {
    const used = view.usedSegments();
    const replicas = new Map<string, number>();
    for (const s of view.servedSegments()) replicas.set(s.segmentId, (replicas.get(s.segmentId) ?? 0) + 1);
    const over = overshadowedIds(used);
    const rows: unknown[][] = [];
    for (const r of used) {
      const n = replicas.get(r.id) ?? 0;
      const active = !over.has(r.id);
      rows.push([r.id, r.dataSource, new Date(r.interval.start).toISOString(), new Date(r.interval.end).toISOString(), r.sizeBytes,
        r.version, r.partitionNum, n, r.numRows, active ? 1 : 0, 1, n > 0 ? 1 : 0, 0, active ? 0 : 1,
        JSON.stringify({ type: 'numbered', partitionNum: r.partitionNum, partitions: r.numPartitions }),
        JSON.stringify(r.payload.dimensions ?? []), JSON.stringify(r.payload.metrics ?? []), null, null]);
    }
    for (const state of view.realtimeStates()) {
      for (const d of state.dataSources) {
        if (d.freshRows === 0) continue;
        rows.push([realtimeSegmentId(state.server, d.dataSource), d.dataSource, new Date(d.minTime).toISOString(), new Date(d.maxTime).toISOString(), 0,
          null, 0, 1, d.freshRows, 1, 0, 1, 1, 0, JSON.stringify({ type: 'realtime' }), JSON.stringify(d.columns.filter((c) => c.type === 'STRING').map((c) => c.name)),
          JSON.stringify(d.columns.filter((c) => c.type !== 'STRING').map((c) => c.name)), null, 0]);
      }
    }
    return rows;
  });

  const sysServers = systemTable('servers', SYS_SERVERS_COLUMNS, () => {
    const sizes = new Map(view.usedSegments().map((r) => [r.id, r.sizeBytes]));
    const curr = new Map<string, number>();
    for (const s of view.servedSegments()) curr.set(s.server, (curr.get(s.server) ?? 0) + (sizes.get(s.segmentId) ?? 0));
    const leader = view.coordinatorLeader();
    const rows: unknown[][] = [];
    for (const s of view.liveServers()) {
      for (const role of s.roles) {
        const historical = role === 'historical';
        rows.push([s.name, s.host, s.httpPort, -1, SERVER_TYPES[role] ?? role, historical ? s.tier : null, historical ? curr.get(s.name) ?? 0 : 0,
          historical ? s.maxSize : 0, role === 'coordinator' ? (leader === s.name ? 1 : 0) : null, startTime, options.version, null, null, null]);
      }
    }
    return rows;
  });

  const sysServerSegments = systemTable('server_segments', SYS_SERVER_SEGMENTS_COLUMNS,
    () => view.servedSegments().map((s) => [s.server, s.segmentId]));

  const sysTasks = systemTable('tasks', SYS_TASKS_COLUMNS, async () => (await options.metadata?.tasks() ?? []).map(sysTaskRow));

  const sysSupervisors = systemTable('supervisors', SYS_SUPERVISORS_COLUMNS, async () => {
    const records = (await options.metadata?.supervisors?.() ?? []).filter((r) => r.state !== 'TERMINATED');
    const now = Date.now();
    const live = new Map(view.liveServers().map((s) => [s.name, s]));
    return Promise.all(records.map(async (r) => {
      const holder = options.cluster === undefined ? null : await options.cluster.leaseHolder(supervisorLease(r.id), now);
      const server = holder === null ? undefined : live.get(holder);
      return sysSupervisorRow(r, server === undefined ? null : await supervisorStatus(server, r.id, options.statusTimeoutMs ?? 2000));
    }));
  });

  const system = [sysSegments, sysServers, sysServerSegments, sysTasks, sysSupervisors];

  return assembleCatalog({ dataSources: () => view.dataSources(), dataSourceTable, system });
}
