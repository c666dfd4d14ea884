/**
 * Encoders for backend (server -> client) protocol messages, appended to a WireWriter.
 */
import type { NemetonError } from '../../common/errors.ts';
import { typeSize } from './type-oids.ts';
import type { WireWriter } from './wire-buffer.ts';

/** A column as announced in RowDescription. */
export interface WireField {
  readonly name: string;
  readonly typeOid: number;
  /** 0 = text, 1 = binary. */
  readonly format: number;
}

const ch = (c: string): number => c.charCodeAt(0);

/** Authentication request ('R') with a code (0 ok, 3 cleartext, 5 md5, 10 SASL, 11 SASL continue, 12 SASL final). */
export function authentication(w: WireWriter, code: number, payload?: Uint8Array): void {
  const at = w.begin(ch('R'));
  w.int32(code);
  if (payload) w.bytes(payload);
  w.end(at);
}

export function parameterStatus(w: WireWriter, name: string, value: string): void {
  const at = w.begin(ch('S'));
  w.cstring(name);
  w.cstring(value);
  w.end(at);
}

export function backendKeyData(w: WireWriter, processId: number, secret: number): void {
  const at = w.begin(ch('K'));
  w.int32(processId);
  w.int32(secret);
  w.end(at);
}

/** ReadyForQuery with transaction status 'I' (idle), 'T' (in transaction) or 'E' (failed transaction). */
export function readyForQuery(w: WireWriter, status: 'I' | 'T' | 'E'): void {
  const at = w.begin(ch('Z'));
  w.byte(ch(status));
  w.end(at);
}

export function rowDescription(w: WireWriter, fields: readonly WireField[]): void {
  const at = w.begin(ch('T'));
  w.int16(fields.length);
  for (const f of fields) {
    w.cstring(f.name);
    w.int32(0);
    w.int16(0);
    w.int32(f.typeOid);
    w.int16(typeSize(f.typeOid));
    w.int32(-1);
    w.int16(f.format);
  }
  w.end(at);
}

export function parameterDescription(w: WireWriter, oids: readonly number[]): void {
  const at = w.begin(ch('t'));
  w.int16(oids.length);
  for (const oid of oids) w.int32(oid);
  w.end(at);
}

function empty(w: WireWriter, type: string): void {
  const at = w.begin(ch(type));
  w.end(at);
}

export const noData = (w: WireWriter): void => empty(w, 'n');
export const parseComplete = (w: WireWriter): void => empty(w, '1');
export const bindComplete = (w: WireWriter): void => empty(w, '2');
export const closeComplete = (w: WireWriter): void => empty(w, '3');
export const emptyQueryResponse = (w: WireWriter): void => empty(w, 'I');
export const portalSuspended = (w: WireWriter): void => empty(w, 's');
export const copyDone = (w: WireWriter): void => empty(w, 'c');

export function commandComplete(w: WireWriter, tag: string): void {
  const at = w.begin(ch('C'));
  w.cstring(tag);
  w.end(at);
}

/** CopyOutResponse: overall format (0 text) and per-column formats. */
export function copyOutResponse(w: WireWriter, columnCount: number): void {
  const at = w.begin(ch('H'));
  w.byte(0);
  w.int16(columnCount);
  for (let i = 0; i < columnCount; i++) w.int16(0);
  w.end(at);
}

/** NegotiateProtocolVersion: the newest minor version supported and the options not recognised. */
export function negotiateProtocolVersion(w: WireWriter, minor: number, unrecognised: readonly string[]): void {
  const at = w.begin(ch('v'));
  w.int32(minor);
  w.int32(unrecognised.length);
  for (const o of unrecognised) w.cstring(o);
  w.end(at);
}

/** Severity of an error or notice. */
export type Severity = 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE';

/** ErrorResponse ('E') or NoticeResponse ('N') with the fields of a NemetonError. */
export function errorResponse(w: WireWriter, e: NemetonError, severity: Severity = 'ERROR', type: 'E' | 'N' = 'E'): void {
  const at = w.begin(ch(type));
  const field = (code: string, value: string): void => {
    w.byte(ch(code));
    w.cstring(value);
  };
  field('S', severity);
  field('V', severity);
  field('C', e.sqlState);
  field('M', e.message);
  if (e.detail !== undefined) field('D', e.detail);
  if (e.hint !== undefined) field('H', e.hint);
  if (e.position !== undefined) field('P', String(e.position));
  w.byte(0);
  w.end(at);
}
