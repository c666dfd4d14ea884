/** search: distinct dimension values matching a search spec, with counts. */
import type { SegmentView } from '../engine/segment-view.ts';
import { selectionSize } from '../engine/selection.ts';
import { searchSpecPredicate } from '../filter/value-predicates.ts';
import { orderingName, stringComparator } from '../filter/string-orderings.ts';
import type { SearchQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';
import { queryParts } from './query-parts.ts';
import { intervalRowRanges, selectSegmentRows } from './segment-rows.ts';

/** [dimension, value, count] triples plus the earliest cursor time. */
export interface SearchPartial {
  readonly hits: [string, string, number][];
  readonly time: number | null;
}

export const searchEngine: QueryEngine<SearchQuery, SearchPartial> = {
  processSegment(q, view: SegmentView): SearchPartial {
    const parts = queryParts(q);
    const ranges = intervalRowRanges(view, parts.intervals);
    if (ranges.length === 0) return { hits: [], time: null };
    const t = view.time()[ranges[0].start];
    const iv = parts.intervals.find((i) => i.end > t)!;
    const sel = selectSegmentRows(view, parts.intervals, parts.filter);
    const match = searchSpecPredicate(q.query);
    const dims = q.searchDimensions !== undefined && q.searchDimensions.length > 0
      ? q.searchDimensions.map((d) => (typeof d === 'string' ? d : (d as { dimension: string }).dimension))
      : view.segment.dimensions;
    const hits: [string, string, number][] = [];
    const n = selectionSize(sel);
    for (const dim of dims) {
      const col = view.stringColumn(dim);
      if (col === undefined) continue;
      const dict = col.dictionary();
      const ok = dict.map((v) => v !== null && match(v));
      if (!ok.some((x) => x)) continue;
      const counts = new Float64Array(dict.length);
      const { offsets, values } = col.multiValues();
      for (let k = 0; k < n; k++) {
        const r = sel.rows === null ? sel.start + k : sel.rows[k];
        for (let v = offsets[r]; v < offsets[r + 1]; v++) counts[values[v]]++;
      }
      for (let id = 0; id < dict.length; id++) if (ok[id] && counts[id] > 0) hits.push([dim, dict[id]!, counts[id]]);
    }
    return { hits, time: Math.max(iv.start, view.time()[0]) };
  },

  merge(_q, partials): SearchPartial {
    const map = new Map<string, [string, string, number]>();
    for (const p of partials) {
      for (const [d, v, c] of p.hits) {
        const key = `${d}\u0000${v}`;
        const cur = map.get(key);
        if (cur === undefined) map.set(key, [d, v, c]); else cur[2] += c;
      }
    }
    const times = partials.map((p) => p.time).filter((t): t is number => t !== null);
    return { hits: [...map.values()], time: times.length === 0 ? null : Math.min(...times) };
  },

  finalize(q, merged): unknown[] {
    if (merged.hits.length === 0) return [];
    const cmp = stringComparator(orderingName(q.sort?.type ?? 'lexicographic'));
    const hits = merged.hits.slice().sort((a, b) => cmp(a[1], b[1]) || cmp(a[0], b[0]));
    const limit = q.limit ?? 1000;
    return [{
      timestamp: toIsoString(merged.time ?? 0),
      result: hits.slice(0, limit).map(([dimension, value, count]) => ({ dimension, value, count })),
    }];
  },
};
