/**
 * Turns the value bytes of one Kafka message into raw records per the inputFormat: `json` reads one
 * JSON object (or several, one per line); `csv`/`tsv` read each line with the spec's `columns`. Each
 * item is a record or a parse error for the row pipeline to count.
 */
import { delimitedRecord } from '../ingestion/input-reader.ts';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { InputFormatSpec } from '../ingestion/ingestion-spec.ts';
import type { RawItem } from '../ingestion/input-reader.ts';
import { flattenRecord } from '../ingestion/flatten.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses one message; never throws (bad input comes back as `{ok: false}` items). */
export type MessageParser = (value: Uint8Array | null) => RawItem[];

/** A parser for an inputFormat (json, csv or tsv). */
export function createMessageParser(format: InputFormatSpec): MessageParser {
  if (format.type === 'json') return (value) => parseJsonMessage(value, format);
  if (format.type === 'csv' || format.type === 'tsv') return (value) => parseDelimitedMessage(value, format);
  return () => [{ ok: false, error: `inputFormat ${format.type} cannot read Kafka messages`, input: '' }];
}

function text(value: Uint8Array | null): string | RawItem[] {
  if (value === null) return [{ ok: false, error: 'Message has no value (tombstone)', input: '' }];
  try {
    return decoder.decode(value);
  } catch {
    return [{ ok: false, error: 'Message value is not valid UTF-8', input: Buffer.from(value.subarray(0, 200)).toString('latin1') }];
  }
}

function parseJsonMessage(value: Uint8Array | null, format: Extract<InputFormatSpec, { type: 'json' }>): RawItem[] {
  const t = text(value);
  if (typeof t !== 'string') return t;
  const one = jsonObject(t, format);
  if (one.ok || !t.includes('\n')) return [one];
  const out: RawItem[] = [];
  for (const line of t.split('\n')) if (line.trim() !== '') out.push(jsonObject(line, format));
  return out;
}

function jsonObject(t: string, format: Extract<InputFormatSpec, { type: 'json' }>): RawItem {
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    return { ok: false, error: `Unable to parse row [${t.slice(0, 200)}]: ${(e as Error).message}`, input: t };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: `Row is not a JSON object: [${t.slice(0, 200)}]`, input: t };
  const record = v as Record<string, unknown>;
  return { ok: true, record: format.flattenSpec ? flattenRecord(record, format.flattenSpec) : record };
}

function parseDelimitedMessage(value: Uint8Array | null, format: Extract<InputFormatSpec, { type: 'csv' | 'tsv' }>): RawItem[] {
  const t = text(value);
  if (typeof t !== 'string') return t;
  const columns = format.columns ?? [];
  let rows: string[][];
  try {
    rows = parseCsvSync(t, { delimiter: format.delimiter ?? (format.type === 'tsv' ? '\t' : ','), relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    return [{ ok: false, error: `Unable to parse row [${t.slice(0, 200)}]: ${(e as Error).message}`, input: t }];
  }
  return rows.map((cells): RawItem => {
    if (cells.length > columns.length) return { ok: false, error: `Row has ${cells.length} values but ${columns.length} columns are declared: [${t.slice(0, 200)}]`, input: t };
    return { ok: true, record: delimitedRecord(columns, cells, format.listDelimiter) };
  });
}
