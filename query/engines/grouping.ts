/**
 * Per-segment grouping shared by groupBy and topN: selected rows get a group
 * id from (time bucket, dimension local ids) packed into one number, then
 * every aggregator accumulates by group id. Output is a plain, serialisable
 * partial: one key (bucket start + dimension values) and one list of
 * aggregator partials per group.
 */
import type { Granularity } from '../../storage/time/granularity.ts';
import type { AggregatorFactory, SegmentAggregator } from '../aggregation/aggregator-factory.ts';
import type { Interval } from '../../common/interval.ts';
import { selectRowsOrMask, type CompiledFilter } from '../filter/compiled-filter.ts';
import { countTrue, trueRows } from '../filter/tri.ts';
import { denseGroupRange } from './dense-grouping.ts';
import { assembleGroups, type GroupCandidates, type GroupPruner } from './group-pruning.ts';
import { mergeOrdered } from './sorted-merge.ts';
import { intervalRowRanges, selectSegmentRows } from './segment-rows.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { selectionRows, selectionSize, type Selection } from '../engine/selection.ts';
import { gatherIds, readDimension, type DimensionPlan, type SegmentDimension } from '../dimension/dimension-reader.ts';
import { assignBuckets } from './time-buckets.ts';
import type { GroupedPartial } from './grouped-partial.ts';

export type { GroupedPartial } from './grouped-partial.ts';

/** An empty grouped partial for `numDims` dimensions and `numAggs` aggregators. */
export function emptyGrouped(numDims: number, numAggs: number): GroupedPartial {
  return { size: 0, times: [], dims: Array.from({ length: numDims }, () => []), aggs: Array.from({ length: numAggs }, () => []) };
}

/** [time, ...dimension values] of group g. */
export function groupKey(p: GroupedPartial, g: number): unknown[] {
  return [p.times[g], ...p.dims.map((d) => d[g])];
}

/** Aggregator partials of group g. */
export function groupPartials(p: GroupedPartial, g: number): unknown[] {
  return p.aggs.map((a) => a[g]);
}

/** keys[k] = sum of ids[d][k] * strides[d], as float (for products beyond int32). */
function packKeys(idLists: Int32Array[], strides: number[], n: number): Float64Array {
  const keys = new Float64Array(n);
  for (let d = 0; d < idLists.length; d++) {
    const ids = idLists[d];
    const s = strides[d];
    for (let k = 0; k < n; k++) keys[k] += ids[k] * s;
  }
  return keys;
}

/** out[k] = a[k] * sa + b[k] (int32 packed key of two columns). */
function packKeys2(a: Int32Array, sa: number, b: Int32Array, out: Int32Array): void {
  for (let k = 0; k < out.length; k++) out[k] = a[k] * sa + b[k];
}

/** out[k] += ids[k] * s. */
function addKeyColumn(ids: Int32Array, s: number, out: Int32Array): void {
  for (let k = 0; k < out.length; k++) out[k] += ids[k] * s;
}

/** present[g] = 1 for every group id used. */
function markPresent(groups: Int32Array, present: Uint8Array): void {
  for (let k = 0; k < groups.length; k++) present[groups[k]] = 1;
}

/** Group id per packed key through a dense table; returns number of groups. */
function denseGroups(keys: Float64Array, table: Int32Array, groups: Int32Array, firstKey: number[]): number {
  let next = firstKey.length;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    let g = table[key];
    if (g < 0) {
      g = next++;
      table[key] = g;
      firstKey.push(key);
    }
    groups[k] = g;
  }
  return next;
}

/** Group id per packed key through a hash map. */
function sparseGroups(keys: Float64Array, map: Map<number, number>, groups: Int32Array, firstKey: number[]): number {
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    let g = map.get(key);
    if (g === undefined) {
      g = firstKey.length;
      map.set(key, g);
      firstKey.push(key);
    }
    groups[k] = g;
  }
  return firstKey.length;
}

