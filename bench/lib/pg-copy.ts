/**
 * COPY ... FROM STDIN for the `pg` client without extra packages: a
 * "submittable" that answers CopyInResponse by streaming text chunks (with
 * backpressure) and resolves when the server reports ReadyForQuery (rejects
 * with the server's error, after which the connection is usable again).
 */
import type pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): boolean | void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream;
}

/** Bytes per CopyData chunk sent to the server. */
const CHUNK_BYTES = 1 << 20;

/** Escapes one value for COPY's text format (null = \N). */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Runs `COPY table FROM STDIN` with the given text-format lines (each ending in \n), batched into chunks. */
export function copyFrom(client: pg.Client, sql: string, lines: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    let error: Error | null = null;
    const submittable = {
      callback: undefined as unknown,
      submit(connection: CopyConnection) { connection.query(sql); },
      handleCopyInResponse(connection: CopyConnection) {
        void (async () => {
          try {
            // Lines are UTF-8 encoded straight into fixed-size chunks: concatenating them into one string
            // first and converting that costs as much as building the lines.
            let buf = Buffer.allocUnsafe(CHUNK_BYTES);
            let pos = 0;
            for (const line of lines) {
              if (error !== null) return;
              if (pos > 0 && pos + line.length * 3 > CHUNK_BYTES) {
                const ok = connection.sendCopyFromChunk(buf.subarray(0, pos));
                buf = Buffer.allocUnsafe(CHUNK_BYTES);
                pos = 0;
                if (ok === false) await new Promise((r) => connection.stream.once('drain', r));
              }
              if (line.length * 3 > CHUNK_BYTES) connection.sendCopyFromChunk(Buffer.from(line));
              else pos += buf.write(line, pos);
            }
            if (pos > 0) connection.sendCopyFromChunk(buf.subarray(0, pos));
            connection.endCopyFrom();
          } catch (e) {
            connection.sendCopyFail(String((e as Error).message));
          }
        })();
      },
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      // After an ErrorResponse the client no longer routes ReadyForQuery here: settle now.
      handleError(e: Error) { error = e; reject(e); },
      handleReadyForQuery() { resolve(); },
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}
