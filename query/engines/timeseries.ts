/**
 * Timeseries: aggregates per granularity bucket. Empty buckets inside each
 * segment's data range are filled (Druid's zero-filling) unless
 * skipEmptyBuckets; 'all' granularity has one bucket stamped with the
 * earliest data time (or the query interval start when there is no data).
 */
import type { SegmentView } from '../engine/segment-view.ts';
import { selectionSize } from '../engine/selection.ts';
import { countMatching } from '../filter/compiled-filter.ts';
import type { TimeseriesQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';
import { finalizeRow, queryParts } from './query-parts.ts';
import { intervalRowRanges, selectSegmentRows } from './segment-rows.ts';
import { assignBuckets } from './time-buckets.ts';

/** [bucket start (or 'all' start), rows aggregated, aggregator partials]. */
export type TimeseriesBucket = [number, number, unknown[]];
export interface TimeseriesPartial { readonly buckets: TimeseriesBucket[] }

function isSkipEmpty(q: TimeseriesQuery): boolean {
  const v = (q as { skipEmptyBuckets?: unknown }).skipEmptyBuckets ?? q.context?.skipEmptyBuckets;
  return v === true || v === 'true';
}

export const timeseriesEngine: QueryEngine<TimeseriesQuery, TimeseriesPartial> = {
  processSegment(q, view: SegmentView): TimeseriesPartial {
    const parts = queryParts(q);
    const time = view.time();
    const ranges = intervalRowRanges(view, parts.intervals);
    if (ranges.length === 0) return { buckets: [] };
    const aggs = parts.aggregators;
    if (parts.granularity.kind === 'all') {
      const firstIv = parts.intervals.find((iv) => iv.end > time[ranges[0].start])!;
      const t0 = Math.max(firstIv.start, time[0]);
      // Fast path: only counts and a filter the index can answer.
      if (aggs.length > 0 && aggs.every((a) => a.type === 'count') && parts.filter !== null) {
        let c = 0;
        for (const r of ranges) c += countMatching(parts.filter, view, r.start, r.end);
        return { buckets: [[t0, c, aggs.map(() => c)]] };
      }
      const sel = selectSegmentRows(view, parts.intervals, parts.filter);
      const partials = aggs.map((a) => {
        const acc = a.forSegment(view);
        acc.aggregate(sel, null, 1);
        return acc.partial(0);
      });
      return { buckets: [[t0, selectionSize(sel), partials]] };
    }
    const sel = selectSegmentRows(view, parts.intervals, parts.filter);
    // Druid's cursor spans the query interval clipped to the segment's data (min..max time): fill empty buckets there.
    const firstIv = parts.intervals.find((iv) => iv.end > time[ranges[0].start])!;
    const lastRow = time[ranges[ranges.length - 1].end - 1];
    const lastIv = parts.intervals.find((iv) => iv.end > lastRow)!;
    const fill = isSkipEmpty(q) ? undefined : { from: Math.max(firstIv.start, time[0]), to: Math.min(lastIv.end, time[time.length - 1] + 1) };
    const { starts, ids } = assignBuckets(time, sel, parts.granularity, fill);
    const counts = new Float64Array(starts.length);
    for (let k = 0; k < ids.length; k++) counts[ids[k]]++;
    const accs = aggs.map((a) => {
      const acc = a.forSegment(view);
      acc.aggregate(sel, ids, starts.length);
      return acc;
    });
    const buckets: TimeseriesBucket[] = starts.map((t, b) => [t, counts[b], accs.map((acc) => acc.partial(b))]);
    return { buckets };
  },

  merge(q, partials): TimeseriesPartial {
    const parts = queryParts(q);
    const isAll = parts.granularity.kind === 'all';
    const byTime = new Map<number, TimeseriesBucket>();
    for (const p of partials) {
      for (const [t, n, ps] of p.buckets) {
        const key = isAll ? 0 : t;
        const cur = byTime.get(key);
        if (cur === undefined) byTime.set(key, [t, n, ps.slice()]);
        else {
          cur[0] = Math.min(cur[0], t);
          cur[1] += n;
          for (let a = 0; a < parts.aggregators.length; a++) cur[2][a] = parts.aggregators[a].combine(cur[2][a], ps[a]);
        }
      }
    }
    return { buckets: [...byTime.values()].sort((a, b) => a[0] - b[0]) };
  },

  finalize(q, merged): unknown[] {
    const parts = queryParts(q);
    let buckets = merged.buckets;
    if (isSkipEmpty(q)) buckets = buckets.filter((b) => b[1] > 0);
    if (buckets.length === 0 && parts.granularity.kind === 'all' && !isSkipEmpty(q)) {
      const start = parts.intervals[0]?.start ?? 0;
      const t = start <= -8640000000000000 / 2 ? 0 : start;
      buckets = [[t, 0, parts.aggregators.map((a) => a.empty())]];
    }
    if (q.descending === true) buckets = buckets.slice().reverse();
    const rows: unknown[] = [];
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    for (const [t, , ps] of buckets) {
      if (rows.length >= limit) break;
      rows.push({ timestamp: toIsoString(t), result: finalizeRow(parts, ps, {}) });
    }
    const grandTotal = (q as { grandTotal?: unknown }).grandTotal ?? q.context?.grandTotal;
    if (grandTotal === true || grandTotal === 'true') {
      const total = parts.aggregators.map((a) => a.empty());
      for (const [, , ps] of buckets) for (let a = 0; a < total.length; a++) total[a] = parts.aggregators[a].combine(total[a], ps[a]);
      rows.push({ timestamp: null, result: finalizeRow(parts, total, {}) });
    }
    return rows;
  },
};
