/**
 * A few million rows stream end to end over the PostgreSQL wire protocol and
 * HTTP SQL: the server's heap stays far below the result size, the native
 * scan is pulled only as fast as the client reads, and cancelling or
 * disconnecting stops the scan.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request, type IncomingMessage } from 'node:http';
import postgres from 'postgres';
import { serialize } from 'pg-protocol';
import { createQueryExecutor, type QueryExecutor } from '../../query/index.ts';
import { createSqlEngine } from '../../planner/engine/create-sql-engine.ts';
import { createPgServer, trustAuthProvider, type PgServer } from '../../server/pgwire/index.ts';
import { createHttpServer, type HttpServer } from '../../server/http/http-server.ts';
import { QueryRegistry } from '../../server/http/query-registry.ts';
import { countingRunner, narrowCatalog, narrowSource, settled, sleep, waitFor, type StreamCounters } from './support/fixtures.ts';
import { HeapWatch, MB } from './support/heap.ts';

const ROWS = 2_000_000;
const DAYS = 4;
const verbose = process.env.STREAMING_VERBOSE !== undefined;
const note = (msg: string) => { if (verbose) console.log(msg); };

describe('streaming SQL end to end', () => {
  let executor: QueryExecutor;
  let counters: StreamCounters;
  let pg: PgServer;
  let pgPort: number;
  let http: HttpServer;
  let httpPort: number;

  before(async () => {
    const t = Date.now();
    const built = narrowSource('big', ROWS, DAYS);
    note(`built ${ROWS} rows in ${built.segments} segments in ${Date.now() - t} ms`);
    executor = createQueryExecutor({ segments: built.source, workers: 0 });
    const counting = countingRunner(executor);
    counters = counting.counters;
    const engine = createSqlEngine({ runner: counting.runner, catalog: narrowCatalog('big') });
    pg = createPgServer({ engine, host: '127.0.0.1', port: 0, auth: trustAuthProvider });
    pgPort = (await pg.listen()).port;
    http = createHttpServer({
      runNative: (q, signal) => executor.run(q, { signal }), sql: engine, queries: new QueryRegistry(),
      version: 'test', isReady: () => true, dataSources: () => built.source.dataSources(),
    });
    httpPort = await http.listen(0, '127.0.0.1');
  });

  after(async () => {
    await pg.close();
    await http.close();
    await executor.close();
  });

  test('every row streams over pgwire with bounded server heap; count and sum match COUNT(*) and SUM(v)', async () => {
    const sql = postgres({ host: '127.0.0.1', port: pgPort, user: 'u', database: 'd', fetch_types: false, max: 1 });
    let agg: { c: unknown; s: unknown };
    try {
      [agg] = await sql`SELECT COUNT(*) AS c, SUM(v) AS s FROM big` as unknown as { c: unknown; s: unknown }[];
    } finally {
      await sql.end();
    }
    assert.equal(Number(agg.c), ROWS);
    const watch = new HeapWatch();
    const before = { chunks: counters.chunks, rows: counters.rows };
    const s = await open(pgPort);
    const t = Date.now();
    let count = 0;
    let sum = 0;
    await readMessages(s, serialize.query('SELECT v FROM big'), (type, body) => {
      if (type !== 0x44) return;
      // DataRow: int16 field count, then int32 length + text of the one field.
      const len = body.readInt32BE(2);
      sum += Number(body.toString('latin1', 6, 6 + len));
      if ((++count & 0x3ffff) === 0) watch.sample();
    });
    s.destroy();
    const ms = Date.now() - t;
    note(`pgwire simple query: ${count} rows in ${ms} ms; live heap growth peak ${(watch.growth / MB).toFixed(1)} MB over ${counters.chunks - before.chunks} native chunks`);
    assert.equal(count, ROWS);
    assert.equal(counters.rows - before.rows, ROWS);
    assert.equal(sum, Number(agg.s));
    assert.equal(sum, (ROWS * (ROWS - 1)) / 2);
    assert.ok(counters.chunks - before.chunks >= Math.floor(ROWS / 20480), 'the scan was not pulled in chunks');
    // The materialised result would be ROWS row arrays (well over 100 MB); the stream holds about one chunk.
    assert.ok(watch.growth < 32 * MB, `live heap grew ${(watch.growth / MB).toFixed(1)} MB while streaming`);
  });

  test('a postgres.js cursor reads a filtered scan batch by batch; its count matches COUNT(*)', async () => {
    const sql = postgres({ host: '127.0.0.1', port: pgPort, user: 'u', database: 'd', fetch_types: false, max: 1 });
    try {
      const [agg] = await sql`SELECT COUNT(*) AS c FROM big WHERE k = 'k3'`;
      let count = 0;
      let batches = 0;
      await sql`SELECT __time, k, v FROM big WHERE k = 'k3'`.cursor(10_000, (rows) => {
        batches++;
        count += rows.length;
        assert.ok(rows.every((r) => r.k === 'k3'));
      });
      assert.equal(count, Number(agg.c));
      assert.equal(count, ROWS / 16);
      assert.equal(batches, Math.ceil(count / 10_000));
    } finally {
      await sql.end();
    }
  });

  test('a client that stops reading stops the scan; disconnecting ends it', async () => {
    const s = await open(pgPort);
    let bytes = 0;
    s.on('data', (b: Buffer) => { bytes += b.length; });
    const ended = counters.ended;
    const start = counters.rows;
    const watch = new HeapWatch();
    s.write(Buffer.concat([serialize.startup({ user: 'u', database: 'd' }), serialize.query('SELECT __time, k, v, d FROM big')]));
    await waitFor(() => bytes > 4 * MB, 10_000, 'first rows');
    s.pause();
    const pulled = await settled(() => counters.rows);
    watch.sample();
    await sleep(500);
    watch.sample();
    note(`paused client: server pulled ${pulled - start} rows, client got ${(bytes / MB).toFixed(1)} MB; heap growth ${(watch.growth / MB).toFixed(1)} MB`);
    // A paused client bounds how far the scan runs ahead (without backpressure all ROWS would be pulled).
    assert.ok(counters.rows - start < ROWS / 2, `pulled ${counters.rows - start} of ${ROWS} rows ahead of a paused client (settled at ${pulled - start})`);
    assert.ok(watch.growth < 32 * MB, `live heap grew ${(watch.growth / MB).toFixed(1)} MB`);
    assert.equal(counters.ended, ended, 'the stream ended while its client was only paused');
    s.destroy();
    await waitFor(() => counters.ended === ended + 1, 5000, 'the native stream to end after disconnect');
    const afterEnd = counters.rows;
    await sleep(100);
    assert.equal(counters.rows, afterEnd, 'rows were pulled after the stream ended');
    assert.ok(afterEnd - start < ROWS / 2, `pulled ${afterEnd - start} rows for a client that disconnected`);
  });

  test('HTTP SQL arrayLines streams every row, and a paused reader holds the scan back', async () => {
    const [countRow] = await collectJson(await postSql({ query: "SELECT COUNT(*) AS c FROM big WHERE k = 'k5'", resultFormat: 'array' })) as unknown[][];
    assert.equal(countRow[0], ROWS / 16);
    const t = Date.now();
    const res = await postSql({ query: "SELECT v FROM big WHERE k = 'k5'", resultFormat: 'arrayLines' });
    assert.equal(res.statusCode, 200);
    let lines = 0;
    let carry = '';
    let sum = 0;
    let reads = 0;
    for await (const chunk of res) {
      reads++;
      const parts = (carry + String(chunk)).split('\n');
      carry = parts.pop()!;
      for (const p of parts) {
        if (p === '') continue;
        sum += (JSON.parse(p) as number[])[0];
        lines++;
      }
    }
    note(`HTTP arrayLines: ${lines} rows in ${Date.now() - t} ms over ${reads} reads`);
    assert.equal(lines, countRow[0]);
    // v = 5, 21, 37, ...: every 16th row number from 5.
    assert.equal(sum, Array.from({ length: lines }, (_, i) => 5 + 16 * i).reduce((a, b) => a + b, 0));
    assert.ok(reads > 3, 'the body arrived in one piece');

    // A reader that stops: the scan stops too; closing the connection ends it.
    const ended = counters.ended;
    const slow = await postSql({ query: 'SELECT __time, k, v FROM big', resultFormat: 'arrayLines' });
    let got = 0;
    slow.on('data', (b: Buffer) => { got += b.length; });
    const start = counters.rows;
    await waitFor(() => got > 2 * MB, 10_000, 'first bytes');
    slow.pause();
    const pulled = await settled(() => counters.rows);
    await sleep(500);
    // Under load a quiet spell can end and buffers top up a little; what matters is that a paused
    // reader bounds how far the scan runs ahead (without backpressure all ROWS would be pulled).
    assert.ok(counters.rows - start < ROWS / 2, `pulled ${counters.rows - start} rows ahead of a paused HTTP reader (settled at ${pulled - start})`);
    slow.destroy();
    await waitFor(() => counters.ended === ended + 1, 5000, 'the native stream to end after the HTTP client left');
  });

  test('cancelling mid-stream stops the scan: pgwire CancelRequest (57014) and DELETE /druid/v2/sql/{id}', async () => {
    const sql = postgres({ host: '127.0.0.1', port: pgPort, user: 'u', database: 'd', fetch_types: false, max: 1 });
    try {
      const ended = counters.ended;
      let seen = 0;
      const q = sql`SELECT k, v FROM big`;
      await assert.rejects(q.forEach(() => {
        if (++seen === 20_000) void q.cancel();
      }), (e: unknown) => (e as { code?: string }).code === '57014');
      note(`pgwire cancel: client saw ${seen} rows`);
      await waitFor(() => counters.ended === ended + 1, 5000, 'the native stream to end after cancel');
      const pulled = counters.rows;
      await sleep(100);
      assert.equal(counters.rows, pulled);
      assert.ok(seen < ROWS / 2, `client saw ${seen} rows`);
      // The connection stays usable.
      const [r] = await sql`SELECT COUNT(*) AS c FROM big WHERE k = 'k1'`;
      assert.equal(Number(r.c), ROWS / 16);
    } finally {
      await sql.end();
    }

    const ended = counters.ended;
    const res = await postSql({ query: 'SELECT k, v FROM big', resultFormat: 'arrayLines', context: { sqlQueryId: 'stream-cancel-1' } });
    assert.equal(res.headers['x-druid-sql-query-id'], 'stream-cancel-1');
    let received = 0;
    let cancelled = false;
    const done = new Promise<void>((resolve) => { res.on('close', resolve); res.on('error', () => resolve()); });
    res.on('data', (b: Buffer) => {
      received += b.length;
      if (!cancelled && received > MB) {
        cancelled = true;
        void deleteQuery('stream-cancel-1');
      }
    });
    const t = Date.now();
    await done;
    note(`HTTP DELETE: response closed after ${(received / MB).toFixed(1)} MB, ${Date.now() - t} ms after the cancel started`);
    await waitFor(() => counters.ended === ended + 1, 5000, 'the native stream to end after DELETE');
    assert.ok(received < 40 * MB, `received ${(received / MB).toFixed(1)} MB after cancel`);
  });

  function postSql(body: Record<string, unknown>): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: httpPort, method: 'POST', path: '/druid/v2/sql', headers: { 'content-type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  function deleteQuery(id: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: httpPort, method: 'DELETE', path: `/druid/v2/sql/${id}` }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
  }
});

async function collectJson(res: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const c of res) text += String(c);
  return JSON.parse(text);
}

/** Starts a session on `s`, sends `message`, and hands each backend message to `onMessage` until the second ReadyForQuery. */
function readMessages(s: Socket, message: Buffer, onMessage: (type: number, body: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let carry: Buffer = Buffer.alloc(0);
    let ready = 0;
    s.on('error', reject);
    s.on('data', (chunk: Buffer) => {
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let pos = 0;
      while (pos + 5 <= buf.length) {
        const len = buf.readInt32BE(pos + 1);
        if (pos + 1 + len > buf.length) break;
        const type = buf[pos];
        if (type === 0x45) reject(new Error(`server error: ${buf.toString('utf8', pos + 5, pos + 1 + len)}`));
        onMessage(type, buf.subarray(pos + 5, pos + 1 + len));
        if (type === 0x5a && ++ready === 2) resolve();
        pos += 1 + len;
      }
      carry = buf.subarray(pos);
    });
    s.write(Buffer.concat([serialize.startup({ user: 'u', database: 'd' }), message]));
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}
