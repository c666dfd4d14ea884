/**
 * Ingestion schema in Druid's shape (dataSchema of an ingestion spec), as far
 * as the storage layer needs it: which dimensions, which ingest-time
 * aggregators, query granularity and rollup.
 */

/** 'json': nested JSON (COMPLEX<json>); 'auto': JSON-valued, typed by castToType or by the values (typed arrays). */
export type DimensionType = 'string' | 'long' | 'float' | 'double' | 'json' | 'auto';

export interface DimensionSchema {
  readonly name: string;
  readonly type: DimensionType;
  /** String dimensions only: 'SORTED_ARRAY' (default) keeps multi-values sorted. */
  readonly multiValueHandling?: 'SORTED_ARRAY' | 'SORTED_SET' | 'ARRAY';
  readonly createBitmapIndex?: boolean;
  /** 'auto' dimensions only: ARRAY<STRING>, ARRAY<LONG>, ARRAY<DOUBLE> or COMPLEX<json>. */
  readonly castToType?: string;
}

export interface DimensionsSpec {
  /** Empty with `discover` true: dimensions are discovered from rows in arrival order. */
  readonly dimensions: readonly DimensionSchema[];
  readonly dimensionExclusions?: readonly string[];
  /** Schema discovery: unknown fields become string dimensions. Default: true when dimensions is empty. */
  readonly useSchemaDiscovery?: boolean;
  /**
   * Type-aware discovery (Druid's useSchemaDiscovery): discovered array and
   * object fields become JSON-valued 'auto' dimensions (typed arrays or nested
   * JSON) instead of string dimensions. Default false.
   */
  readonly autoTypedDiscovery?: boolean;
}

/** Ingest-time aggregators (Druid metricsSpec). */
export type IngestAggregator =
  | { readonly type: 'count'; readonly name: string }
  | { readonly type: 'longSum' | 'doubleSum' | 'floatSum' | 'longMin' | 'longMax' | 'doubleMin' | 'doubleMax' | 'floatMin' | 'floatMax'; readonly name: string; readonly fieldName: string }
  | { readonly type: 'hyperUnique'; readonly name: string; readonly fieldName: string }
  /** KMV theta sketch of nominal size `size` (default 16384) over the field's values. */
  | { readonly type: 'thetaSketch'; readonly name: string; readonly fieldName: string; readonly size?: number }
  /** Distinct-count sketch with 2^lgK (default 12) entries; Merge also accepts already-built sketch columns. */
  | { readonly type: 'HLLSketchBuild' | 'HLLSketchMerge'; readonly name: string; readonly fieldName: string; readonly lgK?: number }
  /** Mergeable quantiles sketch of level capacity k (default 128) over the field's numbers. */
  | { readonly type: 'quantilesDoublesSketch'; readonly name: string; readonly fieldName: string; readonly k?: number }
  /** First/last value by input row time, stored as a (time, value) pair per row. */
  | { readonly type: FirstLastIngestType; readonly name: string; readonly fieldName: string; readonly maxStringBytes?: number };

/** The ingest-time first/last aggregator types. */
export type FirstLastIngestType =
  | 'stringFirst' | 'stringLast' | 'longFirst' | 'longLast' | 'doubleFirst' | 'doubleLast' | 'floatFirst' | 'floatLast';

/** Every ingest aggregator type the storage layer supports (for spec validation). */
export const INGEST_AGGREGATOR_TYPES: readonly IngestAggregator['type'][] = [
  'count', 'longSum', 'doubleSum', 'floatSum', 'longMin', 'longMax', 'doubleMin', 'doubleMax', 'floatMin', 'floatMax',
  'hyperUnique', 'thetaSketch', 'HLLSketchBuild', 'HLLSketchMerge', 'quantilesDoublesSketch',
  'stringFirst', 'stringLast', 'longFirst', 'longLast', 'doubleFirst', 'doubleLast', 'floatFirst', 'floatLast',
];

/** Granularity names Druid accepts for segment and query granularity. */
export type SimpleGranularity =
  | 'none' | 'second' | 'minute' | 'five_minute' | 'ten_minute' | 'fifteen_minute' | 'thirty_minute'
  | 'hour' | 'six_hour' | 'eight_hour' | 'day' | 'week' | 'month' | 'quarter' | 'year' | 'all';

export interface DataSchema {
  readonly dataSource: string;
  readonly dimensionsSpec: DimensionsSpec;
  readonly metricsSpec: readonly IngestAggregator[];
  readonly queryGranularity: SimpleGranularity;
  readonly segmentGranularity: SimpleGranularity;
  readonly rollup: boolean;
}

/**
 * One input row after parsing and transforms: `__time` in epoch ms plus named
 * fields. A string dimension value may be a string, null, or an array of
 * strings (multi-value). Numbers may arrive as strings and are parsed.
 */
export interface InputRow {
  readonly __time: number;
  readonly [field: string]: unknown;
}
