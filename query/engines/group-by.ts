/**
 * groupBy: groups by time bucket and dimensions; results are sorted by
 * timestamp then dimension values (Druid's default), then having, limitSpec
 * ordering/offset/limit and subtotalsSpec are applied after merging.
 */
import { errors } from '../../common/errors.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { compareDimensionValues, planDimension, type DimensionPlan } from '../dimension/dimension-reader.ts';
import type { GroupByQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';
import { groupSelectedRows, mergeGrouped, regroup, type GroupedPartial } from './grouping.ts';
import { applyHaving } from './having.ts';
import { isOrderedGrouped } from './sorted-merge.ts';
import { finalizeRow, queryParts } from './query-parts.ts';
import { rowComparator } from './result-ordering.ts';

const plansCache = new WeakMap<object, DimensionPlan[]>();

/** The dimension plans of a groupBy (cached per query object). */
export function groupByDimensions(q: GroupByQuery): DimensionPlan[] {
  let p = plansCache.get(q);
  if (p === undefined) {
    p = (q.dimensions ?? []).map(planDimension);
    const names = new Set<string>();
    for (const d of p) {
      if (names.has(d.outputName)) throw errors.invalidInput(`Duplicate output name [${d.outputName}] in dimensions`);
      names.add(d.outputName);
    }
    plansCache.set(q, p);
  }
  return p;
}

/** Orders group indices of a grouped partial by time, then dimension values (nulls first), reading the columns in place. */
function groupOrder(p: GroupedPartial): number[] {
  const order = new Array<number>(p.size);
  for (let g = 0; g < p.size; g++) order[g] = g;
  if (isOrderedGrouped(p)) return order;
  const times = p.times;
  const dims = p.dims;
  const anyTime = times.some((t) => t !== null && t !== 0);
  if (dims.length === 1 && !anyTime) {
    const d0 = dims[0];
    return order.sort((a, b) => compareDimensionValues(d0[a], d0[b]));
  }
  return order.sort((a, b) => {
    const ta = times[a] ?? 0;
    const tb = times[b] ?? 0;
    if (ta !== tb) return ta - tb;
    for (let d = 0; d < dims.length; d++) {
      const c = compareDimensionValues(dims[d][a], dims[d][b]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** toIsoString with a one-entry memo (rows come in time order, often with one time). */
function isoMemo(): (t: number) => string {
  let lastT = Number.NaN;
  let lastS = '';
  return (t) => (t === lastT ? lastS : (lastS = toIsoString((lastT = t))));
}

export const groupByEngine: QueryEngine<GroupByQuery, GroupedPartial> = {
  processSegment(q, view: SegmentView): GroupedPartial {
    const parts = queryParts(q);
    return groupSelectedRows(view, parts.intervals, parts.filter, parts.granularity, groupByDimensions(q), parts.aggregators);
  },

  merge(q, partials): GroupedPartial {
    return mergeGrouped(partials, queryParts(q).aggregators);
  },

  finalize(q, merged): unknown[] {
    const parts = queryParts(q);
    const plans = groupByDimensions(q);
    const allStart = parts.intervals[0]?.start ?? 0;
    const sets: readonly (readonly string[] | null)[] = q.subtotalsSpec === undefined || q.subtotalsSpec === null ? [null] : q.subtotalsSpec;
    const out: unknown[] = [];
    for (const subset of sets) {
      let grouped = merged;
      if (subset !== null) {
        const reduced: GroupedPartial = {
          ...merged,
          ordered: false,
          dims: merged.dims.map((col, d) => (subset.includes(plans[d].outputName) ? col : col.map(() => null))),
        };
        grouped = reduced.size === 0 ? reduced : regroup([reduced], parts.aggregators);
      }
      const order = groupOrder(grouped);
      const dimNames = plans.map((p, d) => (subset === null || subset.includes(p.outputName) ? p.outputName : null));
      // Each row's bucket time, kept beside its event (events carry only output columns).
      let times: number[] = new Array<number>(order.length);
      let rows: Record<string, unknown>[] = new Array<Record<string, unknown>>(order.length);
      // One partials array reused for every row (finalizeRow only reads it during the call).
      const partials = new Array<unknown>(parts.aggregators.length);
      const aggCols = grouped.aggs;
      for (let i = 0; i < order.length; i++) {
        const g = order[i];
        const event: Record<string, unknown> = {};
        for (let d = 0; d < dimNames.length; d++) {
          const name = dimNames[d];
          if (name !== null) event[name] = grouped.dims[d][g];
        }
        for (let a = 0; a < partials.length; a++) partials[a] = aggCols[a][g];
        finalizeRow(parts, partials, event);
        const t = grouped.times[g];
        times[i] = t === null ? allStart : t;
        rows[i] = event;
      }
      const names = [...plans.map((p) => p.outputName), ...parts.aggregators.map((a) => a.name), ...parts.postAggregators.map((p) => p.name)];
      if (q.having !== undefined && q.having !== null) {
        const kept = new Set(applyHaving(q.having, rows, names));
        const keptTimes: number[] = [];
        const keptRows: Record<string, unknown>[] = [];
        for (let i = 0; i < rows.length; i++) if (kept.has(rows[i])) { keptTimes.push(times[i]); keptRows.push(rows[i]); }
        times = keptTimes;
        rows = keptRows;
      }
      const limitSpec = q.limitSpec;
      if (limitSpec !== undefined && limitSpec !== null) {
        let idx = rows.map((_, i) => i);
        const cols = limitSpec.columns ?? [];
        if (cols.length > 0) {
          const cmp = rowComparator(cols, new Set(plans.map((p) => p.outputName)), parts.aggregators);
          const timeFirst = parts.granularity.kind !== 'all';
          idx.sort((a, b) => (timeFirst ? times[a] - times[b] : 0) || cmp(rows[a], rows[b]));
        }
        const offset = limitSpec.offset ?? 0;
        const limit = limitSpec.limit ?? Number.POSITIVE_INFINITY;
        idx = idx.slice(offset, offset + limit);
        times = idx.map((i) => times[i]);
        rows = idx.map((i) => rows[i]);
      }
      const iso = isoMemo();
      for (let i = 0; i < rows.length; i++) out.push({ version: 'v1', timestamp: iso(times[i]), event: rows[i] });
    }
    return out;
  },
};

