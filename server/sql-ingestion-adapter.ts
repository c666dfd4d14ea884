/**
 * Connects the SQL engine's INSERT/REPLACE and EXTERN to the ingestion service:
 *   INSERT ... VALUES (no PARTITIONED BY)   streaming insert: visible to the next query
 *   INSERT ... SELECT ... PARTITIONED BY g  batch append of new segments
 *   REPLACE ... OVERWRITE ALL|WHERE ...     new version over the intervals, older data retired
 */
import { readExternal, readExternalBatches } from '../cluster/ingestion/read-external.ts';
import { errors } from '../common/errors.ts';
import { ETERNITY, type Interval } from '../common/interval.ts';
import type { IngestionService, RowProducer } from '../cluster/ingestion/ingestion-service.ts';
import type { SqlIngestion, SqlInsertRequest } from '../planner/engine/sql-ingestion.ts';
import type { DataSchema, DimensionSchema, InputRow, SimpleGranularity } from '../storage/schema.ts';
import { parseInterval } from '../storage/time/interval-parse.ts';
import { truncate } from '../storage/time/granularity.ts';
import { instantToString } from '../storage/segment.ts';

const periodGranularity: Record<string, SimpleGranularity> = {
  PT1S: 'second', PT1M: 'minute', PT5M: 'five_minute', PT10M: 'ten_minute', PT15M: 'fifteen_minute', PT30M: 'thirty_minute',
  PT1H: 'hour', PT6H: 'six_hour', PT8H: 'eight_hour', P1D: 'day', P1W: 'week', P1M: 'month', P3M: 'quarter', P1Y: 'year',
};

/** PARTITIONED BY value -> segment granularity. */
export function segmentGranularityOf(partitionedBy: string): SimpleGranularity {
  const v = partitionedBy.trim().replace(/^'|'$/g, '');
  const upper = v.toUpperCase();
  if (upper === 'ALL' || upper === 'ALL TIME') return 'all';
  if (periodGranularity[upper]) return periodGranularity[upper];
  const name = v.toLowerCase().replace(/\s+/g, '_') as SimpleGranularity;
  const known: SimpleGranularity[] = ['second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute', 'thirty_minute', 'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year'];
  if (known.includes(name)) return name;
  throw errors.invalidInput(`PARTITIONED BY [${partitionedBy}] is not a supported granularity; use HOUR, DAY, MONTH, YEAR, ALL or an ISO period such as P1D`);
}

function schemaFor(request: Omit<SqlInsertRequest, 'rows'>, existing: DataSchema | undefined): DataSchema {
  const dims: DimensionSchema[] = request.columns
    .filter((c) => c.name !== '__time')
    .map((c) => ({
      name: c.name,
      type: c.sqlType === 'BIGINT' || c.sqlType === 'INTEGER' || c.sqlType === 'SMALLINT' || c.sqlType === 'BOOLEAN' || c.sqlType === 'TIMESTAMP' ? 'long'
        : c.sqlType === 'DOUBLE' || c.sqlType === 'DECIMAL' ? 'double' : c.sqlType === 'FLOAT' || c.sqlType === 'REAL' ? 'float' : 'string',
    }));
  const clustered = new Set(request.clusteredBy);
  dims.sort((a, b) => Number(clustered.has(b.name)) - Number(clustered.has(a.name)));
  return {
    dataSource: request.dataSource,
    dimensionsSpec: { dimensions: dims },
    metricsSpec: [],
    queryGranularity: 'none',
    segmentGranularity: request.partitionedBy ? segmentGranularityOf(request.partitionedBy) : existing?.segmentGranularity ?? 'day',
    rollup: false,
  };
}

/** An INSERT row's values as stored: booleans as 1/0, bigints as numbers. */
function storedValue(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : v;
}

/** Epoch ms of a `__time` value (number, bigint or date text); NaN when it is none. */
function timeValue(t: unknown): number {
  return typeof t === 'number' ? t : typeof t === 'bigint' ? Number(t) : typeof t === 'string' ? Date.parse(t) : NaN;
}

/**
 * Converts one SELECT output row (values in `request.columns` order) into an
 * InputRow: one object literal per row, of the same shape for every row (a
 * function compiled once per statement), so the index reads it fast. Throws
 * invalidInput naming the row when `__time` is missing or not a time.
 */
