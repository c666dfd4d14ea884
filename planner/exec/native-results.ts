/** Turns Druid native JSON results into rows of SQL values, per NativeResultShape. */
import type { NativeResultShape, RelColumn } from '../rel.ts';
import { errors } from '../../common/errors.ts';

type Obj = Record<string, unknown>;

/** Converts one native result array into rows (columns in `columns` order). */
export function nativeResultRows(shape: NativeResultShape, results: readonly unknown[], columns: readonly RelColumn[]): unknown[][] {
  const rows: unknown[][] = [];
  const fix = (v: unknown, i: number) => normalizeValue(v, columns[i]);
  switch (shape.type) {
    case 'scan': {
      for (const batch of results as Obj[]) {
        const cols = batch.columns as string[] | undefined;
        const events = batch.events as unknown[];
        if (!Array.isArray(events)) throw errors.corrupt('scan result', 'missing events');
        const idx = shape.fields.map((f) => (cols ? cols.indexOf(f) : -1));
        for (const ev of events) {
          if (Array.isArray(ev)) rows.push(shape.fields.map((_f, i) => fix(idx[i] >= 0 ? ev[idx[i]] : null, i)));
          else rows.push(shape.fields.map((f, i) => fix((ev as Obj)[f], i)));
        }
      }
      return rows;
    }
    case 'timeseries':
      for (const r of results as Obj[]) {
        const res = r.result as Obj;
        rows.push(shape.fields.map((f, i) => (i === shape.timeField ? Date.parse(r.timestamp as string) : fix(f === null ? null : res[f], i))));
      }
      if (rows.length === 0 && shape.emptyRow) rows.push([...shape.emptyRow]);
      return rows;
    case 'topN':
      for (const r of results as Obj[]) {
        const t = Date.parse(r.timestamp as string);
        for (const item of r.result as Obj[]) rows.push(shape.fields.map((f, i) => (i === shape.timeField ? t : fix(f === null ? null : item[f], i))));
      }
      return rows;
    case 'groupBy':
      for (const r of results as Obj[]) {
        const ev = (r.event ?? r) as Obj;
        const t = r.timestamp === undefined ? null : Date.parse(r.timestamp as string);
        rows.push(shape.fields.map((f, i) => (i === shape.timeField && f === null ? t : fix(f === null ? null : ev[f], i))));
      }
      return rows;
  }
}

/** Coerces a native JSON value to the SQL column's runtime form. */
export function normalizeValue(v: unknown, col: RelColumn | undefined): unknown {
  if (v === undefined) return null;
  if (v === null || !col) return v;
  switch (col.type) {
    case 'TIMESTAMP': case 'DATE':
      if (typeof v === 'string') { const n = Number(v); return Number.isNaN(n) ? Date.parse(v) : n; }
      return v;
    case 'BIGINT': case 'INTEGER': case 'SMALLINT':
      if (typeof v === 'string') { const n = Number(v); return Number.isNaN(n) ? null : n; }
      return v;
    case 'DOUBLE': case 'FLOAT': case 'REAL': case 'DECIMAL':
      if (typeof v === 'string') { const n = Number(v); return Number.isNaN(n) ? null : n; }
      return v;
    case 'BOOLEAN':
      return typeof v === 'number' ? v !== 0 : v;
    case 'VARCHAR':
      if (Array.isArray(v)) return col.multiValue ? (v.length === 0 ? null : v.length === 1 ? v[0] : v) : v;
      return typeof v === 'number' ? String(v) : v;
    default:
      return v;
  }
}
