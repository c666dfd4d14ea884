/** Native aggregator specs to AggregatorFactory instances. */
import { errors } from '../../common/errors.ts';
import type { Selection } from '../engine/selection.ts';
import { compileFilter } from '../filter/compiled-filter.ts';
import { TRUE } from '../filter/tri.ts';
import type { Aggregator } from '../model/aggregation.ts';
import type { AggregatorFactory, SegmentAggregator } from './aggregator-factory.ts';
import { quantilesAggregator } from './quantiles-aggregator.ts';
import { hllAggregator, thetaAggregator } from './sketch-aggregators.ts';
import { expressionAggregator } from './expression-aggregator.ts';
import { firstLastAggregator } from './first-last-aggregators.ts';
import { countAggregator, numericAggregator, type NumericAggKind, type NumericAggType } from './numeric-aggregators.ts';

const NUMERIC = /^(long|double|float)(Sum|Min|Max)$/;
const FIRST_LAST = /^(long|double|float|string)(First|Last|Any)$/;

function requireName(spec: Aggregator, i: number): string {
  const name = (spec as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') throw errors.invalidInput(`aggregations[${i}] (${spec.type}): 'name' is required`);
  return name;
}

function requireField(spec: Aggregator, name: string): string {
  const f = (spec as { fieldName?: unknown }).fieldName;
  if (typeof f !== 'string' || f === '') throw errors.invalidInput(`aggregator [${name}] (${spec.type}): 'fieldName' is required`);
  return f;
}

/** Compiles one aggregator spec; `i` is its position, for error messages. */
export function compileAggregator(spec: Aggregator, i = 0): AggregatorFactory {
  if (spec === null || typeof spec !== 'object' || typeof spec.type !== 'string') throw errors.invalidInput(`aggregations[${i}]: must be an object with a 'type'`);
  if (spec.type === 'filtered') return filteredAggregator(spec, i);
  const name = requireName(spec, i);
  if (spec.type === 'count') return countAggregator(name);
  const num = NUMERIC.exec(spec.type);
  if (num !== null) {
    const s = spec as { fieldName?: string; expression?: string };
    if ((s.fieldName === undefined || s.fieldName === null) && (s.expression === undefined || s.expression === null)) {
      throw errors.invalidInput(`aggregator [${name}] (${spec.type}): needs 'fieldName' or 'expression'`);
    }
    return numericAggregator(name, num[2].toLowerCase() as NumericAggKind, num[1] as NumericAggType, s.fieldName ?? undefined, s.expression ?? undefined);
  }
  if (FIRST_LAST.test(spec.type)) {
    const s = spec as { timeColumn?: string; maxStringBytes?: number };
    return firstLastAggregator(name, spec.type, requireField(spec, name), s.timeColumn, s.maxStringBytes);
  }
  switch (spec.type) {
    case 'cardinality': {
      if (!Array.isArray(spec.fields) || spec.fields.length === 0) throw errors.invalidInput(`aggregator [${name}] (cardinality): 'fields' must be a non-empty array`);
      const fields = spec.fields.map((f) => (typeof f === 'string' ? f : f.dimension));
      return hllAggregator(name, 'cardinality', fields, spec.byRow === true, spec.round === true);
    }
    case 'hyperUnique':
      return hllAggregator(name, 'hyperUnique', [requireField(spec, name)], false, spec.round === true);
    case 'thetaSketch':
      return thetaAggregator(name, spec.type, requireField(spec, name), spec.size ?? 16384);
    case 'HLLSketchBuild':
    case 'HLLSketchMerge':
      return thetaAggregator(name, spec.type, requireField(spec, name), 1 << (spec.lgK ?? 12));
    case 'quantilesDoublesSketch':
      return quantilesAggregator(name, requireField(spec, name), spec.k ?? 128);
    case 'expression':
      return expressionAggregator(spec);
    default:
      throw errors.invalidInput(`Unknown aggregator type [${(spec as { type: string }).type}] in aggregations[${i}]`);
  }
}

function filteredAggregator(spec: Extract<Aggregator, { type: 'filtered' }>, i: number): AggregatorFactory {
  if (spec.aggregator === undefined || spec.filter === undefined) throw errors.invalidInput(`aggregations[${i}] (filtered): needs 'filter' and 'aggregator'`);
  const inner = compileAggregator(spec.aggregator, i);
  const filter = compileFilter(spec.filter);
  return {
    ...inner,
    // Its own type: engines' fast paths keyed on the inner type (e.g. count-only timeseries) must not skip the filter.
    type: 'filtered',
    name: spec.name ?? inner.name,
    columns: [...inner.columns, ...filter.columns],
    forSegment(view): SegmentAggregator {
      const agg = inner.forSegment(view);
      return {
        aggregate(sel: Selection, groups: Int32Array | null, numGroups: number) {
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          if (n === 0) { agg.aggregate(sel, groups, numGroups); return; }
          const mask = filter.mask(view, sel.start, sel.end);
          let m = 0;
          for (let k = 0; k < n; k++) {
            const r = sel.rows === null ? sel.start + k : sel.rows[k];
            m += mask[r - sel.start] === TRUE ? 1 : 0;
          }
          const rows = new Int32Array(m);
          const sub = groups === null ? null : new Int32Array(m);
          let j = 0;
          for (let k = 0; k < n; k++) {
            const r = sel.rows === null ? sel.start + k : sel.rows[k];
            if (mask[r - sel.start] === TRUE) {
              rows[j] = r;
              if (sub !== null) sub[j] = groups![k];
              j++;
            }
          }
          agg.aggregate({ start: sel.start, end: sel.end, rows }, sub, numGroups);
        },
        partial: (g) => agg.partial(g),
      };
    },
  };
}

/** Compiles a list of aggregators, rejecting duplicate output names. */
export function compileAggregators(specs: readonly Aggregator[] | undefined): AggregatorFactory[] {
  const out = (specs ?? []).map((s, i) => compileAggregator(s, i));
  const seen = new Set<string>();
  for (const a of out) {
    if (seen.has(a.name)) throw errors.invalidInput(`Duplicate output name [${a.name}] in aggregations`);
    seen.add(a.name);
  }
  return out;
}
