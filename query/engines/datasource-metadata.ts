/** dataSourceMetadata: the latest ingested event time of a data source. */
import type { SegmentView } from '../engine/segment-view.ts';
import type { DataSourceMetadataQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';

export const dataSourceMetadataEngine: QueryEngine<DataSourceMetadataQuery, { max: number | null }> = {
  processSegment(_q, view: SegmentView) {
    const t = view.time();
    return { max: t.length === 0 ? null : t[t.length - 1] };
  },
  merge(_q, partials) {
    let max: number | null = null;
    for (const p of partials) if (p.max !== null && (max === null || p.max > max)) max = p.max;
    return { max };
  },
  finalize(_q, m) {
    if (m.max === null) return [];
    const iso = toIsoString(m.max);
    return [{ timestamp: iso, result: { maxIngestedEventTime: iso } }];
  },
};
