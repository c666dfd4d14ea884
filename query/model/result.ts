/** Druid's native result shapes, exactly as returned over HTTP. */

export interface TimeseriesResultRow { readonly timestamp: string; readonly result: Record<string, unknown> }
export interface TopNResultRow { readonly timestamp: string; readonly result: Record<string, unknown>[] }
export interface GroupByResultRow { readonly version: 'v1'; readonly timestamp: string; readonly event: Record<string, unknown> }
export interface ScanResultBatch { readonly segmentId: string; readonly columns: string[]; readonly events: unknown[] }
export interface SearchResultRow { readonly timestamp: string; readonly result: { dimension: string; value: string; count: number }[] }
export interface TimeBoundaryResultRow { readonly timestamp: string; readonly result: { minTime?: string; maxTime?: string } }
