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
            let buf = '';
            for (const line of lines) {
              if (error !== null) return;
              buf += line;
              if (buf.length >= 1 << 20) {
                const ok = connection.sendCopyFromChunk(Buffer.from(buf));
                buf = '';
                if (ok === false) await new Promise((r) => connection.stream.once('drain', r));
              }
            }
            if (buf.length > 0) connection.sendCopyFromChunk(Buffer.from(buf));
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
