/**
 * Encodes result rows as DataRow messages. One encoder per column is chosen
 * once per result (by type OID and text/binary format), so the per-row loop
 * only dispatches through a prebuilt array of functions.
 */
import { binaryEncoderFor } from './value-binary.ts';
import { Oid } from './type-oids.ts';
import { textEncoderFor } from './value-text.ts';
import { writeDateAscii, writeIntAscii, writeIntegralDoubleAscii, writeShortAscii, writeTimestampAscii } from './text-kernels.ts';
import type { WireField } from './backend-messages.ts';
import type { WireWriter } from './wire-buffer.ts';

/** Appends one non-null value, length prefix included. */
export type ValueWriter = (w: WireWriter, value: unknown) => void;

/** Writes a value through a fast kernel, falling back to the general encoder when the kernel declines. */
function kernelWriter(kernel: (buf: Buffer, at: number, v: number) => number, maxBytes: number, fallback: ValueWriter): ValueWriter {
  return (w, v) => {
    if (typeof v === 'number') {
      w.ensure(4 + maxBytes);
      const at = w.pos;
      const n = kernel(w.buf, at + 4, v);
      if (n >= 0) {
        w.buf.writeInt32BE(n, at);
        w.pos = at + 4 + n;
        return;
      }
    }
    fallback(w, v);
  };
}

function textWriter(oid: number): ValueWriter {
  if (oid === Oid.text || oid === Oid.varchar) {
    const fallback = textEncoderFor(oid);
    return (w, v) => {
      const s = typeof v === 'string' ? v : fallback(v);
      w.ensure(4 + s.length * 3);
      const at = w.pos;
      let n = s.length <= 64 ? writeShortAscii(w.buf, at + 4, s) : -1;
      if (n < 0) n = w.buf.write(s, at + 4, 'utf8');
      w.buf.writeInt32BE(n, at);
      w.pos = at + 4 + n;
    };
  }
  switch (oid) {
    case Oid.int2: case Oid.int4: case Oid.int8: return kernelWriter(writeIntAscii, 17, generalTextWriter(oid));
    case Oid.float8: case Oid.float4: return kernelWriter(writeIntegralDoubleAscii, 17, generalTextWriter(oid));
    case Oid.timestamp: return kernelWriter(writeTimestampAscii, 23, generalTextWriter(oid));
    case Oid.date: return kernelWriter(writeDateAscii, 10, generalTextWriter(oid));
    default: return generalTextWriter(oid);
  }
}

function generalTextWriter(oid: number): ValueWriter {
  const encode = textEncoderFor(oid);
  const encoding: BufferEncoding = asciiOnly.has(oid) ? 'latin1' : 'utf8';
  return (w, v) => {
    const s = encode(v);
    w.ensure(4 + s.length * 3);
    const at = w.pos;
    const n = w.buf.write(s, at + 4, encoding);
    w.buf.writeInt32BE(n, at);
    w.pos = at + 4 + n;
  };
}

/** Types whose text form is always ASCII, written with the faster single-byte encoding. */
const asciiOnly = new Set<number>([Oid.bool, Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric, Oid.date, Oid.timestamp, Oid.timestamptz]);

function binaryWriter(oid: number): ValueWriter {
  if (oid === Oid.int8) {
    return (w, v) => {
      w.ensure(12);
      w.buf.writeInt32BE(8, w.pos);
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        const hi = Math.floor(v / 4294967296);
        w.buf.writeInt32BE(hi, w.pos + 4);
        w.buf.writeUInt32BE(v - hi * 4294967296, w.pos + 8);
      } else {
        w.buf.writeBigInt64BE(BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))), w.pos + 4);
      }
      w.pos += 12;
    };
  }
  if (oid === Oid.float8) {
    return (w, v) => {
      w.ensure(12);
      w.buf.writeInt32BE(8, w.pos);
      w.buf.writeDoubleBE(Number(v), w.pos + 4);
      w.pos += 12;
    };
  }
  const encode = binaryEncoderFor(oid);
  return (w, v) => {
    const b = encode(v);
    w.int32(b.length);
    w.bytes(b);
  };
}

/** Value writers for each field, matching its type OID and format. */
export function valueWriters(fields: readonly WireField[]): ValueWriter[] {
  return fields.map((f) => (f.format === 1 ? binaryWriter(f.typeOid) : textWriter(f.typeOid)));
}

/** Appends a DataRow message for `row`. */
export function writeDataRow(w: WireWriter, writers: readonly ValueWriter[], row: readonly unknown[]): void {
  const n = writers.length;
  w.ensure(7);
  const at = w.pos + 1;
  w.buf[w.pos] = 0x44;
  w.buf.writeInt16BE(n, w.pos + 5);
  w.pos += 7;
  for (let i = 0; i < n; i++) {
    const v = row[i];
    if (v === null || v === undefined) w.int32(-1);
    else writers[i](w, v);
  }
  w.buf.writeInt32BE(w.pos - at, at);
}
