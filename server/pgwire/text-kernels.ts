/**
 * Hot-path writers for the text forms of common values, straight into a byte
 * buffer without intermediate strings: integers, UTC timestamps/dates and short
 * ASCII strings. Each returns the number of bytes written, or -1 when the value
 * is outside its fast path (the caller then uses the general encoder).
 */
import { civilFromDays } from '../../storage/time/civil.ts';

/** Writes a safe integer in decimal at `at`; -1 if `v` is not a safe integer. */
export function writeIntAscii(buf: Buffer, at: number, v: number): number {
  if (!Number.isSafeInteger(v)) return -1;
  let pos = at;
  let n = v;
  if (n < 0) {
    buf[pos++] = 0x2d;
    n = -n;
  }
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let end = pos + digits;
  const stop = end;
  do {
    const q = Math.floor(n / 10);
    buf[--end] = 0x30 + (n - q * 10);
    n = q;
  } while (n > 0);
  return stop - at;
}

function two(buf: Buffer, at: number, v: number): void {
  const t = (v / 10) | 0;
  buf[at] = 0x30 + t;
  buf[at + 1] = 0x30 + (v - t * 10);
}

const ymd = new Int32Array(3);
const MS_PER_DAY = 86_400_000;

function writeDate(buf: Buffer, at: number, days: number): number {
  civilFromDays(days, ymd);
  const y = ymd[0];
  if (y < 1 || y > 9999) return -1;
  two(buf, at, (y / 100) | 0);
  two(buf, at + 2, y % 100);
  buf[at + 4] = 0x2d;
  two(buf, at + 5, ymd[1]);
  buf[at + 7] = 0x2d;
  two(buf, at + 8, ymd[2]);
  return 10;
}

/** 'YYYY-MM-DD' for epoch milliseconds (UTC); -1 outside years 1..9999. Needs 10 bytes. */
export function writeDateAscii(buf: Buffer, at: number, ms: number): number {
  if (!Number.isFinite(ms)) return -1;
  return writeDate(buf, at, Math.floor(ms / MS_PER_DAY));
}

/** 'YYYY-MM-DD HH:MM:SS[.fff]' (trailing zeros of the fraction dropped) for epoch ms; -1 outside years 1..9999. Needs 23 bytes. */
export function writeTimestampAscii(buf: Buffer, at: number, ms: number): number {
  if (!Number.isFinite(ms)) return -1;
  const whole = Math.floor(ms);
  const days = Math.floor(whole / MS_PER_DAY);
  if (writeDate(buf, at, days) < 0) return -1;
  let rem = whole - days * MS_PER_DAY;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const s = Math.floor(rem / 1000);
  const frac = rem - s * 1000;
  buf[at + 10] = 0x20;
  two(buf, at + 11, h);
  buf[at + 13] = 0x3a;
  two(buf, at + 14, mi);
  buf[at + 16] = 0x3a;
  two(buf, at + 17, s);
  if (frac === 0) return 19;
  buf[at + 19] = 0x2e;
  const d1 = (frac / 100) | 0;
  const d2 = ((frac / 10) | 0) % 10;
  const d3 = frac % 10;
  buf[at + 20] = 0x30 + d1;
  if (d2 === 0 && d3 === 0) return 21;
  buf[at + 21] = 0x30 + d2;
  if (d3 === 0) return 22;
  buf[at + 22] = 0x30 + d3;
  return 23;
}

/** Copies a short string byte by byte when it is pure ASCII; -1 otherwise. Needs s.length bytes. */
export function writeShortAscii(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    buf[at + i] = c;
  }
  return n;
}

/** A double that holds an integer below 1e15 prints like that integer; -1 for anything else (and -0). */
export function writeIntegralDoubleAscii(buf: Buffer, at: number, v: number): number {
  if (!Number.isInteger(v) || Math.abs(v) >= 1e15 || Object.is(v, -0)) return -1;
  return writeIntAscii(buf, at, v);
}
