/**
 * Ingestion schema in Druid's shape (dataSchema of an ingestion spec), as far
 * as the storage layer needs it: which dimensions, which ingest-time
 * aggregators, query granularity and rollup.
 */

export type DimensionType = 'string' | 'long' | 'float' | 'double';

export interface DimensionSchema {
  readonly name: string;
  readonly type: DimensionType;
  /** String dimensions only: 'SORTED_ARRAY' (default) keeps multi-values sorted. */
  readonly multiValueHandling?: 'SORTED_ARRAY' | 'SORTED_SET' | 'ARRAY';
  readonly createBitmapIndex?: boolean;
}

export interface DimensionsSpec {
  /** Empty with `discover` true: dimensions are discovered from rows in arrival order. */
  readonly dimensions: readonly DimensionSchema[];
  readonly dimensionExclusions?: readonly string[];
  /** Schema discovery: unknown fields become string dimensions. Default: true when dimensions is empty. */
  readonly useSchemaDiscovery?: boolean;
}

/** Ingest-time aggregators (Druid metricsSpec). */
export type IngestAggregator =
  | { readonly type: 'count'; readonly name: string }
  | { readonly type: 'longSum' | 'doubleSum' | 'floatSum' | 'longMin' | 'longMax' | 'doubleMin' | 'doubleMax' | 'floatMin' | 'floatMax'; readonly name: string; readonly fieldName: string }
  | { readonly type: 'hyperUnique'; readonly name: string; readonly fieldName: string };

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
