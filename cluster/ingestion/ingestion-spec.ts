/**
 * Druid's batch ingestion task spec (`index_parallel`, `index`), validated into
 * a typed form. Unknown or missing required fields fail with a message naming
 * the field; nothing is written before the whole spec validates.
 */
import { errors } from '../../common/errors.ts';
import type { Filter } from '../../query/model/filter.ts';
import type { Partitioning } from '../../storage/merge/partition-rows.ts';
import { INGEST_AGGREGATOR_TYPES, type DataSchema, type DimensionSchema, type IngestAggregator, type SimpleGranularity } from '../../storage/schema.ts';

export interface TimestampSpec {
  readonly column: string;
  /** iso | millis | posix | micro | nano | auto | a Joda-style pattern */
  readonly format: string;
  readonly missingValue: string | null;
}

export type InputSourceSpec =
  | { readonly type: 'local'; readonly baseDir?: string; readonly filter?: string; readonly files?: readonly string[] }
  | { readonly type: 'inline'; readonly data: string };

export interface FlattenField {
  readonly type: 'root' | 'path';
  readonly name: string;
  readonly expr?: string;
}

export type InputFormatSpec =
  | { readonly type: 'json'; readonly flattenSpec?: { readonly useFieldDiscovery?: boolean; readonly fields?: readonly FlattenField[] } }
  | { readonly type: 'csv' | 'tsv'; readonly columns?: readonly string[]; readonly findColumnsFromHeader?: boolean; readonly skipHeaderRows?: number; readonly delimiter?: string; readonly listDelimiter?: string }
  | { readonly type: 'parquet' };

export interface TransformSpec {
  readonly transforms: readonly { readonly type: 'expression'; readonly name: string; readonly expression: string }[];
  readonly filter: Filter | null;
}

export interface TuningConfig {
  readonly maxRowsPerSegment: number;
  readonly maxRowsInMemory: number;
  readonly partitionsSpec: { readonly type: 'dynamic' | 'hashed' | 'range' | 'single_dim'; readonly [k: string]: unknown };
  /** partitionsSpec validated into how each time chunk is split (single_dim becomes range on one dimension). */
  readonly partitioning: Partitioning;
  readonly maxParseExceptions: number;
  readonly maxSavedParseExceptions: number;
}

export interface BatchIngestionSpec {
  readonly type: 'index_parallel' | 'index';
  readonly dataSchema: DataSchema;
  readonly timestampSpec: TimestampSpec;
  /** Only rows inside these intervals are kept (others are "thrownAway"); empty = all. */
  readonly intervals: readonly string[];
  readonly transformSpec: TransformSpec;
  readonly inputSource: InputSourceSpec;
  readonly inputFormat: InputFormatSpec;
  readonly tuningConfig: TuningConfig;
  readonly appendToExisting: boolean;
}

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.invalidInput(`${where} must be a JSON object`);
  return v as Json;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw errors.invalidInput(`${where} must be a non-empty string`);
  return v;
}

const granularities: readonly SimpleGranularity[] = ['none', 'second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute',
  'thirty_minute', 'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year', 'all'];

export function parseSimpleGranularity(v: unknown, where: string, fallback: SimpleGranularity): SimpleGranularity {
  if (v === undefined || v === null) return fallback;
  const name = typeof v === 'string' ? v : typeof v === 'object' && v !== null && 'type' in v ? String((v as Json).type) : '';
  const g = granularities.find((x) => x === name.toLowerCase());
  if (!g) throw errors.invalidInput(`${where} [${JSON.stringify(v)}] is not a supported granularity; use one of ${granularities.join(', ')}`);
  return g;
}