/** Expands multi-value dimensions: a row contributes once per value combination. */
function expand(sel: Selection, dims: SegmentDimension[]): { rows: Int32Array; ids: Int32Array[] } {
  let rows = selectionRows(sel);
  let ids: Int32Array[] = [];
  for (const d of dims) {
    if (d.rowIds !== null) {
      ids.push(gatherIds(d.rowIds, rows, 0, rows.length));
      continue;
    }
    const { offsets, ids: vals } = d.multi!;
    let total = 0;
    for (let k = 0; k < rows.length; k++) total += offsets[rows[k] + 1] - offsets[rows[k]];
    const newRows = new Int32Array(total);
    const newIds = ids.map(() => new Int32Array(total));
    const mine = new Int32Array(total);
    let j = 0;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      for (let v = offsets[r]; v < offsets[r + 1]; v++) {
        newRows[j] = r;
        for (let p = 0; p < ids.length; p++) newIds[p][j] = ids[p][k];
        mine[j] = vals[v];
        j++;
      }
    }
    rows = newRows;
    ids = [...newIds, mine];
  }
  return { rows, ids };
}

/** Largest key space the direct/dense modes index for a range of `span` rows. */
function denseKeyLimit(span: number): number {
  return Math.max(65536, 4 * span);
}

/**
 * Groups the rows of one segment that lie in the intervals and pass the
 * filter. A single row range whose filter is evaluated as a mask is grouped
 * densely from the mask (no row list); otherwise rows are listed first.
 * With a pruner, only the groups it keeps get aggregator partials.
 */
export function groupSelectedRows(view: SegmentView, intervals: readonly Interval[], filter: CompiledFilter | null, gran: Granularity,
  plans: readonly DimensionPlan[], aggs: readonly AggregatorFactory[], prune?: GroupPruner | null): GroupedPartial {
  const ranges = intervalRowRanges(view, intervals);
  if (ranges.length !== 1) return groupSegment(view, selectSegmentRows(view, intervals, filter), gran, plans, aggs, undefined, prune);
  const { start, end } = ranges[0];
  const pick = selectRowsOrMask(filter, view, start, end);
  if (pick.rows !== null) return groupSegment(view, { start, end, rows: pick.rows }, gran, plans, aggs, undefined, prune);
  // A selective mask: listing its rows beats keying every row of the range.
  if (pick.mask !== null) {
    const selected = countTrue(pick.mask);
    if (selected * 4 < end - start) return groupSegment(view, { start, end, rows: trueRows(pick.mask, start, selected) }, gran, plans, aggs, undefined, prune);
  }
  const dims = plans.map((p) => readDimension(p, view));
  const dense = denseGroupRange(view, start, end, pick.mask, gran, dims, aggs, denseKeyLimit(end - start), prune);
  if (dense !== null) return dense;
  const sel: Selection = pick.mask === null ? { start, end, rows: null } : { start, end, rows: trueRows(pick.mask, start) };
  return groupSegment(view, sel, gran, plans, aggs, dims, prune);
}

/**
 * Groups the selected rows of one segment. `readDims` are the plans already
 * read for this segment (the dense path was tried and did not apply). With a
 * pruner, only the groups it keeps get aggregator partials.
 */
