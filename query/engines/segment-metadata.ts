/**
 * segmentMetadata: per segment (or merged) column types, cardinality and
 * min/max, intervals, size and row count, in Druid's result shape.
 */
import { segmentIdToString } from '../../storage/segment.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import type { SegmentMetadataQuery } from '../model/query.ts';
import { toIsoString } from '../time/iso-time.ts';
import type { QueryEngine } from './engine.ts';

interface ColumnAnalysis {
  type: string;
  typeSignature: string;
  hasMultipleValues: boolean;
  hasNulls: boolean;
  size: number;
  cardinality: number | null;
  minValue: unknown;
  maxValue: unknown;
  errorMessage: string | null;
}

export interface SegmentAnalysis {
  id: string;
  intervals: string[] | null;
  columns: Record<string, ColumnAnalysis>;
  size: number;
  numRows: number;
  aggregators: null;
  timestampSpec: null;
  queryGranularity: null;
  rollup: null;
  /** Interval bounds in ms for merging (not part of Druid's output). */
  _interval?: [number, number][];
}

function analysisTypes(q: SegmentMetadataQuery): Set<string> {
  return new Set(q.analysisTypes ?? ['cardinality', 'interval', 'minmax']);
}

function included(q: SegmentMetadataQuery, name: string): boolean {
  const t = q.toInclude;
  if (t === undefined || t.type === 'all') return true;
  if (t.type === 'none') return false;
  return t.columns.includes(name);
}

/**
 * Druid's `type` and `typeSignature` for a stored column: primitives are
 * their own name; typed arrays (stored as complex ARRAY<...>) are type
 * `ARRAY` with signature `ARRAY<STRING|LONG|DOUBLE>`; other complex columns
 * (nested json, sketches) are type `<name>` with signature `COMPLEX<name>`.
 */
export function columnTypeNames(storedType: string, complexType: string | undefined): { type: string; typeSignature: string } {
  if (storedType !== 'COMPLEX') return { type: storedType, typeSignature: storedType };
  if (complexType !== undefined && complexType.startsWith('ARRAY<')) return { type: 'ARRAY', typeSignature: complexType };
  return { type: complexType ?? 'COMPLEX', typeSignature: `COMPLEX<${complexType ?? ''}>` };
}

export const segmentMetadataEngine: QueryEngine<SegmentMetadataQuery, SegmentAnalysis[]> = {
  processSegment(q, view: SegmentView): SegmentAnalysis[] {
    const seg = view.segment;
    const types = analysisTypes(q);
    const columns: Record<string, ColumnAnalysis> = {};
    for (const info of seg.columns()) {
      if (!included(q, info.name)) continue;
      const { type, typeSignature } = columnTypeNames(info.type, info.complexType);
      const a: ColumnAnalysis = {
        type, typeSignature,
        hasMultipleValues: info.hasMultipleValues, hasNulls: info.hasNulls, size: 0,
        cardinality: null, minValue: null, maxValue: null, errorMessage: null,
      };
      if (info.type === 'STRING') {
        const col = view.stringColumn(info.name);
        if (col !== undefined) {
          if (types.has('cardinality')) a.cardinality = col.cardinality;
          if (types.has('minmax') && col.cardinality > 0) {
            const dict = col.dictionary();
            const nonNull = dict.filter((v) => v !== null);
            a.minValue = nonNull[0] ?? null;
            a.maxValue = nonNull[nonNull.length - 1] ?? null;
          }
        }
      } else if (info.type !== 'COMPLEX' && info.name !== '__time' && types.has('minmax')) {
        const col = view.numericColumn(info.name);
        if (col !== undefined && seg.numRows > 0) { a.minValue = col.min; a.maxValue = col.max; }
      }
      columns[info.name] = a;
    }
    const iv = seg.id.interval;
    return [{
      id: segmentIdToString(seg.id),
      intervals: types.has('interval') ? [`${toIsoString(iv.start)}/${toIsoString(iv.end)}`] : null,
      columns,
      size: types.has('size') ? seg.sizeBytes : 0,
      numRows: seg.numRows,
      aggregators: null, timestampSpec: null, queryGranularity: null, rollup: null,
      _interval: [[iv.start, iv.end]],
    }];
  },

  merge(q, partials): SegmentAnalysis[] {
    const all = partials.flat();
    if (q.merge !== true || all.length <= 1) return all;
    const out: SegmentAnalysis = { ...all[0], id: 'merged', columns: { ...all[0].columns }, _interval: [...(all[0]._interval ?? [])] };
    for (const s of all.slice(1)) {
      out.size += s.size;
      out.numRows += s.numRows;
      out._interval!.push(...(s._interval ?? []));
      for (const [name, c] of Object.entries(s.columns)) {
        const cur = out.columns[name];
        if (cur === undefined) { out.columns[name] = { ...c }; continue; }
        const merged = { ...cur };
        if (cur.typeSignature !== c.typeSignature) {
          merged.type = 'STRING';
          merged.errorMessage = `error:cannot_merge_diff_types: [${cur.typeSignature}] and [${c.typeSignature}]`;
        }
        merged.hasMultipleValues = cur.hasMultipleValues || c.hasMultipleValues;
        merged.hasNulls = cur.hasNulls || c.hasNulls;
        merged.size = cur.size + c.size;
        merged.cardinality = cur.cardinality === null || c.cardinality === null ? null : Math.max(cur.cardinality, c.cardinality);
        if (c.minValue !== null && (merged.minValue === null || (c.minValue as number) < (merged.minValue as number))) merged.minValue = c.minValue;
        if (c.maxValue !== null && (merged.maxValue === null || (c.maxValue as number) > (merged.maxValue as number))) merged.maxValue = c.maxValue;
        out.columns[name] = merged;
      }
    }
    return [out];
  },

  finalize(q, merged): unknown[] {
    const types = analysisTypes(q);
    return merged.map((s) => {
      const { _interval, ...rest } = s;
      if (types.has('interval') && _interval !== undefined) {
        const ivs = _interval.slice().sort((a, b) => a[0] - b[0]);
        const joined: [number, number][] = [];
        for (const iv of ivs) {
          const last = joined[joined.length - 1];
          if (last !== undefined && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]); else joined.push([iv[0], iv[1]]);
        }
        rest.intervals = joined.map(([a, b]) => `${toIsoString(a)}/${toIsoString(b)}`);
      }
      return rest;
    });
  },
};
