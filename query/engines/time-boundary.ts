/** timeBoundary: earliest and latest row time (of filtered rows within the intervals). */
import type { SegmentView } from '../engine/segment-view.ts';
import { selectionSize } from '../engine/selection.ts';
import type { TimeBoundaryQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';
import { queryParts } from './query-parts.ts';
import { selectSegmentRows } from './segment-rows.ts';

export interface TimeBoundaryPartial { readonly min: number | null; readonly max: number | null }

export const timeBoundaryEngine: QueryEngine<TimeBoundaryQuery, TimeBoundaryPartial> = {
  processSegment(q, view: SegmentView): TimeBoundaryPartial {
    const parts = queryParts(q);
    const sel = selectSegmentRows(view, parts.intervals, parts.filter);
    const n = selectionSize(sel);
    if (n === 0) return { min: null, max: null };
    const time = view.time();
    const first = sel.rows === null ? sel.start : sel.rows[0];
    const last = sel.rows === null ? sel.end - 1 : sel.rows[n - 1];
    return { min: time[first], max: time[last] };
  },
  merge(_q, partials): TimeBoundaryPartial {
    let min: number | null = null;
    let max: number | null = null;
    for (const p of partials) {
      if (p.min !== null && (min === null || p.min < min)) min = p.min;
      if (p.max !== null && (max === null || p.max > max)) max = p.max;
    }
    return { min, max };
  },
  finalize(q, m): unknown[] {
    if (m.min === null || m.max === null) return [];
    const result: Record<string, string> = {};
    if (q.bound !== 'maxTime') result.minTime = toIsoString(m.min);
    if (q.bound !== 'minTime') result.maxTime = toIsoString(m.max);
    return [{ timestamp: toIsoString(q.bound === 'maxTime' ? m.max : m.min), result }];
  },
};
