/** Druid dimension specs and extraction functions. */

export type ExtractionFn =
  | { readonly type: 'timeFormat'; readonly format?: string | null; readonly timeZone?: string; readonly locale?: string; readonly granularity?: unknown; readonly asMillis?: boolean }
  | { readonly type: 'substring'; readonly index: number; readonly length?: number | null }
  | { readonly type: 'regex'; readonly expr: string; readonly index?: number; readonly replaceMissingValue?: boolean; readonly replaceMissingValueWith?: string | null }
  | { readonly type: 'strlen' }
  | { readonly type: 'upper' | 'lower'; readonly locale?: string }
  | { readonly type: 'lookup'; readonly lookup: { readonly type: 'map'; readonly map: Readonly<Record<string, string>>; readonly isOneToOne?: boolean }; readonly retainMissingValue?: boolean; readonly replaceMissingValueWith?: string | null; readonly injective?: boolean }
  | { readonly type: 'registeredLookup'; readonly lookup: string; readonly retainMissingValue?: boolean; readonly replaceMissingValueWith?: string | null }
  | { readonly type: 'bucket'; readonly size?: number; readonly offset?: number }
  | { readonly type: 'partial'; readonly expr: string }
  | { readonly type: 'searchQuery'; readonly query: unknown }
  | { readonly type: 'javascript'; readonly function: string }
  | { readonly type: 'cascade'; readonly extractionFns: readonly ExtractionFn[] }
  | { readonly type: 'stringFormat'; readonly format: string; readonly nullHandling?: 'nullString' | 'emptyString' | 'returnNull' }
  | { readonly type: 'identity' };

export type OutputType = 'STRING' | 'LONG' | 'FLOAT' | 'DOUBLE';

export type DimensionSpec =
  | string
  | { readonly type: 'default'; readonly dimension: string; readonly outputName?: string; readonly outputType?: OutputType }
  | { readonly type: 'extraction'; readonly dimension: string; readonly outputName?: string; readonly outputType?: OutputType; readonly extractionFn: ExtractionFn }
  | { readonly type: 'listFiltered'; readonly delegate: DimensionSpec; readonly values: readonly string[]; readonly isWhitelist?: boolean }
  | { readonly type: 'regexFiltered'; readonly delegate: DimensionSpec; readonly pattern: string }
  | { readonly type: 'prefixFiltered'; readonly delegate: DimensionSpec; readonly prefix: string };
