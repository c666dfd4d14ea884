/**
 * K-way merge of sorted segments (persisted pieces and snapshots) into one
 * sorted ColumnarData. Dictionaries are unified (an order-preserving remap),
 * rows are merged through a heap on (time, dimensions), and with rollup,
 * equal adjacent rows combine their metrics (sum / min / max / sketch union).
 */
import type { IngestAggregator } from '../schema.ts';
import type { Segment } from '../segment.ts';
import type { ColumnarData, ColumnData } from '../columnar-data.ts';
import { sortUtf8 } from '../dictionary-order.ts';
import { combineOfComplexType, createComplexStore, describeAggregator, type CombineKind } from '../incremental/metric-aggregator.ts';
import { NumericStore } from '../incremental/numeric-store.ts';
import { ensureCapacity } from '../incremental/growable.ts';
import { isJsonValueType, JSON_COMPLEX_TYPE } from '../json-column.ts';

export interface MergeOptions {
  readonly rollup: boolean;
  /** How each metric combines; metrics not listed are summed (complex ones unioned as sketches). */
  readonly combine: ReadonlyMap<string, CombineKind>;
  /** The ingest aggregators, when known: complex metrics take their sketch sizes from here. */
  readonly metricsSpec?: readonly IngestAggregator[];
}

/** Combine kinds of a metricsSpec. */
export function combineKindsOf(spec: readonly IngestAggregator[]): Map<string, CombineKind> {
  return new Map(spec.map((a) => [a.name, describeAggregator(a).combine]));
}

/** A dimension of one piece, in unified-dictionary ids. */
type PieceDim =
  | { kind: 'multi'; offsets: Int32Array; values: Int32Array }
  | { kind: 'num'; values: Float64Array | Float32Array; nulls: Uint8Array | null; exact: BigInt64Array | null }
  /** A JSON-valued (nested JSON / typed array) dimension: serialized value per row, empty for NULL. */
  | { kind: 'json'; get(row: number): Uint8Array };

interface Piece {
  time: Float64Array;
  n: number;
  dims: PieceDim[];
  metrics: ({ kind: 'num'; values: Float64Array | Float32Array; nulls: Uint8Array | null; exact: BigInt64Array | null } | { kind: 'complex'; get(row: number): Uint8Array } | null)[];
}

function nullFlags(seg: Segment, name: string, n: number): Uint8Array | null {
  const b = seg.numericColumn(name)?.nulls();
  if (!b || b.size === 0) return null;
  const flags = new Uint8Array(n);
  for (const r of b.toUint32Array()) flags[r] = 1;
  return flags;
}

function numericRole(seg: Segment, name: string): 'dimension' | 'metric' {
  const s = seg as { numericRole?: (n: string) => 'dimension' | 'metric' | undefined };
  return s.numericRole?.(name) ?? 'metric';
}

function compareRows(dims: number, a: Piece, ra: number, b: Piece, rb: number): number {
  const ta = a.time[ra];
  const tb = b.time[rb];
  if (ta !== tb) return ta < tb ? -1 : 1;
  for (let d = 0; d < dims; d++) {
    const x = a.dims[d];
    const y = b.dims[d];
    if (x.kind === 'multi' && y.kind === 'multi') {
      const sa = x.offsets[ra], ea = x.offsets[ra + 1], sb = y.offsets[rb], eb = y.offsets[rb + 1];
      const len = Math.min(ea - sa, eb - sb);
      for (let i = 0; i < len; i++) {
        const c = x.values[sa + i] - y.values[sb + i];
        if (c !== 0) return c;
      }
      if (ea - sa !== eb - sb) return ea - sa - (eb - sb);
    } else if (x.kind === 'num' && y.kind === 'num') {
      const na = x.nulls !== null && x.nulls[ra] === 1;
      const nb = y.nulls !== null && y.nulls[rb] === 1;
      if (na || nb) {
        if (na !== nb) return na ? -1 : 1;
        continue;
      }
      const va = x.values[ra];
      const vb = y.values[rb];
      if (va !== vb) return va < vb ? -1 : 1;
    } else if (x.kind === 'json' && y.kind === 'json') {
      const c = compareBytes(x.get(ra), y.get(rb));
      if (c !== 0) return c;
    }
  }
  return 0;
}

