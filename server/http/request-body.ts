/** Reading request bodies with a size cap, and JSON parsing with a clear error. */
import type { IncomingMessage } from 'node:http';
import { errors, NemetonError } from '../../common/errors.ts';

const DEFAULT_LIMIT = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = DEFAULT_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new NemetonError(`Request body exceeds ${limit} bytes`, { code: 'Invalid input', httpStatus: 413 });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty or malformed body is a 400 naming the problem. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8');
  if (text.trim() === '') throw errors.invalidInput('Request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.invalidInput(`Malformed JSON in request body: ${(e as Error).message}`);
  }
}
