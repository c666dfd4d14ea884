/**
 * The SQL catalog of a broker process, filled from its server view: one
 * `druid` table per data source that historicals serve or realtimes hold
 * (columns from the published segments' payloads and the realtimes' reports,
 * newest first, as the one-process catalog orders them), and Druid's `sys`
 * tables from cluster state: segments (published and realtime), servers (one
 * row per live process and role) and server_segments.
 */
import { SYS_SEGMENTS_COLUMNS, SYS_SERVERS_COLUMNS, SYS_SERVER_SEGMENTS_COLUMNS } from './sys-table-columns.ts';
import { assembleCatalog } from './assemble-catalog.ts';
import type { Catalog, CatalogColumn, CatalogTable } from '../planner/catalog.ts';
import type { BrokerServerView } from '../cluster/broker/broker-server-view.ts';
import type { RealtimeColumn } from '../cluster/roles/wire-format.ts';
import { realtimeSegmentId } from '../cluster/roles/wire-format.ts';
import { overshadowedIds } from '../cluster/coordinator/overshadowed.ts';

export interface BrokerCatalogOptions {
  readonly view: BrokerServerView;
  /** Product version in sys.servers. */
  readonly version: string;
}

/** SQL and native type of a reported column. */
export function catalogColumnOf(c: RealtimeColumn): CatalogColumn {
  const multi = c.multiValue ? { multiValue: true } : {};
  switch (c.type) {
    case 'STRING': return { name: c.name, sqlType: 'VARCHAR', nativeType: 'STRING', ...multi };
    case 'LONG': return { name: c.name, sqlType: 'BIGINT', nativeType: 'LONG' };
    case 'FLOAT': return { name: c.name, sqlType: 'FLOAT', nativeType: 'FLOAT' };
    case 'DOUBLE': return { name: c.name, sqlType: 'DOUBLE', nativeType: 'DOUBLE' };
    default: return { name: c.name, sqlType: 'OTHER', nativeType: `COMPLEX<${c.complexType ?? 'unknown'}>` };
  }
}


function systemTable(name: string, columns: readonly CatalogColumn[], rows: () => unknown[][]): CatalogTable {
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

  const system = [sysSegments, sysServers, sysServerSegments];

  return assembleCatalog({ dataSources: () => view.dataSources(), dataSourceTable, system });
}
