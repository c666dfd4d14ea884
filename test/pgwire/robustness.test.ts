/**
 * Malformed input: bad lengths, truncation, huge claimed sizes, random bytes and
 * a mutation fuzz of 100,000 messages. The server closes only the offending
 * connection and keeps answering others; the connection cap answers 53300.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { decodeBind, decodeExecute, decodeParse, decodeStartup, decodeTarget } from '../../server/pgwire/frontend-messages.ts';
import { NemetonError } from '../../common/errors.ts';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';
import { WireClient, serialize } from './fixtures/wire-client.ts';
import { seededRandom as rng } from '../support/seeded-random.ts';

async function healthy(port: number): Promise<void> {
  const c = await WireClient.ready(port);
  const msgs = await c.query('select 42');
  assert.deepEqual(msgs[1].parsed.fields, ['42']);
  c.end();
}

describe('malformed input', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ maxMessageBytes: 1024 * 1024 });
  });
  after(() => t.server.close());

  test('a 2 GB length is rejected at once with 08P01 and the connection closed', async () => {
    const c = await WireClient.ready(t.port);
    const head = Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]);
    c.send(head);
    const msgs = await c.until('error');
    assert.equal(msgs[0].parsed.code, '08P01');
    assert.equal(msgs[0].parsed.severity, 'FATAL');
    await c.untilClosed();
    await healthy(t.port);
  });

  test('length below 4, unknown type, trailing bytes and bad Sync all close with 08P01', async () => {
    const frames = [
      Buffer.from([0x51, 0, 0, 0, 2]),
      Buffer.from([0x7a, 0, 0, 0, 4]),
      Buffer.concat([serialize.query('select 1').subarray(0, 1), Buffer.from([0, 0, 0, 7, 0x61, 0x00, 0x62])]),
      Buffer.from([0x53, 0, 0, 0, 5, 1]),
    ];
    for (const f of frames) {
      const c = await WireClient.ready(t.port);
      c.send(f);
      await c.untilClosed();
      const err = c.messages.find((m) => m.parsed?.name === 'error');
      assert.equal(err?.parsed.code, '08P01', f.toString('hex'));
    }
    await healthy(t.port);
  });

  test('a message larger than the input pause threshold (3 MB) is read whole', async () => {
    const c = await WireClient.ready(t.port);
    const big = 'x'.repeat(3 * 1024 * 1024 - 100);
    const t2 = await startTestServer({ maxMessageBytes: 4 * 1024 * 1024 });
    const c2 = await WireClient.ready(t2.port);
    const set = await c2.query(`SET application_name = '${big}'`);
    assert.equal(set[set.length - 1].type, 'Z');
    const show = await c2.query('SHOW application_name');
    assert.equal(show[1].parsed.fields[0].length, big.length);
    // The 1 MiB cap of the first server rejects the same message.
    c.send(Buffer.from(`Q`), Buffer.from([0, 0x30, 0, 0]));
    const msgs = await c.until('error');
    assert.equal(msgs[0].parsed.code, '08P01');
    c.end();
    c2.end();
    await t2.server.close();
  });

  test('bad startup packets: too short, too long, random bytes, truncated then closed', async () => {
    const packets = [Buffer.from([0, 0, 0, 4]), Buffer.from([0, 1, 0, 0, 0, 3, 0, 0]), Buffer.from('GET / HTTP/1.1\r\n\r\n')];
    for (const p of packets) {
      const c = await WireClient.connect(t.port);
      c.send(p);
      await c.untilClosed();
    }
    const c = await WireClient.connect(t.port);
    c.send(serialize.startup({ user: 'u' }).subarray(0, 10));
    await new Promise((r) => setTimeout(r, 20));
    c.end();
    await healthy(t.port);
  });

  test('decoders reject 100,000 random bodies with 08P01 only', () => {
    const rand = rng(7);
    const decoders = [decodeBind, decodeParse, decodeExecute, (b: Buffer) => decodeTarget(b, 'Describe'), decodeStartup];
    const seeds = [
      serialize.bind({ values: ['1', null, Buffer.from([1, 2])], binary: true }).subarray(5),
      serialize.parse({ name: 'a', text: 'select $1', types: [23] }).subarray(5),
      serialize.execute({ rows: 5 }).subarray(5),
      serialize.describe({ type: 'S', name: 'x' }).subarray(5),
      serialize.startup({ user: 'u' }).subarray(4),
    ];
    let rejected = 0;
    for (let i = 0; i < 100_000; i++) {
      const k = i % decoders.length;
      const body = Buffer.from(seeds[k]);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.3 ? body.subarray(0, Math.floor(rand() * body.length)) : body;
      try {
        decoders[k](cut);
      } catch (e) {
        assert.ok(e instanceof NemetonError && e.sqlState === '08P01', String(e));
        rejected++;
      }
    }
    assert.ok(rejected > 10_000);
  });

  test('100,000 mutated messages over the wire: the server survives and keeps serving', async () => {
    const rand = rng(42);
    const corpus = [
      serialize.query('select 1'),
      serialize.query('select * from types'),
      serialize.query("SET application_name = 'x'"),
      serialize.query('BEGIN'),
      serialize.query('ROLLBACK'),
      serialize.parse({ text: 'select $1::BIGINT, $2', types: [20, 0] }),
      serialize.parse({ name: 'n', text: 'select * from types' }),
      serialize.bind({ values: ['1', 'a'] }),
      serialize.bind({ statement: 'n', portal: 'p', binary: true }),
      serialize.describe({ type: 'P' }),
      serialize.describe({ type: 'S', name: 'n' }),
      serialize.execute({ rows: 1 }),
      serialize.execute({ portal: 'p' }),
      serialize.close({ type: 'S', name: 'n' }),
      serialize.flush(),
      serialize.sync(),
    ];
    const mutate = (m: Buffer): { bytes: Buffer; breaksFraming: boolean } => {
      const r = rand();
      const b = Buffer.from(m);
      if (r < 0.6) {
        // Corrupt the body but keep the frame intact.
        const flips = 1 + Math.floor(rand() * 3);
        for (let f = 0; f < flips && b.length > 5; f++) b[5 + Math.floor(rand() * (b.length - 5))] = Math.floor(rand() * 256);
        return { bytes: b, breaksFraming: false };
      }
      if (r < 0.97) return { bytes: b, breaksFraming: false };
      if (r < 0.98) {
        b.writeInt32BE(Math.floor(rand() * 0x7fffffff), 1);
        return { bytes: b, breaksFraming: true };
      }
      if (r < 0.99) {
        b[0] = Math.floor(rand() * 256);
        return { bytes: b, breaksFraming: true };
      }
      const junk = Buffer.alloc(1 + Math.floor(rand() * 64));
      for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
      return { bytes: junk, breaksFraming: true };
    };
    const startup = serialize.startup({ user: 'fuzz', database: 'db' });
    const terminate = Buffer.from([0x58, 0, 0, 0, 4]);
    const total = 100_000;
    let sent = 0;
    let connections = 0;
    const started = Date.now();
    const baseline = process.memoryUsage().rss;
    const runConnection = (): Promise<void> => {
      const parts: Buffer[] = [startup];
      for (let i = 0; i < 4000 && sent < total; i++) {
        const { bytes, breaksFraming } = mutate(corpus[Math.floor(rand() * corpus.length)]);
        parts.push(bytes);
        sent++;
        if (breaksFraming) break;
      }
      parts.push(serialize.sync(), terminate);
      connections++;
      return new Promise((resolve, reject) => {
        const s = connect(t.port, '127.0.0.1', () => s.end(Buffer.concat(parts)));
        s.on('data', () => undefined);
        s.on('error', () => undefined);
        const timer = setTimeout(() => reject(new Error('fuzz connection did not finish')), 60_000);
        s.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    };
    while (sent < total) {
      const batch: Promise<void>[] = [];
      for (let k = 0; k < 8 && sent < total; k++) batch.push(runConnection());
      await Promise.all(batch);
    }
    const elapsed = Date.now() - started;
    assert.equal(sent, total);
    assert.ok(connections > 10);
    if (process.env.PGWIRE_FUZZ_VERBOSE) console.log(`fuzz: ${total} messages over ${connections} connections in ${elapsed} ms`);
    assert.ok(process.memoryUsage().rss - baseline < 300 * 1024 * 1024);
    await healthy(t.port);
    for (let i = 0; i < 100 && t.server.sessionCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(t.server.sessionCount, 0);
  });
});

describe('connection cap', () => {
  test('beyond maxConnections the client gets FATAL 53300; a freed slot is reused', async () => {
    const t = await startTestServer({ maxConnections: 2 });
    try {
      const a = await WireClient.ready(t.port);
      const b = await WireClient.ready(t.port);
      const c = await WireClient.connect(t.port);
      c.send(serialize.startup({ user: 'u' }));
      const msgs = await c.until('error');
      assert.equal(msgs[0].parsed.code, '53300');
      assert.equal(msgs[0].parsed.severity, 'FATAL');
      await c.untilClosed();
      a.end();
      await new Promise((r) => setTimeout(r, 50));
      await healthy(t.port);
      b.end();
    } finally {
      await t.server.close();
    }
  });
});
