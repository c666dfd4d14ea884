/**
 * Secondary partitioning of one time chunk's sorted rows (Druid's
 * partitionsSpec): dynamic (consecutive runs of at most N rows), hashed (rows
 * spread over shards by a hash of the partition dimensions) and range
 * (contiguous ranges of the partition dimensions' values). Every function
 * returns, per partition, the ascending row numbers it holds; the partitions
 * are disjoint and together cover every row of [start, end).
 */
import { errors } from '../../common/errors.ts';
import type { ColumnarData, ColumnData, StringColumnData } from '../columnar-data.ts';
import { isDimension } from '../columnar-data.ts';
import { compactDictionary } from './compact-dictionary.ts';

/** How rows of one time chunk are split into partitions (core partitions of one version). */
export type Partitioning =
  | { readonly type: 'dynamic'; readonly maxRowsPerSegment?: number }
  | { readonly type: 'hashed'; readonly numShards?: number; readonly targetRowsPerSegment?: number; readonly partitionDimensions?: readonly string[] }
  | { readonly type: 'range'; readonly partitionDimensions: readonly string[]; readonly targetRowsPerSegment?: number; readonly maxRowsPerSegment?: number };

/** Default rows per partition when a hashed/range spec gives no size (Druid's default target). */
export const DEFAULT_TARGET_ROWS = 5_000_000;

/** Rows [start, end) as runs of at most `limit` rows. */
export function dynamicPartitions(start: number, end: number, limit: number): Int32Array[] {
  const out: Int32Array[] = [];
  const step = Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : end - start;
  for (let s = start; s < end; s += step) {
    const e = Math.min(end, s + step);
    const rows = new Int32Array(e - s);
    for (let i = 0; i < rows.length; i++) rows[i] = s + i;
    out.push(rows);
  }
  return out;
}

/** 32-bit FNV-1a over a string's UTF-16 code units; stable across processes and segments. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mix(h: number, x: number): number {
  return Math.imul((h ^ x) >>> 0, 0x9e3779b1) >>> 0;
}

function columnsByName(data: ColumnarData, names: readonly string[], what: string): ColumnData[] {
  return names.map((n) => {
    const c = data.columns.find((x) => x.name === n);
    if (!c || !isDimension(c)) throw errors.invalidInput(`${what} [${n}] is not a dimension of the data`);
    return c;
  });
}

/** Per-dictionary-id hashes of a string column (null hashes as a fixed constant). */
function dictionaryHashes(c: StringColumnData): Uint32Array {
  const out = new Uint32Array(c.dictionary.length);
  for (let i = 0; i < out.length; i++) {
    const v = c.dictionary[i];
    out[i] = v === null ? 0x5bd1e995 : hashString(v);
  }
  return out;
}

/** Folds one column's value at each row of [start, end) into `acc` (a kernel over typed arrays). */
function foldColumnHash(acc: Uint32Array, c: ColumnData, start: number, end: number): void {
  if (c.kind === 'string') {
    const hashes = dictionaryHashes(c);
    if (c.ids !== null) {
      const ids = c.ids;
      for (let r = start; r < end; r++) acc[r - start] = mix(acc[r - start], hashes[ids[r]]);
    } else {
      const offs = c.offsets!;
      const vals = c.values!;
      for (let r = start; r < end; r++) {
        let h = acc[r - start];
        for (let k = offs[r]; k < offs[r + 1]; k++) h = mix(h, hashes[vals[k]]);
        acc[r - start] = mix(h, offs[r + 1] - offs[r]);
      }
    }
  } else if (c.kind === 'numeric') {
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    for (let r = start; r < end; r++) {
      if (c.nulls !== null && c.nulls[r] === 1) acc[r - start] = mix(acc[r - start], 0x5bd1e995);
      else {
        f[0] = c.values[r] === 0 ? 0 : c.values[r];
        acc[r - start] = mix(mix(acc[r - start], u[0]), u[1]);
      }
    }
  }
}

/** Groups rows by partition number (`part[i]` for row start+i) into ascending row lists, dropping empty partitions. */
function gather(part: Int32Array, start: number, parts: number): Int32Array[] {
  const counts = new Int32Array(parts);
  for (let i = 0; i < part.length; i++) counts[part[i]]++;
  const lists = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(parts);
  for (let i = 0; i < part.length; i++) {
    const p = part[i];
    lists[p][fill[p]++] = start + i;
  }
  return lists.filter((l) => l.length > 0);
}

/**
 * Hashed partitioning of rows [start, end): `numShards` shards, or as many as
 * `targetRowsPerSegment` needs. Rows are assigned by a hash of the partition
 * dimensions (all dimensions plus the row's time when none are named), so
 * equal keys land in the same shard. Empty shards are dropped.
 */
export function hashPartitions(data: ColumnarData, start: number, end: number, spec: Extract<Partitioning, { type: 'hashed' }>): Int32Array[] {
  const n = end - start;
  if (n === 0) return [];
  let shards: number;
  if (spec.numShards !== undefined && spec.numShards !== null) {
    if (!Number.isInteger(spec.numShards) || spec.numShards < 1) throw errors.invalidInput(`partitionsSpec.numShards must be a positive integer, got [${String(spec.numShards)}]`);
    shards = spec.numShards;
  } else {
    const target = spec.targetRowsPerSegment ?? DEFAULT_TARGET_ROWS;
    if (!(target > 0)) throw errors.invalidInput(`partitionsSpec.targetRowsPerSegment must be positive, got [${String(target)}]`);
    shards = Math.max(1, Math.ceil(n / target));
  }
  if (shards === 1) return [rangeOf(start, end)];
  const named = spec.partitionDimensions ?? [];
  const cols = named.length > 0 ? columnsByName(data, named, 'partitionDimensions entry') : data.columns.filter(isDimension);
  const acc = new Uint32Array(n).fill(0x2545f491);
  if (named.length === 0) {
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    for (let r = start; r < end; r++) {
      f[0] = data.time[r];
      acc[r - start] = mix(mix(acc[r - start], u[0]), u[1]);
    }
  }
  for (const c of cols) foldColumnHash(acc, c, start, end);
  const part = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h = acc[i];
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    part[i] = (h >>> 0) % shards;
  }
  return gather(part, start, shards);
}

