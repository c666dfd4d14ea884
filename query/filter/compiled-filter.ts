/**
 * Filters compiled once per query and evaluated per segment, in one of two ways:
 *  - bitmaps: dictionary-id predicates become unions of the inverted index's
 *    bitmaps, combined with roaring AND/OR/ANDNOT (cheap when selective);
 *  - masks: a branchless id-lookup scan (lut[ids[row]]) or a per-row
 *    predicate fills a three-valued mask, combined with min/max bytes.
 * `selectRows` picks bitmaps when every leaf is indexable and the bitmaps
 * touched hold few rows relative to the range; otherwise masks.
 */
import { errors } from '../../common/errors.ts';
import { compareUtf8 } from '../../storage/dictionary-order.ts';
import type { StringColumn } from '../../storage/segment.ts';
import { Bitmap, bitmapRowsInRange, rangeBitmap, type RoaringBitmap32 } from '../engine/bitmap.ts';
import { expressionEngine } from '../engine/expression-bridge.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import type { Selection } from '../engine/selection.ts';
import { compileExtractionFn, type ExtractionFunction } from '../dimension/extraction.ts';
import type { Filter } from '../model/filter.ts';
import type { CompiledFilter, TriBitmaps } from './filter-contract.ts';
import { AndFilter } from './and-filter.ts';
import { refineByMask, rowsFromMask } from './mask-rows.ts';
import { MIXED, NumericRangeTest } from './numeric-range-rows.ts';
import { appendRowsByLut, keepRowsByLut } from './row-kernels.ts';
import { FALSE, lookupScan, notMask, numericRangeScan, orMasks, TRUE, trueRows, UNKNOWN } from './tri.ts';
import { leafColumn, leafPredicates, numberToString, type LeafPredicates } from './value-predicates.ts';

export { MIXED };

export type { CompiledFilter, TriBitmaps } from './filter-contract.ts';

/** Rows-equivalent cost of fetching and uniting one more value bitmap (bitmap path cost model). */
const PER_BITMAP_COST = 32;

/** Unions of at most this many stored bitmaps count as free when an AND weighs building its inputs. */
const FEW_BITMAPS = 8;

function emptyBitmap(): RoaringBitmap32 {
  return new Bitmap();
}

function constantBitmaps(value: number, numRows: number): TriBitmaps {
  return {
    t: value === TRUE ? rangeBitmap(0, numRows) : emptyBitmap(),
    u: value === UNKNOWN ? rangeBitmap(0, numRows) : emptyBitmap(),
  };
}

class ConstantFilter implements CompiledFilter {
  readonly columns: readonly string[] = [];
  constructor(private readonly value: number) {}
  mask(_v: SegmentView, start: number, end: number): Uint8Array {
    return new Uint8Array(end - start).fill(this.value);
  }
  bitmaps(view: SegmentView): TriBitmaps {
    return constantBitmaps(this.value, view.numRows);
  }
  bitmapCost(): number {
    return 0;
  }
  verdict(): number {
    return this.value;
  }
  estimate(): number {
    return this.value === TRUE ? 1 : 0;
  }
  rows(_v: SegmentView, start: number, end: number): Int32Array {
    if (this.value !== TRUE || end <= start) return new Int32Array(0);
    return Int32Array.from({ length: end - start }, (_, i) => start + i);
  }
  refine(_v: SegmentView, _rows: Int32Array, n: number): number {
    return this.value === TRUE ? n : 0;
  }
}

/** Per-segment lookup table of a leaf over a string column's dictionary. */
interface DictionaryMatch {
  readonly col: StringColumn;
  readonly lut: Uint8Array;
  /** Tri value of a row with no values (multi-value empty row). */
  readonly emptyValue: number;
  /** The value every row takes when all dictionary entries (and empty rows) agree, else MIXED. */
  readonly uniform: number;
  /** Ids whose lut entry is not FALSE, ascending. */
  readonly matching: Int32Array;
}

/** First id of a sorted dictionary (null first) whose value is not below `value` in code point order. */
function dictionaryLowerBound(dict: readonly (string | null)[], value: string): number {
  let lo = dict.length > 0 && dict[0] === null ? 1 : 0;
  let hi = dict.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(dict[mid] as string, value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ids of the entries of lut that are not FALSE, ascending. */
function nonFalseIds(lut: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < lut.length; i++) if (lut[i] !== FALSE) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < lut.length; i++) if (lut[i] !== FALSE) out[k++] = i;
  return out;
}

