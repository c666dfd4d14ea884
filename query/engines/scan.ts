/**
 * scan: returns raw rows in batches per segment, in Druid's list or
 * compactedList format. Ordering by __time merges across segments; offset and
 * limit apply to the merged stream. Each segment contributes at most
 * offset+limit rows.
 */
import { compareDimensionValues } from '../dimension/dimension-reader.ts';
import { segmentIdToString, type Segment } from '../../storage/segment.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { selectionSize } from '../engine/selection.ts';
import type { ScanQuery } from '../model/query.ts';
import type { QueryEngine } from './engine.ts';
import { queryParts } from './query-parts.ts';
import { selectSegmentRows } from './segment-rows.ts';

/** Rows of one or more segments: per segment its id, columns, time per row and values per row. */
export interface ScanPartial {
  readonly segments: { readonly segmentId: string; readonly columns: string[]; readonly times: number[]; readonly rows: unknown[][]; readonly sortKeys?: unknown[][] }[];
}

export type ScanOrder = 'ascending' | 'descending' | 'none' | 'columns';

/** The columns a scan returns from a segment: the asked-for ones, or __time, dimensions, metrics, virtual columns. */
export function scanColumns(q: ScanQuery, seg: Segment): string[] {
  return q.columns !== undefined && q.columns !== null && q.columns.length > 0
    ? [...q.columns]
    : ['__time', ...seg.dimensions, ...seg.metrics, ...(q.virtualColumns ?? []).map((v) => v.name)];
}

/** orderBy entries other than a single __time ordering, or null. */
function columnOrdering(q: ScanQuery): readonly { columnName: string; order: 'ascending' | 'descending' }[] | null {
  if (q.orderBy === undefined || q.orderBy.length === 0) return null;
  if (q.orderBy.length === 1 && q.orderBy[0].columnName === '__time') return null;
  return q.orderBy;
}

/** The scan's row order: by __time (ascending/descending), none, or by other columns. */
export function scanOrder(q: ScanQuery): ScanOrder {
  if (columnOrdering(q) !== null) return 'columns';
  if (q.orderBy !== undefined && q.orderBy.length === 1) return q.orderBy[0].order === 'descending' ? 'descending' : 'ascending';
  return q.order ?? 'none';
}

export const scanEngine: QueryEngine<ScanQuery, ScanPartial> = {
  processSegment(q, view: SegmentView): ScanPartial {
    const parts = queryParts(q);
    const seg = view.segment;
    const columns = scanColumns(q, seg);
    const sel = selectSegmentRows(view, parts.intervals, parts.filter);
    const n = selectionSize(sel);
    const order = scanOrder(q);
    const cap = q.limit === undefined || order === 'columns' ? n : Math.min(n, (q.offset ?? 0) + q.limit);
    const readers = columns.map((c) => view.rowValue(c));
    const sortCols = columnOrdering(q);
    const sortReaders = sortCols === null ? null : sortCols.map((o) => view.rowValue(o.columnName));
    const time = view.time();
    const rows: unknown[][] = [];
    const times: number[] = [];
    const sortKeys: unknown[][] = [];
    for (let i = 0; i < cap; i++) {
      const k = order === 'descending' ? n - 1 - i : i;
      const r = sel.rows === null ? sel.start + k : sel.rows[k];
      rows.push(readers.map((read) => read(r)));
      times.push(time[r]);
      if (sortReaders !== null) sortKeys.push(sortReaders.map((read) => read(r)));
    }
    return { segments: [{ segmentId: segmentIdToString(seg.id), columns, times, rows, ...(sortReaders === null ? {} : { sortKeys }) }] };
  },

  merge(_q, partials): ScanPartial {
    return { segments: partials.flatMap((p) => p.segments) };
  },

  finalize(q, merged): unknown[] {
    const order = scanOrder(q);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const batchSize = q.batchSize ?? 20480;
    const compact = q.resultFormat === 'compactedList';
    type Item = { seg: number; idx: number };
    let items: Item[] = [];
    const segs = merged.segments;
    if (order === 'none') {
      segs.forEach((s, si) => s.rows.forEach((_, idx) => items.push({ seg: si, idx })));
    } else if (order === 'columns') {
      segs.forEach((s, si) => s.rows.forEach((_, idx) => items.push({ seg: si, idx })));
      const dirs = columnOrdering(q)!.map((o) => (o.order === 'descending' ? -1 : 1));
      items.sort((a, b) => {
        const ka = segs[a.seg].sortKeys![a.idx];
        const kb = segs[b.seg].sortKeys![b.idx];
        for (let i = 0; i < dirs.length; i++) {
          const c = compareDimensionValues(ka[i], kb[i]);
          if (c !== 0) return dirs[i] * c;
        }
        return a.seg - b.seg || a.idx - b.idx;
      });
    } else {
      segs.forEach((s, si) => s.rows.forEach((_, idx) => items.push({ seg: si, idx })));
      const sign = order === 'descending' ? -1 : 1;
      items.sort((a, b) => sign * (segs[a.seg].times[a.idx] - segs[b.seg].times[b.idx]) || a.seg - b.seg || a.idx - b.idx);
    }
    items = items.slice(offset, offset + limit);
    const out: unknown[] = [];
    let cur: { segmentId: string; columns: string[]; events: unknown[] } | null = null;
    let curSeg = -1;
    for (const it of items) {
      const s = segs[it.seg];
      if (cur === null || curSeg !== it.seg || cur.events.length >= batchSize) {
        cur = { segmentId: s.segmentId, columns: s.columns, events: [] };
        curSeg = it.seg;
        out.push(cur);
      }
      const row = s.rows[it.idx];
      if (compact) cur.events.push(row);
      else {
        const obj: Record<string, unknown> = {};
        s.columns.forEach((c, i) => { obj[c] = row[i]; });
        cur.events.push(obj);
      }
    }
    return out;
  },
};
