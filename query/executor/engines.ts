/** The engine of each query type. */
import type { QueryEngine } from '../engines/engine.ts';
import { dataSourceMetadataEngine } from '../engines/datasource-metadata.ts';
import { groupByEngine } from '../engines/group-by.ts';
import { scanEngine } from '../engines/scan.ts';
import { searchEngine } from '../engines/search.ts';
import { segmentMetadataEngine } from '../engines/segment-metadata.ts';
import { timeBoundaryEngine } from '../engines/time-boundary.ts';
import { timeseriesEngine } from '../engines/timeseries.ts';
import { topNEngine } from '../engines/top-n.ts';
import type { NativeQuery, QueryType } from '../model/query.ts';

const ENGINES: Record<QueryType, QueryEngine<never, unknown>> = {
  timeseries: timeseriesEngine as QueryEngine<never, unknown>,
  topN: topNEngine as QueryEngine<never, unknown>,
  groupBy: groupByEngine as QueryEngine<never, unknown>,
  scan: scanEngine as QueryEngine<never, unknown>,
  search: searchEngine as QueryEngine<never, unknown>,
  timeBoundary: timeBoundaryEngine as QueryEngine<never, unknown>,
  segmentMetadata: segmentMetadataEngine as QueryEngine<never, unknown>,
  dataSourceMetadata: dataSourceMetadataEngine as QueryEngine<never, unknown>,
};

/** The engine for a query's type. */
export function engineFor(q: NativeQuery): QueryEngine<NativeQuery, unknown> {
  return ENGINES[q.queryType] as unknown as QueryEngine<NativeQuery, unknown>;
}