function dimensions(spec: Json): DimensionSchema[] {
  const list = spec.dimensions === undefined ? [] : spec.dimensions;
  if (!Array.isArray(list)) throw errors.invalidInput('dimensionsSpec.dimensions must be an array');
  return list.map((d, i): DimensionSchema => {
    if (typeof d === 'string') return { name: d, type: 'string' };
    const o = obj(d, `dimensionsSpec.dimensions[${i}]`);
    const type = String(o.type ?? 'string').toLowerCase();
    const name = str(o.name, `dimensionsSpec.dimensions[${i}].name`);
    if (type === 'string' || type === 'auto' || type === 'json') {
      return { name, type: 'string', ...(o.createBitmapIndex === false ? { createBitmapIndex: false } : {}),
        ...(typeof o.multiValueHandling === 'string' ? { multiValueHandling: o.multiValueHandling.toUpperCase() as DimensionSchema['multiValueHandling'] } : {}) };
    }
    if (type === 'long' || type === 'float' || type === 'double') return { name, type };
    throw errors.invalidInput(`dimensionsSpec.dimensions[${i}] has unsupported type [${String(o.type)}]`);
  });
}

const aggregatorTypes = new Set<string>(INGEST_AGGREGATOR_TYPES);
/** Optional numeric sizing fields an ingest aggregator may carry (sketch sizes, string cut-off). */
const sizeFields = ['size', 'lgK', 'k', 'maxStringBytes'] as const;

function metrics(list: unknown): IngestAggregator[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw errors.invalidInput('metricsSpec must be an array');
  const out: IngestAggregator[] = [];
  list.forEach((m, i) => {
    const o = obj(m, `metricsSpec[${i}]`);
    const type = str(o.type, `metricsSpec[${i}].type`);
    const name = str(o.name, `metricsSpec[${i}].name`);
    if (!aggregatorTypes.has(type)) {
      throw errors.invalidInput(`metricsSpec[${i}] uses aggregator type [${type}], which ingestion does not support yet (supported: ${[...aggregatorTypes].join(', ')})`);
    }
    if (type === 'count') out.push({ type: 'count', name });
    else {
      const agg: Record<string, unknown> = { type, name, fieldName: str(o.fieldName ?? name, `metricsSpec[${i}].fieldName`) };
      for (const f of sizeFields) {
        if (o[f] === undefined || o[f] === null) continue;
        if (typeof o[f] !== 'number' || !Number.isInteger(o[f]) || (o[f] as number) <= 0) throw errors.invalidInput(`metricsSpec[${i}].${f} must be a positive integer`);
        agg[f] = o[f];
      }
      out.push(agg as unknown as IngestAggregator);
    }
  });
  return out;
}

