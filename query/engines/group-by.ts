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
import { groupKey, groupPartials, groupSegment, mergeGrouped, regroup, type GroupedPartial } from './grouping.ts';
import { applyHaving } from './having.ts';
import { finalizeRow, queryParts } from './query-parts.ts';
import { rowComparator } from './result-ordering.ts';
import { selectSegmentRows } from './segment-rows.ts';

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

function compareKeys(a: unknown[], b: unknown[]): number {
  const ta = (a[0] as number | null) ?? 0;
  const tb = (b[0] as number | null) ?? 0;
  if (ta !== tb) return ta - tb;
  for (let i = 1; i < a.length; i++) {
    const c = compareDimensionValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export const groupByEngine: QueryEngine<GroupByQuery, GroupedPartial> = {
  processSegment(q, view: SegmentView): GroupedPartial {
    const parts = queryParts(q);
    const sel = selectSegmentRows(view, parts.intervals, parts.filter);
    return groupSegment(view, sel, parts.granularity, groupByDimensions(q), parts.aggregators);
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
          dims: merged.dims.map((col, d) => (subset.includes(plans[d].outputName) ? col : col.map(() => null))),
        };
        grouped = reduced.size === 0 ? reduced : regroup([reduced], parts.aggregators);
      }
      const keys = Array.from({ length: grouped.size }, (_, g) => groupKey(grouped, g));
      const order = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a], keys[b]));
      let rows: Record<string, unknown>[] = order.map((g) => {
        const key = keys[g];
        const event: Record<string, unknown> = {};
        for (let d = 0; d < plans.length; d++) {
          if (subset === null || subset.includes(plans[d].outputName)) event[plans[d].outputName] = key[d + 1];
        }
        finalizeRow(parts, groupPartials(grouped, g), event);
        Object.defineProperty(event, '__t', { value: key[0] === null ? allStart : key[0], enumerable: false });
        return event;
      });
      const names = [...plans.map((p) => p.outputName), ...parts.aggregators.map((a) => a.name), ...parts.postAggregators.map((p) => p.name)];
      if (q.having !== undefined && q.having !== null) rows = applyHaving(q.having, rows, names);
      const limitSpec = q.limitSpec;
      if (limitSpec !== undefined && limitSpec !== null) {
        const cols = limitSpec.columns ?? [];
        if (cols.length > 0) {
          const cmp = rowComparator(cols, new Set(plans.map((p) => p.outputName)), parts.aggregators);
          const timeFirst = parts.granularity.kind !== 'all';
          rows = rows.slice().sort((a, b) => (timeFirst ? ((a as { __t?: number }).__t ?? 0) - ((b as { __t?: number }).__t ?? 0) : 0) || cmp(a, b));
        }
        const offset = limitSpec.offset ?? 0;
        const limit = limitSpec.limit ?? Number.POSITIVE_INFINITY;
        rows = rows.slice(offset, offset + limit);
      }
      for (const r of rows) out.push({ version: 'v1', timestamp: toIsoString((r as { __t?: number }).__t ?? allStart), event: r });
    }
    return out;
  },
};

