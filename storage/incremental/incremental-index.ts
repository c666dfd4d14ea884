/**
 * The incremental index: fresh rows, queryable at once through snapshot().
 * With rollup, rows with equal truncated time and equal dimension values
 * combine through the ingest aggregators; without, every row is kept.
 * Dimensions are pinned by the schema or discovered as rows bring them.
 * When maxRowsInMemory / maxBytesInMemory is reached, the rows are persisted
 * to an immutable segment file and the index starts afresh; handoff() merges
 * the persisted pieces into one segment per segmentGranularity interval.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errors } from '../../common/errors.ts';
import type { Interval } from '../../common/interval.ts';
import { ETERNITY } from '../../common/interval.ts';
import type { DataSchema, InputRow } from '../schema.ts';
import type { Segment, SegmentId } from '../segment.ts';
import { nextBucket, truncate } from '../time/granularity.ts';
import type { ColumnarData, ColumnData } from '../columnar-data.ts';
import { MemorySegment } from '../memory-segment.ts';
import { sortPermutation, type SortKey } from '../sort-rows.ts';
import { writeSegment } from '../format/segment-writer.ts';
import { openSegment } from '../format/segment-reader.ts';
import { readFileShared } from '../shared-bytes.ts';
import { combineKindsOf } from '../merge/merge-segments.ts';
import { splitByGranularity, type BuiltSegment, type Partitioning } from '../merge/split-segments.ts';
import { mergeByInterval } from '../merge/merge-by-interval.ts';
import { ensureCapacity } from './growable.ts';
import { MetricAggregator } from './metric-aggregator.ts';
import { NumericStore } from './numeric-store.ts';
import { StringDimIndexer } from './string-dim-indexer.ts';
import { JsonDimIndexer } from './json-dim-indexer.ts';
import { isArrayColumnType } from '../json-column.ts';
import { toNumber, toStringDimValue } from './value-parsing.ts';

export interface IncrementalIndexOptions {
  /** Persist when this many rows are held (default 1,000,000). */
  readonly maxRowsInMemory?: number;
  /** Persist when the estimated footprint exceeds this (default 256 MiB). */
  readonly maxBytesInMemory?: number;
  /** Directory for persisted pieces (default: a fresh temp directory, made on first persist). */
  readonly persistDir?: string;
  /** Input fields never discovered as dimensions (e.g. the raw timestamp column). */
  readonly excludeFields?: readonly string[];
  /** Version given to snapshot segment ids (default 'incremental'). */
  readonly version?: string;
  /** Rows per block in persisted files (tests use small values). */
  readonly blockRows?: number;
  /** close() also removes persistDir (for a directory made for this index alone). */
  readonly removePersistDirOnClose?: boolean;
}

type DimIndexer = StringDimIndexer | NumericStore | JsonDimIndexer;

export class IncrementalIndex {
  private readonly dims: DimIndexer[] = [];
  private readonly known = new Set<string>();
  private readonly metrics: MetricAggregator[];
  private readonly discover: boolean;
  private time = new Float64Array(16);
  private n = 0;
  /** Rollup lookup: open-addressing table of row indexes (-1 empty), keyed by each row's 32-bit hash. */
  private table = new Int32Array(1024).fill(-1);
  private rowHash = new Int32Array(16);
  private bytes = 0;
  private cached: MemorySegment | null = null;
  private cachedData: ColumnarData | null = null;
  private readonly persisted: { file: string; segment: Segment }[] = [];
  private persistDir: string | null;
  private persistSeq = 0;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly encs: (number | number[] | bigint | null)[] = [];
  /** Per dimension: true for string dimensions (parallel to dims; avoids instanceof in the row loop). */
  private readonly dimIsString: boolean[] = [];
  /** True once a JSON-valued dimension exists (its rows take the generic path). */
  private hasJson = false;
  /** Type-aware discovery: discovered arrays and objects become JSON-valued ('auto') dimensions. */
  private readonly typedDiscovery: boolean;
  /** Rows every per-row array has room for (see reserveRows). */
  private cap = 0;
  /** Reads every dimension's then every metric's input field of a row into `raws` (rebuilt when dimensions change). */
  private extract: RowExtractor | null = null;
  private raws: unknown[] = [];

