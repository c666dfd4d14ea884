/**
 * Validation of raw native query JSON (what arrives at POST /druid/v2) into a
 * NativeQuery with defaults applied. Every problem becomes
 * NemetonError('Invalid input') (HTTP 400) with a message naming the field.
 * Deeper parts (filters, aggregators, dimension specs, post-aggregators,
 * granularity) are validated by compiling them, so validation and execution
 * never disagree.
 */
import { errors } from '../common/errors.ts';
import { ETERNITY, type Interval } from '../common/interval.ts';
import { compileAggregators } from './aggregation/compile-aggregator.ts';
import { compilePostAggregator } from './aggregation/post-aggregators.ts';
import { planDimension } from './dimension/dimension-reader.ts';
import { compileFilter } from './filter/compiled-filter.ts';
import type { DataSourceSpec, NativeQuery, QueryType } from './model/query.ts';
import { parseIsoInterval } from './time/iso-time.ts';
import { parseQueryGranularity } from './time/query-granularity.ts';
// Expressions inside queries (virtual columns, filters, aggregators) need the engine registered.
import './expression/index.ts';

const QUERY_TYPES: readonly QueryType[] = ['timeseries', 'topN', 'groupBy', 'scan', 'search', 'timeBoundary', 'segmentMetadata', 'dataSourceMetadata'];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Parses the intervals field (array of ISO strings or {type:'intervals', intervals}); missing → eternity. Sorted and merged. */
export function parseIntervals(raw: unknown, field = 'intervals'): Interval[] {
  if (raw === undefined || raw === null) return [ETERNITY];
  let list: unknown = raw;
  if (isObject(raw)) {
    if (raw.type !== 'intervals' && raw.type !== 'segments') throw errors.invalidInput(`${field}: unknown spec type [${String(raw.type)}]`);
    list = raw.intervals;
  }
  if (typeof list === 'string') list = [list];
  if (!Array.isArray(list)) throw errors.invalidInput(`${field} must be an array of ISO-8601 interval strings`);
  const parsed = list.map((s, i) => {
    if (typeof s !== 'string') throw errors.invalidInput(`${field}[${i}] must be an ISO-8601 interval string`);
    return parseIsoInterval(s);
  });
  parsed.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const iv of parsed) {
    const last = merged[merged.length - 1];
    if (last !== undefined && iv.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, iv.end) };
    else merged.push(iv);
  }
  return merged;
}

/** The table names a data source reads (query data sources: their inner tables). */
export function tableNames(ds: DataSourceSpec): string[] {
  if (typeof ds === 'string') return [ds];
  switch (ds.type) {
    case 'table': return [ds.name];
    case 'query': return tableNames(ds.query.dataSource);
    case 'union': return ds.dataSources.flatMap(tableNames);
    default: return [];
  }
}

function checkDataSource(ds: unknown, field: string): DataSourceSpec {
  if (typeof ds === 'string') {
    if (ds === '') throw errors.invalidInput(`${field} must not be empty`);
    return ds;
  }
  if (!isObject(ds)) throw errors.invalidInput(`${field} is required (a table name or a data source object)`);
  switch (ds.type) {
    case 'table':
      if (typeof ds.name !== 'string') throw errors.invalidInput(`${field}.name must be a string`);
      return ds as DataSourceSpec;
    case 'query':
      return { type: 'query', query: parseQuery(ds.query) };
    case 'union':
      if (!Array.isArray(ds.dataSources)) throw errors.invalidInput(`${field}.dataSources must be an array`);
      return { type: 'union', dataSources: ds.dataSources.map((d, i) => checkDataSource(d, `${field}.dataSources[${i}]`)) };
    case 'inline':
      if (!Array.isArray(ds.columnNames) || !Array.isArray(ds.rows)) throw errors.invalidInput(`${field}: inline data source needs columnNames and rows`);
      return ds as DataSourceSpec;
    default:
      throw errors.invalidInput(`${field}: unsupported data source type [${String(ds.type)}]`);
  }
}

function checkNonNegativeInt(v: unknown, field: string): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidInput(`${field} must be a non-negative integer`);
}

/**
 * Validates raw JSON as a native query and returns it with defaults applied.
 * @throws NemetonError 'Invalid input' naming the offending field.
 */