/** Unsigned byte order, shorter prefix first (UTF-8 text order; the empty NULL value first). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const NO_BYTES = new Uint8Array(0);

/** Merges sorted segments into sorted (and, with rollup, combined) columnar rows. */
export function mergeSegments(segments: readonly Segment[], options: MergeOptions): ColumnarData {
  // Column layout: union in order of first appearance.
  const dimNames: string[] = [];
  const dimKind = new Map<string, 'string' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'json'>();
  /** Complex type of each JSON-valued dimension (these are dimensions, not metrics). */
  const jsonType = new Map<string, string>();
  const metricNames: string[] = [];
  const metricType = new Map<string, 'LONG' | 'FLOAT' | 'DOUBLE' | 'COMPLEX'>();
  const complexType = new Map<string, string>();
  const bitmapFlag = new Map<string, boolean>();
  for (const s of segments) {
    for (const c of s.columns()) {
      if (c.name === '__time') continue;
      const isJson = c.type === 'COMPLEX' && isJsonValueType(c.complexType);
      if (isJson) {
        if (!dimKind.has(c.name)) { dimNames.push(c.name); dimKind.set(c.name, 'json'); jsonType.set(c.name, c.complexType!); }
        else jsonType.set(c.name, widerJsonType(jsonType.get(c.name)!, c.complexType!));
        continue;
      }
      const isDim = c.type === 'STRING' || (c.type !== 'COMPLEX' && numericRole(s, c.name) === 'dimension');
      if (isDim && !dimKind.has(c.name)) {
        dimNames.push(c.name);
        dimKind.set(c.name, c.type === 'STRING' ? 'string' : (c.type as 'LONG'));
        bitmapFlag.set(c.name, true);
      } else if (!isDim && !metricType.has(c.name)) {
        metricNames.push(c.name);
        metricType.set(c.name, c.type as 'LONG');
        if (c.complexType) complexType.set(c.name, c.complexType);
      }
    }
  }
  // Unified dictionaries.
  const dicts = new Map<string, (string | null)[]>();
  const multi = new Set<string>();
  for (const name of dimNames) {
    if (dimKind.get(name) !== 'string') continue;
    const values = new Set<string>();
    let hasNull = false;
    for (const s of segments) {
      const col = s.stringColumn(name);
      if (col === undefined) {
        if (s.numRows > 0) hasNull = true;
        continue;
      }
      if (col.hasMultipleValues) multi.add(name);
      for (const v of col.dictionary()) {
        if (v === null) hasNull = true;
        else values.add(v);
      }
    }
    const sorted = sortUtf8([...values]);
    dicts.set(name, hasNull ? [null, ...sorted] : sorted);
  }
  // Pieces in unified ids.
  const pieces: Piece[] = segments.map((s) => {
    const n = s.numRows;
    const dims: PieceDim[] = dimNames.map((name) => {
      const kind = dimKind.get(name)!;
      if (kind === 'json') {
        const col = s.complexColumn(name);
        return { kind: 'json', get: col === undefined ? () => NO_BYTES : (r: number) => col.get(r) };
      }
      if (kind !== 'string') {
        const col = s.numericColumn(name);
        if (col === undefined) return { kind: 'num', values: new Float64Array(n), nulls: new Uint8Array(n).fill(1), exact: null };
        return { kind: 'num', values: col.values(), nulls: nullFlags(s, name, n), exact: col.exactLongs() };
      }
      const dict = dicts.get(name)!;
      const col = s.stringColumn(name);
      const offsets = new Int32Array(n + 1);
      if (col === undefined) {
        for (let i = 0; i <= n; i++) offsets[i] = i;
        return { kind: 'multi', offsets, values: new Int32Array(n) };
      }
      const pos = new Map<string | null, number>();
      dict.forEach((v, i) => pos.set(v, i));
      const remap = Int32Array.from(col.dictionary(), (v) => pos.get(v)!);
      const mv = col.multiValues();
      const values = new Int32Array(mv.values.length);
      for (let i = 0; i < values.length; i++) values[i] = remap[mv.values[i]];
      return { kind: 'multi', offsets: mv.offsets, values };
    });
    const metrics = metricNames.map((name) => {
      if (metricType.get(name) === 'COMPLEX') {
        const col = s.complexColumn(name);
        return col === undefined ? null : { kind: 'complex' as const, get: (r: number) => col.get(r) };
      }
      const col = s.numericColumn(name);
      return col === undefined ? null : { kind: 'num' as const, values: col.values(), nulls: nullFlags(s, name, n), exact: col.exactLongs() };
    });
    return { time: s.time(), n, dims, metrics };
  });

  // Output stores.
  const total = pieces.reduce((a, p) => a + p.n, 0);
  const time = new Float64Array(total);
  const outDims = dimNames.map((name) => {
    const kind = dimKind.get(name)!;
    if (kind === 'string') return { kind: 'string' as const, offsets: new Int32Array(total + 1), values: new Int32Array(Math.max(16, total)), used: 0 };
    if (kind === 'json') return { kind: 'json' as const, values: new Array<Uint8Array>(total) };
    return { kind: 'num' as const, store: new NumericStore(name, kind, 'dimension') };
  });
  const outMetrics = metricNames.map((name) => {
    const t = metricType.get(name)!;
    if (t === 'COMPLEX') {
      const ct = complexType.get(name) ?? 'hyperUnique';
      const declared = options.combine.get(name);
      const combine = declared === undefined || declared === 'sum' || declared === 'min' || declared === 'max' ? combineOfComplexType(ct) : declared;
      return { kind: 'complex' as const, store: createComplexStore(name, combine, ct, options.metricsSpec?.find((m) => m.name === name)) };
    }
    const op = options.combine.get(name);
    return { kind: 'num' as const, store: new NumericStore(name, t, 'metric'), op: op === 'min' || op === 'max' ? op : 'sum' };
  });

  // Heap of piece indexes keyed by their current row.
  const cursor = new Int32Array(pieces.length);
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => {
    const c = compareRows(dimNames.length, pieces[a], cursor[a], pieces[b], cursor[b]);
    return c < 0 || (c === 0 && a < b);
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  pieces.forEach((p, i) => {
    if (p.n > 0) heap.push(i);
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);

  let out = 0;
  let lastPiece = -1;
  let lastRow = -1;
  while (heap.length > 0) {
    const pi = heap[0];
    const p = pieces[pi];
    const r = cursor[pi];
    const same = options.rollup && lastPiece >= 0 && compareRows(dimNames.length, p, r, pieces[lastPiece], lastRow) === 0;
    if (same) {
      const o = out - 1;
      outMetrics.forEach((m, k) => {
        const src = p.metrics[k];
        if (src === null) return;
        if (m.kind === 'complex') m.store.mergeSerialized(o, (src as { get(r: number): Uint8Array }).get(r));
        else m.store.fold(o, valueAt(src as NumSrc, r), m.op as 'sum');
      });
    } else {
      const o = out++;
      time[o] = p.time[r];
      outDims.forEach((d, k) => {
        const src = p.dims[k];
        if (d.kind === 'string') {
          const s = src as Extract<PieceDim, { kind: 'multi' }>;
          const from = s.offsets[r];
          const len = s.offsets[r + 1] - from;
          d.values = ensureCapacity(d.values, d.used + len);
          for (let j = 0; j < len; j++) d.values[d.used + j] = s.values[from + j];
          d.used += len;
          d.offsets[o + 1] = d.used;
        } else if (d.kind === 'json') {
          d.values[o] = (src as Extract<PieceDim, { kind: 'json' }>).get(r).slice();
        } else {
          d.store.reserve(o + 1);
          d.store.set(o, valueAt(src as NumSrc, r));
        }
      });
      outMetrics.forEach((m, k) => {
        const src = p.metrics[k];
        if (m.kind === 'complex') {
          m.store.init(o);
          if (src !== null) m.store.mergeSerialized(o, (src as { get(r: number): Uint8Array }).get(r));
        } else {
          m.store.reserve(o + 1);
          m.store.set(o, src === null ? null : valueAt(src as NumSrc, r));
        }
      });
    }
    lastPiece = pi;
    lastRow = r;
    cursor[pi]++;
    if (cursor[pi] >= p.n) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length > 0) siftDown(0);
  }

  const ident = new Int32Array(out);
  for (let i = 0; i < out; i++) ident[i] = i;
  const columns: ColumnData[] = [];
  outDims.forEach((d, k) => {
    const name = dimNames[k];
    if (d.kind === 'num') {
      columns.push(d.store.toColumn(ident));
      return;
    }
    if (d.kind === 'json') {
      columns.push({ kind: 'complex', name, complexType: jsonType.get(name)!, values: d.values.slice(0, out) });
      return;
    }
    const dictionary = dicts.get(name)!;
    const offsets = d.offsets.slice(0, out + 1);
    const values = d.values.slice(0, d.used);
    if (!multi.has(name)) {
      columns.push({ kind: 'string', name, dictionary, ids: values, offsets: null, values: null, createBitmapIndex: bitmapFlag.get(name)! });
    } else {
      columns.push({ kind: 'string', name, dictionary, ids: null, offsets, values, createBitmapIndex: bitmapFlag.get(name)! });
    }
  });
  outMetrics.forEach((m, k) => {
    if (m.kind === 'num') columns.push(m.store.toColumn(ident));
    else columns.push(m.store.toColumn(ident));
  });
  return { numRows: out, time: time.slice(0, out), columns };
}

type NumSrc = { values: Float64Array | Float32Array; nulls: Uint8Array | null; exact: BigInt64Array | null };

function valueAt(src: NumSrc, r: number): number | bigint | null {
  if (src.nulls !== null && src.nulls[r] === 1) return null;
  return src.exact !== null ? src.exact[r] : src.values[r];
}

/**
 * The type of a JSON-valued column merged from pieces that each inferred their own type: equal types stay,
 * ARRAY<LONG> with ARRAY<DOUBLE> widens to ARRAY<DOUBLE> (the stored JSON text reads as either), anything
 * else to nested JSON — every stored value stays valid, none is truncated.
 */
export function widerJsonType(a: string, b: string): string {
  if (a === b) return a;
  if ((a === 'ARRAY<LONG>' && b === 'ARRAY<DOUBLE>') || (a === 'ARRAY<DOUBLE>' && b === 'ARRAY<LONG>')) return 'ARRAY<DOUBLE>';
  return JSON_COMPLEX_TYPE;
}
