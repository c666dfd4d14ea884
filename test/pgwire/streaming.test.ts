/** Large results stream with backpressure: the engine is pulled only as fast as the client reads. */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './fixtures/start-server.ts';
import { serialize } from './fixtures/wire-client.ts';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Counts backend messages by type over a raw socket without keeping them. */
function counter(s: Socket): { counts: Map<string, number>; done: Promise<void> } {
  const counts = new Map<string, number>();
  let carry: Buffer = Buffer.alloc(0);
  let readyCount = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  s.on('data', (chunk: Buffer) => {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    while (pos + 5 <= buf.length) {
      const len = buf.readInt32BE(pos + 1);
      if (pos + 1 + len > buf.length) break;
      const type = String.fromCharCode(buf[pos]);
      counts.set(type, (counts.get(type) ?? 0) + 1);
      if (type === 'Z' && ++readyCount === 2) resolveDone();
      pos += 1 + len;
    }
    carry = buf.subarray(pos);
  });
  return { counts, done };
}

describe('streaming', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.server.close());

  test('a slow reader holds back the engine; disconnecting stops it', async () => {
    t.engine.pulled = 0;
    const s = await open(t.port);
    s.write(Buffer.concat([serialize.startup({ user: 'u' }), serialize.query('select * from numbers(10000000)')]));
    await new Promise((r) => setTimeout(r, 100));
    s.pause();
    await new Promise((r) => setTimeout(r, 300));
    const whilePaused = t.engine.pulled;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(t.engine.pulled, whilePaused, 'engine kept producing while the client was not reading');
    assert.ok(whilePaused < 3_000_000, `pulled ${whilePaused} rows ahead of the client`);
    s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const afterClose = t.engine.pulled;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.engine.pulled, afterClose);
    assert.ok(afterClose < 10_000_000);
  });

  test('200,000 rows arrive complete with bounded server memory', async () => {
    const s = await open(t.port);
    const { counts, done } = counter(s);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    s.write(Buffer.concat([serialize.startup({ user: 'u' }), serialize.query('select * from wide(200000)')]));
    await done;
    const ms = Date.now() - started;
    assert.equal(counts.get('D'), 200_000);
    assert.equal(counts.get('C'), 1);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 150 * 1024 * 1024);
    s.destroy();
    if (process.env.PGWIRE_STREAM_VERBOSE) console.log(`streamed 200k rows (4 columns) in ${ms} ms`);
  });

  test('extended-protocol portal keeps its iterator open across Execute calls', async () => {
    const s = await open(t.port);
    const { counts } = counter(s);
    t.engine.pulled = 0;
    s.write(Buffer.concat([
      serialize.startup({ user: 'u' }),
      serialize.query('BEGIN'),
      serialize.parse({ text: 'select * from numbers(1000000)' }),
      serialize.bind({ portal: 'c' }),
      serialize.execute({ portal: 'c', rows: 100 }),
      serialize.sync(),
    ]));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(counts.get('D'), 100);
    assert.equal(counts.get('s'), 1);
    assert.ok(t.engine.pulled <= 101);
    s.write(Buffer.concat([serialize.execute({ portal: 'c', rows: 50 }), serialize.sync()]));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(counts.get('D'), 150);
    s.destroy();
  });
});
