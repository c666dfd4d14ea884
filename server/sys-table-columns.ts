/** The columns of Druid's `sys` tables, as both the one-process and the broker catalog serve them. */
import type { CatalogColumn } from '../planner/catalog.ts';
import type { SqlType } from '../planner/sql-engine.ts';

const col = (name: string, sqlType: SqlType): CatalogColumn => ({ name, sqlType });

export const SYS_SEGMENTS_COLUMNS: readonly CatalogColumn[] = [
    col('segment_id', 'VARCHAR'), col('datasource', 'VARCHAR'), col('start', 'VARCHAR'), col('end', 'VARCHAR'), col('size', 'BIGINT'),
    col('version', 'VARCHAR'), col('partition_num', 'BIGINT'), col('num_replicas', 'BIGINT'), col('num_rows', 'BIGINT'),
    col('is_active', 'BIGINT'), col('is_published', 'BIGINT'), col('is_available', 'BIGINT'), col('is_realtime', 'BIGINT'),
    col('is_overshadowed', 'BIGINT'), col('shard_spec', 'VARCHAR'), col('dimensions', 'VARCHAR'), col('metrics', 'VARCHAR'),
    col('last_compaction_state', 'VARCHAR'), col('replication_factor', 'BIGINT'),
  ];

export const SYS_SERVERS_COLUMNS: readonly CatalogColumn[] = [
    col('server', 'VARCHAR'), col('host', 'VARCHAR'), col('plaintext_port', 'BIGINT'), col('tls_port', 'BIGINT'), col('server_type', 'VARCHAR'),
    col('tier', 'VARCHAR'), col('curr_size', 'BIGINT'), col('max_size', 'BIGINT'), col('is_leader', 'BIGINT'), col('start_time', 'VARCHAR'),
    col('version', 'VARCHAR'), col('labels', 'VARCHAR'), col('available_processors', 'BIGINT'), col('total_memory', 'BIGINT'),
  ];

export const SYS_SERVER_SEGMENTS_COLUMNS: readonly CatalogColumn[] = [col('server', 'VARCHAR'), col('segment_id', 'VARCHAR')];

export const SYS_TASKS_COLUMNS: readonly CatalogColumn[] = [
    col('task_id', 'VARCHAR'), col('group_id', 'VARCHAR'), col('type', 'VARCHAR'), col('datasource', 'VARCHAR'), col('created_time', 'VARCHAR'),
    col('queue_insertion_time', 'VARCHAR'), col('status', 'VARCHAR'), col('runner_status', 'VARCHAR'), col('duration', 'BIGINT'),
    col('location', 'VARCHAR'), col('host', 'VARCHAR'), col('plaintext_port', 'BIGINT'), col('tls_port', 'BIGINT'), col('error_msg', 'VARCHAR'),
  ];

export const SYS_SUPERVISORS_COLUMNS: readonly CatalogColumn[] = [
    col('supervisor_id', 'VARCHAR'), col('state', 'VARCHAR'), col('detailed_state', 'VARCHAR'), col('healthy', 'BIGINT'), col('type', 'VARCHAR'),
    col('source', 'VARCHAR'), col('suspended', 'BIGINT'), col('spec', 'VARCHAR'),
  ];
