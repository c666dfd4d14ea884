/** Text and binary value formats: unit round trips and binary parameters/results over the wire. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Oid } from '../../server/pgwire/type-oids.ts';
import { binaryEncoderFor, decodeBinary, decodeNumeric, encodeNumeric } from '../../server/pgwire/value-binary.ts';
import { formatFloat4, formatNumeric, formatTimestamp, parseArrayText, parseTextValue, textEncoderFor } from '../../server/pgwire/value-text.ts';
import { TYPES_ROW } from './fixtures/fake-engine.ts';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';
import { WireClient, dataRowFields, serialize } from './fixtures/wire-client.ts';

describe('text format', () => {
  test('timestamps, dates, floats, numerics, arrays', () => {
    assert.equal(formatTimestamp(Date.UTC(2024, 0, 15, 10, 30, 45, 120)), '2024-01-15 10:30:45.12');
    assert.equal(formatTimestamp(0), '1970-01-01 00:00:00');
    assert.equal(textEncoderFor(Oid.timestamptz)(0), '1970-01-01 00:00:00+00');
    assert.equal(textEncoderFor(Oid.date)(Date.UTC(2000, 1, 29)), '2000-02-29');
    assert.equal(formatFloat4(Math.fround(0.1)), '0.1');
    assert.equal(textEncoderFor(Oid.float8)(NaN), 'NaN');
    assert.equal(textEncoderFor(Oid.float8)(-Infinity), '-Infinity');
    assert.equal(formatNumeric(1e21), '1000000000000000000000');
    assert.equal(formatNumeric(1.5e-7), '0.00000015');
    assert.equal(textEncoderFor(Oid.textArray)(['x', 'NULL', 'a"b', null]), '{x,"NULL","a\\"b",NULL}');
    assert.deepEqual(parseArrayText('{x,"NULL","a\\"b",NULL}'), ['x', 'NULL', 'a"b', null]);
    assert.deepEqual(parseArrayText('{}'), []);
  });

  test('parameter text parsing by type', () => {
    assert.equal(parseTextValue('BIGINT', '9007199254740993'), 9007199254740993n);
    assert.equal(parseTextValue('INTEGER', '-5'), -5);
    assert.equal(parseTextValue('BOOLEAN', 'on'), true);
    assert.equal(parseTextValue('TIMESTAMP', '2024-01-15 10:30:45.5+02'), Date.UTC(2024, 0, 15, 8, 30, 45, 500));
    assert.equal(parseTextValue('DATE', '2024-02-29'), Date.UTC(2024, 1, 29));
    assert.deepEqual(parseTextValue('ARRAY', '{1,2,NULL}', 'BIGINT'), [1, 2, null]);
    assert.throws(() => parseTextValue('INTEGER', '3000000000'), (e: any) => e.sqlState === '22003');
    assert.throws(() => parseTextValue('DOUBLE', 'abc'), (e: any) => e.sqlState === '22P02');
  });
});

describe('binary format', () => {
  test('numeric round trips through base-10000 digits', () => {
    for (const s of ['0', '1', '-1', '12345.6789', '0.0001', '10000', '-0.5', '123456789012345678901234567890.123', '1.10']) {
      assert.equal(decodeNumeric(encodeNumeric(s)), s.replace(/^-0\.5$/, '-0.5'));
    }
    // PostgreSQL's own bytes for 12345.6789: ndigits 3, weight 1, sign 0, dscale 4, digits 1 2345 6789.
    assert.deepEqual([...encodeNumeric('12345.6789')], [0, 3, 0, 1, 0, 0, 0, 4, 0, 1, 0x09, 0x29, 0x1a, 0x85]);
    assert.equal(decodeNumeric(encodeNumeric('NaN')), 'NaN');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat({ max: 12 }), (int, scale) => {
        const digits = (int < 0n ? -int : int).toString().padStart(scale + 1, '0');
        const text = (int < 0n ? '-' : '') + (scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
        return decodeNumeric(encodeNumeric(text)) === text;
      }),
      { numRuns: 500 },
    );
  });

  const cases: [string, number, unknown][] = [
    ['bool', Oid.bool, true],
    ['int2', Oid.int2, -32768],
    ['int4', Oid.int4, 2147483647],
    ['int8', Oid.int8, 9007199254740993n],
    ['int8 small', Oid.int8, -42],
    ['float4', Oid.float4, 1.5],
    ['float8', Oid.float8, -2.5e-300],
    ['numeric', Oid.numeric, 1234.5],
    ['text', Oid.text, 'héllo'],
    ['varchar', Oid.varchar, ''],
    ['timestamp', Oid.timestamp, Date.UTC(1999, 11, 31, 23, 59, 59, 999)],
    ['timestamptz', Oid.timestamptz, Date.UTC(2030, 5, 1)],
    ['date', Oid.date, Date.UTC(1969, 6, 20)],
    ['text[]', Oid.textArray, ['a', null, 'c']],
    ['int8[]', Oid.int8Array, [1, 2, 3]],
    ['float8[]', Oid.float8Array, [0.5, null]],
    ['empty int8[]', Oid.int8Array, []],
  ];
  for (const [name, oid, value] of cases) {
    test(`${name} encodes and decodes to the same value`, () => {
      assert.deepEqual(decodeBinary(oid, binaryEncoderFor(oid)(value)), value);
    });
  }

  test('timestamp is microseconds since 2000-01-01', () => {
    const b = binaryEncoderFor(Oid.timestamp)(Date.UTC(2000, 0, 1, 0, 0, 1));
    assert.equal(b.readBigInt64BE(0), 1_000_000n);
    assert.equal(binaryEncoderFor(Oid.date)(Date.UTC(2000, 0, 2)).readInt32BE(0), 1);
  });
});

describe('binary parameters and results over the wire', () => {
  let t: TestServer;
  let c: WireClient;
  before(async () => {
    t = await startTestServer();
    c = await WireClient.ready(t.port);
  });
  after(async () => {
    c.end();
    await t.server.close();
  });

  const wire: [string, string, number, unknown][] = [
    ['BOOLEAN', 'bool', Oid.bool, false],
    ['SMALLINT', 'int2', Oid.int2, 300],
    ['INTEGER', 'int4', Oid.int4, -70000],
    ['BIGINT', 'int8', Oid.int8, 1n << 60n],
    ['FLOAT', 'float4', Oid.float4, 0.25],
    ['DOUBLE', 'float8', Oid.float8, Math.PI],
    ['DECIMAL', 'numeric', Oid.numeric, 99.125],
    ['VARCHAR', 'text', Oid.text, 'ünïcode ✓'],
    ['TIMESTAMP', 'timestamp', Oid.timestamp, Date.UTC(2024, 2, 3, 4, 5, 6, 7)],
    ['DATE', 'date', Oid.date, Date.UTC(2024, 2, 3)],
  ];
  for (const [sqlType, name, oid, value] of wire) {
    test(`${name}: binary parameter in, binary result out`, async () => {
      const param = binaryEncoderFor(oid)(value);
      c.send(
        serialize.parse({ text: `select $1::${sqlType}`, types: [oid] }),
        serialize.bind({ values: [param], binary: true }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.sync(),
      );
      await c.until('readyForQuery');
      const msgs = c.take();
      assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'T', 'D', 'C', 'Z'], JSON.stringify(msgs.map((m) => m.parsed)));
      assert.equal(msgs[2].parsed.fields[0].dataTypeID, oid);
      assert.equal(msgs[2].parsed.fields[0].format, 'binary');
      const [field] = dataRowFields(msgs[3].body);
      assert.deepEqual(field, param);
      assert.deepEqual(decodeBinary(oid, field!), value);
    });
  }

  test('every column of the types table in binary', async () => {
    c.send(serialize.parse({ text: 'select * from types' }), serialize.bind({ binary: true }), serialize.describe({ type: 'P' }), serialize.execute(), serialize.sync());
    await c.until('readyForQuery');
    const msgs = c.take();
    const oids = msgs[2].parsed.fields.map((f: any) => f.dataTypeID);
    assert.deepEqual(oids, [16, 21, 23, 20, 700, 701, 1700, 25, 1114, 1082, 1009, 1016, 1022]);
    const fields = dataRowFields(msgs[3].body);
    const decoded = fields.map((f, i) => decodeBinary(oids[i], f!));
    assert.deepEqual(decoded, [...TYPES_ROW.slice(0, 6), 12345.6789, ...TYPES_ROW.slice(7)]);
    assert.deepEqual(dataRowFields(msgs[4].body), new Array(13).fill(null));
  });

  test('text parameter for an untyped placeholder is converted by the described type', async () => {
    c.send(serialize.parse({ text: 'select $1::BIGINT, $2::BOOLEAN' }), serialize.bind({ values: ['12', 't'] }), serialize.execute(), serialize.sync());
    await c.until('readyForQuery');
    c.take();
    assert.deepEqual(t.engine.lastParameters, [12, true]);
  });

  test('malformed binary parameter is 22P03', async () => {
    c.send(serialize.parse({ text: 'select $1::INTEGER', types: [23] }), serialize.bind({ values: [Buffer.from([1, 2])] }), serialize.sync());
    await c.until('readyForQuery');
    const msgs = c.take();
    assert.equal(msgs[1].parsed.code, '22P03');
  });
});

describe('text kernels agree with the general encoders', () => {
  test('integers, integral doubles, timestamps and dates', async () => {
    const { writeIntAscii, writeIntegralDoubleAscii, writeTimestampAscii, writeDateAscii } = await import('../../server/pgwire/text-kernels.ts');
    const buf = Buffer.alloc(64);
    const via = (k: (b: Buffer, at: number, v: number) => number, v: number): string | null => {
      const n = k(buf, 0, v);
      return n < 0 ? null : buf.toString('latin1', 0, n);
    };
    fc.assert(fc.property(fc.maxSafeInteger(), (v) => via(writeIntAscii, v) === String(v)), { numRuns: 2000 });
    fc.assert(fc.property(fc.integer({ min: -1e14, max: 1e14 }), (v) => via(writeIntegralDoubleAscii, v) === textEncoderFor(Oid.float8)(v)), { numRuns: 1000 });
    assert.equal(via(writeIntegralDoubleAscii, -0), null);
    assert.equal(via(writeIntegralDoubleAscii, 0.5), null);
    const minMs = new Date(0).setUTCFullYear(1, 0, 1);
    const maxMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: maxMs }), (ms) => {
        if (ms < minMs) return true;
        return via(writeTimestampAscii, ms) === formatTimestamp(ms) && via(writeDateAscii, ms) === textEncoderFor(Oid.date)(ms);
      }),
      { numRuns: 5000 },
    );
    assert.equal(via(writeTimestampAscii, Date.UTC(2024, 0, 1, 0, 0, 0, 50)), '2024-01-01 00:00:00.05');
    assert.equal(via(writeTimestampAscii, -1), '1969-12-31 23:59:59.999');
  });
});