/** Validates a task spec as POSTed to /druid/indexer/v1/task (also accepts the bare `spec` object). */
export function parseBatchIngestionSpec(raw: unknown): BatchIngestionSpec {
  const task = obj(raw, 'Task');
  const type = String(task.type ?? 'index_parallel');
  if (type !== 'index_parallel' && type !== 'index') {
    throw errors.invalidInput(`Task type [${type}] is not supported; use index_parallel (or index)`);
  }
  const spec = obj(task.spec ?? task, 'spec');
  const dataSchema = obj(spec.dataSchema, 'spec.dataSchema');
  const ioConfig = obj(spec.ioConfig, 'spec.ioConfig');
  const tuning = spec.tuningConfig === undefined ? {} : obj(spec.tuningConfig, 'spec.tuningConfig');
  const dataSource = str(dataSchema.dataSource, 'dataSchema.dataSource');
  if (!/^[^/\\\0]{1,255}$/.test(dataSource) || dataSource.startsWith('.')) throw errors.invalidInput(`dataSource name [${dataSource}] is not allowed`);
  const ts = obj(dataSchema.timestampSpec, 'dataSchema.timestampSpec');
  const dimsSpec = dataSchema.dimensionsSpec === undefined ? {} : obj(dataSchema.dimensionsSpec, 'dataSchema.dimensionsSpec');
  const gran = dataSchema.granularitySpec === undefined ? {} : obj(dataSchema.granularitySpec, 'dataSchema.granularitySpec');
  const transform = dataSchema.transformSpec === undefined ? {} : obj(dataSchema.transformSpec, 'dataSchema.transformSpec');
  const dims = dimensions(dimsSpec);
  const exclusions = Array.isArray(dimsSpec.dimensionExclusions) ? dimsSpec.dimensionExclusions.map(String) : [];
  const schema: DataSchema = {
    dataSource,
    dimensionsSpec: {
      dimensions: dims,
      dimensionExclusions: exclusions,
      useSchemaDiscovery: dimsSpec.useSchemaDiscovery === true || dims.length === 0,
    },
    metricsSpec: metrics(dataSchema.metricsSpec),
    queryGranularity: parseSimpleGranularity(gran.queryGranularity, 'granularitySpec.queryGranularity', 'none'),
    segmentGranularity: parseSimpleGranularity(gran.segmentGranularity, 'granularitySpec.segmentGranularity', 'day'),
    rollup: gran.rollup === undefined ? true : gran.rollup === true,
  };
  const inputSource = obj(ioConfig.inputSource, 'ioConfig.inputSource');
  const inputFormat = obj(ioConfig.inputFormat ?? { type: 'json' }, 'ioConfig.inputFormat');
  return {
    type,
    dataSchema: schema,
    timestampSpec: {
      column: typeof ts.column === 'string' ? ts.column : 'timestamp',
      format: typeof ts.format === 'string' ? ts.format : 'auto',
      missingValue: typeof ts.missingValue === 'string' ? ts.missingValue : null,
    },
    intervals: Array.isArray(gran.intervals) ? gran.intervals.map(String) : [],
    transformSpec: {
      transforms: Array.isArray(transform.transforms)
        ? transform.transforms.map((t, i) => {
          const o = obj(t, `transformSpec.transforms[${i}]`);
          return { type: 'expression' as const, name: str(o.name, `transforms[${i}].name`), expression: str(o.expression, `transforms[${i}].expression`) };
        })
        : [],
      filter: (transform.filter ?? null) as Filter | null,
    },
    inputSource: parseInputSource(inputSource),
    inputFormat: parseInputFormat(inputFormat),
    tuningConfig: {
      maxRowsPerSegment: Number(tuning.maxRowsPerSegment ?? (tuning.partitionsSpec as Json | undefined)?.maxRowsPerSegment ?? 5_000_000),
      maxRowsInMemory: positiveNumber(tuning.maxRowsInMemory ?? 1_000_000, 'tuningConfig.maxRowsInMemory'),
      partitionsSpec: (tuning.partitionsSpec as TuningConfig['partitionsSpec'] | undefined) ?? { type: 'dynamic' },
      partitioning: parsePartitionsSpec(tuning.partitionsSpec, tuning.maxRowsPerSegment, ioConfig.appendToExisting === true),
      maxParseExceptions: Number(tuning.maxParseExceptions ?? Number.MAX_SAFE_INTEGER),
      maxSavedParseExceptions: Number(tuning.maxSavedParseExceptions ?? 10),
    },
    appendToExisting: ioConfig.appendToExisting === true,
  };
}

function positiveNumber(v: unknown, where: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw errors.invalidInput(`${where} must be a positive number, got [${JSON.stringify(v)}]`);
  return n;
}

function optionalPositiveInt(o: Json, field: string): number | undefined {
  const v = o[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw errors.invalidInput(`partitionsSpec.${field} must be a positive integer, got [${JSON.stringify(v)}]`);
  return v;
}

function stringList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw errors.invalidInput(`${where} must be an array of dimension names`);
  return v as string[];
}

/**
 * Validates a tuningConfig.partitionsSpec (Druid's shape): dynamic
 * (maxRowsPerSegment), hashed (numShards or targetRowsPerSegment,
 * partitionDimensions), single_dim (partitionDimension) and range
 * (partitionDimensions), the last two with targetRowsPerSegment or
 * maxRowsPerSegment. Hashed and range cannot append (they make complete
 * partition sets of a new version).
 */
