/**
 * The compiled pieces of an aggregating query (intervals, filter,
 * granularity, aggregators, post-aggregators), compiled once per query and
 * cached on the query object.
 */
import type { Interval } from '../../common/interval.ts';
import type { Granularity } from '../../storage/time/granularity.ts';
import type { AggregatorFactory } from '../aggregation/aggregator-factory.ts';
import { compileAggregators } from '../aggregation/compile-aggregator.ts';
import { aggregatorOutputType, compilePostAggregator, type CompiledPostAggregator } from '../aggregation/post-aggregators.ts';
import type { InputType } from '../engine/expression-bridge.ts';
import { compileFilter, type CompiledFilter } from '../filter/compiled-filter.ts';
import type { Aggregator, PostAggregator } from '../model/aggregation.ts';
import type { NativeQuery } from '../model/query.ts';
import { parseIntervals } from '../parse-query.ts';
import { parseQueryGranularity } from '../time/query-granularity.ts';

export interface QueryParts {
  readonly intervals: Interval[];
  readonly filter: CompiledFilter | null;
  readonly granularity: Granularity;
  readonly aggregators: AggregatorFactory[];
  readonly postAggregators: CompiledPostAggregator[];
}

const cache = new WeakMap<object, QueryParts>();

/** Compiles (once) the parts shared by every engine. */
export function queryParts(q: NativeQuery): QueryParts {
  let parts = cache.get(q);
  if (parts !== undefined) return parts;
  const x = q as { intervals?: unknown; filter?: unknown; granularity?: unknown; aggregations?: Aggregator[]; postAggregations?: PostAggregator[] };
  parts = {
    intervals: parseIntervals(x.intervals),
    filter: x.filter === undefined || x.filter === null ? null : compileFilter(x.filter as never),
    granularity: parseQueryGranularity((x.granularity ?? 'all') as never),
    aggregators: compileAggregators(x.aggregations),
    postAggregators: compilePostAggregators(x.aggregations ?? [], x.postAggregations ?? []),
  };
  cache.set(q, parts);
  return parts;
}

/** Post-aggregators in order; each sees the aggregators' and the earlier post-aggregators' output types. */
function compilePostAggregators(aggs: readonly Aggregator[], posts: readonly PostAggregator[]): CompiledPostAggregator[] {
  const types = new Map<string, InputType>();
  for (const a of aggs) {
    const t = a.type === 'filtered' ? aggregatorOutputType(a.aggregator) : aggregatorOutputType(a);
    const name = a.type === 'filtered' ? a.name ?? (a.aggregator as { name?: string }).name : a.name;
    if (t && name) types.set(name, t);
  }
  return posts.map((p, i) => {
    const compiled = compilePostAggregator(p, i, types);
    if (p.type === 'arithmetic' || p.type.startsWith('double')) types.set(compiled.name, 'DOUBLE');
    else if (p.type.startsWith('long') || p.type === 'constant') types.set(compiled.name, p.type === 'constant' && !Number.isInteger(p.value) ? 'DOUBLE' : 'LONG');
    return compiled;
  });
}

/** Finalizes one row's aggregator partials and applies post-aggregators, in order. */
export function finalizeRow(parts: QueryParts, partials: readonly unknown[], into: Record<string, unknown>): Record<string, unknown> {
  const aggs = parts.aggregators;
  for (let a = 0; a < aggs.length; a++) into[aggs[a].name] = aggs[a].finalize(partials[a]);
  if (parts.postAggregators.length > 0) {
    const partialByName = new Map<string, unknown>();
    for (let a = 0; a < aggs.length; a++) partialByName.set(aggs[a].name, partials[a]);
    const row = { get: (n: string) => into[n] ?? null, getPartial: (n: string) => partialByName.get(n) ?? into[n] ?? null };
    for (const p of parts.postAggregators) into[p.name] = p.compute(row);
  }
  return into;
}