class LeafFilter implements CompiledFilter {
  readonly columns: readonly string[];
  private readonly predicates: LeafPredicates;
  private readonly extraction: ExtractionFunction | null;
  private readonly cache = new WeakMap<SegmentView, DictionaryMatch | null>();

  constructor(private readonly filter: Filter, private readonly column: string) {
    this.columns = [column];
    this.predicates = leafPredicates(filter);
    const fn = (filter as { extractionFn?: unknown }).extractionFn;
    this.extraction = fn === undefined || fn === null ? null : compileExtractionFn(fn as never);
  }

  private stringValue(v: unknown): number {
    if (this.extraction !== null) return this.predicates.string(this.extraction(v));
    return this.predicates.string(v === null || v === undefined ? null : typeof v === 'number' ? numberToString(v) : String(v));
  }

  private dictionaryMatch(view: SegmentView): DictionaryMatch | null {
    if (this.cache.has(view)) return this.cache.get(view)!;
    let m: DictionaryMatch | null = null;
    if (view.columnType(this.column) === 'STRING') {
      const col = view.stringColumn(this.column)!;
      const emptyValue = this.stringValue(null);
      const points = this.extraction === null ? this.predicates.pointSet : undefined;
      const prefix = this.extraction === null ? this.predicates.prefix : undefined;
      let lut: Uint8Array;
      let matching: Int32Array;
      if (prefix !== undefined && points === undefined) {
        // Values with a prefix are one run of a sorted dictionary: find its start, walk while it matches.
        const dict = col.dictionary();
        lut = new Uint8Array(dict.length);
        const ids: number[] = [];
        if (dict.length > 0 && dict[0] === null && emptyValue !== FALSE) {
          lut[0] = emptyValue;
          ids.push(0);
        }
        for (let i = dictionaryLowerBound(dict, prefix); i < dict.length && (dict[i] as string).startsWith(prefix); i++) {
          lut[i] = TRUE;
          ids.push(i);
        }
        matching = Int32Array.from(ids);
      } else if (points !== undefined) {
        // A few values: look them up (sorted dictionary, binary search) instead of testing every entry.
        lut = new Uint8Array(col.cardinality);
        const ids: number[] = [];
        if (col.cardinality > 0 && col.value(0) === null && emptyValue !== FALSE) {
          lut[0] = emptyValue;
          ids.push(0);
        }
        for (const v of points) {
          const id = col.lookupId(v);
          if (id >= 0 && lut[id] === FALSE) {
            lut[id] = TRUE;
            ids.push(id);
          }
        }
        matching = Int32Array.from(ids).sort();
      } else {
        const dict = col.dictionary();
        lut = new Uint8Array(dict.length);
        for (let i = 0; i < dict.length; i++) lut[i] = this.stringValue(dict[i]);
        matching = nonFalseIds(lut);
      }
      let uniform: number;
      if (lut.length === 0) uniform = col.hasMultipleValues ? emptyValue : MIXED;
      else if (matching.length === 0) uniform = FALSE;
      else if (matching.length < lut.length) uniform = MIXED;
      else {
        uniform = lut[0];
        for (let i = 1; i < lut.length && uniform !== MIXED; i++) if (lut[i] !== uniform) uniform = MIXED;
      }
      if (col.hasMultipleValues && uniform !== emptyValue) uniform = MIXED;
      m = { col, lut, emptyValue, uniform, matching };
    }
    this.cache.set(view, m);
    return m;
  }

  bitmapCost(view: SegmentView): number {
    const m = this.dictionaryMatch(view);
    if (m === null) return view.columnType(this.column) === undefined ? 0 : Number.POSITIVE_INFINITY;
    // Many values: besides their rows, each bitmap to fetch and unite costs something.
    const matching = m.matching.length;
    return this.matchedRows(view, m) + (matching > 64 ? matching * PER_BITMAP_COST : 0);
  }

  /** Rows of the matching values: their bitmap sizes when few, else estimated without touching (possibly lazily built) bitmaps. */
  private matchedRows(view: SegmentView, m: DictionaryMatch): number {
    const matching = m.matching.length;
    if (matching > 64) return (view.numRows * matching) / Math.max(1, m.lut.length);
    let rows = 0;
    for (let k = 0; k < matching; k++) rows += m.col.bitmap(m.matching[k]).size;
    return rows;
  }

