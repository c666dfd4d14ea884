/**
 * The SQL catalog filled from live state: one `druid` table per data source
 * (columns merged over its visible segments and fresh data), and Druid's
 * `sys` tables (segments, servers, server_segments, tasks, supervisors).
 */
import { SYS_SEGMENTS_COLUMNS, SYS_SERVERS_COLUMNS, SYS_SERVER_SEGMENTS_COLUMNS, SYS_SUPERVISORS_COLUMNS, SYS_TASKS_COLUMNS } from './sys-table-columns.ts';
import { assembleCatalog } from './assemble-catalog.ts';
import { ETERNITY } from '../common/interval.ts';
import type { Catalog, CatalogColumn, CatalogTable } from '../planner/catalog.ts';
import { complexColumnType } from '../planner/catalog.ts';
import type { SqlType } from '../planner/sql-engine.ts';
import type { ColumnInfo, Segment } from '../storage/segment.ts';
import { segmentIdToString } from '../storage/segment.ts';
import type { LocalSegmentSource } from '../storage/local-segment-source.ts';
import type { MetadataStore } from '../cluster/metadata/metadata-store.ts';
import type { DataNode } from '../cluster/data-node.ts';
import type { IngestionService } from '../cluster/ingestion/ingestion-service.ts';

export interface CatalogDeps {
  readonly segments: LocalSegmentSource;
  readonly metadata: MetadataStore;
  readonly dataNode: DataNode;
  readonly ingestion: IngestionService;
  /** Rows of sys.supervisors (Kafka supervisors), in the table's column order. */
  readonly supervisorRows?: () => readonly object[];
  /** Name of this process in sys.servers. */
  readonly serverName?: string;
}

function sqlTypeOf(c: ColumnInfo): { sqlType: SqlType; nativeType: string; elementType?: SqlType } {
  switch (c.type) {
    case 'STRING': return { sqlType: 'VARCHAR', nativeType: 'STRING' };
    case 'LONG': return { sqlType: 'BIGINT', nativeType: 'LONG' };
    case 'FLOAT': return { sqlType: 'FLOAT', nativeType: 'FLOAT' };
    case 'DOUBLE': return { sqlType: 'DOUBLE', nativeType: 'DOUBLE' };
    default: return complexColumnType(c.complexType);
  }
}

/** Columns of a data source: __time first, then every column seen, newest segments' types winning. */
export function dataSourceColumns(segments: readonly Segment[]): CatalogColumn[] {
  const byName = new Map<string, CatalogColumn>();
  const ordered = [...segments].sort((a, b) => (a.id.version < b.id.version ? 1 : a.id.version > b.id.version ? -1 : b.id.interval.start - a.id.interval.start));
  for (const s of ordered) {
    for (const c of s.columns()) {
      if (c.name === '__time' || byName.has(c.name)) continue;
      const t = sqlTypeOf(c);
      byName.set(c.name, { name: c.name, sqlType: t.sqlType, nativeType: t.nativeType, ...(t.elementType ? { elementType: t.elementType } : {}), ...(c.hasMultipleValues ? { multiValue: true } : {}) });
    }
  }
  return [{ name: '__time', sqlType: 'TIMESTAMP', nativeType: 'LONG' }, ...byName.values()];
}


function systemTable(name: string, columns: readonly CatalogColumn[], rows: () => Promise<unknown[][]>): CatalogTable {
  return { schema: 'sys', name, kind: 'system', columns, rows };
}

export function createCatalog(deps: CatalogDeps): Catalog {
  const server = deps.serverName ?? 'localhost:8083';
  const dataSourceTable = (name: string): CatalogTable | undefined => {
    const segs = deps.segments.segmentsFor(name, [ETERNITY]);
    if (segs.length === 0) return undefined;
    return { schema: 'druid', name, kind: 'datasource', columns: dataSourceColumns(segs) };
  };

  const sysSegments = systemTable('segments', SYS_SEGMENTS_COLUMNS, async () => {
    const served = new Set(deps.dataNode.servedRecords().map((r) => r.id));
    const visible = new Set<string>();
    for (const ds of deps.segments.dataSources()) {
      for (const s of deps.segments.segmentsFor(ds, [ETERNITY])) if (!s.isMutable) visible.add(segmentIdToString(s.id));
    }
    const rows: unknown[][] = [];
    for (const r of await deps.metadata.usedSegments()) {
      const active = visible.has(r.id);
      rows.push([r.id, r.dataSource, new Date(r.interval.start).toISOString(), new Date(r.interval.end).toISOString(), r.sizeBytes,
        r.version, r.partitionNum, served.has(r.id) ? 1 : 0, r.numRows, active ? 1 : 0, 1, served.has(r.id) ? 1 : 0, 0, active ? 0 : 1,
        JSON.stringify({ type: 'numbered', partitionNum: r.partitionNum, partitions: r.numPartitions }),
        JSON.stringify(r.payload.dimensions ?? []), JSON.stringify(r.payload.metrics ?? []), null, 1]);
    }
    for (const [ds, count] of deps.ingestion.freshRowCounts()) {
      for (const s of deps.segments.segmentsFor(ds, [ETERNITY])) {
        if (!s.isMutable) continue;
        rows.push([segmentIdToString(s.id), ds, new Date(s.id.interval.start).toISOString(), new Date(s.id.interval.end).toISOString(), 0,
          s.id.version, s.id.partitionNum, 1, count, 1, 0, 1, 1, 0, JSON.stringify({ type: 'numbered' }), JSON.stringify(s.dimensions), JSON.stringify(s.metrics), null, 0]);
      }
    }
    return rows;
  });

  const sysServers = systemTable('servers', SYS_SERVERS_COLUMNS, async () => {
    const size = deps.dataNode.servedRecords().reduce((n, r) => n + r.sizeBytes, 0);
    const [host, port] = server.split(':');
    const base = (type: string, curr: number) => [server, host, Number(port), -1, type, type === 'historical' ? '_default_tier' : null, curr, 0, type === 'coordinator' || type === 'overlord' ? 1 : null, startTime, '0.1.0', null, 2, 0];
    return [base('broker', 0), base('coordinator', 0), base('historical', size), base('overlord', 0), base('indexer', 0)];
  });
  const startTime = new Date().toISOString();

  const sysServerSegments = systemTable('server_segments', SYS_SERVER_SEGMENTS_COLUMNS,
    async () => deps.dataNode.servedRecords().map((r) => [server, r.id]));

  const sysTasks = systemTable('tasks', SYS_TASKS_COLUMNS, async () => (await deps.metadata.tasks()).map((t) => [
    t.id, t.id, t.type, t.dataSource, t.createdAt, t.createdAt, t.status, t.status === 'RUNNING' ? 'RUNNING' : 'NONE',
    Date.parse(t.updatedAt) - Date.parse(t.createdAt), null, null, -1, -1,
    (t.report as { ingestionStatsAndErrors?: { payload?: { errorMsg?: string } } } | null)?.ingestionStatsAndErrors?.payload?.errorMsg ?? null,
  ]));

  const sysSupervisors = systemTable('supervisors', SYS_SUPERVISORS_COLUMNS, async () => {
    const keys = ['supervisor_id', 'state', 'detailed_state', 'healthy', 'type', 'source', 'suspended', 'spec'];
    return (deps.supervisorRows?.() ?? []).map((o) => keys.map((k) => (o as Record<string, unknown>)[k] ?? null));
  });

  const system = [sysSegments, sysServers, sysServerSegments, sysTasks, sysSupervisors];

  return assembleCatalog({ dataSources: () => deps.segments.dataSources(), dataSourceTable, system });
}