  constructor(readonly schema: DataSchema, private readonly options: IncrementalIndexOptions = {}) {
    const spec = schema.dimensionsSpec;
    this.discover = spec.useSchemaDiscovery ?? spec.dimensions.length === 0;
    this.typedDiscovery = spec.autoTypedDiscovery === true;
    for (const ex of spec.dimensionExclusions ?? []) this.known.add(ex);
    for (const ex of options.excludeFields ?? []) this.known.add(ex);
    this.known.add('__time');
    this.metrics = schema.metricsSpec.map((m) => new MetricAggregator(m));
    const metricNames = new Set<string>();
    for (const m of schema.metricsSpec) {
      if (metricNames.has(m.name)) throw errors.invalidInput(`Duplicate metric name [${m.name}]`);
      metricNames.add(m.name);
      this.known.add(m.name);
      if (m.type !== 'count') this.known.add(m.fieldName);
    }
    for (const d of spec.dimensions) {
      if (metricNames.has(d.name)) throw errors.invalidInput(`Dimension [${d.name}] has the same name as a metric`);
      this.addDimension(d.name, d.type, d.multiValueHandling, d.createBitmapIndex ?? true, d.castToType);
    }
    this.maxRows = options.maxRowsInMemory ?? 1_000_000;
    this.maxBytes = options.maxBytesInMemory ?? 256 * 1024 * 1024;
    this.persistDir = options.persistDir ?? null;
  }

  private addDimension(name: string, type: string, handling: 'SORTED_ARRAY' | 'SORTED_SET' | 'ARRAY' | undefined, bitmaps: boolean, castToType?: string): DimIndexer {
    if (this.dims.some((d) => d.name === name)) throw errors.invalidInput(`Duplicate dimension [${name}]`);
    let d: DimIndexer;
    if (type === 'string') d = new StringDimIndexer(name, handling ?? 'SORTED_ARRAY', bitmaps);
    else if (type === 'long' || type === 'float' || type === 'double') d = new NumericStore(name, type.toUpperCase() as 'LONG', 'dimension');
    else if (type === 'json') d = new JsonDimIndexer(name, 'json');
    else if (type === 'auto') {
      const cast = castToType?.toUpperCase();
      if (cast !== undefined && !isArrayColumnType(cast) && cast !== 'COMPLEX<JSON>' && cast !== 'JSON') {
        throw errors.invalidInput(`Unsupported castToType [${castToType}] for auto dimension [${name}]`);
      }
      d = new JsonDimIndexer(name, cast === undefined ? null : isArrayColumnType(cast) ? cast : 'json');
    } else throw errors.invalidInput(`Unsupported dimension type [${type}] for [${name}]`);
    if (d instanceof JsonDimIndexer) this.hasJson = true;
    this.dims.push(d);
    this.dimIsString.push(type === 'string');
    this.extract = null;
    if (this.cap > 0) {
      if (d instanceof StringDimIndexer) d.ids = ensureCapacity(d.ids, this.cap);
      else d.reserve(this.cap);
    }
    this.known.add(name);
    return d;
  }

  /**
   * Grows every per-row array (time, hashes, single-valued string ids,
   * numeric dimensions, numeric metrics) to hold at least `need` rows, in
   * doublings, so the row loop writes without capacity checks.
   */
  private reserveRows(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(need, this.cap * 2, 1024);
    this.time = ensureCapacity(this.time, cap);
    this.rowHash = ensureCapacity(this.rowHash, cap);
    for (const d of this.dims) {
      if (d instanceof StringDimIndexer) {
        if (d.offsets === null) d.ids = ensureCapacity(d.ids, cap);
      } else d.reserve(cap);
    }
    for (const m of this.metrics) m.reserve(cap);
    this.cap = cap;
  }

  /** Rows held in memory (after rollup). */
  get numRows(): number {
    return this.n;
  }

