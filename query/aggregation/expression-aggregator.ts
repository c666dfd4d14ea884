/**
 * Druid's expression aggregator: folds rows into an accumulator with
 * expressions (initialValue, fold, combine, finalize) from the expression
 * engine. The partial is the accumulator value itself.
 */
import { errors } from '../../common/errors.ts';
import { expressionEngine } from '../engine/expression-bridge.ts';
import type { Aggregator } from '../model/aggregation.ts';
import { compareNullableNumbers, type AggregatorFactory, type SegmentAggregator } from './aggregator-factory.ts';

type ExpressionSpec = Extract<Aggregator, { type: 'expression' }>;

/** Compiles an expression aggregator spec. */
export function expressionAggregator(spec: ExpressionSpec): AggregatorFactory {
  if (typeof spec.fold !== 'string' || typeof spec.initialValue !== 'string') {
    throw errors.invalidInput(`aggregator [${spec.name}] (expression): 'fold' and 'initialValue' are required`);
  }
  const accId = spec.accumulatorIdentifier ?? '__acc';
  const engine = expressionEngine();
  const none = () => null;
  const initial = () => engine.compileRowFunction(spec.initialValue)(none);
  const combineInitial = () => engine.compileRowFunction(spec.initialCombineValue ?? spec.initialValue)(none);
  const fold = engine.compileRowFunction(spec.fold);
  const combineFn = engine.compileRowFunction(spec.combine ?? spec.fold);
  const finalizeFn = spec.finalize === undefined || spec.finalize === null ? null : engine.compileRowFunction(spec.finalize);
  const fields = spec.fields ?? engine.requiredColumns?.(spec.fold).filter((c) => c !== accId) ?? [];
  const combine = (a: unknown, b: unknown): unknown => combineFn((n) => (n === accId ? a : n === spec.name ? b : null));
  return {
    name: spec.name, type: 'expression', columns: fields,
    forSegment(view): SegmentAggregator {
      const readers = new Map(fields.map((f) => [f, view.rowValue(f)]));
      const accs: unknown[] = [];
      const seen: boolean[] = [];
      return {
        aggregate(sel, groups, numGroups) {
          while (accs.length < numGroups) { accs.push(initial()); seen.push(false); }
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          for (let k = 0; k < n; k++) {
            const r = sel.rows === null ? sel.start + k : sel.rows[k];
            const g = groups === null ? 0 : groups[k];
            const acc = accs[g];
            accs[g] = fold((name) => (name === accId ? acc : readers.get(name)?.(r) ?? null));
            seen[g] = true;
          }
        },
        partial: (g) => (seen[g] ? accs[g] : combineInitial()),
      };
    },
    empty: combineInitial,
    combine,
    finalize: (p) => (finalizeFn === null ? p : finalizeFn((n) => (n === 'o' ? p : null))),
    compare: compareNullableNumbers,
  };
}
