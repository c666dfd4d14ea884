/** Protocol-level behaviour checked message by message with pg-protocol's serializer and parser. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';
import { WireClient, serialize } from './fixtures/wire-client.ts';

describe('startup', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.server.close());

  test('sends AuthenticationOk, parameter reports, BackendKeyData, ReadyForQuery', async () => {
    const c = await WireClient.connect(t.port);
    c.send(serialize.startup({ user: 'u', database: 'd', application_name: 'app1', client_encoding: 'UTF8', DateStyle: 'ISO' }));
    const msgs = await c.until('readyForQuery');
    assert.equal(msgs[0].parsed.name, 'authenticationOk');
    assert.deepEqual([...msgs[0].body], [0, 0, 0, 0]);
    const params = Object.fromEntries(msgs.filter((m) => m.parsed.name === 'parameterStatus').map((m) => [m.parsed.parameterName, m.parsed.parameterValue]));
    assert.equal(params.server_version, '15.0');
    assert.equal(params.server_encoding, 'UTF8');
    assert.equal(params.client_encoding, 'UTF8');
    assert.equal(params.DateStyle, 'ISO, MDY');
    assert.equal(params.integer_datetimes, 'on');
    assert.equal(params.standard_conforming_strings, 'on');
    assert.equal(params.TimeZone, 'UTC');
    assert.equal(params.application_name, 'app1');
    assert.equal(params.session_authorization, 'u');
    assert.equal(params.is_superuser, 'off');
    const key = msgs.find((m) => m.parsed.name === 'backendKeyData')!;
    assert.equal(key.body.length, 8);
    const last = msgs[msgs.length - 1];
    assert.equal(last.type, 'Z');
    assert.deepEqual([...last.body], [0x49]);
    c.end();
  });

  test('SSLRequest without TLS configured gets N, GSSENCRequest gets N, then startup works', async () => {
    // The 'N' replies are single bytes, not framed messages: read them raw.
    const ssl = serialize.requestSsl();
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    const raw = await rawExchange(t.port, [ssl, gss, serialize.startup({ user: 'u' })], 3);
    assert.equal(raw.subarray(0, 2).toString(), 'NN');
    assert.equal(raw[2], 0x52); // 'R' AuthenticationOk follows
  });

  test('protocol 3.2 request gets NegotiateProtocolVersion for 3.0', async () => {
    const c = await WireClient.connect(t.port);
    const body = Buffer.concat([Buffer.from([0, 3, 0, 2]), Buffer.from('user\0u\0_pq_.foo\0bar\0\0')]);
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length + 4);
    c.send(len, body);
    const msgs = await c.until('readyForQuery');
    assert.equal(msgs[0].type, 'v');
    assert.equal(msgs[0].body.readInt32BE(0), 0);
    assert.equal(msgs[0].body.readInt32BE(4), 1);
    assert.equal(msgs[0].body.subarray(8).toString(), '_pq_.foo\0');
    c.end();
  });

  test('missing user is FATAL 28000', async () => {
    const c = await WireClient.connect(t.port);
    c.send(serialize.startup({ database: 'd' }));
    const msgs = await c.until('error');
    assert.equal(msgs[0].parsed.severity, 'FATAL');
    assert.equal(msgs[0].parsed.code, '28000');
    await c.untilClosed();
  });

  test('unsupported protocol version is FATAL 0A000', async () => {
    const c = await WireClient.connect(t.port);
    const b = Buffer.alloc(8);
    b.writeInt32BE(8, 0);
    b.writeInt32BE(2 << 16, 4);
    c.send(b);
    const msgs = await c.until('error');
    assert.equal(msgs[0].parsed.code, '0A000');
    await c.untilClosed();
  });
});

/** Sends the frames and collects raw reply bytes until `minBytes` arrived. */
async function rawExchange(port: number, frames: Buffer[], minBytes: number): Promise<Buffer> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let sent = 0;
    const sendNext = (): void => {
      if (sent < frames.length) s.write(frames[sent++]);
    };
    s.on('connect', sendNext);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (sent < frames.length) sendNext();
      else if (got.length >= minBytes) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
  });
}