  bitmapBuildCost(view: SegmentView): number {
    const m = view.columnType(this.column) === undefined ? null : this.dictionaryMatch(view);
    // A few matching values: their stored bitmaps serve, or a cheap union of few.
    if (m !== null && m.matching.length <= FEW_BITMAPS) return 0;
    return this.bitmapCost(view);
  }

  bitmaps(view: SegmentView): TriBitmaps | null {
    const type = view.columnType(this.column);
    if (type === undefined) return constantBitmaps(this.stringValue(null), view.numRows);
    const m = this.dictionaryMatch(view);
    if (m === null) return null;
    const ts: RoaringBitmap32[] = [];
    const us: RoaringBitmap32[] = [];
    for (let k = 0; k < m.matching.length; k++) {
      const i = m.matching[k];
      if (m.lut[i] === TRUE) ts.push(m.col.bitmap(i));
      else us.push(m.col.bitmap(i));
    }
    const t = ts.length === 0 ? emptyBitmap() : Bitmap.orMany(ts);
    let u = us.length === 0 ? emptyBitmap() : Bitmap.orMany(us);
    if (m.col.hasMultipleValues && u.size > 0) u = Bitmap.andNot(u, t);
    return { t, u };
  }

  /** The interval test on a numeric column (no extraction), or null when the leaf is not one. */
  private rangeTest(view: SegmentView): NumericRangeTest | null {
    const nr = this.predicates.numericRange;
    if (nr === undefined || this.extraction !== null) return null;
    const type = view.columnType(this.column);
    if (type !== 'LONG' && type !== 'FLOAT' && type !== 'DOUBLE') return null;
    return new NumericRangeTest(view.numericColumn(this.column)!, nr.lo ?? Number.NEGATIVE_INFINITY, nr.loOpen, nr.hi ?? Number.POSITIVE_INFINITY, nr.hiOpen);
  }

  verdict(view: SegmentView, start: number, end: number): number {
    const type = view.columnType(this.column);
    if (type === undefined) return this.stringValue(null);
    const m = this.dictionaryMatch(view);
    if (m !== null) return m.uniform;
    return this.rangeTest(view)?.verdict(start, end) ?? MIXED;
  }

  estimate(view: SegmentView): number {
    const type = view.columnType(this.column);
    if (type === undefined) return this.stringValue(null) === TRUE ? 1 : 0;
    const m = this.dictionaryMatch(view);
    if (m !== null) return view.numRows === 0 ? 0 : Math.min(1, this.matchedRows(view, m) / view.numRows);
    return this.rangeTest(view)?.estimate() ?? 1;
  }

  rows(view: SegmentView, start: number, end: number): Int32Array {
    if (end <= start) return new Int32Array(0);
    const m = view.columnType(this.column) === undefined ? null : this.dictionaryMatch(view);
    if (m !== null && !m.col.hasMultipleValues) {
      if (this.bitmapCost(view) < (end - start) / 4) {
        const b = this.bitmaps(view)!;
        const t = start === 0 && end >= view.numRows ? b.t : Bitmap.and(b.t, rangeBitmap(start, end));
        const u32 = t.toUint32Array();
        return new Int32Array(u32.buffer, u32.byteOffset, u32.length);
      }
      const out = new Int32Array(end - start + 1);
      return out.subarray(0, appendRowsByLut(m.col.ids(), start, end, m.lut, out, 0));
    }
    const test = this.rangeTest(view);
    if (test !== null) return test.rows(start, end);
    return rowsFromMask(this, view, start, end);
  }

  refine(view: SegmentView, rows: Int32Array, n: number): number {
    if (n === 0) return 0;
    const m = view.columnType(this.column) === undefined ? null : this.dictionaryMatch(view);
    if (m !== null && !m.col.hasMultipleValues) return keepRowsByLut(rows, n, m.col.ids(), m.lut);
    const test = this.rangeTest(view);
    if (test !== null) return test.refine(rows, n);
    return refineByMask(this, view, rows, n);
  }