export function parseQuery(raw: unknown): NativeQuery {
  if (!isObject(raw)) throw errors.invalidInput('The query must be a JSON object');
  const queryType = raw.queryType;
  if (typeof queryType !== 'string') throw errors.invalidInput("Missing 'queryType'");
  if (!QUERY_TYPES.includes(queryType as QueryType)) throw errors.invalidInput(`Unknown queryType [${queryType}]; expected one of ${QUERY_TYPES.join(', ')}`);
  const q: Record<string, unknown> = { ...raw };
  q.dataSource = checkDataSource(raw.dataSource, 'dataSource');
  parseIntervals(raw.intervals);
  if (raw.filter !== undefined && raw.filter !== null) compileFilter(raw.filter as never);
  if (raw.context !== undefined && raw.context !== null && !isObject(raw.context)) throw errors.invalidInput('context must be an object');
  if (raw.virtualColumns !== undefined && raw.virtualColumns !== null) {
    if (!Array.isArray(raw.virtualColumns)) throw errors.invalidInput('virtualColumns must be an array');
    raw.virtualColumns.forEach((vc, i) => {
      if (!isObject(vc) || typeof vc.name !== 'string' || typeof vc.expression !== 'string') {
        throw errors.invalidInput(`virtualColumns[${i}] needs a 'name' and an 'expression'`);
      }
    });
  }
  const needsIntervals = queryType === 'timeseries' || queryType === 'topN' || queryType === 'groupBy' || queryType === 'scan' || queryType === 'search';
  if (needsIntervals && (raw.intervals === undefined || raw.intervals === null)) {
    throw errors.invalidInput(`Missing 'intervals' for ${queryType} query`);
  }
  if (queryType === 'timeseries' || queryType === 'topN' || queryType === 'groupBy') {
    parseQueryGranularity((raw.granularity ?? 'all') as never);
    if (raw.granularity === undefined) q.granularity = 'all';
    if (raw.aggregations !== undefined && !Array.isArray(raw.aggregations)) throw errors.invalidInput('aggregations must be an array');
    compileAggregators((raw.aggregations ?? []) as never);
    if (raw.postAggregations !== undefined && raw.postAggregations !== null) {
      if (!Array.isArray(raw.postAggregations)) throw errors.invalidInput('postAggregations must be an array');
      // Post-aggregator expressions compile lazily (the expression engine may register later).
      raw.postAggregations.forEach((p, i) => {
        if (!isObject(p) || typeof p.type !== 'string') throw errors.invalidInput(`postAggregations[${i}] must be an object with a 'type'`);
        if (p.type !== 'expression') compilePostAggregator(p as never, i);
      });
    }
  }
  switch (queryType) {
    case 'timeseries':
      checkNonNegativeInt(raw.limit, 'limit');
      break;
    case 'topN':
      if (raw.dimension === undefined) throw errors.invalidInput("topN: 'dimension' is required");
      planDimension(raw.dimension as never);
      if (raw.metric === undefined || raw.metric === null) throw errors.invalidInput("topN: 'metric' is required");
      if (typeof raw.threshold !== 'number' || !Number.isInteger(raw.threshold) || raw.threshold < 1) throw errors.invalidInput("topN: 'threshold' must be a positive integer");
      break;
    case 'groupBy': {
      const dims = raw.dimensions ?? [];
      if (!Array.isArray(dims)) throw errors.invalidInput('groupBy: dimensions must be an array');
      dims.forEach((d) => planDimension(d as never));
      q.dimensions = dims;
      if (raw.limitSpec !== undefined && raw.limitSpec !== null) {
        if (!isObject(raw.limitSpec)) throw errors.invalidInput('groupBy: limitSpec must be an object');
        checkNonNegativeInt(raw.limitSpec.limit, 'limitSpec.limit');
        checkNonNegativeInt(raw.limitSpec.offset, 'limitSpec.offset');
      }
      if (raw.subtotalsSpec !== undefined && raw.subtotalsSpec !== null && !Array.isArray(raw.subtotalsSpec)) throw errors.invalidInput('groupBy: subtotalsSpec must be an array of arrays');
      break;
    }
    case 'scan':
      checkNonNegativeInt(raw.limit, 'limit');
      checkNonNegativeInt(raw.offset, 'offset');
      checkNonNegativeInt(raw.batchSize, 'batchSize');
      if (raw.resultFormat !== undefined && raw.resultFormat !== 'list' && raw.resultFormat !== 'compactedList') {
        throw errors.invalidInput(`scan: resultFormat must be 'list' or 'compactedList', not [${String(raw.resultFormat)}]`);
      }
      if (raw.order !== undefined && !['ascending', 'descending', 'none'].includes(String(raw.order))) throw errors.invalidInput(`scan: unknown order [${String(raw.order)}]`);
      if (raw.columns !== undefined && raw.columns !== null && !Array.isArray(raw.columns)) throw errors.invalidInput('scan: columns must be an array');
      break;
    case 'search':
      if (!isObject(raw.query)) throw errors.invalidInput("search: 'query' (a search query spec) is required");
      checkNonNegativeInt(raw.limit, 'limit');
      break;
    case 'timeBoundary':
      if (raw.bound !== undefined && raw.bound !== null && raw.bound !== 'maxTime' && raw.bound !== 'minTime') throw errors.invalidInput(`timeBoundary: bound must be 'minTime' or 'maxTime'`);
      break;
    default:
      break;
  }
  return q as unknown as NativeQuery;
}
