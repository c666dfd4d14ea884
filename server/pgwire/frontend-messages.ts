/**
 * Decoders for frontend (client -> server) message bodies. Each checks every
 * length and count against the body and throws 08P01 on malformed input.
 */
import { WireReader, protocolViolation } from './wire-buffer.ts';

/** Parse ('P'). */
export interface ParseMessage {
  readonly statement: string;
  readonly sql: string;
  readonly parameterOids: readonly number[];
}

/** Bind ('B'). A null entry in `values` is SQL NULL. */
export interface BindMessage {
  readonly portal: string;
  readonly statement: string;
  readonly parameterFormats: readonly number[];
  readonly values: readonly (Buffer | null)[];
  readonly resultFormats: readonly number[];
}

/** Describe ('D') and Close ('C'): kind 'S' statement or 'P' portal. */
export interface TargetMessage {
  readonly kind: 'S' | 'P';
  readonly name: string;
}

/** Execute ('E'); maxRows 0 means no limit. */
export interface ExecuteMessage {
  readonly portal: string;
  readonly maxRows: number;
}

function formatCode(r: WireReader): number {
  const f = r.int16();
  if (f !== 0 && f !== 1) throw protocolViolation(`unsupported format code: ${f}`);
  return f;
}

function count(r: WireReader, perItemMinBytes: number, what: string): number {
  const n = r.int16();
  if (n < 0 || n * perItemMinBytes > r.remaining) throw protocolViolation(`invalid ${what} count ${n}`);
  return n;
}

export function decodeQuery(body: Buffer): string {
  const r = new WireReader(body);
  const sql = r.cstring();
  r.done('Query');
  return sql;
}

export function decodeParse(body: Buffer): ParseMessage {
  const r = new WireReader(body);
  const statement = r.cstring();
  const sql = r.cstring();
  const n = count(r, 4, 'parameter type');
  const parameterOids: number[] = [];
  for (let i = 0; i < n; i++) parameterOids.push(r.int32() >>> 0);
  r.done('Parse');
  return { statement, sql, parameterOids };
}

export function decodeBind(body: Buffer): BindMessage {
  const r = new WireReader(body);
  const portal = r.cstring();
  const statement = r.cstring();
  const nFormats = count(r, 2, 'parameter format');
  const parameterFormats: number[] = [];
  for (let i = 0; i < nFormats; i++) parameterFormats.push(formatCode(r));
  const nValues = count(r, 4, 'parameter value');
  if (nFormats > 1 && nFormats !== nValues) {
    throw protocolViolation(`bind message has ${nFormats} parameter formats but ${nValues} parameters`);
  }
  const values: (Buffer | null)[] = [];
  for (let i = 0; i < nValues; i++) {
    const len = r.int32();
    if (len === -1) values.push(null);
    else if (len < 0) throw protocolViolation(`invalid parameter length ${len}`);
    else values.push(r.bytes(len));
  }
  const nResult = count(r, 2, 'result format');
  const resultFormats: number[] = [];
  for (let i = 0; i < nResult; i++) resultFormats.push(formatCode(r));
  r.done('Bind');
  return { portal, statement, parameterFormats, values, resultFormats };
}

export function decodeTarget(body: Buffer, what: string): TargetMessage {
  const r = new WireReader(body);
  const kind = String.fromCharCode(r.byte());
  if (kind !== 'S' && kind !== 'P') throw protocolViolation(`invalid ${what} message subtype ${JSON.stringify(kind)}`);
  const name = r.cstring();
  r.done(what);
  return { kind, name };
}

export function decodeExecute(body: Buffer): ExecuteMessage {
  const r = new WireReader(body);
  const portal = r.cstring();
  const maxRows = r.int32();
  r.done('Execute');
  return { portal, maxRows: maxRows < 0 ? 0 : maxRows };
}

/** The startup packet: protocol version code and its name/value parameters. */
export interface StartupPacket {
  readonly code: number;
  readonly parameters: Map<string, string>;
  /** For CancelRequest: the process id and secret key. */
  readonly cancelKey?: { processId: number; secret: number };
}

export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

export function decodeStartup(body: Buffer): StartupPacket {
  const r = new WireReader(body);
  const code = r.int32();
  const parameters = new Map<string, string>();
  if (code === CANCEL_REQUEST_CODE) {
    const processId = r.int32();
    const secret = r.int32();
    r.done('CancelRequest');
    return { code, parameters, cancelKey: { processId, secret } };
  }
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    r.done('SSLRequest');
    return { code, parameters };
  }
  if (code >> 16 !== 3) return { code, parameters };
  for (;;) {
    const name = r.cstring();
    if (name === '') break;
    parameters.set(name, r.cstring());
  }
  r.done('StartupMessage');
  return { code, parameters };
}

/** SASLInitialResponse: the chosen mechanism and the client-first message (null if absent). */
export function decodeSaslInitial(body: Buffer): { mechanism: string; data: Buffer | null } {
  const r = new WireReader(body);
  const mechanism = r.cstring();
  const len = r.int32();
  const data = len === -1 ? null : r.bytes(len);
  r.done('SASLInitialResponse');
  return { mechanism, data };
}

/** PasswordMessage: a NUL-terminated password (cleartext or md5 hash). */
export function decodePassword(body: Buffer): string {
  const r = new WireReader(body);
  const password = r.cstring();
  r.done('PasswordMessage');
  return password;
}
