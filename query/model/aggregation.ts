/** Druid native aggregators and post-aggregators. */
import type { Filter } from './filter.ts';

export type Aggregator =
  | { readonly type: 'count'; readonly name: string }
  | {
      readonly type: 'longSum' | 'doubleSum' | 'floatSum' | 'longMin' | 'longMax' | 'doubleMin' | 'doubleMax' | 'floatMin' | 'floatMax';
      readonly name: string; readonly fieldName?: string; readonly expression?: string;
    }
  | {
      readonly type: 'longFirst' | 'longLast' | 'doubleFirst' | 'doubleLast' | 'floatFirst' | 'floatLast' | 'stringFirst' | 'stringLast' | 'stringAny' | 'longAny' | 'doubleAny' | 'floatAny';
      readonly name: string; readonly fieldName: string; readonly timeColumn?: string; readonly maxStringBytes?: number;
    }
  | { readonly type: 'filtered'; readonly name?: string; readonly filter: Filter; readonly aggregator: Aggregator }
  | { readonly type: 'cardinality'; readonly name: string; readonly fields: readonly (string | { readonly dimension: string })[]; readonly byRow?: boolean; readonly round?: boolean }
  | { readonly type: 'hyperUnique'; readonly name: string; readonly fieldName: string; readonly isInputHyperUnique?: boolean; readonly round?: boolean }
  | { readonly type: 'thetaSketch'; readonly name: string; readonly fieldName: string; readonly size?: number; readonly isInputThetaSketch?: boolean; readonly shouldFinalize?: boolean }
  | { readonly type: 'HLLSketchBuild' | 'HLLSketchMerge'; readonly name: string; readonly fieldName: string; readonly lgK?: number; readonly round?: boolean }
  | { readonly type: 'quantilesDoublesSketch'; readonly name: string; readonly fieldName: string; readonly k?: number }
  | {
      readonly type: 'expression'; readonly name: string; readonly fields?: readonly string[];
      readonly accumulatorIdentifier?: string; readonly initialValue: string; readonly initialCombineValue?: string;
      readonly fold: string; readonly combine?: string; readonly finalize?: string; readonly compare?: string;
    };

export type PostAggregator =
  | { readonly type: 'arithmetic'; readonly name: string; readonly fn: '+' | '-' | '*' | '/' | 'quotient' | 'pow'; readonly fields: readonly PostAggregator[]; readonly ordering?: 'numericFirst' | null }
  | { readonly type: 'fieldAccess' | 'finalizingFieldAccess'; readonly name?: string; readonly fieldName: string }
  | { readonly type: 'constant'; readonly name?: string; readonly value: number }
  | { readonly type: 'expression'; readonly name: string; readonly expression: string; readonly ordering?: string | null; readonly outputType?: string }
  | { readonly type: 'hyperUniqueCardinality'; readonly name?: string; readonly fieldName: string }
  | { readonly type: 'doubleGreatest' | 'doubleLeast' | 'longGreatest' | 'longLeast'; readonly name: string; readonly fields: readonly PostAggregator[] }
  | { readonly type: 'thetaSketchEstimate'; readonly name: string; readonly field: PostAggregator }
  | { readonly type: 'quantilesDoublesSketchToQuantile'; readonly name: string; readonly field: PostAggregator; readonly fraction: number };
