/**
 * Streams a SqlResult in one of Druid's SQL result formats: object, array,
 * objectLines, arrayLines, csv. Header rows follow Druid: names, then native
 * types (typesHeader), then SQL types (sqlTypesHeader).
 */
import type { ServerResponse } from 'node:http';
import type { SqlColumn, SqlResult } from '../../planner/sql-engine.ts';
import { errors } from '../../common/errors.ts';
import { writeWithBackpressure } from './responses.ts';

export type ResultFormat = 'object' | 'array' | 'objectLines' | 'arrayLines' | 'csv';
const formats: readonly ResultFormat[] = ['object', 'array', 'objectLines', 'arrayLines', 'csv'];

export interface HeaderOptions {
  readonly header: boolean;
  readonly typesHeader: boolean;
  readonly sqlTypesHeader: boolean;
}

export function parseResultFormat(value: unknown): ResultFormat {
  if (value === undefined || value === null) return 'object';
  const f = formats.find((x) => x.toLowerCase() === String(value).toLowerCase());
  if (!f) throw errors.invalidInput(`Unknown resultFormat [${String(value)}]; expected one of ${formats.join(', ')}`);
  return f;
}

/** Druid's native type name for a SQL column (typesHeader). */
export function nativeTypeOf(c: SqlColumn): string {
  if (c.nativeType) return c.nativeType;
  switch (c.sqlType) {
    case 'VARCHAR': return 'STRING';
    case 'BIGINT': case 'INTEGER': case 'SMALLINT': case 'TIMESTAMP': case 'DATE': case 'BOOLEAN': return 'LONG';
    case 'DOUBLE': case 'DECIMAL': return 'DOUBLE';
    case 'FLOAT': case 'REAL': return 'FLOAT';
    case 'ARRAY': return `ARRAY<${c.elementType === 'VARCHAR' ? 'STRING' : c.elementType === 'DOUBLE' ? 'DOUBLE' : 'LONG'}>`;
    default: return 'COMPLEX';
  }
}

/** JSON value of a cell as Druid's HTTP SQL API returns it (timestamps as ISO strings). */
export function jsonValue(c: SqlColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if ((c.sqlType === 'TIMESTAMP' || c.sqlType === 'DATE') && typeof v === 'number') return new Date(v).toISOString();
  if (typeof v === 'bigint') return v; // serialised exactly by stringifyCell
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

/** JSON.stringify that writes bigint exactly. */
export function stringifyCell(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `__BIGINT__${x.toString()}` : x))
    .replace(/"__BIGINT__(-?\d+)"/g, '$1');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? stringifyCell(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function headerRows(columns: readonly SqlColumn[], h: HeaderOptions): unknown[][] {
  const rows: unknown[][] = [];
  if (!h.header) return rows;
  rows.push(columns.map((c) => c.name));
  if (h.typesHeader) rows.push(columns.map(nativeTypeOf));
  if (h.sqlTypesHeader) rows.push(columns.map((c) => c.sqlType));
  return rows;
}

function objectHeader(columns: readonly SqlColumn[], h: HeaderOptions): Record<string, unknown> | null {
  if (!h.header) return null;
  const o: Record<string, unknown> = {};
  for (const c of columns) {
    if (!h.typesHeader && !h.sqlTypesHeader) o[c.name] = null;
    else o[c.name] = { ...(h.typesHeader ? { type: nativeTypeOf(c) } : {}), ...(h.sqlTypesHeader ? { sqlType: c.sqlType } : {}) };
  }
  return o;
}


/** Writes status 200, the headers, and the rows as they arrive, in batches. */
export async function writeSqlResult(res: ServerResponse, result: SqlResult, format: ResultFormat, h: HeaderOptions): Promise<void> {
  const columns = result.columns;
  const contentType = format === 'csv' ? 'text/csv' : format.endsWith('Lines') ? 'text/plain' : 'application/json';
  res.writeHead(200, {
    'content-type': contentType,
    'x-druid-sql-query-id': result.queryId,
    ...(h.header ? { 'x-druid-sql-header-included': 'yes' } : {}),
  });
  let buf = '';
  let first = true;
  const flushAt = 64 * 1024;
  const emit = async (piece: string) => {
    buf += piece;
    if (buf.length >= flushAt) { const out = buf; buf = ''; await writeWithBackpressure(res, out); }
  };
  const toObject = (row: readonly unknown[]) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) o[columns[i].name] = jsonValue(columns[i], row[i]);
    return o;
  };
  const toArray = (row: readonly unknown[]) => row.map((v, i) => jsonValue(columns[i], v));

  if (format === 'object' || format === 'array') await emit('[');
  const sep = async () => { if (!first) await emit(','); first = false; };
  if (format === 'object' || format === 'objectLines') {
    const hdr = objectHeader(columns, h);
    if (hdr) { if (format === 'object') await sep(); await emit(stringifyCell(hdr) + (format === 'objectLines' ? '\n' : '')); }
  } else {
    for (const r of headerRows(columns, h)) {
      if (format === 'array') { await sep(); await emit(stringifyCell(r)); }
      else if (format === 'arrayLines') await emit(stringifyCell(r) + '\n');
      else await emit(r.map(csvCell).join(',') + '\n');
    }
  }
  for await (const row of result.rows) {
    switch (format) {
      case 'object': await sep(); await emit(stringifyCell(toObject(row))); break;
      case 'array': await sep(); await emit(stringifyCell(toArray(row))); break;
      case 'objectLines': await emit(stringifyCell(toObject(row)) + '\n'); break;
      case 'arrayLines': await emit(stringifyCell(toArray(row)) + '\n'); break;
      case 'csv': await emit(toArray(row).map(csvCell).join(',') + '\n'); break;
    }
  }
  if (format === 'object' || format === 'array') await emit(']');
  else await emit('\n'); // Druid ends the line formats with an empty line
  res.end(buf);
}
