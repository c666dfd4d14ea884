/**
 * Numeric input of an aggregator: a column (numeric, or a string column parsed
 * per dictionary entry) or an expression, as per-row values plus null flags.
 */
import type { RoaringBitmap32 } from 'roaring';
import type { Segment } from '../../storage/segment.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import { expressionEngine } from '../engine/expression-bridge.ts';
import { gatherSegment } from '../engine/gathered-segment.ts';

export interface NumericInput {
  readonly values: Float64Array | Float32Array;
  /** 1 where the row is null; null when no row is. */
  readonly nullFlags: Uint8Array | null;
  /** When known, the null rows as a bitmap (the same rows nullFlags marks): counts over ranges without a scan. */
  readonly nullBitmap?: RoaringBitmap32;
}

const cache = new WeakMap<SegmentView, Map<string, NumericInput | null>>();
/** Null flags built from a column's null bitmap, kept as long as that (cached) bitmap lives. */
const flagsOfBitmap = new WeakMap<RoaringBitmap32, Uint8Array>();

/** 1 at every row of the bitmap, over numRows rows (shared across queries while the bitmap lives). */
function nullFlagsOf(nulls: RoaringBitmap32, numRows: number): Uint8Array {
  let flags = flagsOfBitmap.get(nulls);
  if (flags === undefined || flags.length !== numRows) {
    flags = new Uint8Array(numRows);
    for (const r of nulls.toUint32Array()) flags[r] = 1;
    flagsOfBitmap.set(nulls, flags);
  }
  return flags;
}

function parseNumber(s: string | null): number | null {
  if (s === null) return null;
  const t = s.trim();
  if (t === '') return null;
  const x = Number(t);
  return Number.isNaN(x) ? null : x;
}

/** Values of a column for numeric aggregation; null when the column does not exist (all rows null). */
export function numericInput(view: SegmentView, column: string): NumericInput | null {
  let m = cache.get(view);
  if (m === undefined) cache.set(view, (m = new Map()));
  if (m.has(column)) return m.get(column)!;
  let out: NumericInput | null = null;
  const type = view.columnType(column);
  if (type === 'LONG' || type === 'FLOAT' || type === 'DOUBLE') {
    const col = view.numericColumn(column)!;
    const nulls = col.nulls();
    out = nulls !== null && nulls.size > 0
      ? { values: col.values(), nullFlags: nullFlagsOf(nulls, view.numRows), nullBitmap: nulls }
      : { values: col.values(), nullFlags: null };
  } else if (type === 'STRING') {
    const col = view.stringColumn(column)!;
    const dict = col.dictionary();
    const lut = new Float64Array(dict.length);
    const lutNull = new Uint8Array(dict.length);
    for (let i = 0; i < dict.length; i++) {
      const x = parseNumber(dict[i]);
      if (x === null) lutNull[i] = 1; else lut[i] = x;
    }
    const n = view.numRows;
    const values = new Float64Array(n);
    const flags = new Uint8Array(n);
    if (!col.hasMultipleValues) {
      const ids = col.ids();
      for (let r = 0; r < n; r++) { values[r] = lut[ids[r]]; flags[r] = lutNull[ids[r]]; }
    } else {
      const { offsets, values: vids } = col.multiValues();
      for (let r = 0; r < n; r++) {
        if (offsets[r] === offsets[r + 1]) { flags[r] = 1; continue; }
        const id = vids[offsets[r]];
        values[r] = lut[id];
        flags[r] = lutNull[id];
      }
    }
    out = { values, nullFlags: flags };
  }
  m.set(column, out);
  return out;
}

/** Values of an expression over the segment, as numeric input. */
export function expressionInput(view: SegmentView, expression: string): NumericInput {
  const key = `\u0000expr:${expression}`;
  let m = cache.get(view);
  if (m === undefined) cache.set(view, (m = new Map()));
  const hit = m.get(key);
  if (hit) return hit;
  const out = evaluateInput(view.segment, expression);
  m.set(key, out);
  return out;
}

/**
 * Values of an expression at the given rows only (ascending row numbers):
 * entry k is the value at row rows[k]. Not cached; for selective filters,
 * where evaluating over the whole segment would mostly be wasted.
 */
export function expressionInputAtRows(view: SegmentView, expression: string, rows: Int32Array): NumericInput {
  return evaluateInput(gatherSegment(view.segment, rows), expression);
}

function evaluateInput(segment: Segment, expression: string): NumericInput {
  const engine = expressionEngine();
  const evaluated = engine.evaluateColumn?.(expression, segment);
  if (evaluated?.numbers !== undefined) return typedInput(evaluated.numbers.values, evaluated.numbers.nulls);
  const rows = evaluated?.rows ?? engine.evaluateRows(expression, segment);
  const n = segment.numRows;
  const values = new Float64Array(n);
  const flags = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const v = rows[r];
    const x = typeof v === 'number' ? v : v === null || v === undefined ? null : parseNumber(String(v));
    if (x === null || Number.isNaN(x)) flags[r] = 1; else values[r] = x;
  }
  return { values, nullFlags: flags };
}

/** Numeric input from typed expression values: NaN and flagged rows are null (as for boxed values). */
function typedInput(source: Float64Array, nulls: Uint8Array | null): NumericInput {
  // No null and no NaN: the values serve as they are (inputs are only read).
  if (nulls === null && !hasNaN(source)) return { values: source, nullFlags: null };
  const n = source.length;
  const values = new Float64Array(n);
  const flags = new Uint8Array(n);
  copyNonNull(source, nulls, values, flags);
  return { values, nullFlags: flags };
}

/** True when some entry is NaN. */
function hasNaN(values: Float64Array): boolean {
  let bad = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    bad |= +(x !== x);
  }
  return bad !== 0;
}

/** values[r] = source[r] unless null (nulls[r] === 1 or NaN), which sets flags[r] = 1 instead. */
function copyNonNull(source: Float64Array, nulls: Uint8Array | null, values: Float64Array, flags: Uint8Array): void {
  for (let r = 0; r < source.length; r++) {
    const x = source[r];
    if ((nulls !== null && nulls[r] === 1) || x !== x) flags[r] = 1;
    else values[r] = x;
  }
}
