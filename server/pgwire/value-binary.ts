/**
 * PostgreSQL binary format for values: encoding result values and decoding
 * binary parameters. Timestamps are int64 microseconds and dates int32 days
 * since 2000-01-01; numeric is base-10000 digit groups; arrays carry a header
 * with dimensions and the element OID.
 */
import { NemetonError } from '../../common/errors.ts';
import { Oid, elementOid } from './type-oids.ts';
import { formatNumeric, parseBool, parseTimestamp } from './value-text.ts';

/** Milliseconds from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch). */
export const PG_EPOCH_MS = 946_684_800_000;
const MS_PER_DAY = 86_400_000;

/** Encodes a non-null value into its binary representation (without the length prefix). */
export type BinaryEncoder = (value: unknown) => Buffer;

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return BigInt(String(v).trim());
}

function toMillis(v: unknown): number {
  if (typeof v === 'string') return parseTimestamp(v);
  return toNumber(v);
}

function outOfRange(type: string): NemetonError {
  return new NemetonError(`${type} out of range`, { code: 'Invalid input', sqlState: '22003' });
}

/** Binary numeric from a decimal string (or number/bigint). */
export function encodeNumeric(value: unknown): Buffer {
  const text = formatNumeric(value).trim();
  const header = (ndigits: number, weight: number, sign: number, dscale: number): Buffer => {
    const b = Buffer.alloc(8 + ndigits * 2);
    b.writeInt16BE(ndigits, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeInt16BE(dscale, 6);
    return b;
  };
  if (text === 'NaN') return header(0, 0, 0xc000, 0);
  if (text === 'Infinity') return header(0, 0, 0xd000, 0);
  if (text === '-Infinity') return header(0, 0, 0xf000, 0);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new NemetonError(`invalid input syntax for type numeric: "${text}"`, { code: 'Invalid input', sqlState: '22P02' });
  }
  const negative = m[1] === '-';
  const intPart = m[2].replace(/^0+/, '');
  const fracPart = m[3] ?? '';
  const dscale = fracPart.length;
  const intPadded = '0'.repeat((4 - (intPart.length % 4)) % 4) + intPart;
  const fracPadded = fracPart + '0'.repeat((4 - (fracPart.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let start = 0;
  while (start < groups.length && groups[start] === 0) {
    start++;
    weight--;
  }
  let stop = groups.length;
  while (stop > start && groups[stop - 1] === 0) stop--;
  const digits = groups.slice(start, stop);
  if (digits.length === 0) weight = 0;
  const b = header(digits.length, weight, negative && digits.length > 0 ? 0x4000 : 0, dscale);
  for (let i = 0; i < digits.length; i++) b.writeInt16BE(digits[i], 8 + i * 2);
  return b;
}

/** Decimal string from binary numeric. */
export function decodeNumeric(b: Buffer): string {
  if (b.length < 8) throw badBinary('numeric');
  const ndigits = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (b.length !== 8 + ndigits * 2 || ndigits < 0 || dscale < 0) throw badBinary('numeric');
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  const digit = (i: number): number => (i >= 0 && i < ndigits ? b.readInt16BE(8 + i * 2) : 0);
  let int = '';
  for (let i = 0; i <= weight; i++) int += i === 0 ? String(digit(i)) : String(digit(i)).padStart(4, '0');
  if (int === '') int = '0';
  let frac = '';
  for (let i = weight + 1; frac.length < dscale; i++) frac += String(digit(i)).padStart(4, '0');
  frac = frac.slice(0, dscale);
  const body = frac.length > 0 ? `${int}.${frac}` : int;
  return sign === 0x4000 ? '-' + body : body;
}

function fixed(size: number, write: (b: Buffer, v: unknown) => void): BinaryEncoder {
  return (v) => {
    const b = Buffer.allocUnsafe(size);
    write(b, v);
    return b;
  };
}

/** The binary encoder for values of a column with the given OID. */
export function binaryEncoderFor(oid: number): BinaryEncoder {
  switch (oid) {
    case Oid.bool: return fixed(1, (b, v) => { b[0] = (typeof v === 'string' ? parseBool(v) : Boolean(v)) ? 1 : 0; });
    case Oid.int2: return fixed(2, (b, v) => {
      const n = toNumber(v);
      if (n < -32768 || n > 32767) throw outOfRange('smallint');
      b.writeInt16BE(Math.trunc(n), 0);
    });
    case Oid.int4: case Oid.oid: return fixed(4, (b, v) => {
      const n = toNumber(v);
      if (n < -2147483648 || n > 2147483647) throw outOfRange('integer');
      b.writeInt32BE(Math.trunc(n), 0);
    });
    case Oid.int8: return fixed(8, (b, v) => { b.writeBigInt64BE(BigInt.asIntN(64, toBigInt(v)), 0); });
    case Oid.float4: return fixed(4, (b, v) => { b.writeFloatBE(toNumber(v), 0); });
    case Oid.float8: return fixed(8, (b, v) => { b.writeDoubleBE(toNumber(v), 0); });
    case Oid.numeric: return encodeNumeric;
    case Oid.timestamp: case Oid.timestamptz: return fixed(8, (b, v) => {
      b.writeBigInt64BE(BigInt(Math.round(toMillis(v) - PG_EPOCH_MS)) * 1000n, 0);
    });
    case Oid.date: return fixed(4, (b, v) => {
      b.writeInt32BE(Math.floor((toMillis(v) - PG_EPOCH_MS) / MS_PER_DAY), 0);
    });
    case Oid.bytea: return (v) => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8'));
    default: {
      const el = elementOid(oid);
      if (el !== undefined) return arrayBinaryEncoder(el, binaryEncoderFor(el));
      return (v) => Buffer.from(typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v), 'utf8');
    }
  }
}

function arrayBinaryEncoder(elOid: number, element: BinaryEncoder): BinaryEncoder {
  return (v) => {
    const items = Array.isArray(v) ? v : [v];
    const parts: Buffer[] = [];
    let hasNull = 0;
    const head = Buffer.alloc(items.length === 0 ? 12 : 20);
    head.writeInt32BE(items.length === 0 ? 0 : 1, 0);
    head.writeInt32BE(elOid, 8);
    if (items.length > 0) {
      head.writeInt32BE(items.length, 12);
      head.writeInt32BE(1, 16);
    }
    parts.push(head);
    for (const item of items) {
      const len = Buffer.allocUnsafe(4);
      if (item === null || item === undefined) {
        hasNull = 1;
        len.writeInt32BE(-1, 0);
        parts.push(len);
      } else {
        const body = element(item);
        len.writeInt32BE(body.length, 0);
        parts.push(len, body);
      }
    }
    head.writeInt32BE(hasNull, 4);
    return Buffer.concat(parts);
  };
}

function badBinary(type: string): NemetonError {
  return new NemetonError(`incorrect binary data format for type ${type}`, { code: 'Invalid input', sqlState: '22P03' });
}

function sized(b: Buffer, n: number, type: string): void {
  if (b.length !== n) throw badBinary(type);
}

/** Decodes a binary parameter of the given OID to an engine value. */
export function decodeBinary(oid: number, b: Buffer): unknown {
  switch (oid) {
    case Oid.bool: sized(b, 1, 'boolean'); return b[0] !== 0;
    case Oid.int2: sized(b, 2, 'smallint'); return b.readInt16BE(0);
    case Oid.int4: case Oid.oid: sized(b, 4, 'integer'); return b.readInt32BE(0);
    case Oid.int8: {
      sized(b, 8, 'bigint');
      const v = b.readBigInt64BE(0);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    case Oid.float4: sized(b, 4, 'real'); return b.readFloatBE(0);
    case Oid.float8: sized(b, 8, 'double precision'); return b.readDoubleBE(0);
    case Oid.numeric: return Number(decodeNumeric(b));
    case Oid.timestamp: case Oid.timestamptz:
      sized(b, 8, 'timestamp');
      return Number(b.readBigInt64BE(0) / 1000n) + PG_EPOCH_MS;
    case Oid.date: sized(b, 4, 'date'); return b.readInt32BE(0) * MS_PER_DAY + PG_EPOCH_MS;
    case Oid.text: case Oid.varchar: case Oid.json: case Oid.unknown: case 0: return b.toString('utf8');
    case Oid.bytea: return Buffer.from(b);
    default: {
      if (elementOid(oid) !== undefined) return decodeBinaryArray(b);
      throw new NemetonError(`binary format for parameter type ${oid} is not supported`, { code: 'Unsupported operation', sqlState: '0A000' });
    }
  }
}

function decodeBinaryArray(b: Buffer): unknown[] {
  if (b.length < 12) throw badBinary('array');
  const ndim = b.readInt32BE(0);
  const elOid = b.readInt32BE(8);
  if (ndim === 0) return [];
  if (ndim !== 1 || b.length < 20) throw badBinary('array');
  const n = b.readInt32BE(12);
  if (n < 0) throw badBinary('array');
  let pos = 20;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (pos + 4 > b.length) throw badBinary('array');
    const len = b.readInt32BE(pos);
    pos += 4;
    if (len === -1) {
      out.push(null);
      continue;
    }
    if (len < 0 || pos + len > b.length) throw badBinary('array');
    out.push(decodeBinary(elOid, b.subarray(pos, pos + len)));
    pos += len;
  }
  if (pos !== b.length) throw badBinary('array');
  return out;
}
