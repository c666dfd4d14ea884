/**
 * A segment as one query sees it: the physical columns plus the query's
 * virtual columns, which look like any other column to engines (they are
 * materialised once per segment on first use). `__time` is also readable as a
 * LONG numeric column.
 */
import type { ColumnType, NumericColumn, Segment, StringColumn } from '../../storage/segment.ts';
import type { VirtualColumn } from '../model/virtual-column.ts';
import { isJsonValueType, jsonColumnReader } from '../../storage/json-column.ts';
import { expressionEngine, type EvaluatedColumn } from './expression-bridge.ts';
import { cachedVirtualColumn, cacheVirtualColumn, isCacheableExpression } from './virtual-column-cache.ts';
import { numericColumnFromTyped, numericColumnFromValues, stringColumnFromValues } from './materialized-columns.ts';

export class SegmentView {
  private readonly virtual = new Map<string, VirtualColumn>();
  private readonly strings = new Map<string, StringColumn | undefined>();
  private readonly numerics = new Map<string, NumericColumn | undefined>();
  private readonly virtualValues = new Map<string, ArrayLike<unknown>>();
  private readonly virtualColumns = new Map<string, EvaluatedColumn>();

  constructor(readonly segment: Segment, virtualColumns: readonly VirtualColumn[] = []) {
    for (const vc of virtualColumns) this.virtual.set(vc.name, vc);
  }

  get numRows(): number {
    return this.segment.numRows;
  }

  time(): Float64Array {
    return this.segment.time();
  }

  /** Type of a column (physical or virtual), or undefined when it does not exist. */
  columnType(name: string): ColumnType | undefined {
    const vc = this.virtual.get(name);
    if (vc !== undefined) return this.virtualType(vc);
    if (name === '__time') return 'LONG';
    return this.segment.column(name)?.type;
  }

  hasMultipleValues(name: string): boolean {
    if (this.virtual.has(name)) return this.stringColumn(name)?.hasMultipleValues ?? false;
    return this.segment.column(name)?.hasMultipleValues ?? false;
  }

  /** A dictionary-encoded view of a STRING column (physical or virtual STRING). */
  stringColumn(name: string): StringColumn | undefined {
    if (this.strings.has(name)) return this.strings.get(name);
    let col: StringColumn | undefined;
    const vc = this.virtual.get(name);
    if (vc !== undefined) {
      col = this.virtualType(vc) === 'STRING' ? stringColumnFromValues(Array.from(this.virtualRows(vc))) : undefined;
    } else {
      col = this.segment.column(name)?.type === 'STRING' ? this.segment.stringColumn(name) : undefined;
    }
    this.strings.set(name, col);
    return col;
  }

  /** A numeric view of a LONG/FLOAT/DOUBLE column, `__time`, or a numeric virtual column. */
  numericColumn(name: string): NumericColumn | undefined {
    if (this.numerics.has(name)) return this.numerics.get(name);
    let col: NumericColumn | undefined;
    const vc = this.virtual.get(name);
    if (vc !== undefined) {
      const t = this.virtualType(vc);
      if (t === 'LONG' || t === 'FLOAT' || t === 'DOUBLE') {
        const cacheKey = `${t}\u0000${vc.expression}`;
        const cacheable = isCacheableExpression(vc.expression);
        col = cacheable ? cachedVirtualColumn(this.segment, cacheKey) : undefined;
        if (col === undefined) {
          const numbers = this.virtualEvaluated(vc).numbers;
          col = numbers !== undefined ? numericColumnFromTyped(numbers.values, numbers.nulls, t) : numericColumnFromValues(Array.from(this.virtualRows(vc)), t);
          if (cacheable) cacheVirtualColumn(this.segment, cacheKey, col);
        }
      }
    } else if (name === '__time') {
      const time = this.segment.time();
      col = {
        type: 'LONG', values: () => time, valuesInRange: (s, e) => time.subarray(s, e), exactLongs: () => null, nulls: () => null,
        min: time.length > 0 ? time[0] : 0, max: time.length > 0 ? time[time.length - 1] : 0,
      };
    } else {
      const info = this.segment.column(name);
      col = info !== undefined && info.type !== 'STRING' && info.type !== 'COMPLEX' ? this.segment.numericColumn(name) : undefined;
    }
    this.numerics.set(name, col);
    return col;
  }

  /** Per-row values of any column, for slow paths (scan output, row-wise expressions). */
  rowValue(name: string): (row: number) => unknown {
    const t = this.columnType(name);
    if (t === 'STRING') {
      const col = this.stringColumn(name)!;
      if (col.hasMultipleValues) {
        const { offsets, values } = col.multiValues();
        return (r) => {
          const n = offsets[r + 1] - offsets[r];
          if (n === 0) return null;
          if (n === 1) return col.value(values[offsets[r]]);
          const out: (string | null)[] = [];
          for (let k = offsets[r]; k < offsets[r + 1]; k++) out.push(col.value(values[k]));
          return out;
        };
      }
      const ids = col.ids();
      return (r) => col.value(ids[r]);
    }
    if (t === 'LONG' || t === 'FLOAT' || t === 'DOUBLE') {
      const col = this.numericColumn(name)!;
      const vals = col.values();
      const nulls = col.nulls();
      return nulls === null ? (r) => vals[r] : (r) => (nulls.has(r) ? null : vals[r]);
    }
    if (t === 'COMPLEX') {
      const col = this.segment.complexColumn(name);
      if (col !== undefined && isJsonValueType(col.complexType)) return jsonColumnReader(col);
      return (r) => col?.get(r) ?? null;
    }
    return () => null;
  }

  /** The virtual column's values, evaluated once per view (typed when numeric and the engine supports it). */
  private virtualEvaluated(vc: VirtualColumn): EvaluatedColumn {
    let ev = this.virtualColumns.get(vc.name);
    if (ev === undefined) {
      const engine = expressionEngine();
      ev = engine.evaluateColumn !== undefined ? engine.evaluateColumn(vc.expression, this.segment) : { rows: engine.evaluateRows(vc.expression, this.segment) };
      this.virtualColumns.set(vc.name, ev);
    }
    return ev;
  }

  private virtualRows(vc: VirtualColumn): ArrayLike<unknown> {
    let rows = this.virtualValues.get(vc.name);
    if (rows === undefined) {
      const ev = this.virtualEvaluated(vc);
      rows = ev.rows ?? boxNumbers(ev.numbers!.values, ev.numbers!.nulls);
      this.virtualValues.set(vc.name, rows);
    }
    return rows;
  }

  private virtualType(vc: VirtualColumn): ColumnType {
    const declared = vc.outputType?.toUpperCase();
    if (declared === 'LONG' || declared === 'FLOAT' || declared === 'DOUBLE' || declared === 'STRING') return declared;
    if (declared !== undefined && declared.startsWith('ARRAY')) return 'STRING';
    if (declared !== undefined) return 'COMPLEX';
    const rows = this.virtualRows(vc);
    let sawNumber = false;
    let allInts = true;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number') return 'STRING';
      sawNumber = true;
      if (!Number.isInteger(v)) allInts = false;
    }
    return sawNumber ? (allInts ? 'LONG' : 'DOUBLE') : 'STRING';
  }
}

/** Per-row values of a typed numeric result (null where flagged). */
function boxNumbers(values: Float64Array, nulls: Uint8Array | null): unknown[] {
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = nulls !== null && nulls[i] === 1 ? null : values[i];
  return out;
}
