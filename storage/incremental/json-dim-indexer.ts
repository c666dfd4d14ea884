/**
 * One JSON-valued dimension of the incremental index: nested JSON
 * ('json' dimensions) or a typed array ('auto' dimensions, with castToType or
 * inferred from the values). Each distinct value is kept once, as its JSON
 * text, with a per-row id (id 0 is NULL), so rollup compares rows by id.
 */
import type { ComplexColumnData } from '../columnar-data.ts';
import { compareNullableUtf8 } from '../dictionary-order.ts';
import { JsonTypeInference, normalizeJsonValue, JSON_COMPLEX_TYPE, type JsonValueType } from '../json-column.ts';
import { ensureCapacity } from './growable.ts';

const encoder = new TextEncoder();

export class JsonDimIndexer {
  readonly kind = 'json' as const;
  private readonly idOf = new Map<string, number>();
  /** JSON text per id; id 0 is NULL. */
  readonly texts: (string | null)[] = [null];
  ids = new Int32Array(16);
  /** Approximate bytes held by the distinct values. */
  dictBytes = 0;
  private readonly inference: JsonTypeInference | null;

  /**
   * @param declared the column type; null for 'auto' without castToType (the
   *   type is inferred from the values when the column is written).
   */
  constructor(readonly name: string, readonly declared: JsonValueType | null) {
    this.inference = declared === null ? new JsonTypeInference() : null;
  }

  /** Makes room for rows [0, n). */
  reserve(n: number): void {
    this.ids = ensureCapacity(this.ids, n);
  }

  /** Id of a raw input value (adding it when new). */
  encode(raw: unknown): number {
    const v = normalizeJsonValue(raw, this.declared ?? JSON_COMPLEX_TYPE);
    if (v === null) return 0;
    const text = JSON.stringify(v);
    let id = this.idOf.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.idOf.set(text, id);
      this.texts.push(text);
      this.dictBytes += 48 + text.length * 2;
      this.inference?.observe(v);
    }
    return id;
  }

  /** Stores an encoded id as row `row` (caller reserved room). */
  set(row: number, id: number): void {
    this.ids[row] = id;
  }

  /** Encoded id of row `row`. */
  get(row: number): number {
    return this.ids[row];
  }

  /** Rows [from, to) become NULL (a dimension discovered after rows arrived). */
  fillNull(from: number, to: number): void {
    this.reserve(to);
    this.ids.fill(0, from, to);
  }

  /** The column's type: declared, or inferred from the values seen. */
  get columnType(): JsonValueType {
    return this.declared ?? this.inference!.result();
  }

  /** Per-id rank in JSON-text order (NULL first), for sorting rows. */
  sortRanks(): { readonly ranks: Int32Array; readonly cardinality: number } {
    const order = this.texts.map((_, i) => i).sort((a, b) => compareNullableUtf8(this.texts[a], this.texts[b]));
    const ranks = new Int32Array(this.texts.length);
    order.forEach((id, rank) => { ranks[id] = rank; });
    return { ranks, cardinality: this.texts.length };
  }

  /** Column data for rows in perm order; rows with one value share one byte array. */
  toColumn(perm: Int32Array): ComplexColumnData {
    const t = this.columnType;
    const bytes = this.texts.map((x) => {
      if (x === null) return new Uint8Array(0);
      // Inferred array types re-normalise elements (e.g. 999 in an ARRAY<DOUBLE>).
      return encoder.encode(this.declared === null && t !== JSON_COMPLEX_TYPE ? JSON.stringify(normalizeJsonValue(JSON.parse(x), t)) : x);
    });
    const values = new Array<Uint8Array>(perm.length);
    for (let i = 0; i < perm.length; i++) values[i] = bytes[this.ids[perm[i]]];
    return { kind: 'complex', name: this.name, complexType: t, values };
  }
}