function inputRowConverter(request: Omit<SqlInsertRequest, 'rows'>): (r: readonly unknown[], n: number) => InputRow {
  const timeIndex = request.columns.findIndex((c) => c.name === '__time');
  if (timeIndex < 0) throw errors.invalidInput(`INSERT into [${request.dataSource}] needs a __time column (a TIMESTAMP) in the SELECT or the column list`);
  // Later columns of the same name win, as assignments in order would.
  const last = new Map<string, number>();
  request.columns.forEach((c, i) => { if (i !== timeIndex) last.set(c.name, i); });
  const fields = [...last].map(([name, i]) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: v(r[${i}])`);
  const build = new Function('v', 'r', 't', `return { __time: t${fields.map((f) => `, ${f}`).join('')} };`) as
    (v: (x: unknown) => unknown, r: readonly unknown[], t: number) => InputRow;
  return (r, n) => {
    const time = timeValue(r[timeIndex]);
    if (!Number.isFinite(time)) throw errors.invalidInput(`Row ${n + 1} has no valid __time value [${String(r[timeIndex])}]`);
    return build(storedValue, r, time);
  };
}

function toInputRows(request: SqlInsertRequest): InputRow[] {
  const convert = inputRowConverter(request);
  return request.rows.map((r, n) => convert(r, n));
}

export function createSqlIngestion(ingestion: IngestionService): SqlIngestion {
  return {
    readExternal,
    readExternalBatches,
    async writeRowStream(request) {
      // Everything checkable before a row is read is checked before a task exists; rows are checked as they come,
      // and a bad one abandons the load before anything is published.
      const convert = inputRowConverter(request);
      const schema = schemaFor(request, ingestion.schemaOf(request.dataSource));
      const targets = request.mode === 'REPLACE' ? replaceTargets(request) : null;
      if (targets !== null) checkAligned(targets, schema.segmentGranularity);
      if (!request.partitionedBy && targets === null) throw errors.invalidInput('A streamed INSERT needs PARTITIONED BY');
      const rows: RowProducer = (add) => {
        let n = 0;
        return request.produce((r) => {
          const row = convert(r, n++);
          if (targets !== null) checkRowsInside([row], targets);
          add(row);
        });
      };
      const r = await ingestion.runSqlTask(request.dataSource, taskPayload(request), () => (targets !== null
        ? ingestion.replaceRows(schema, rows, targets) : ingestion.ingestRows(schema, rows, { append: true })));
      return { rowCount: r.rows, taskId: r.taskId };
    },
    async writeRows(request) {
      // Validate everything before a task exists or any data changes.
      const rows = toInputRows(request);
      const schema = schemaFor(request, ingestion.schemaOf(request.dataSource));
      const payload = taskPayload(request);
      if (request.mode === 'REPLACE') {
        const targets = replaceTargets(request);
        checkAligned(targets, schema.segmentGranularity);
        checkRowsInside(rows, targets);
        const r = await ingestion.runSqlTask(request.dataSource, payload, () => ingestion.replaceRows(schema, rows, targets));
        return { rowCount: r.rows, taskId: r.taskId };
      }
      if (!request.partitionedBy) return { rowCount: ingestion.insertRows(request.dataSource, rows, schema) };
      const r = await ingestion.runSqlTask(request.dataSource, payload, () => ingestion.ingestRows(schema, rows, { append: true }));
      return { rowCount: r.rows, taskId: r.taskId };
    },
  };
}

/** The task payload recorded for a SQL INSERT/REPLACE (type query_controller, as Druid's SQL ingestion). */
function taskPayload(request: Omit<SqlInsertRequest, 'rows'>): Record<string, unknown> {
  return { type: 'query_controller', sqlMode: request.mode, dataSource: request.dataSource, partitionedBy: request.partitionedBy, clusteredBy: request.clusteredBy, ...(request.replaceIntervals ? { replaceIntervals: request.replaceIntervals } : {}) };
}

/** The intervals a REPLACE overwrites (all time when none are given). */
function replaceTargets(request: Omit<SqlInsertRequest, 'rows'>): Interval[] {
  const intervals: Interval[] = (request.replaceIntervals ?? []).map((i) => (i === 'ETERNITY' ? ETERNITY : parseInterval(i)));
  return intervals.length > 0 ? intervals : [ETERNITY];
}

/** REPLACE intervals must fall on segment granularity bounds (Druid refuses misaligned OVERWRITE WHERE). */
function checkAligned(intervals: readonly Interval[], g: SimpleGranularity): void {
  const unbounded = (iv: Interval) => iv.start <= -8.64e15 && iv.end >= 8.64e15;
  if (g === 'all') {
    if (intervals.some((iv) => !unbounded(iv))) {
      throw errors.invalidInput('OVERWRITE WHERE with PARTITIONED BY ALL must cover all time; use OVERWRITE ALL');
    }
    return;
  }
  for (const iv of intervals) {
    const startOk = iv.start <= -8.64e15 || truncate(iv.start, g) === iv.start;
    const endOk = iv.end >= 8.64e15 || truncate(iv.end, g) === iv.end;
    if (!startOk || !endOk) {
      throw errors.invalidInput(`OVERWRITE WHERE interval [${instantToString(iv.start)}/${instantToString(iv.end)}] is not aligned with PARTITIONED BY granularity [${g.toUpperCase()}]`);
    }
  }
}

function checkRowsInside(rows: readonly InputRow[], intervals: readonly Interval[]): void {
  for (const r of rows) {
    if (!intervals.some((iv) => iv.start <= r.__time && r.__time < iv.end)) {
      throw errors.invalidInput(`REPLACE row with __time [${new Date(r.__time).toISOString()}] is outside the OVERWRITE intervals; nothing was written`);
    }
  }
}
