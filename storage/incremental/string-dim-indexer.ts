/**
 * One string dimension of the incremental index: an arrival-order dictionary
 * and per-row ids (switching to offsets/values when a multi-value row
 * arrives). `sortedDictionary()` gives the sorted form segments need.
 */
import { compareNullableUtf8, compareUtf8 } from '../dictionary-order.ts';
import type { StringColumnData } from '../columnar-data.ts';
import { ensureCapacity } from './growable.ts';
import type { StringDimValue } from './value-parsing.ts';

export type MultiValueHandling = 'SORTED_ARRAY' | 'SORTED_SET' | 'ARRAY';

export class StringDimIndexer {
  readonly kind = 'string' as const;
  private readonly idOf = new Map<string | null, number>();
  readonly values: (string | null)[] = [];
  ids = new Int32Array(16);
  offsets: Int32Array | null = null;
  mvValues: Int32Array | null = null;
  private numValues = 0;
  /** Approximate bytes held by the dictionary. */
  dictBytes = 0;

  constructor(readonly name: string, readonly handling: MultiValueHandling = 'SORTED_ARRAY', readonly createBitmapIndex = true) {}

  get isMulti(): boolean {
    return this.offsets !== null;
  }

  /** Id of a value, adding it to the dictionary when new. */
  idFor(v: string | null): number {
    let id = this.idOf.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.idOf.set(v, id);
      this.values.push(v);
      this.dictBytes += 48 + (v === null ? 0 : v.length * 2);
    }
    return id;
  }

  /** Ids of a (possibly multi) value, normalised per multiValueHandling; a single id is returned as a number. */
  encode(v: StringDimValue): number | number[] {
    if (!Array.isArray(v)) return this.idFor(v);
    let vals = v;
    if (this.handling !== 'ARRAY') {
      vals = v.slice().sort(compareNullableUtf8);
      if (this.handling === 'SORTED_SET') vals = vals.filter((x, i) => i === 0 || x !== vals[i - 1]);
      if (vals.length === 1) return this.idFor(vals[0]);
    }
    return vals.map((x) => this.idFor(x));
  }

  /** Stores encoded ids as row `row` (rows are appended in order). */
  set(row: number, enc: number | number[]): void {
    if (this.offsets === null) {
      if (typeof enc === 'number') {
        this.ids = ensureCapacity(this.ids, row + 1);
        this.ids[row] = enc;
        return;
      }
      this.toMulti(row);
    }
    const offs = (this.offsets = ensureCapacity(this.offsets!, row + 2));
    const start = offs[row];
    const list = typeof enc === 'number' ? [enc] : enc;
    const vals = (this.mvValues = ensureCapacity(this.mvValues!, start + list.length));
    for (let k = 0; k < list.length; k++) vals[start + k] = list[k];
    offs[row + 1] = start + list.length;
    this.numValues = start + list.length;
  }

  /** Fills rows [from, to) with null (used when a dimension is discovered late). */
  fillNull(from: number, to: number): void {
    const id = this.idFor(null);
    for (let r = from; r < to; r++) this.set(r, id);
  }

  /** True when row `row` holds exactly the encoded value. */
  equalsAt(row: number, enc: number | number[]): boolean {
    if (this.offsets === null) return typeof enc === 'number' && this.ids[row] === enc;
    const s = this.offsets[row];
    const e = this.offsets[row + 1];
    if (typeof enc === 'number') return e - s === 1 && this.mvValues![s] === enc;
    if (e - s !== enc.length) return false;
    for (let k = 0; k < enc.length; k++) if (this.mvValues![s + k] !== enc[k]) return false;
    return true;
  }

  private toMulti(numRows: number): void {
    const offs = new Int32Array(Math.max(16, numRows * 2 + 2));
    const vals = new Int32Array(Math.max(16, numRows * 2));
    for (let r = 0; r < numRows; r++) {
      offs[r + 1] = r + 1;
      vals[r] = this.ids[r];
    }
    this.offsets = offs;
    this.mvValues = vals;
    this.numValues = numRows;
  }

  /** Sorted dictionary (null first) and the map from arrival id to sorted id. */
  sortedDictionary(): { dictionary: (string | null)[]; remap: Int32Array } {
    const hasNull = this.idOf.has(null);
    const nonNull: string[] = [];
    let surrogates = false;
    for (const v of this.values) {
      if (v !== null) {
        nonNull.push(v);
        if (!surrogates) surrogates = hasSurrogate(v);
      }
    }
    // UTF-16 order (the native comparator-free sort) is UTF-8 order unless surrogates meet U+E000..U+FFFF;
    // with surrogates a comparator sort follows, over input that is then nearly sorted (few comparisons).
    nonNull.sort();
    if (surrogates) nonNull.sort(compareUtf8);
    const dictionary: (string | null)[] = hasNull ? [null, ...nonNull] : nonNull;
    // Every value is already a key of idOf (hash cached): one lookup per value gives its arrival id.
    const remap = new Int32Array(this.values.length);
    const idOf = this.idOf;
    for (let i = 0; i < dictionary.length; i++) remap[idOf.get(dictionary[i])!] = i;
    return { dictionary, remap };
  }

  /** Single-valued column data from ids already in sorted row order and sorted-dictionary numbering. */
  columnFromSortedIds(ids: Int32Array, dictionary: (string | null)[]): StringColumnData {
    return { kind: 'string', name: this.name, dictionary, ids, offsets: null, values: null, createBitmapIndex: this.createBitmapIndex };
  }

  /**
   * Column data for rows in `perm` order (perm[i] = source row of output row i),
   * with sorted ids. Multi-value rows keep their stored value order.
   */
  toColumn(perm: Int32Array, sorted: { dictionary: (string | null)[]; remap: Int32Array }): StringColumnData {
    const { dictionary, remap } = sorted;
    const n = perm.length;
    if (this.offsets === null) {
      const ids = new Int32Array(n);
      const src = this.ids;
      for (let i = 0; i < n; i++) ids[i] = remap[src[perm[i]]];
      return { kind: 'string', name: this.name, dictionary, ids, offsets: null, values: null, createBitmapIndex: this.createBitmapIndex };
    }
    const srcOffs = this.offsets;
    const srcVals = this.mvValues!;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + srcOffs[perm[i] + 1] - srcOffs[perm[i]];
    const values = new Int32Array(offsets[n]);
    for (let i = 0; i < n; i++) {
      const s = srcOffs[perm[i]];
      const len = srcOffs[perm[i] + 1] - s;
      for (let k = 0; k < len; k++) values[offsets[i] + k] = remap[srcVals[s + k]];
    }
    // Sorting remapped values keeps SORTED_ARRAY rows sorted (remap is order-preserving).
    return { kind: 'string', name: this.name, dictionary, ids: null, offsets, values, createBitmapIndex: this.createBitmapIndex };
  }

  /** Number of multi-values stored (for memory estimates). */
  get storedValues(): number {
    return this.numValues;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when s holds a UTF-16 surrogate (where UTF-16 and UTF-8 orders can differ). */
function hasSurrogate(s: string): boolean {
  return SURROGATE.test(s);
}