describe('simple query protocol', () => {
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

  test('RowDescription, DataRow and CommandComplete are byte-exact', async () => {
    const msgs = await c.query('select 1');
    assert.deepEqual(msgs.map((m) => m.type), ['T', 'D', 'C', 'Z']);
    const expectedT = Buffer.concat([
      Buffer.from([0, 1]), Buffer.from('?column?\0'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, 0xff, 0xff, 0xff, 0xff, 0, 0]),
    ]);
    assert.deepEqual(msgs[0].body, expectedT);
    assert.deepEqual(msgs[1].body, Buffer.from([0, 1, 0, 0, 0, 1, 0x31]));
    assert.deepEqual(msgs[2].body, Buffer.from('SELECT 1\0'));
  });

  test('several statements in one query, error stops the rest', async () => {
    const msgs = await c.query('select 1; select 2; select * from missing; select 3');
    assert.deepEqual(msgs.map((m) => m.type), ['T', 'D', 'C', 'T', 'D', 'C', 'E', 'Z']);
    assert.equal(msgs[6].parsed.code, '42P01');
  });

  test('empty query gives EmptyQueryResponse', async () => {
    assert.deepEqual((await c.query('')).map((m) => m.type), ['I', 'Z']);
    assert.deepEqual((await c.query('  ;  -- nothing')).map((m) => m.type), ['I', 'Z']);
  });

  test('error fields: severity, code, message, position', async () => {
    const [e] = await c.query('selec 1');
    assert.equal(e.parsed.severity, 'ERROR');
    assert.equal(e.parsed.code, '42601');
    assert.equal(e.parsed.position, '1');
    assert.match(e.parsed.message, /SELEC/);
  });

  test('transaction status I/T/E through BEGIN, error, ROLLBACK', async () => {
    const status = (msgs: { type: string; body: Buffer }[]): string => String.fromCharCode(msgs[msgs.length - 1].body[0]);
    assert.equal(status(await c.query('BEGIN')), 'T');
    assert.equal(status(await c.query('select 1')), 'T');
    assert.equal(status(await c.query('select * from missing')), 'E');
    const ignored = await c.query('select 1');
    assert.equal(ignored[0].parsed.code, '25P02');
    assert.equal(status(ignored), 'E');
    const rb = await c.query('ROLLBACK');
    assert.equal(rb[0].parsed.text, 'ROLLBACK');
    assert.equal(status(rb), 'I');
    assert.equal(status(await c.query('START TRANSACTION')), 'T');
    const commit = await c.query('COMMIT');
    assert.equal(commit[0].parsed.text, 'COMMIT');
    assert.equal(status(commit), 'I');
  });

  test('SET reports changed parameters; SHOW returns one row', async () => {
    const set = await c.query("SET application_name TO 'reporting'");
    const ps = set.find((m) => m.parsed.name === 'parameterStatus')!;
    assert.equal(ps.parsed.parameterName, 'application_name');
    assert.equal(ps.parsed.parameterValue, 'reporting');
    assert.equal(set.find((m) => m.type === 'C')!.parsed.text, 'SET');
    const show = await c.query('SHOW application_name');
    assert.deepEqual(show.map((m) => m.type), ['T', 'D', 'C', 'Z']);
    assert.deepEqual(show[1].parsed.fields, ['reporting']);
    assert.equal(show[2].parsed.text, 'SHOW');
    const bad = await c.query('SHOW no_such_thing');
    assert.equal(bad[0].parsed.code, '42704');
    const ro = await c.query("SET server_version = '1'");
    assert.equal(ro[0].parsed.code, '55P02');
    const tz = await c.query("SET TIME ZONE 'Nowhere/City'");
    assert.equal(tz[0].parsed.code, '22023');
  });

  test('COPY (SELECT) TO STDOUT in text and CSV', async () => {
    const text = await c.query('COPY (select * from types) TO STDOUT');
    assert.deepEqual(text.map((m) => m.type), ['H', 'd', 'd', 'c', 'C', 'Z']);
    assert.equal(text[0].body.readInt16BE(1), 13);
    const line1 = text[1].body.toString();
    assert.equal(
      line1,
      't\t-12\t123456\t9007199254740993\t1.5\t3.141592653589793\t12345.6789\théllo, "wörld"\t2024-01-15 10:30:45.123\t2024-02-29\t{a,"b c",NULL,""}\t{1,-2,3}\t{0.5,-1.25}\n',
    );
    assert.equal(text[2].body.toString(), new Array(13).fill('\\N').join('\t') + '\n');
    assert.equal(text[4].parsed.text, 'COPY 2');
    const csv = await c.query('COPY (select * from types) TO STDOUT WITH (FORMAT csv, HEADER true)');
    assert.equal(csv[1].body.toString(), 'b,i2,i4,i8,f4,f8,num,s,ts,d,sa,la,da\n');
    assert.equal(
      csv[2].body.toString(),
      't,-12,123456,9007199254740993,1.5,3.141592653589793,12345.6789,"héllo, ""wörld""",2024-01-15 10:30:45.123,2024-02-29,"{a,""b c"",NULL,""""}","{1,-2,3}","{0.5,-1.25}"\n',
    );
    assert.equal(csv[3].body.toString(), ',,,,,,,,,,,,\n');
    const legacy = await c.query('COPY (select 1) TO STDOUT WITH CSV HEADER');
    assert.equal(legacy[1].body.toString(), '?column?\n');
    const from = await c.query('COPY t FROM STDIN');
    assert.equal(from[0].parsed.code, '0A000');
  });
});