  mask(view: SegmentView, start: number, end: number): Uint8Array {
    const out = new Uint8Array(end - start);
    const type = view.columnType(this.column);
    if (type === undefined) return out.fill(this.stringValue(null));
    const m = this.dictionaryMatch(view);
    if (m !== null) {
      if (!m.col.hasMultipleValues) {
        lookupScan(m.col.ids(), start, m.lut, out);
      } else {
        const { offsets, values } = m.col.multiValues();
        for (let r = start; r < end; r++) {
          const a = offsets[r];
          const b = offsets[r + 1];
          if (a === b) {
            out[r - start] = m.emptyValue;
            continue;
          }
          let best = FALSE;
          for (let k = a; k < b; k++) {
            const x = m.lut[values[k]];
            if (x > best) best = x;
          }
          out[r - start] = best;
        }
      }
      return out;
    }
    if (type === 'LONG' || type === 'FLOAT' || type === 'DOUBLE') {
      const col = view.numericColumn(this.column)!;
      const nulls = col.nulls();
      if (this.extraction !== null) {
        const vals = col.values();
        for (let r = start; r < end; r++) out[r - start] = this.stringValue(nulls !== null && nulls.has(r) ? null : vals[r]);
      } else if (this.predicates.numericRange !== undefined) {
        // Column and block min/max (over non-null values) decide whole blocks; the rest are scanned.
        this.rangeTest(view)!.fillMask(start, end, out);
        if (nulls !== null) for (const r of bitmapRowsInRange(nulls, start, end)) out[r - start] = UNKNOWN;
      } else {
        const p = this.predicates.number;
        const vals = col.values();
        for (let r = start; r < end; r++) out[r - start] = p(vals[r]);
        if (nulls !== null) {
          const nullValue = p(null);
          for (const r of bitmapRowsInRange(nulls, start, end)) out[r - start] = nullValue;
        }
      }
      return out;
    }
    // COMPLEX: only null tests make sense.
    return out.fill(this.stringValue(null));
  }
}

class OrFilter implements CompiledFilter {
  readonly columns: readonly string[];
  constructor(private readonly children: CompiledFilter[]) {
    this.columns = [...new Set(children.flatMap((c) => c.columns))];
  }
  mask(view: SegmentView, start: number, end: number): Uint8Array {
    const out = this.children[0].mask(view, start, end);
    for (let i = 1; i < this.children.length; i++) orMasks(out, this.children[i].mask(view, start, end));
    return out;
  }
  bitmaps(view: SegmentView): TriBitmaps | null {
    const ts: RoaringBitmap32[] = [];
    const us: RoaringBitmap32[] = [];
    for (const c of this.children) {
      const b = c.bitmaps(view);
      if (b === null) return null;
      ts.push(b.t);
      us.push(b.u);
    }
    const t = Bitmap.orMany(ts);
    return { t, u: Bitmap.andNot(Bitmap.orMany(us), t) };
  }
  bitmapCost(view: SegmentView): number {
    return this.children.reduce((s, c) => s + c.bitmapCost(view), 0);
  }
  bitmapBuildCost(view: SegmentView): number {
    // A union of a few cheap children is cheap; otherwise as many rows as the children hold.
    let build = 0;
    for (const c of this.children) build += c.bitmapBuildCost === undefined ? c.bitmapCost(view) : c.bitmapBuildCost(view);
    return this.children.length <= FEW_BITMAPS ? build : this.bitmapCost(view);
  }
  verdict(view: SegmentView, start: number, end: number): number {
    // OR is max: any TRUE decides; otherwise every child must be decided.
    let v = FALSE;
    let mixed = false;
    for (const c of this.children) {
      const x = c.verdict(view, start, end);
      if (x === TRUE) return TRUE;
      if (x === MIXED) mixed = true;
      else if (x > v) v = x;
    }
    return mixed ? MIXED : v;
  }
  estimate(view: SegmentView): number {
    return Math.min(1, this.children.reduce((s, c) => s + c.estimate(view), 0));
  }
  rows(view: SegmentView, start: number, end: number): Int32Array {
    return rowsFromMask(this, view, start, end);
  }
  refine(view: SegmentView, rows: Int32Array, n: number): number {
    if (n === 0) return 0;
    // Each child refines its own copy of the list; a row stays when some child keeps it.
    const kept = new Uint8Array(n);
    const tmp = new Int32Array(n);
    for (const c of this.children) {
      tmp.set(rows.subarray(0, n));
      markKept(rows, n, tmp, c.refine(view, tmp, n), kept);
    }
    return compactKept(rows, n, kept);
  }
}

