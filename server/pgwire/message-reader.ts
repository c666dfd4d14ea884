/**
 * Framing of the frontend byte stream into messages, with strict length checks.
 * The startup phase has untyped packets (int32 length, then body); after it
 * every message is a type byte, an int32 length (including itself) and a body.
 * A length below the minimum or above the cap is a protocol violation, checked
 * as soon as the 5-byte header arrives, so a claimed 2 GB body is never buffered.
 * Reading pauses the socket when unread input piles up (input backpressure).
 */
import type { Duplex } from 'node:stream';
import { protocolViolation } from './wire-buffer.ts';

/** One typed frontend message. */
export interface FrontendMessage {
  /** Type byte, e.g. 0x51 ('Q'). */
  readonly type: number;
  readonly body: Buffer;
}

/** Largest startup packet accepted (PostgreSQL uses 10000 too). */
export const MAX_STARTUP_PACKET = 10000;

export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private paused = false;
  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > this.pauseAbove && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
    this.notify();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };
  private readonly onError = (e: Error): void => {
    this.failure = e;
    this.notify();
  };

  /**
   * @param maxMessageBytes largest accepted typed message (length field included).
   * @param pauseAbove unread bytes beyond which the stream is paused.
   */
  constructor(
    private readonly stream: Duplex,
    private readonly maxMessageBytes: number,
    private readonly pauseAbove = 1024 * 1024,
  ) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  /** Bytes received but not yet returned as messages. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Stops listening to the stream and returns the bytes not yet consumed. */
  detach(): Buffer {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    const rest = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    return rest;
  }

  /** Reads one untyped startup packet body (after its length); null at end of stream. */
  async readStartup(): Promise<Buffer | null> {
    if (!(await this.fill(4))) return null;
    const len = this.peekInt32(0);
    if (len < 8 || len > MAX_STARTUP_PACKET) throw protocolViolation(`invalid length of startup packet: ${len}`);
    if (!(await this.fill(len))) throw protocolViolation('incomplete startup packet');
    return this.consume(len).subarray(4);
  }

  /** Reads one typed message; null when the stream ended cleanly between messages. */
  async read(): Promise<FrontendMessage | null> {
    if (!(await this.fill(5))) {
      if (this.buffered > 0) throw protocolViolation('unexpected EOF within message header');
      return null;
    }
    const head = this.peek(5);
    const type = head[0];
    const len = head.readInt32BE(1);
    if (len < 4) throw protocolViolation(`invalid message length ${len}`);
    if (len > this.maxMessageBytes) {
      throw protocolViolation(`message of type '${printable(type)}' is too large: ${len} bytes (limit ${this.maxMessageBytes})`);
    }
    if (!(await this.fill(len + 1))) throw protocolViolation('unexpected EOF within message');
    const all = this.consume(len + 1);
    return { type, body: all.subarray(5) };
  }

  /** Waits until at least `n` bytes are buffered; false if the stream ended first. */
  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n) {
      if (this.failure) throw this.failure;
      if (this.ended) return false;
      if (this.paused) {
        this.paused = false;
        this.stream.resume();
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return true;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  private peekInt32(at: number): number {
    return this.peek(at + 4).readInt32BE(at);
  }

  /** The first `n` buffered bytes, merging chunks only as far as needed. */
  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    const merged = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [merged];
    return merged;
  }

  private consume(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let off = 0;
      while (off < n) {
        const c = this.chunks[0];
        const take = Math.min(c.length, n - off);
        c.copy(out, off, 0, take);
        off += take;
        if (take === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(take);
      }
    }
    this.buffered -= n;
    if (this.paused && this.buffered <= this.pauseAbove) {
      this.paused = false;
      this.stream.resume();
    }
    return out;
  }
}

function printable(type: number): string {
  return type >= 0x20 && type < 0x7f ? String.fromCharCode(type) : `0x${type.toString(16)}`;
}