describe('extended query protocol', () => {
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

  async function run(...frames: Buffer[]): Promise<{ type: string; body: Buffer; parsed: any }[]> {
    c.send(...frames);
    await c.until('readyForQuery');
    return c.take();
  }

  test('Parse/Bind/Describe/Execute/Sync with a text parameter', async () => {
    const msgs = await run(
      serialize.parse({ text: 'select $1::BIGINT, $2' }),
      serialize.bind({ values: ['17', 'hi'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.sync(),
    );
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'T', 'D', 'C', 'Z']);
    assert.deepEqual(msgs[3].parsed.fields, ['17', 'hi']);
    assert.deepEqual(t.engine.lastParameters, [17, 'hi']);
  });

  test('Describe statement gives ParameterDescription and RowDescription', async () => {
    const msgs = await run(
      serialize.parse({ name: 's1', text: 'select $1::BIGINT, $2::DOUBLE, $3', types: [0, 0, 25] }),
      serialize.describe({ type: 'S', name: 's1' }),
      serialize.sync(),
    );
    assert.deepEqual(msgs.map((m) => m.type), ['1', 't', 'T', 'Z']);
    assert.deepEqual(msgs[1].parsed.dataTypeIDs, [20, 701, 25]);
    assert.deepEqual(msgs[2].parsed.fields.map((f: any) => f.dataTypeID), [20, 701, 25]);
    const none = await run(serialize.parse({ name: 's2', text: "SET x = 'y'" }), serialize.describe({ type: 'S', name: 's2' }), serialize.sync());
    assert.deepEqual(none.map((m) => m.type), ['1', 't', 'n', 'Z']);
  });

  test('Execute with a row limit suspends the portal and resumes it', async () => {
    const msgs = await run(
      serialize.parse({ text: 'select * from numbers(5)' }),
      serialize.bind({}),
      serialize.execute({ rows: 2 }),
      serialize.execute({ rows: 2 }),
      serialize.execute({ rows: 2 }),
      serialize.sync(),
    );
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'D', 'D', 's', 'D', 'D', 's', 'D', 'C', 'Z']);
    assert.deepEqual(msgs.filter((m) => m.type === 'D').map((m) => m.parsed.fields[0]), ['0', '1', '2', '3', '4']);
    assert.equal(msgs[9].parsed.text, 'SELECT 1');
  });

  test('exact row limit on the last rows completes without an extra suspend', async () => {
    const msgs = await run(serialize.parse({ text: 'select * from numbers(2)' }), serialize.bind({}), serialize.execute({ rows: 2 }), serialize.sync());
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'D', 'D', 'C', 'Z']);
  });

  test('error discards messages until Sync, then the session works', async () => {
    const msgs = await run(
      serialize.parse({ text: 'select * from missing' }),
      serialize.bind({}),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.parse({ name: 'never', text: 'select 1' }),
      serialize.sync(),
    );
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'E', 'Z']);
    assert.equal(msgs[2].parsed.code, '42P01');
    const again = await run(serialize.describe({ type: 'S', name: 'never' }), serialize.sync());
    assert.equal(again[0].parsed.code, '26000');
  });

  test('named statements and portals, Close, duplicate names', async () => {
    const msgs = await run(
      serialize.parse({ name: 'q', text: 'select $1::INTEGER' }),
      serialize.bind({ statement: 'q', portal: 'p1', values: ['1'] }),
      serialize.bind({ statement: 'q', portal: 'p2', values: ['2'] }),
      serialize.execute({ portal: 'p2' }),
      serialize.execute({ portal: 'p1' }),
      serialize.close({ type: 'P', name: 'p1' }),
      serialize.close({ type: 'S', name: 'q' }),
      serialize.sync(),
    );
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', '2', 'D', 'C', 'D', 'C', '3', '3', 'Z']);
    assert.deepEqual([msgs[3].parsed.fields[0], msgs[5].parsed.fields[0]], ['2', '1']);
    const dup = await run(serialize.parse({ name: 'd', text: 'select 1' }), serialize.parse({ name: 'd', text: 'select 2' }), serialize.sync());
    assert.equal(dup[1].parsed.code, '42P05');
  });

  test('wrong parameter count is an error', async () => {
    const msgs = await run(serialize.parse({ text: 'select $1::INTEGER' }), serialize.bind({ values: ['1', '2'] }), serialize.sync());
    assert.equal(msgs[1].parsed.code, '08P01');
  });

  test('empty statement executes as EmptyQueryResponse', async () => {
    const msgs = await run(serialize.parse({ text: '' }), serialize.bind({}), serialize.describe({ type: 'P' }), serialize.execute(), serialize.sync());
    assert.deepEqual(msgs.map((m) => m.type), ['1', '2', 'n', 'I', 'Z']);
  });

  test('Flush sends pending output without Sync', async () => {
    c.send(serialize.parse({ text: 'select 1' }), serialize.flush());
    await c.until('parseComplete');
    assert.deepEqual(c.take().map((m) => m.type), ['1']);
    await run(serialize.sync());
  });

  test('multiple commands cannot be prepared', async () => {
    const msgs = await run(serialize.parse({ text: 'select 1; select 2' }), serialize.sync());
    assert.equal(msgs[0].parsed.code, '42601');
  });
});