export function groupSegment(view: SegmentView, sel: Selection, gran: Granularity, plans: readonly DimensionPlan[], aggs: readonly AggregatorFactory[],
  readDims?: SegmentDimension[], prune?: GroupPruner | null): GroupedPartial {
  const n = selectionSize(sel);
  if (n === 0) return emptyGrouped(plans.length, aggs.length);
  const time = view.time();
  const isAll = gran.kind === 'all';
  const dims = readDims ?? plans.map((p) => readDimension(p, view));
  if (sel.rows === null && readDims === undefined) {
    const dense = denseGroupRange(view, sel.start, sel.end, null, gran, dims, aggs, denseKeyLimit(sel.end - sel.start), prune);
    if (dense !== null) return dense;
  }
  const buckets = isAll ? null : assignBuckets(time, sel, gran);
  const anyMulti = dims.some((d) => d.rowIds === null);

  let rowSel: Selection = sel;
  let idLists: Int32Array[];
  let bucketIds: Int32Array | null = buckets === null ? null : buckets.ids;
  if (!anyMulti) {
    idLists = dims.map((d) => gatherIds(d.rowIds!, sel.rows, sel.start, sel.end));
  } else {
    const ex = expand(sel, dims);
    if (bucketIds !== null) {
      // Re-derive bucket ids of the expanded rows from their times.
      const starts = buckets!.starts;
      const b = new Int32Array(ex.rows.length);
      let cur = 0;
      for (let k = 0; k < ex.rows.length; k++) {
        const t = gran.bucketStart(time[ex.rows[k]]);
        if (starts[cur] !== t) cur = starts.indexOf(t);
        b[k] = cur;
      }
      bucketIds = b;
    }
    rowSel = { start: sel.start, end: sel.end, rows: ex.rows };
    idLists = ex.ids;
  }
  const m = selectionSize(rowSel);
  const allIds = bucketIds === null ? idLists : [bucketIds, ...idLists];
  const cards = bucketIds === null ? dims.map((d) => d.values.length) : [buckets!.starts.length, ...dims.map((d) => d.values.length)];
  const strides: number[] = [];
  let product = 1;
  for (let d = cards.length - 1; d >= 0; d--) {
    strides[d] = product;
    product *= Math.max(1, cards[d]);
  }
  if (allIds.length === 0) return finish(view, rowSel, null, 1, aggs, [[]], null, dims, undefined, prune);
  // Direct mode: the packed key is the group id (accumulators sized by the key space).
  if (product <= denseKeyLimit(m)) {
    let groups: Int32Array;
    if (allIds.length === 1) groups = allIds[0];
    else {
      groups = new Int32Array(m);
      if (allIds.length === 2) packKeys2(allIds[0], strides[0], allIds[1], groups);
      else for (let d = 0; d < allIds.length; d++) addKeyColumn(allIds[d], strides[d], groups);
    }
    const present = new Uint8Array(product);
    markPresent(groups, present);
    const used: number[] = [];
    for (let g = 0; g < product; g++) if (present[g] === 1) used.push(g);
    return finish(view, rowSel, groups, product, aggs, packedComponents(used, strides), buckets?.starts ?? null, dims, used, prune);
  }
  const groups = new Int32Array(m);
  const firstKey: number[] = [];
  let numGroups: number;
  if (product <= 1 << 22) {
    numGroups = denseGroups(packKeys(allIds, strides, m), new Int32Array(product).fill(-1), groups, firstKey);
  } else if (product <= Number.MAX_SAFE_INTEGER) {
    numGroups = sparseGroups(packKeys(allIds, strides, m), new Map(), groups, firstKey);
  } else {
    // Too many combinations to pack: key by text.
    const map = new Map<string, number>();
    const texts: string[] = [];
    for (let k = 0; k < m; k++) {
      let key = '';
      for (const ids of allIds) key += ids[k] + ',';
      let g = map.get(key);
      if (g === undefined) { g = texts.length; map.set(key, g); texts.push(key); }
      groups[k] = g;
    }
    const keys = texts.map((t) => t.split(',').slice(0, -1).map(Number));
    return finish(view, rowSel, groups, texts.length, aggs, keys, buckets?.starts ?? null, dims, undefined, prune);
  }
  return finish(view, rowSel, groups, numGroups, aggs, packedComponents(firstKey, strides), buckets?.starts ?? null, dims, undefined, prune);
}

/** Key components of the groups of a partial under construction: component d of group i. */
interface GroupComponents {
  readonly size: number;
  of(i: number, d: number): number;
}

/** Components of packed keys `used[i]` (strides as built by the caller, most significant first). */
function packedComponents(used: readonly number[], strides: readonly number[]): GroupComponents {
  return {
    size: used.length,
    of: (i, d) => {
      const p = used[i];
      const hi = d === 0 ? p : p % strides[d - 1];
      return Math.floor(hi / strides[d]);
    },
  };
}


/**
 * Runs the aggregators and builds the partial. `used` lists the group ids
 * that exist (direct mode); by default every id below numGroups does. A
 * pruner sees every group's key first; only kept groups get partials.
 */
