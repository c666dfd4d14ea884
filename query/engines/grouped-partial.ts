/**
 * Groups of one or more segments, column-major: group g has bucket start
 * times[g] (null for granularity 'all'), dimension values dims[d][g] and
 * aggregator partials aggs[a][g].
 */
export interface GroupedPartial {
  readonly size: number;
  readonly times: (number | null)[];
  readonly dims: unknown[][];
  readonly aggs: unknown[][];
  /** Set when the groups are known to be strictly ascending by (time, dimension values), nulls first. */
  readonly ordered?: boolean;
}
