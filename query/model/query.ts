/**
 * Druid's native query JSON, typed. These are the wire shapes accepted by
 * `POST /druid/v2` and produced by the SQL planner. Validation and defaults
 * live in `parse-query.ts`; engines take the validated forms.
 */
import type { Filter } from './filter.ts';
import type { Aggregator, PostAggregator } from './aggregation.ts';
import type { DimensionSpec } from './dimension-spec.ts';
import type { VirtualColumn } from './virtual-column.ts';
import type { GranularitySpec } from './granularity-spec.ts';

export type DataSourceSpec =
  | string
  | { readonly type: 'table'; readonly name: string }
  | { readonly type: 'query'; readonly query: NativeQuery }
  | { readonly type: 'inline'; readonly columnNames: readonly string[]; readonly rows: readonly (readonly unknown[])[]; readonly columnTypes?: readonly string[] }
  | { readonly type: 'union'; readonly dataSources: readonly DataSourceSpec[] };

export interface QueryContext {
  readonly timeout?: number;
  readonly priority?: number;
  readonly queryId?: string;
  readonly useCache?: boolean;
  readonly populateCache?: boolean;
  readonly skipEmptyBuckets?: boolean;
  readonly grandTotal?: boolean;
  readonly [key: string]: unknown;
}

interface BaseQuery {
  readonly dataSource: DataSourceSpec;
  /** ISO-8601 interval strings ("2015-09-12/2015-09-13") or a spec. */
  readonly intervals: readonly string[] | { readonly type: 'intervals' | 'segments'; readonly intervals: readonly string[] };
  readonly filter?: Filter | null;
  readonly virtualColumns?: readonly VirtualColumn[];
  readonly context?: QueryContext;
}

export interface TimeseriesQuery extends BaseQuery {
  readonly queryType: 'timeseries';
  readonly granularity: GranularitySpec;
  readonly aggregations?: readonly Aggregator[];
  readonly postAggregations?: readonly PostAggregator[];
  readonly descending?: boolean;
  readonly limit?: number;
}

export type TopNMetricSpec =
  | string
  | { readonly type: 'numeric'; readonly metric: string }
  | { readonly type: 'inverted'; readonly metric: TopNMetricSpec }
  | { readonly type: 'dimension' | 'lexicographic' | 'alphaNumeric'; readonly ordering?: string; readonly previousStop?: string | null };

export interface TopNQuery extends BaseQuery {
  readonly queryType: 'topN';
  readonly granularity: GranularitySpec;
  readonly dimension: DimensionSpec;
  readonly metric: TopNMetricSpec;
  readonly threshold: number;
  readonly aggregations?: readonly Aggregator[];
  readonly postAggregations?: readonly PostAggregator[];
}

export interface OrderByColumnSpec {
  readonly dimension: string;
  readonly direction?: 'ascending' | 'descending';
  readonly dimensionOrder?: 'lexicographic' | 'alphanumeric' | 'numeric' | 'strlen' | 'version' | { readonly type: string };
}

export interface DefaultLimitSpec {
  readonly type: 'default';
  readonly limit?: number;
  readonly offset?: number;
  readonly columns?: readonly (string | OrderByColumnSpec)[];
}

export type HavingSpec =
  | { readonly type: 'filter'; readonly filter: Filter }
  | { readonly type: 'greaterThan' | 'lessThan' | 'equalTo'; readonly aggregation: string; readonly value: number }
  | { readonly type: 'dimSelector'; readonly dimension: string; readonly value: string | null }
  | { readonly type: 'and' | 'or'; readonly havingSpecs: readonly HavingSpec[] }
  | { readonly type: 'not'; readonly havingSpec: HavingSpec }
  | { readonly type: 'always' | 'never' };

export interface GroupByQuery extends BaseQuery {
  readonly queryType: 'groupBy';
  readonly granularity: GranularitySpec;
  readonly dimensions: readonly DimensionSpec[];
  readonly aggregations?: readonly Aggregator[];
  readonly postAggregations?: readonly PostAggregator[];
  readonly having?: HavingSpec | null;
  readonly limitSpec?: DefaultLimitSpec | null;
  readonly subtotalsSpec?: readonly (readonly string[])[];
}

export interface ScanQuery extends BaseQuery {
  readonly queryType: 'scan';
  readonly columns?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly order?: 'ascending' | 'descending' | 'none';
  readonly orderBy?: readonly { readonly columnName: string; readonly order: 'ascending' | 'descending' }[];
  readonly resultFormat?: 'list' | 'compactedList';
  readonly batchSize?: number;
  readonly legacy?: boolean;
}

export type SearchQuerySpec =
  | { readonly type: 'contains'; readonly value: string; readonly caseSensitive?: boolean }
  | { readonly type: 'insensitive_contains'; readonly value: string }
  | { readonly type: 'fragment'; readonly values: readonly string[]; readonly caseSensitive?: boolean }
  | { readonly type: 'regex'; readonly pattern: string };

export interface SearchQuery extends BaseQuery {
  readonly queryType: 'search';
  readonly granularity?: GranularitySpec;
  readonly searchDimensions?: readonly (string | DimensionSpec)[];
  readonly query: SearchQuerySpec;
  readonly sort?: { readonly type: 'lexicographic' | 'alphanumeric' | 'strlen' | 'numeric' };
  readonly limit?: number;
}

export interface TimeBoundaryQuery extends Omit<BaseQuery, 'intervals'> {
  readonly queryType: 'timeBoundary';
  readonly intervals?: BaseQuery['intervals'];
  readonly bound?: 'maxTime' | 'minTime';
}

export interface SegmentMetadataQuery extends Omit<BaseQuery, 'intervals'> {
  readonly queryType: 'segmentMetadata';
  readonly intervals?: BaseQuery['intervals'];
  readonly toInclude?: { readonly type: 'all' } | { readonly type: 'none' } | { readonly type: 'list'; readonly columns: readonly string[] };
  readonly merge?: boolean;
  readonly analysisTypes?: readonly string[];
  readonly lenientAggregatorMerge?: boolean;
}

export interface DataSourceMetadataQuery extends Omit<BaseQuery, 'intervals'> {
  readonly queryType: 'dataSourceMetadata';
  readonly intervals?: BaseQuery['intervals'];
}

export type NativeQuery =
  | TimeseriesQuery
  | TopNQuery
  | GroupByQuery
  | ScanQuery
  | SearchQuery
  | TimeBoundaryQuery
  | SegmentMetadataQuery
  | DataSourceMetadataQuery;

export type QueryType = NativeQuery['queryType'];
