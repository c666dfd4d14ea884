/**
 * SQL's TABLE(EXTERN(inputSource, inputFormat, signature)): the input's
 * records with exactly the signature's columns (absent ones null). A row that
 * cannot be parsed fails the statement, naming the problem.
 */
import { errors } from '../../common/errors.ts';
import { parseInputFormat, parseInputSource } from './ingestion-spec.ts';
import { readInput, readInputBatches } from './input-reader.ts';

export async function readExternal(
  inputSource: unknown,
  inputFormat: unknown,
  signature: readonly { readonly name: string }[],
): Promise<Record<string, unknown>[]> {
  const source = parseInputSource(inputSource as Record<string, unknown>);
  const format = parseInputFormat(inputFormat as Record<string, unknown>);
  const out: Record<string, unknown>[] = [];
  for await (const item of readInput(source, format)) {
    if (!item.ok) throw errors.invalidInput(`EXTERN input: ${item.error}`);
    const row: Record<string, unknown> = {};
    for (const col of signature) row[col.name] = item.record[col.name] ?? null;
    out.push(row);
  }
  return out;
}

/**
 * The input's raw records in batches as the reader delivers them, for a
 * caller that reads each record once and keeps nothing (SQL INSERT streaming
 * EXTERN into a write). Fails on the first unparseable record.
 */
export async function* readExternalBatches(inputSource: unknown, inputFormat: unknown): AsyncGenerator<Record<string, unknown>[]> {
  const source = parseInputSource(inputSource as Record<string, unknown>);
  const format = parseInputFormat(inputFormat as Record<string, unknown>);
  for await (const batch of readInputBatches(source, format)) {
    const out: Record<string, unknown>[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      if (!item.ok) throw errors.invalidInput(`EXTERN input: ${item.error}`);
      out[i] = item.record;
    }
    yield out;
  }
}