/** kept[i] = 1 for every rows[i] found in sub[0..k) (an ascending subset of rows[0..n)). */
function markKept(rows: Int32Array, n: number, sub: Int32Array, k: number, kept: Uint8Array): void {
  let i = 0;
  for (let j = 0; j < k; j++) {
    const r = sub[j];
    while (i < n && rows[i] !== r) i++;
    kept[i] = 1;
  }
}

/** Compacts rows[0..n) to those with kept[i] = 1; returns the count. */
function compactKept(rows: Int32Array, n: number, kept: Uint8Array): number {
  let w = 0;
  for (let i = 0; i < n; i++) if (kept[i] === 1) rows[w++] = rows[i];
  return w;
}

class NotFilter implements CompiledFilter {
  readonly columns: readonly string[];
  constructor(private readonly child: CompiledFilter) {
    this.columns = child.columns;
  }
  mask(view: SegmentView, start: number, end: number): Uint8Array {
    const out = this.child.mask(view, start, end);
    notMask(out);
    return out;
  }
  bitmaps(view: SegmentView): TriBitmaps | null {
    const b = this.child.bitmaps(view);
    if (b === null) return null;
    const all = rangeBitmap(0, view.numRows);
    return { t: Bitmap.andNot(Bitmap.andNot(all, b.t), b.u), u: b.u };
  }
  bitmapCost(view: SegmentView): number {
    return this.child.bitmapCost(view) + view.numRows / 8;
  }
  verdict(view: SegmentView, start: number, end: number): number {
    const v = this.child.verdict(view, start, end);
    return v === MIXED ? MIXED : 2 - v;
  }
  estimate(view: SegmentView): number {
    return 1 - this.child.estimate(view);
  }
  rows(view: SegmentView, start: number, end: number): Int32Array {
    return rowsFromMask(this, view, start, end);
  }
  refine(view: SegmentView, rows: Int32Array, n: number): number {
    return refineByMask(this, view, rows, n);
  }
}

/** Row-wise filters (expression, columnComparison): evaluated per row into a mask. */
class RowFilter implements CompiledFilter {
  constructor(readonly columns: readonly string[], private readonly evaluate: (view: SegmentView, start: number, end: number, out: Uint8Array) => void) {}
  mask(view: SegmentView, start: number, end: number): Uint8Array {
    const out = new Uint8Array(end - start);
    this.evaluate(view, start, end, out);
    return out;
  }
  bitmaps(): null {
    return null;
  }
  bitmapCost(): number {
    return Number.POSITIVE_INFINITY;
  }
  verdict(): number {
    return MIXED;
  }
  estimate(): number {
    return 1;
  }
  rows(view: SegmentView, start: number, end: number): Int32Array {
    return rowsFromMask(this, view, start, end);
  }
  refine(view: SegmentView, rows: Int32Array, n: number): number {
    return refineByMask(this, view, rows, n);
  }
}

function truthy(v: unknown): number {
  if (v === null || v === undefined) return UNKNOWN;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v) ? TRUE : FALSE;
  if (typeof v === 'boolean') return v ? TRUE : FALSE;
  if (typeof v === 'bigint') return v !== 0n ? TRUE : FALSE;
  if (Array.isArray(v)) return v.some((x) => truthy(x) === TRUE) ? TRUE : FALSE;
  const s = String(v);
  const n = Number(s);
  return s.trim() !== '' && !Number.isNaN(n) ? (n !== 0 ? TRUE : FALSE) : s.toLowerCase() === 'true' ? TRUE : FALSE;
}

