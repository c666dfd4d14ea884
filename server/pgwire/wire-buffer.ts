/**
 * Byte buffers for the PostgreSQL wire protocol: a growable writer that backend
 * messages are encoded into, and a bounds-checked reader for frontend message
 * bodies. Every read past the end throws a protocol violation (SQLSTATE 08P01).
 */
import { NemetonError } from '../../common/errors.ts';

/** A protocol violation by the client (SQLSTATE 08P01): fatal, the connection is closed after reporting it. */
export class ProtocolViolation extends NemetonError {
  constructor(message: string) {
    super(message, { code: 'Invalid input', sqlState: '08P01' });
  }
}

/** Builds a ProtocolViolation. */
export function protocolViolation(message: string): ProtocolViolation {
  return new ProtocolViolation(message);
}

/** Growable big-endian byte writer. `take()` hands the written bytes away and starts a fresh buffer. */
export class WireWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes sure `n` more bytes fit. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  /** Writes a UTF-8 string without terminator; returns its byte length. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    return n;
  }

  /** Writes a NUL-terminated UTF-8 string. */
  cstring(s: string): void {
    this.utf8(s);
    this.byte(0);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a message with a type byte and a length placeholder; returns the offset to pass to `end`. */
  begin(type: number): number {
    this.ensure(5);
    this.buf[this.pos] = type;
    const at = this.pos + 1;
    this.pos += 5;
    return at;
  }

  /** Patches the length of the message started at `at`. */
  end(at: number): void {
    this.buf.writeInt32BE(this.pos - at, at);
  }

  /** The written bytes, detached from this writer (which continues with a new buffer). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(Math.max(64 * 1024, Math.min(this.buf.length, 1024 * 1024)));
    this.pos = 0;
    return out;
  }
}

/** Bounds-checked reader over one frontend message body. */
export class WireReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.buf.length) throw protocolViolation(`invalid message format: truncated ${what}`);
  }

  byte(): number {
    this.need(1, 'byte');
    return this.buf[this.pos++];
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw protocolViolation('invalid message format: unterminated string');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  bytes(n: number): Buffer {
    this.need(n, 'bytes');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Throws unless the whole body was consumed. */
  done(what: string): void {
    if (this.pos !== this.buf.length) throw protocolViolation(`invalid message format: trailing bytes in ${what}`);
  }
}