export function parsePartitionsSpec(raw: unknown, legacyMaxRows: unknown, append: boolean): Partitioning {
  if (raw === undefined || raw === null) {
    return legacyMaxRows === undefined || legacyMaxRows === null ? { type: 'dynamic', maxRowsPerSegment: 5_000_000 } : { type: 'dynamic', maxRowsPerSegment: positiveNumber(legacyMaxRows, 'tuningConfig.maxRowsPerSegment') };
  }
  const o = obj(raw, 'tuningConfig.partitionsSpec');
  const type = String(o.type ?? 'dynamic');
  if (type !== 'dynamic' && append) throw errors.invalidInput(`partitionsSpec type [${type}] cannot be used with appendToExisting; use dynamic partitioning to append`);
  switch (type) {
    case 'dynamic':
      return { type: 'dynamic', maxRowsPerSegment: optionalPositiveInt(o, 'maxRowsPerSegment') ?? (legacyMaxRows === undefined ? 5_000_000 : positiveNumber(legacyMaxRows, 'tuningConfig.maxRowsPerSegment')) };
    case 'hashed': {
      const numShards = optionalPositiveInt(o, 'numShards');
      const target = optionalPositiveInt(o, 'targetRowsPerSegment') ?? optionalPositiveInt(o, 'maxRowsPerSegment');
      if (numShards !== undefined && target !== undefined) throw errors.invalidInput('hashed partitionsSpec takes numShards or targetRowsPerSegment, not both');
      const dims = o.partitionDimensions === undefined || o.partitionDimensions === null ? [] : stringList(o.partitionDimensions, 'partitionsSpec.partitionDimensions');
      return { type: 'hashed', ...(numShards !== undefined ? { numShards } : {}), ...(target !== undefined ? { targetRowsPerSegment: target } : {}), partitionDimensions: dims };
    }
    case 'single_dim':
    case 'range': {
      const dims = type === 'single_dim'
        ? [str(o.partitionDimension, 'partitionsSpec.partitionDimension')]
        : stringList(o.partitionDimensions, 'partitionsSpec.partitionDimensions');
      if (dims.length === 0) throw errors.invalidInput('range partitionsSpec needs at least one entry in partitionDimensions');
      const target = optionalPositiveInt(o, 'targetRowsPerSegment');
      const max = optionalPositiveInt(o, 'maxRowsPerSegment');
      if (target !== undefined && max !== undefined) throw errors.invalidInput(`${type} partitionsSpec takes targetRowsPerSegment or maxRowsPerSegment, not both`);
      if (target === undefined && max === undefined) throw errors.invalidInput(`${type} partitionsSpec needs targetRowsPerSegment or maxRowsPerSegment`);
      return { type: 'range', partitionDimensions: dims, ...(target !== undefined ? { targetRowsPerSegment: target } : {}), ...(max !== undefined ? { maxRowsPerSegment: max } : {}) };
    }
    default:
      throw errors.invalidInput(`partitionsSpec type [${type}] is not supported; use dynamic, hashed, single_dim or range`);
  }
}

/** Validates an inputSource object (Druid's shape). */
export function parseInputSource(o: Json): InputSourceSpec {
  switch (o.type) {
    case 'local': {
      const files = Array.isArray(o.files) ? o.files.map(String) : undefined;
      if (!files && typeof o.baseDir !== 'string') throw errors.invalidInput('local inputSource needs "baseDir" (with "filter") or "files"');
      return { type: 'local', ...(typeof o.baseDir === 'string' ? { baseDir: o.baseDir } : {}), ...(typeof o.filter === 'string' ? { filter: o.filter } : {}), ...(files ? { files } : {}) };
    }
    case 'inline':
      return { type: 'inline', data: typeof o.data === 'string' ? o.data : '' };
    default:
      throw errors.invalidInput(`inputSource type [${String(o.type)}] is not supported; use local or inline`);
  }
}

/** Validates an inputFormat object (Druid's shape). */
export function parseInputFormat(o: Json): InputFormatSpec {
  switch (o.type) {
    case 'json':
      return { type: 'json', ...(o.flattenSpec ? { flattenSpec: o.flattenSpec as { fields?: FlattenField[] } } : {}) };
    case 'csv':
    case 'tsv':
      return {
        type: o.type,
        ...(Array.isArray(o.columns) ? { columns: o.columns.map(String) } : {}),
        findColumnsFromHeader: o.findColumnsFromHeader === true,
        skipHeaderRows: Number(o.skipHeaderRows ?? 0),
        ...(typeof o.delimiter === 'string' ? { delimiter: o.delimiter } : {}),
        ...(typeof o.listDelimiter === 'string' ? { listDelimiter: o.listDelimiter } : {}),
      };
    case 'parquet':
      return { type: 'parquet' };
    default:
      throw errors.invalidInput(`inputFormat type [${String(o.type)}] is not supported; use json, csv, tsv or parquet`);
  }
}
