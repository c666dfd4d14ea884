/**
 * Dimension specs resolved per segment into a local dictionary plus per-row
 * local ids, so engines group on integers. Extraction functions run once per
 * dictionary entry (string columns) or once per distinct value (numeric).
 * Multi-value rows keep all their values (offsets/values), after
 * listFiltered/regexFiltered/prefixFiltered have removed unwanted ones.
 */
import { errors } from '../../common/errors.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { compareLexicographic } from '../filter/string-orderings.ts';
import type { DimensionSpec, ExtractionFn, OutputType } from '../model/dimension-spec.ts';
import { compileExtractionFn, type ExtractionFunction } from './extraction.ts';

/** A dimension spec, normalised. */
export interface DimensionPlan {
  readonly dimension: string;
  readonly outputName: string;
  readonly outputType: OutputType | null;
  readonly extraction: ExtractionFunction | null;
  /** Value filter of listFiltered/regexFiltered/prefixFiltered, applied to each value. */
  readonly keep: ((v: string | null) => boolean) | null;
}

/** Per-segment local ids of a dimension. */
export interface SegmentDimension {
  /** Local dictionary (string, number or null). */
  readonly values: readonly unknown[];
  /** Per-row local id when every row has exactly one value. */
  readonly rowIds: Int32Array | null;
  /** Rows with any number of values (rowIds === null): values of row r are ids[offsets[r]..offsets[r+1]). */
  readonly multi: { readonly offsets: Int32Array; readonly ids: Int32Array } | null;
  /** Set when `values` ascend in result order (nulls first, then UTF-8 byte order): ids order like values. */
  readonly sorted?: boolean;
}

/** Normalises a dimension spec. Throws 'Invalid input' when malformed. */
export function planDimension(spec: DimensionSpec): DimensionPlan {
  if (typeof spec === 'string') return { dimension: spec, outputName: spec, outputType: null, extraction: null, keep: null };
  if (spec === null || typeof spec !== 'object') throw errors.invalidInput('dimension spec must be a string or an object');
  const type = (spec as { type?: string }).type ?? 'default';
  if (type === 'listFiltered' || type === 'regexFiltered' || type === 'prefixFiltered') {
    const s = spec as { delegate: DimensionSpec; values?: string[]; isWhitelist?: boolean; pattern?: string; prefix?: string };
    if (s.delegate === undefined) throw errors.invalidInput(`${type} dimension spec: 'delegate' is required`);
    const inner = planDimension(s.delegate);
    let keep: (v: string | null) => boolean;
    if (type === 'listFiltered') {
      const set = new Set(s.values ?? []);
      const white = s.isWhitelist !== false;
      keep = (v) => (v === null ? !white && !set.has('') : set.has(v) === white);
    } else if (type === 'regexFiltered') {
      const re = new RegExp(s.pattern ?? '');
      keep = (v) => v !== null && re.test(v);
    } else {
      const prefix = s.prefix ?? '';
      keep = (v) => v !== null && v.startsWith(prefix);
    }
    return { ...inner, keep };
  }
  const s = spec as { dimension?: string; outputName?: string; outputType?: string; extractionFn?: ExtractionFn };
  if (typeof s.dimension !== 'string') throw errors.invalidInput(`dimension spec of type [${type}]: 'dimension' is required`);
  const outputType = s.outputType === undefined || s.outputType === null ? null : (s.outputType.toUpperCase() as OutputType);
  if (outputType !== null && !['STRING', 'LONG', 'FLOAT', 'DOUBLE'].includes(outputType)) throw errors.invalidInput(`dimension [${s.dimension}]: unknown outputType [${s.outputType}]`);
  if (type === 'extraction' && s.extractionFn === undefined) throw errors.invalidInput(`extraction dimension spec [${s.dimension}]: 'extractionFn' is required`);
  return {
    dimension: s.dimension,
    outputName: s.outputName ?? s.dimension,
    outputType,
    extraction: s.extractionFn === undefined || s.extractionFn === null ? null : compileExtractionFn(s.extractionFn),
    keep: null,
  };
}

function convertOutput(v: unknown, t: OutputType | null): unknown {
  if (t === null || v === null || v === undefined) return v ?? null;
  if (t === 'STRING') return typeof v === 'string' ? v : String(v);
  const x = typeof v === 'number' ? v : Number(String(v).trim() === '' ? Number.NaN : v);
  if (Number.isNaN(x)) return null;
  if (t === 'LONG') return Math.trunc(x);
  if (t === 'FLOAT') return Math.fround(x);
  return x;
}

/** Builds a local dictionary keyed by value, deduplicating extracted values. */
class LocalDictionary {
  readonly values: unknown[] = [];
  private readonly index = new Map<unknown, number>();
  id(v: unknown): number {
    let id = this.index.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.index.set(v, id);
    }
    return id;
  }
}

/**
 * Resolved dimensions without extraction or value filter, per column data
 * array (a column's cached values or ids) and output type: numeric and
 * converted dimensions are read once, not once per query, while the column's
 * decoded data lives (immutable segments only).
 */
const resolved = new WeakMap<object, Map<string, SegmentDimension>>();