function finish(view: SegmentView, sel: Selection, groups: Int32Array | null, numGroups: number, aggs: readonly AggregatorFactory[],
  compKeys: number[][] | GroupComponents, bucketStarts: number[] | null, dims: SegmentDimension[], used?: number[], prune?: GroupPruner | null): GroupedPartial {
  const comp: GroupComponents = Array.isArray(compKeys) ? { size: compKeys.length, of: (i, d) => compKeys[i][d] } : compKeys;
  const size = comp.size;
  const accs: SegmentAggregator[] = [];
  for (let a = 0; a < aggs.length; a++) {
    const acc = aggs[a].forSegment(view);
    acc.aggregate(sel, groups, numGroups);
    accs.push(acc);
  }
  const d0 = bucketStarts === null ? 0 : 1;
  const candidates: GroupCandidates = {
    size,
    time: bucketStarts === null ? () => null : (i) => bucketStarts[comp.of(i, 0)],
    dim: (d, i) => dims[d].values[comp.of(i, d + d0)],
    partial: used === undefined ? (a, i) => accs[a].partial(i) : (a, i) => accs[a].partial(used[i]),
    oneBucket: bucketStarts === null || bucketStarts.length === 1,
    // Direct mode lists packed keys ascending: with sorted dictionaries that is result order.
    ordered: used !== undefined && dims.every((d) => d.sorted === true),
    textOrdered: used !== undefined && dims.every((d) => d.sorted === true),
  };
  const out = assembleGroups(candidates, dims.length, aggs.length, prune);
  for (const acc of accs) acc.release?.();
  return out;
}

function keyText(p: GroupedPartial, g: number): string {
  let k = p.times[g] === null ? '' : String(p.times[g]);
  for (const d of p.dims) {
    const v = d[g];
    k += v === null || v === undefined ? '\u0001\u0000' : typeof v === 'number' ? `\u0001n${v}` : `\u0001s${String(v)}`;
  }
  return k;
}

/** Merges grouped partials by key, combining aggregator partials. */
export function mergeGrouped(parts: readonly GroupedPartial[], aggs: readonly AggregatorFactory[]): GroupedPartial {
  const nonEmpty = parts.filter((p) => p.size > 0);
  if (nonEmpty.length === 1) return nonEmpty[0];
  if (nonEmpty.length === 0) return parts[0] ?? emptyGrouped(0, aggs.length);
  return mergeOrdered(nonEmpty, aggs) ?? regroup(nonEmpty, aggs);
}

/**
 * The key of group g when a partial has one dimension and no bucket times:
 * the value itself (Map keys keep numbers and strings apart, as keyText does),
 * with undefined read as null.
 */
function singleKey(p: GroupedPartial, g: number): unknown {
  return p.dims[0][g] ?? null;
}

/** True when every partial has exactly one dimension and no bucket times. */
function singleKeyed(parts: readonly GroupedPartial[]): boolean {
  for (const p of parts) {
    if (p.dims.length !== 1) return false;
    for (let g = 0; g < p.size; g++) if (p.times[g] !== null) return false;
  }
  return true;
}

/** Combines every group of `parts` that shares a key (also within one partial). */
export function regroup(nonEmpty: readonly GroupedPartial[], aggs: readonly AggregatorFactory[]): GroupedPartial {
  const first = nonEmpty[0];
  const out: GroupedPartial = emptyGrouped(first.dims.length, aggs.length);
  const keyOf: (p: GroupedPartial, g: number) => unknown = singleKeyed(nonEmpty) ? singleKey : keyText;
  const index = new Map<unknown, number>();
  let size = 0;
  for (const p of nonEmpty) {
    for (let g = 0; g < p.size; g++) {
      const k = keyOf(p, g);
      const at = index.get(k);
      if (at === undefined) {
        index.set(k, size++);
        out.times.push(p.times[g]);
        for (let d = 0; d < p.dims.length; d++) out.dims[d].push(p.dims[d][g]);
        for (let a = 0; a < aggs.length; a++) out.aggs[a].push(p.aggs[a][g]);
      } else {
        for (let a = 0; a < aggs.length; a++) out.aggs[a][at] = aggs[a].combine(out.aggs[a][at], p.aggs[a][g]);
      }
    }
  }
  return { ...out, size };
}
