/** Query granularity as Druid accepts it in native JSON. */
export type GranularitySpec =
  | string // 'all' | 'none' | 'second' | 'minute' | ... | 'year' (case-insensitive)
  | { readonly type: 'all' | 'none' }
  | { readonly type: 'period'; readonly period: string; readonly timeZone?: string; readonly origin?: string }
  | { readonly type: 'duration'; readonly duration: number; readonly origin?: string | number };