/** Resolves a dimension over one segment. */
export function readDimension(plan: DimensionPlan, view: SegmentView): SegmentDimension {
  // A mutable (realtime) segment may change values in place: read it afresh.
  if (plan.extraction !== null || plan.keep !== null || view.segment.isMutable) return resolveDimension(plan, view);
  const type = view.columnType(plan.dimension);
  let data: object | null = null;
  if (type === 'LONG' || type === 'FLOAT' || type === 'DOUBLE') data = view.numericColumn(plan.dimension)!.values();
  else if (type === 'STRING') {
    const col = view.stringColumn(plan.dimension)!;
    if (!col.hasMultipleValues && (plan.outputType === null || plan.outputType === 'STRING')) return resolveDimension(plan, view);
    data = col.hasMultipleValues ? col.multiValues().values : col.ids();
  }
  if (data === null) return resolveDimension(plan, view);
  const key = `${type}:${plan.outputType ?? ''}:${view.numRows}`;
  let byKey = resolved.get(data);
  if (byKey === undefined) resolved.set(data, (byKey = new Map()));
  let d = byKey.get(key);
  if (d === undefined) byKey.set(key, (d = resolveDimension(plan, view)));
  return d;
}

/** Reads a dimension over one segment (no caching). */
function resolveDimension(plan: DimensionPlan, view: SegmentView): SegmentDimension {
  const type = view.columnType(plan.dimension);
  const dict = new LocalDictionary();
  const n = view.numRows;
  const finish = (v: unknown): unknown => convertOutput(v, plan.outputType);
  if (type === 'STRING') {
    const col = view.stringColumn(plan.dimension)!;
    const source = col.dictionary();
    if (!col.hasMultipleValues && plan.keep === null && plan.extraction === null && (plan.outputType === null || plan.outputType === 'STRING')) {
      // Identity: the column's own ids and dictionary are the local ones.
      return { values: source, rowIds: col.ids(), multi: null, sorted: true };
    }
    const lut = new Int32Array(source.length);
    const kept = new Uint8Array(source.length);
    for (let i = 0; i < source.length; i++) {
      const v = plan.extraction === null ? source[i] : plan.extraction(source[i]);
      kept[i] = plan.keep === null || plan.keep(source[i]) ? 1 : 0;
      lut[i] = dict.id(finish(v));
    }
    if (!col.hasMultipleValues && plan.keep === null) {
      const ids = col.ids();
      const rowIds = new Int32Array(n);
      for (let r = 0; r < n; r++) rowIds[r] = lut[ids[r]];
      return { values: dict.values, rowIds, multi: null };
    }
    const { offsets, values } = col.multiValues();
    const outOffsets = new Int32Array(n + 1);
    const outIds: number[] = [];
    const nullId = () => dict.id(finish(plan.extraction === null ? null : plan.extraction(null)));
    for (let r = 0; r < n; r++) {
      const before = outIds.length;
      for (let k = offsets[r]; k < offsets[r + 1]; k++) if (kept[values[k]] === 1) outIds.push(lut[values[k]]);
      if (outIds.length === before) outIds.push(nullId());
      outOffsets[r + 1] = outIds.length;
    }
    if (outIds.length === n) return { values: dict.values, rowIds: Int32Array.from(outIds), multi: null };
    return { values: dict.values, rowIds: null, multi: { offsets: outOffsets, ids: Int32Array.from(outIds) } };
  }
  const rowIds = new Int32Array(n);
  if (type === 'LONG' || type === 'FLOAT' || type === 'DOUBLE') {
    const col = view.numericColumn(plan.dimension)!;
    const vals = col.values();
    const nulls = col.nulls();
    const cache = new Map<number, number>();
    // Sorted or run-length data (time floors) repeats the previous value: skip the map then.
    let prevX = Number.NaN;
    let prevId = -1;
    for (let r = 0; r < n; r++) {
      const x = vals[r];
      if (x === prevX) {
        rowIds[r] = prevId;
        continue;
      }
      let id = cache.get(x);
      if (id === undefined) {
        const raw = plan.extraction === null ? x : plan.extraction(x);
        const v = plan.keep !== null && !plan.keep(raw === null ? null : String(raw)) ? null : raw;
        id = dict.id(finish(plan.outputType === null && plan.extraction === null ? v : v));
        cache.set(x, id);
      }
      rowIds[r] = id;
      prevX = x;
      prevId = id;
    }
    if (nulls !== null && nulls.size > 0) {
      const nullId = dict.id(finish(plan.extraction === null ? null : plan.extraction(null)));
      for (const r of nulls.toUint32Array()) rowIds[r] = nullId;
    }
    return { values: dict.values, rowIds, multi: null };
  }
  if (type === 'COMPLEX') throw errors.invalidInput(`Cannot group by COMPLEX column [${plan.dimension}]`);
  // Missing column: every row is null (after extraction).
  const v = finish(plan.extraction === null ? null : plan.extraction(null));
  dict.id(v);
  return { values: dict.values, rowIds, multi: null };
}

/** Local ids of the selected rows (single-valued dimensions only). */
export function gatherIds(rowIds: Int32Array, rows: Int32Array | null, start: number, end: number): Int32Array {
  if (rows === null) return rowIds.subarray(start, end);
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = rowIds[rows[k]];
  return out;
}

/** Compares dimension values for default groupBy ordering: nulls first, numbers numerically, strings lexicographically. */
export function compareDimensionValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareLexicographic(String(a), String(b));
}
