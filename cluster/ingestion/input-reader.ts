/**
 * Reads raw records from an input source in an input format. Each item is
 * either a record or a parse error for one line/row (the task counts those as
 * unparseable and goes on).
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { errors } from '../../common/errors.ts';
import type { InputFormatSpec, InputSourceSpec } from './ingestion-spec.ts';
import { flattenRecord } from './flatten.ts';

export type RawItem =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly error: string; readonly input: string };

/** Bytes of input read so far and in total (compressed bytes for .gz files), updated as reading goes. */
export interface InputProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Turns a glob like `*.json` or `wiki*.json.gz` into a RegExp over file names. */
function globToRegExp(glob: string): RegExp {
  const body = glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** The files a local input source names, sorted, each existing. */
export function localFiles(source: Extract<InputSourceSpec, { type: 'local' }>): string[] {
  if (source.files) return source.files.map((f) => resolve(f));
  const dir = resolve(source.baseDir!);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw errors.invalidInput(`Cannot read baseDir [${dir}]: ${(e as Error).message}`);
  }
  const re = globToRegExp(source.filter ?? '*');
  const files = names.filter((n) => re.test(n)).sort().map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  if (files.length === 0) throw errors.invalidInput(`No files in [${dir}] match filter [${source.filter ?? '*'}]`);
  return files;
}

function openText(file: string, progress?: InputProgress): Readable {
  const raw = createReadStream(file);
  raw.on('error', () => {});
  if (progress) raw.on('data', (chunk) => { progress.bytesRead += chunk.length; });
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/** One JSON line as a raw item; null for a blank line. */
function jsonItem(line: string, format: Extract<InputFormatSpec, { type: 'json' }>): RawItem | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    if (line.trim() === '') return null;
    return { ok: false, error: `Unable to parse row [${line.slice(0, 200)}]: ${(e as Error).message}`, input: line };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `Row is not a JSON object: [${line.slice(0, 200)}]`, input: line };
  }
  return { ok: true, record: format.flattenSpec ? flattenRecord(value as Record<string, unknown>, format.flattenSpec) : value as Record<string, unknown> };
}

/**
 * Newline-delimited JSON in batches: one array of items per chunk the stream
 * delivers (lines split by hand; a trailing CR is JSON whitespace), so the
 * consumer pays one await per chunk, not per row.
 */
async function* jsonBatches(stream: Readable, format: Extract<InputFormatSpec, { type: 'json' }>): AsyncGenerator<RawItem[]> {
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest.length === 0 ? chunk : rest + chunk;
    let start = 0;
    const out: RawItem[] = [];
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const item = nl > start ? jsonItem(text.slice(start, nl), format) : null;
      if (item !== null) out.push(item);
      start = nl + 1;
    }
    rest = text.slice(start);
    if (out.length > 0) yield out;
  }
  if (rest.length > 0) {
    const item = jsonItem(rest, format);
    if (item !== null) yield [item];
  }
}

async function* delimited(stream: Readable, format: Extract<InputFormatSpec, { type: 'csv' | 'tsv' }>): AsyncGenerator<RawItem> {
  const parser = stream.pipe(parseCsv({
    delimiter: format.delimiter ?? (format.type === 'tsv' ? '\t' : ','),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    from_line: 1 + (format.skipHeaderRows ?? 0),
  }));
  let columns = format.columns ? [...format.columns] : null;
  for await (const cells of parser as AsyncIterable<string[]>) {
    if (columns === null) {
      if (!format.findColumnsFromHeader) throw errors.invalidInput(`${format.type} inputFormat needs "columns" or "findColumnsFromHeader": true`);
      columns = cells;
      continue;
    }
    yield { ok: true, record: delimitedRecord(columns, cells, format.listDelimiter) };
  }
}

/** One CSV/TSV row as a record: empty cells are null, cells holding the list delimiter become arrays. */
export function delimitedRecord(columns: readonly string[], cells: readonly string[], listDelimiter: string | undefined): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i];
    if (cell === undefined || cell === '') record[columns[i]] = null;
    else if (listDelimiter !== undefined && cell.includes(listDelimiter)) record[columns[i]] = cell.split(listDelimiter);
    else record[columns[i]] = cell;
  }
  return record;
}

async function* parquetRows(file: string, progress?: InputProgress): AsyncGenerator<RawItem> {
  const { parquetReadObjects } = await import('hyparquet');
  const buf = await readFile(file);
  if (progress) progress.bytesRead += buf.byteLength;
  const arrayBuffer = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const rows = await parquetReadObjects({ file: arrayBuffer as ArrayBuffer });
  for (const r of rows) {
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) record[k] = typeof v === 'bigint' ? Number(v) : v;
    yield { ok: true, record };
  }
}

/** Total bytes of the source's input (file sizes; the inline text's UTF-8 length). */
export function inputSize(source: InputSourceSpec): number {
  if (source.type === 'inline') return Buffer.byteLength(source.data);
  let total = 0;
  for (const f of localFiles(source)) total += statSync(f).size;
  return total;
}

/**
 * All raw records of the source, file after file, streaming, in batches (one
 * array per chunk read for JSON; one per record otherwise). With `progress`,
 * sets totalBytes first and counts bytes as they are read.
 */
export async function* readInputBatches(source: InputSourceSpec, format: InputFormatSpec, progress?: InputProgress): AsyncGenerator<readonly RawItem[]> {
  if (progress) progress.totalBytes = inputSize(source);
  if (source.type === 'inline') {
    if (format.type === 'parquet') throw errors.invalidInput('parquet inputFormat cannot read an inline inputSource');
    if (progress) progress.bytesRead = progress.totalBytes;
    const stream = Readable.from([source.data]);
    if (format.type === 'json') yield* jsonBatches(stream, format);
    else for await (const item of delimited(stream, format)) yield [item];
    return;
  }
  for (const file of localFiles(source)) {
    if (format.type === 'parquet') for await (const item of parquetRows(file, progress)) yield [item];
    else if (format.type === 'json') yield* jsonBatches(openText(file, progress), format);
    else for await (const item of delimited(openText(file, progress), format)) yield [item];
  }
}

/** All raw records of the source one by one (see readInputBatches). */
export async function* readInput(source: InputSourceSpec, format: InputFormatSpec, progress?: InputProgress): AsyncGenerator<RawItem> {
  for await (const batch of readInputBatches(source, format, progress)) yield* batch;
}