function rangeOf(start: number, end: number): Int32Array {
  const rows = new Int32Array(end - start);
  for (let i = 0; i < rows.length; i++) rows[i] = start + i;
  return rows;
}

/**
 * Range partitioning of rows [start, end) on string dimensions: rows sorted by
 * the partition key (values in dictionary order, null first) are cut into
 * ranges of about `targetRowsPerSegment` rows (or at most `maxRowsPerSegment`),
 * never splitting equal keys. Multi-valued rows in a partition dimension are refused.
 */
export function rangePartitions(data: ColumnarData, start: number, end: number, spec: Extract<Partitioning, { type: 'range' }>): Int32Array[] {
  const n = end - start;
  if (n === 0) return [];
  if (spec.partitionDimensions.length === 0) throw errors.invalidInput('range partitionsSpec needs partitionDimensions (or partitionDimension)');
  const target = spec.targetRowsPerSegment ?? spec.maxRowsPerSegment ?? DEFAULT_TARGET_ROWS;
  if (!(target > 0)) throw errors.invalidInput(`partitionsSpec.targetRowsPerSegment must be positive, got [${String(target)}]`);
  const keyCols: Int32Array[] = columnsByName(data, spec.partitionDimensions, 'partitionDimensions entry').map((c) => {
    if (c.kind !== 'string') throw errors.invalidInput(`Range partitioning needs string dimensions; [${c.name}] is ${c.kind === 'numeric' ? c.type : 'complex'}`);
    if (c.ids === null) {
      const offs = c.offsets!;
      for (let r = start; r < end; r++) {
        if (offs[r + 1] - offs[r] > 1) throw errors.invalidInput(`Range partitioning cannot use multi-valued dimension [${c.name}] (row with ${offs[r + 1] - offs[r]} values)`);
      }
      const ids = new Int32Array(end);
      for (let r = start; r < end; r++) ids[r] = offs[r + 1] === offs[r] ? 0 : c.values![offs[r]];
      return ids;
    }
    return c.ids;
  });
  const order = rangeOf(start, end);
  order.sort((a, b) => {
    for (let k = 0; k < keyCols.length; k++) {
      const d = keyCols[k][a] - keyCols[k][b];
      if (d !== 0) return d;
    }
    return a - b;
  });
  const part = new Int32Array(n);
  let p = 0;
  let inPart = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    if (inPart >= target && !sameKey(keyCols, r, order[i - 1])) {
      p++;
      inPart = 0;
    }
    part[r - start] = p;
    inPart++;
  }
  return gather(part, start, p + 1);
}

function sameKey(cols: readonly Int32Array[], a: number, b: number): boolean {
  for (let k = 0; k < cols.length; k++) if (cols[k][a] !== cols[k][b]) return false;
  return true;
}

/** The partitions of rows [start, end) under `spec`. */
export function partitionRows(data: ColumnarData, start: number, end: number, spec: Partitioning): Int32Array[] {
  switch (spec.type) {
    case 'dynamic': return dynamicPartitions(start, end, spec.maxRowsPerSegment ?? Number.POSITIVE_INFINITY);
    case 'hashed': return hashPartitions(data, start, end, spec);
    case 'range': return rangePartitions(data, start, end, spec);
  }
}

/** The rows listed (ascending) as columnar data, with dictionaries reduced to the values used. */
export function takeRows(data: ColumnarData, rows: Int32Array): ColumnarData {
  const n = rows.length;
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = data.time[rows[i]];
  const columns: ColumnData[] = data.columns.map((c): ColumnData => {
    if (c.kind === 'numeric') {
      const values = c.type === 'FLOAT' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = c.values[rows[i]];
      let exact: BigInt64Array | null = null;
      if (c.exact !== null) {
        exact = new BigInt64Array(n);
        for (let i = 0; i < n; i++) exact[i] = c.exact[rows[i]];
      }
      let nulls: Uint8Array | null = null;
      if (c.nulls !== null) {
        nulls = new Uint8Array(n);
        for (let i = 0; i < n; i++) nulls[i] = c.nulls[rows[i]];
      }
      return { ...c, values, exact, nulls };
    }
    if (c.kind === 'complex') return { ...c, values: Array.from(rows, (r) => c.values[r]) };
    return takeStringRows(c, rows);
  });
  return { numRows: n, time, columns };
}

function takeStringRows(c: StringColumnData, rows: Int32Array): StringColumnData {
  const n = rows.length;
  let offsets: Int32Array | null = null;
  let src: Int32Array;
  if (c.ids !== null) {
    src = new Int32Array(n);
    for (let i = 0; i < n; i++) src[i] = c.ids[rows[i]];
  } else {
    const so = c.offsets!;
    offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + so[rows[i] + 1] - so[rows[i]];
    src = new Int32Array(offsets[n]);
    for (let i = 0; i < n; i++) src.set(c.values!.subarray(so[rows[i]], so[rows[i] + 1]), offsets[i]);
  }
  const dictionary = compactDictionary(c.dictionary, src, src);
  return c.ids !== null ? { ...c, dictionary, ids: src } : { ...c, dictionary, offsets, values: src };
}
