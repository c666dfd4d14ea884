/** Writing JSON and Druid error responses. */
import type { ServerResponse } from 'node:http';
import { asNemetonError, toDruidErrorJson } from '../../common/errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, pretty = false): void {
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends any thrown value as Druid's error JSON with its HTTP status; if headers went out, cuts the stream. */
export function sendError(res: ServerResponse, e: unknown, host: string | null): void {
  const err = asNemetonError(e);
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  sendJson(res, err.httpStatus, toDruidErrorJson(err, host));
}

/** Writes a chunk, waiting for 'drain' when the socket is full; rejects if the client goes away meanwhile. */
export async function writeWithBackpressure(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => { res.off('close', onClose); resolve(); };
    const onClose = () => { res.off('drain', onDrain); reject(new Error('client went away')); };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