  /** Estimated bytes held in memory. */
  get bytesInMemory(): number {
    return this.bytes;
  }

  /** Number of pieces persisted since the last handoff. */
  get persistedCount(): number {
    return this.persisted.length;
  }

  /** Adds one row. Throws invalidInput for a missing or non-finite `__time`. */
  add(row: InputRow): void {
    const ts = row.__time;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) throw errors.invalidInput(`Row has no valid __time: ${String(ts)}`);
    const g = this.schema.queryGranularity;
    const t = g === 'all' ? 0 : truncate(Math.floor(ts), g);
    if (this.discover) {
      for (const k in row) {
        if (!this.known.has(k)) {
          const raw = (row as Record<string, unknown>)[k];
          const typed = this.typedDiscovery && raw !== null && typeof raw === 'object';
          const d = this.addDimension(k, typed ? 'auto' : 'string', undefined, true) as StringDimIndexer | JsonDimIndexer;
          if (this.n > 0) {
            d.fillNull(0, this.n);
            if (this.schema.rollup) this.rebuildKeys();
          }
        }
      }
    }
    this.cached = null;
    this.cachedData = null;
    if (!this.addFast(row as Record<string, unknown>, t)) this.addGeneric(row, t);
  }

  /**
   * The common case without allocation: single-valued string dimensions and
   * numbers within ±2^53. Writes the key straight into the storage of row
   * `n` (room reserved first; the row only counts once finishRow runs), so
   * nothing is copied twice. With rollup it hashes as it goes and probes by
   * comparing stored rows with row `n`; a match folds the metrics and leaves
   * row `n` as scratch. Returns false (having changed nothing but
   * dictionaries and scratch row `n`) when the row needs the generic path:
   * multi-values, objects, bigints, or a dimension already multi-valued /
   * holding exact longs.
   */
  private addFast(row: Record<string, unknown>, t: number): boolean {
    if (this.hasJson) return false;
    const dims = this.dims;
    const isString = this.dimIsString;
    const nd = dims.length;
    const metrics = this.metrics;
    if (this.extract === null) {
      this.extract = compileExtractor([...dims.map((d) => d.name), ...metrics.map((m) => m.fieldName)]);
      this.raws = new Array(nd + metrics.length).fill(undefined);
    }
    const raws = this.raws;
    this.extract(row, raws);
    const r = this.n;
    if (r >= this.cap) this.reserveRows(r + 1);
    const rollup = this.schema.rollup;
    let h = rollup ? mixNumber(0x2545f491, t) : 0;
    let newNull = false;
    for (let i = 0; i < nd; i++) {
      const raw = raws[i];
      if (isString[i]) {
        const d = dims[i] as StringDimIndexer;
        if (d.offsets !== null) return false;
        let id: number;
        if (typeof raw === 'string') id = d.idFor(raw);
        else if (raw === null || raw === undefined) id = d.idFor(null);
        else if (typeof raw === 'number' || typeof raw === 'boolean') id = d.idFor(String(raw));
        else return false;
        d.ids[r] = id;
        if (rollup) h = mix(h, id);
      } else {
        const d = dims[i] as NumericStore;
        if (d.exact !== null) return false;
        const v = toNumber(raw, d.type === 'LONG');
        if (v === null) {
          d.nulls[r] = 1;
          d.values[r] = 0;
          newNull = true;
          if (rollup) h = mix(h, 0x7fffffff);
        } else if (typeof v === 'number') {
          const x = d.type === 'FLOAT' ? Math.fround(v) : v;
          d.nulls[r] = 0;
          d.values[r] = x;
          if (rollup) h = mixNumber(h, x);
        } else return false;
      }
    }
    const ts = row.__time as number;
    if (rollup) {
      h = finishHash(h);
      const table = this.table;
      const mask = table.length - 1;
      let slot = h & mask;
      for (let e = table[slot]; e !== -1; e = table[slot]) {
        if (this.rowHash[e] === h && this.time[e] === t && this.sameKey(e, r)) {
          for (let k = 0; k < metrics.length; k++) metrics[k].foldValue(e, raws[nd + k], ts);
          return true;
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = r;
      this.rowHash[r] = h;
      this.bytes += 8;
      if ((r + 1) * 2 > table.length) this.growTable(table.length * 2);
    }
    if (newNull) {
      for (let i = 0; i < nd; i++) if (!isString[i] && (dims[i] as NumericStore).nulls[r] === 1) (dims[i] as NumericStore).hasNull = true;
    }
    this.time[r] = t;
    for (let k = 0; k < metrics.length; k++) metrics[k].initValue(r, raws[nd + k], ts);
    this.finishRow();
    return true;
  }

  /** True when stored rows a and b (both single-valued, fast-path rows) hold the same dimension values (time compared by the caller). */
  private sameKey(a: number, b: number): boolean {
    const dims = this.dims;
    const isString = this.dimIsString;
    for (let i = 0; i < dims.length; i++) {
      if (isString[i]) {
        const ids = (dims[i] as StringDimIndexer).ids;
        if (ids[a] !== ids[b]) return false;
      } else {
        const d = dims[i] as NumericStore;
        const na = d.nulls[a];
        if (na !== d.nulls[b] || (na === 0 && d.values[a] !== d.values[b])) return false;
      }
    }
    return true;
  }

  /** Counts the new row and persists when a memory limit is reached (dictionary sizes are summed every 256 rows). */
  private finishRow(): void {
    this.n++;
    this.bytes += 16 + this.dims.length * 6 + this.metrics.length * 12;
    if (this.n >= this.maxRows || ((this.n & 255) === 0 && this.bytes + this.dictBytes() >= this.maxBytes) || this.bytes >= this.maxBytes) this.persist();
  }

  /** Any row: multi-values, bigints, late multi-valued dimensions (allocates an encoded key per row). */
  private addGeneric(row: InputRow, t: number): void {
    const dims = this.dims;
    const encs = this.encs;
    encs.length = dims.length;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      const raw = (row as Record<string, unknown>)[d.name];
      if (d instanceof StringDimIndexer) encs[i] = d.encode(toStringDimValue(raw));
      else if (d instanceof JsonDimIndexer) encs[i] = d.encode(raw);
      else {
        const v = toNumber(raw, d.type === 'LONG');
        encs[i] = d.type === 'FLOAT' && typeof v === 'number' ? Math.fround(v) : v;
      }
    }
    if (this.schema.rollup) {
      const h = hashKey(t, dims, encs);
      const mask = this.table.length - 1;
      let slot = h & mask;
      for (let r = this.table[slot]; r !== -1; r = this.table[slot]) {
        if (this.rowHash[r] === h && this.rowEquals(r, t, encs)) {
          for (const m of this.metrics) m.fold(r, row as Record<string, unknown>);
          return;
        }
        slot = (slot + 1) & mask;
      }
      this.table[slot] = this.n;
      this.rowHash = ensureCapacity(this.rowHash, this.n + 1);
      this.rowHash[this.n] = h;
      this.bytes += 8;
      if ((this.n + 1) * 2 > this.table.length) this.growTable(this.table.length * 2);
    }
    const r = this.n;
    this.time = ensureCapacity(this.time, r + 1);
    this.time[r] = t;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      if (d instanceof StringDimIndexer) d.set(r, encs[i] as number | number[]);
      else if (d instanceof JsonDimIndexer) {
        d.reserve(r + 1);
        d.set(r, encs[i] as number);
      } else {
        d.reserve(r + 1);
        d.set(r, encs[i] as number | bigint | null);
      }
    }
    for (const m of this.metrics) m.init(r, row as Record<string, unknown>);
    this.finishRow();
  }

  private dictBytes(): number {
    let b = 0;
    for (const d of this.dims) {
      if (d instanceof StringDimIndexer) b += d.dictBytes + d.storedValues * 4;
      else if (d instanceof JsonDimIndexer) b += d.dictBytes;
    }
    return b;
  }

  /** True when stored row r has time t and the encoded dimension values. */
  private rowEquals(r: number, t: number, encs: readonly (number | number[] | bigint | null)[]): boolean {
    if (this.time[r] !== t) return false;
    const dims = this.dims;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      const e = encs[i];
      if (d instanceof StringDimIndexer) {
        if (!d.equalsAt(r, e as number | number[])) return false;
      } else if (d instanceof JsonDimIndexer) {
        if (d.get(r) !== e) return false;
      } else {
        const g = d.get(r);
        if (g === null || e === null) {
          if (g !== e) return false;
        } else if (typeof g === typeof e) {
          if (g !== e) return false;
        } else if (BigInt(g as number) !== BigInt(e as number)) return false;
      }
    }
    return true;
  }

  /** Rebuilds the lookup table with `size` slots from the row hashes of rows 0..n (row n: the one being added). */
  private growTable(size: number): void {
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let r = 0; r <= this.n; r++) {
      let slot = this.rowHash[r] & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = r;
    }
    this.table = table;
  }

  /** Recomputes every row's hash from stored values (after a dimension is discovered late). */
  private rebuildKeys(): void {
    const encs: (number | number[] | bigint | null)[] = [];
    this.rowHash = ensureCapacity(this.rowHash, this.n);
    for (let r = 0; r < this.n; r++) {
      encs.length = 0;
      for (const d of this.dims) {
        if (d instanceof StringDimIndexer) {
          if (d.offsets === null) encs.push(d.ids[r]);
          else {
            const vals = Array.from(d.mvValues!.subarray(d.offsets[r], d.offsets[r + 1]));
            encs.push(vals.length === 1 ? vals[0] : vals);
          }
        } else encs.push(d.get(r));
      }
      this.rowHash[r] = hashKey(this.time[r], this.dims, encs);
    }
    let size = 1024;
    while (size < this.n * 2 + 2) size *= 2;
    const table = new Int32Array(size).fill(-1);
    for (let r = 0; r < this.n; r++) {
      let slot = this.rowHash[r] & (size - 1);
      while (table[slot] !== -1) slot = (slot + 1) & (size - 1);
      table[slot] = r;
    }
    this.table = table;
  }

  /** The in-memory rows as sorted columnar data (cached until the next add). */
  toColumnar(): ColumnarData {
    if (this.cachedData !== null) return this.cachedData;
    const n = this.n;
    const sortedDicts = new Map<StringDimIndexer, ReturnType<StringDimIndexer['sortedDictionary']>>();
    const keys: SortKey[] = [];
    for (const d of this.dims) {
      if (d instanceof StringDimIndexer) {
        const s = d.sortedDictionary();
        sortedDicts.set(d, s);
        if (d.offsets === null) {
          const ids = new Int32Array(n);
          for (let i = 0; i < n; i++) ids[i] = s.remap[d.ids[i]];
          keys.push({ kind: 'ids', ids, cardinality: s.dictionary.length });
        } else {
          const values = new Int32Array(d.storedValues);
          for (let i = 0; i < values.length; i++) values[i] = s.remap[d.mvValues![i]];
          keys.push({ kind: 'multi', offsets: d.offsets, values });
        }
      } else if (d instanceof JsonDimIndexer) {
        const { ranks, cardinality } = d.sortRanks();
        const ids = new Int32Array(n);
        for (let i = 0; i < n; i++) ids[i] = ranks[d.ids[i]];
        keys.push({ kind: 'ids', ids, cardinality });
      } else {
        keys.push({ kind: 'num', values: d.values, nulls: d.hasNull ? d.nulls : null });
      }
    }
    const perm = sortPermutation(n, this.time, keys);
    // Rows that arrived in sorted order (common for time-ordered streams) need copies, not gathers.
    const identity = isIdentity(perm);
    const time = identity ? this.time.slice(0, n) : new Float64Array(n);
    if (!identity) for (let i = 0; i < n; i++) time[i] = this.time[perm[i]];
    const columns: ColumnData[] = [];
    for (let k = 0; k < this.dims.length; k++) {
      const d = this.dims[k];
      const key = keys[k];
      if (d instanceof StringDimIndexer && d.offsets === null && key.kind === 'ids') {
        // The sort key already holds the sorted ids in arrival order: permute it in place of remapping again.
        columns.push(d.columnFromSortedIds(identity ? key.ids : permuteIds(key.ids, perm), sortedDicts.get(d)!.dictionary));
      } else if (d instanceof NumericStore) columns.push(d.toColumn(perm, identity));
      else columns.push(d instanceof StringDimIndexer ? d.toColumn(perm, sortedDicts.get(d)!) : d.toColumn(perm));
    }
    for (const m of this.metrics) columns.push(m.numeric !== null ? m.numeric.toColumn(perm, identity) : m.complex!.toColumn(perm));
    this.cachedData = { numRows: n, time, columns };
    return this.cachedData;
  }

  private snapshotId(data: ColumnarData): SegmentId {
    const sg = this.schema.segmentGranularity;
    let interval: Interval = ETERNITY;
    if (data.numRows > 0 && sg !== 'all') {
      interval = { start: truncate(data.time[0], sg), end: nextBucket(truncate(data.time[data.numRows - 1], sg), sg) };
    }
    return { dataSource: this.schema.dataSource, interval, version: this.options.version ?? 'incremental', partitionNum: 0 };
  }

  /** A Segment over the in-memory rows, cheap to call repeatedly (cached until the next add). */
  snapshot(): Segment {
    if (this.cached === null) {
      const data = this.toColumnar();
      this.cached = new MemorySegment(this.snapshotId(data), data, true);
    }
    return this.cached;
  }

  /** Everything queryable: persisted pieces plus the in-memory snapshot (when it has rows). */
  segments(): Segment[] {
    const out = this.persisted.map((p) => p.segment);
    if (this.n > 0) out.push(this.snapshot());
    return out;
  }

  /** Writes the in-memory rows to an immutable segment file and starts afresh. */
  persist(): void {
    if (this.n === 0) return;
    const data = this.toColumnar();
    const bytes = writeSegment(data, this.options.blockRows === undefined ? {} : { blockRows: this.options.blockRows });
    if (this.persistDir === null) this.persistDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemeton-persist-'));
    fs.mkdirSync(this.persistDir, { recursive: true });
    const file = path.join(this.persistDir, `${this.schema.dataSource.replace(/[^A-Za-z0-9._-]/g, '_')}-${process.pid}-${this.persistSeq++}.seg`);
    fs.writeFileSync(file, bytes);
    const id = { ...this.snapshotId(data), version: `${this.options.version ?? 'incremental'}-persist${this.persistSeq}` };
    this.persisted.push({ file, segment: openSegment(readFileShared(file), id) });
    this.reset();
  }

  private reset(): void {
    const fresh = new IncrementalIndex(this.schema, this.options);
    // Keep discovered dimensions in order so later pieces line up.
    for (const d of this.dims) {
      if (!fresh.dims.some((x) => x.name === d.name)) {
        if (d instanceof StringDimIndexer) fresh.addDimension(d.name, 'string', d.handling, d.createBitmapIndex);
        else if (d instanceof JsonDimIndexer) fresh.addDimension(d.name, d.declared === 'json' ? 'json' : 'auto', undefined, true, d.declared ?? undefined);
        else fresh.addDimension(d.name, d.type.toLowerCase(), undefined, true);
      }
    }
    this.dims.length = 0;
    this.dims.push(...fresh.dims);
    this.dimIsString.length = 0;
    this.dimIsString.push(...fresh.dimIsString);
    this.hasJson = fresh.hasJson;
    this.extract = null;
    this.cap = 0;
    this.metrics.length = 0;
    this.metrics.push(...fresh.metrics);
    this.time = new Float64Array(16);
    this.n = 0;
    this.table = new Int32Array(1024).fill(-1);
    this.rowHash = new Int32Array(16);
    this.bytes = 0;
    this.cached = null;
    this.cachedData = null;
  }

  /**
   * Merges persisted pieces and in-memory rows (keeping rollup) into one
   * segment per segmentGranularity interval (or several partitions of at most
   * maxRowsPerSegment rows, or the partitions of a hashed / range
   * Partitioning), versioned `version`, and empties the index (persisted
   * files are deleted).
   */
  handoff(version: string, partitioning?: number | Partitioning): BuiltSegment[] {
    const { dataSource, segmentGranularity } = this.schema;
    // Persisted pieces merge one segment interval at a time, so memory holds one interval's rows.
    const out = this.persisted.length === 0
      ? splitByGranularity(this.toColumnar(), dataSource, segmentGranularity, version, this.options.blockRows, partitioning)
      : mergeByInterval(this.segments(), { rollup: this.schema.rollup, combine: combineKindsOf(this.schema.metricsSpec), metricsSpec: this.schema.metricsSpec },
        dataSource, segmentGranularity, version, this.options.blockRows, partitioning);
    this.close();
    return out;
  }

  /** Deletes persisted files and empties the index. */
  close(): void {
    for (const p of this.persisted) {
      (p.segment as { release?: () => void }).release?.();
      fs.rmSync(p.file, { force: true });
    }
    this.persisted.length = 0;
    if (this.options.removePersistDirOnClose && this.persistDir !== null) fs.rmSync(this.persistDir, { recursive: true, force: true });
    this.reset();
  }
}


