/**
 * Merging grouped partials whose groups are already in result order (bucket
 * time, then dimension values, nulls first): segments group by dictionary id
 * and dictionaries are sorted, so partials usually arrive ordered. Two ordered
 * partials merge in one linear pass, with no key strings and no hash map, and
 * the result stays ordered (groupBy then skips its sort).
 */
import type { AggregatorFactory } from '../aggregation/aggregator-factory.ts';
import { compareLexicographic } from '../filter/string-orderings.ts';
import type { GroupedPartial } from './grouped-partial.ts';

/** Returned by compareGroups when two keys cannot be ordered consistently (mixed types, NaN). */
const UNORDERED = 2;

/** Order of two different bucket times (null as 0): -1, 1, or UNORDERED when they still compare equal. */
function compareTimes(ta: number | null | undefined, tb: number | null | undefined): number {
  const x = ta ?? 0;
  const y = tb ?? 0;
  if (x < y) return -1;
  if (x > y) return 1;
  return UNORDERED;
}

/**
 * Order of group ga of pa against group gb of pb: -1, 0 (same key), 1, or
 * UNORDERED. Times compare as numbers (null as 0); values nulls first, then
 * strings by code point or numbers by value.
 */
export function compareGroups(pa: GroupedPartial, ga: number, pb: GroupedPartial, gb: number): number {
  const ta = pa.times[ga];
  const tb = pb.times[gb];
  if (ta !== tb) return compareTimes(ta, tb);
  const dims = pa.dims;
  for (let d = 0; d < dims.length; d++) {
    const x = dims[d][ga] ?? null;
    const y = pb.dims[d][gb] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === 'string' && typeof y === 'string') return compareLexicographic(x, y) < 0 ? -1 : 1;
    if (typeof x === 'number' && typeof y === 'number' && x === x && y === y) return x < y ? -1 : 1;
    return UNORDERED;
  }
  return 0;
}

/**
 * compareGroups for partials whose dimension values are all strings without
 * surrogates (or null): there UTF-16 order is code point order, so the
 * engine's native string comparison decides.
 */
export function comparePlainGroups(pa: GroupedPartial, ga: number, pb: GroupedPartial, gb: number): number {
  const ta = pa.times[ga];
  const tb = pb.times[gb];
  if (ta !== tb) return compareTimes(ta, tb);
  const dims = pa.dims;
  for (let d = 0; d < dims.length; d++) {
    const x = dims[d][ga] ?? null;
    const y = pb.dims[d][gb] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return (x as string) < (y as string) ? -1 : 1;
  }
  return 0;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when every dimension value of p is null or a string without surrogate code units. */
function hasPlainStrings(p: GroupedPartial): boolean {
  for (const col of p.dims) {
    for (let g = 0; g < p.size; g++) {
      const v = col[g];
      if (v !== null && v !== undefined && typeof v !== 'string') return false;
    }
    // One native scan over all values instead of one per value.
    if (SURROGATE.test(col.join(''))) return false;
  }
  return true;
}

/** True when the groups of p are strictly ascending under compareGroups. */
export function isOrderedGrouped(p: GroupedPartial): boolean {
  if (p.ordered === true) return true;
  for (let g = 1; g < p.size; g++) if (compareGroups(p, g - 1, p, g) !== -1) return false;
  return true;
}

/**
 * Merges two ordered partials (same dimension count) into one ordered
 * partial, combining aggregator partials of equal keys; null when a pair of
 * keys cannot be ordered (the caller then merges by hashing).
 */
export function mergeOrderedPair(a: GroupedPartial, b: GroupedPartial, aggs: readonly AggregatorFactory[],
  compare: (pa: GroupedPartial, ga: number, pb: GroupedPartial, gb: number) => number = compareGroups): GroupedPartial | null {
  const nd = a.dims.length;
  const na = aggs.length;
  const cap = a.size + b.size;
  const times = new Array<number | null>(cap);
  const dims: unknown[][] = [];
  for (let d = 0; d < nd; d++) dims.push(new Array<unknown>(cap));
  const outAggs: unknown[][] = [];
  for (let k = 0; k < na; k++) outAggs.push(new Array<unknown>(cap));
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.size || j < b.size) {
    const c = i === a.size ? 1 : j === b.size ? -1 : compare(a, i, b, j);
    if (c === UNORDERED) return null;
    const p = c === 1 ? b : a;
    const g = c === 1 ? j : i;
    times[n] = p.times[g];
    for (let d = 0; d < nd; d++) dims[d][n] = p.dims[d][g];
    if (c === 0) for (let k = 0; k < na; k++) outAggs[k][n] = aggs[k].combine(a.aggs[k][i], b.aggs[k][j]);
    else for (let k = 0; k < na; k++) outAggs[k][n] = p.aggs[k][g];
    if (c !== 1) i++;
    if (c !== -1) j++;
    n++;
  }
  times.length = n;
  for (const col of dims) col.length = n;
  for (const col of outAggs) col.length = n;
  return { size: n, times, dims, aggs: outAggs, ordered: true };
}

/** Merges ordered partials pairwise; null when any is unordered or a key pair cannot be ordered. */
export function mergeOrdered(parts: readonly GroupedPartial[], aggs: readonly AggregatorFactory[]): GroupedPartial | null {
  if (parts.length < 2) return null;
  const nd = parts[0].dims.length;
  for (const p of parts) if (p.dims.length !== nd || (p.ordered !== true && !isOrderedGrouped(p))) return null;
  const compare = parts.every(hasPlainStrings) ? comparePlainGroups : compareGroups;
  let level: GroupedPartial[] = parts.slice();
  while (level.length > 1) {
    const next: GroupedPartial[] = [];
    for (let k = 0; k + 1 < level.length; k += 2) {
      const m = mergeOrderedPair(level[k], level[k + 1], aggs, compare);
      if (m === null) return null;
      next.push(m);
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