/** Compiles a native filter. Throws 'Invalid input' naming the problem for malformed filters. */
export function compileFilter(f: Filter): CompiledFilter {
  if (f === null || typeof f !== 'object') throw errors.invalidInput('filter must be an object');
  switch (f.type) {
    case 'true':
      return new ConstantFilter(TRUE);
    case 'false':
      return new ConstantFilter(FALSE);
    case 'and':
    case 'or': {
      if (!Array.isArray(f.fields) || f.fields.length === 0) throw errors.invalidInput(`${f.type} filter: 'fields' must be a non-empty array`);
      const children = f.fields.map(compileFilter);
      if (children.length === 1) return children[0];
      return f.type === 'and' ? new AndFilter(children) : new OrFilter(children);
    }
    case 'not':
      if (f.field === undefined || f.field === null) throw errors.invalidInput("not filter: 'field' is required");
      return new NotFilter(compileFilter(f.field));
    case 'expression': {
      const expr = f.expression;
      if (typeof expr !== 'string') throw errors.invalidInput("expression filter: 'expression' must be a string");
      const cols = expressionEngine().requiredColumns?.(expr) ?? [];
      return new RowFilter(cols, (view, start, end, out) => {
        const vals = expressionEngine().evaluateRows(expr, view.segment);
        for (let r = start; r < end; r++) out[r - start] = truthy(vals[r]);
      });
    }
    case 'columnComparison': {
      const dims = f.dimensions.map((d) => (typeof d === 'string' ? d : d.dimension));
      if (dims.length < 2) throw errors.invalidInput('columnComparison filter: needs at least two dimensions');
      return new RowFilter(dims, (view, start, end, out) => {
        const readers = dims.map((d) => view.rowValue(d));
        for (let r = start; r < end; r++) {
          const first = readers[0](r);
          let res = TRUE;
          for (let k = 1; k < readers.length; k++) {
            const v = readers[k](r);
            if (first === null || v === null) { res = UNKNOWN; continue; }
            if (String(first) !== String(v)) { res = FALSE; break; }
          }
          out[r - start] = res;
        }
      });
    }
    default:
      return new LeafFilter(f, leafColumn(f));
  }
}

/** Rows in [start, end) where the filter is TRUE. `filter` null selects the whole range. */
export function selectRows(filter: CompiledFilter | null, view: SegmentView, start: number, end: number): Selection {
  if (filter === null || start >= end) return { start, end, rows: null };
  const v = filter.verdict(view, start, end);
  if (v === TRUE) return { start, end, rows: null };
  if (v === FALSE || v === UNKNOWN) return { start, end, rows: new Int32Array(0) };
  const span = end - start;
  if (filter.bitmapCost(view) < span / 4) {
    const b = filter.bitmaps(view);
    if (b !== null) {
      const t = start === 0 && end >= view.numRows ? b.t : Bitmap.and(b.t, rangeBitmap(start, end));
      const u32 = t.toUint32Array();
      return { start, end, rows: new Int32Array(u32.buffer, u32.byteOffset, u32.length) };
    }
  }
  return { start, end, rows: filter.rows(view, start, end) };
}

/**
 * Rows in [start, end) where the filter is TRUE, as selectRows decides: a row
 * list when the bitmap path is taken or the filter is estimated selective,
 * else the three-valued mask over the range (mask[r - start] === TRUE for
 * selected rows) without listing rows. `filter` null selects the whole range
 * (mask null, rows null); so does a filter that statistics show every row passes.
 */
export function selectRowsOrMask(filter: CompiledFilter | null, view: SegmentView, start: number, end: number): { readonly rows: Int32Array | null; readonly mask: Uint8Array | null } {
  if (filter === null || start >= end) return { rows: null, mask: null };
  const v = filter.verdict(view, start, end);
  if (v === TRUE) return { rows: null, mask: null };
  if (v === FALSE || v === UNKNOWN) return { rows: new Int32Array(0), mask: null };
  if (filter.bitmapCost(view) < (end - start) / 4 || filter.estimate(view) < 0.25) {
    const sel = selectRows(filter, view, start, end);
    if (sel.rows !== null) return { rows: sel.rows, mask: null };
  }
  return { rows: null, mask: filter.mask(view, start, end) };
}

/** Number of rows in [start, end) where the filter is TRUE, without materialising row lists when bitmaps suffice. */
export function countMatching(filter: CompiledFilter, view: SegmentView, start: number, end: number): number {
  if (end <= start) return 0;
  const v = filter.verdict(view, start, end);
  if (v === TRUE) return end - start;
  if (v === FALSE || v === UNKNOWN) return 0;
  if (filter.bitmapCost(view) < (end - start) / 2) {
    const b = filter.bitmaps(view);
    if (b !== null) return b.t.rangeCardinality(start, end);
  }
  if (filter instanceof AndFilter) return filter.rows(view, start, end).length;
  const mask = filter.mask(view, start, end);
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i] >> 1;
  return c;
}
