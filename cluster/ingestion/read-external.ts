/**
 * SQL's TABLE(EXTERN(inputSource, inputFormat, signature)): the input's
 * records with exactly the signature's columns (absent ones null). A row that
 * cannot be parsed fails the statement, naming the problem.
 */
import { errors } from '../../common/errors.ts';
import { parseInputFormat, parseInputSource } from './ingestion-spec.ts';
import { readInput } from './input-reader.ts';

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