/** True when perm[i] === i for every i. */
function isIdentity(perm: Int32Array): boolean {
  for (let i = 0; i < perm.length; i++) if (perm[i] !== i) return false;
  return true;
}

/** out[i] = ids[perm[i]]: a column of ids in sorted row order. */
function permuteIds(ids: Int32Array, perm: Int32Array): Int32Array {
  const n = perm.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = ids[perm[i]];
  return out;
}

/** Copies a row's fields (in a fixed order) into `out`; undefined where absent. */
type RowExtractor = (row: Record<string, unknown>, out: unknown[]) => void;

/**
 * An extractor for the given field names (null: none, leaves undefined).
 * Generated code reads each field at its own site, so each read stays
 * monomorphic for rows of one shape (a loop over names would make one
 * megamorphic keyed read); falls back to a loop where code generation is off.
 */
function compileExtractor(fields: readonly (string | null)[]): RowExtractor {
  const body = fields.map((f, i) => `out[${i}] = ${f === null ? 'undefined' : `row[${JSON.stringify(f)}]`};`).join('\n');
  try {
    return new Function('row', 'out', body) as RowExtractor;
  } catch {
    return (row, out) => {
      for (let i = 0; i < fields.length; i++) out[i] = fields[i] === null ? undefined : row[fields[i]!];
    };
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  return (h << 13) | (h >>> 19);
}

function mixNumber(h: number, v: number): number {
  f64[0] = v === 0 ? 0 : v;
  return mix(mix(h, u32[0]), u32[1]);
}

/**
 * 32-bit hash of a rollup key: truncated time plus encoded dimension values
 * (dictionary ids, id lists, numbers). A one-element id list hashes as its id,
 * matching how single values are stored.
 */
function hashKey(t: number, dims: readonly { readonly name: string }[], encs: readonly (number | number[] | bigint | null)[]): number {
  let h = mixNumber(0x2545f491, t);
  for (let i = 0; i < dims.length; i++) {
    const e = encs[i];
    if (typeof e === 'number') h = dims[i] instanceof StringDimIndexer ? mix(h, e) : mixNumber(h, e);
    else if (e === null) h = mix(h, 0x7fffffff);
    else if (typeof e === 'bigint') h = mixNumber(h, Number(e));
    else if (e.length === 1) h = mix(h, e[0]);
    else {
      for (let k = 0; k < e.length; k++) h = mix(h, e[k]);
      h = mix(h, -e.length);
    }
  }
  return finishHash(h);
}

/** Final avalanche of a rollup key hash, as a non-negative 31-bit number. */
function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & 0x7fffffff;
}
