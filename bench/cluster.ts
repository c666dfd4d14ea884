/**
 * Multi-process cluster benchmark: real processes on loopback (coordinator, broker, historicals, a
 * realtime) over PostgreSQL metadata and MinIO deep storage (SQLite and a local folder when those servers
 * are not installed), on the benchmark's Wikipedia-shaped rows.
 *
 *   (a) query latency through the broker vs the same segments in one process (startNode), over HTTP
 *   (b) scan rate of a full-scan aggregate with 1 and 2 historicals holding the segments (replication 1)
 *   (c) hand-off: rows inserted through the broker's SQL until a historical serves them and the realtime
 *       has let go
 *   (d) recovery: SIGKILL of a historical (replication 2) until the coordinator has re-replicated, with a
 *       query stream running meanwhile
 *   (e) process start-up: spawn to ready of a historical from the sources (tsx) vs the build in dist/
 *
 * Run: node --import tsx bench/cluster.ts [--rows 2000000] [--days 8] [--runs 10] [--workers 1]
 * Writes bench/results/cluster.{md,json}.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PostgresMetadataStore } from '../cluster/metadata/postgres-metadata-store.ts';
import { SqliteMetadataStore } from '../cluster/metadata/sqlite-metadata-store.ts';
import type { MetadataStore } from '../cluster/metadata/metadata-store.ts';
import type { ClusterStore } from '../cluster/roles/cluster-store.ts';
import { SqliteClusterStore } from '../cluster/roles/sqlite-cluster-store.ts';
import { S3DeepStorage } from '../cluster/deep-storage/s3-deep-storage.ts';
import { LocalDeepStorage } from '../cluster/deep-storage/local-deep-storage.ts';
import type { DeepStorage } from '../cluster/deep-storage/deep-storage.ts';
import { SegmentPublisher } from '../cluster/segment-publisher.ts';
import { buildSegments, type BuiltSegment } from '../storage/build-segments.ts';
import { openSegment } from '../storage/format/segment-reader.ts';
import { startNode, type RunningNode } from '../server/node.ts';
import { resolveConfig } from '../server/config.ts';
import type { ClusterNodeOptions } from '../server/cluster-node.ts';
import { skipUnlessInstalled, startMinio, startPostgres, type MinioServer, type PostgresServer } from '../test/support/index.ts';
import { getJson, spawnClusterNode, waitFor, type NodeProcess } from '../test/cluster-roles/fixtures/cluster-process.ts';
import { benchSchema, makeDataset } from './lib/dataset.ts';

const { values: argv } = parseArgs({
  options: { rows: { type: 'string' }, days: { type: 'string' }, runs: { type: 'string' }, workers: { type: 'string' }, 'handoff-rows': { type: 'string' } },
});
const ROWS = Number(argv.rows ?? 2_000_000);
const DAYS = Number(argv.days ?? 8);
const RUNS = Math.max(10, Number(argv.runs ?? 10));
const WORKERS = Number(argv.workers ?? 1);
const HANDOFF_ROWS = Number(argv['handoff-rows'] ?? 20_000);
const HEARTBEAT_MS = 250;
const HEARTBEAT_TTL_MS = 1500;
const COORDINATOR_LEASE_MS = 900;
const HANDOFF_GRACE_MS = 500;
const DS = 'wikipedia';

const began = performance.now();
function progress(message: string): void {
  process.stdout.write(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

interface Stats { readonly min: number; readonly median: number; readonly p95: number; readonly runs: number }

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { min: round(s[0]), median: round(at(0.5)), p95: round(at(0.95)), runs: s.length };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs `fn` 2 times to warm up, then `runs` times timed. */
async function timed(fn: () => Promise<unknown>, runs = RUNS): Promise<Stats> {
  for (let i = 0; i < 2; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return stats(xs);
}

/** Deep equality, with doubles equal to 1e-9 relative (a sum's last digits depend on the merge order). */
function sameResult(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameResult(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameResult((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Times two alternatives run for run in alternation (so a change in machine load hits both alike). */
async function timedPair(a: () => Promise<unknown>, b: () => Promise<unknown>, runs = RUNS): Promise<[Stats, Stats]> {
  for (let i = 0; i < 2; i++) { await a(); await b(); }
  const xa: number[] = [];
  const xb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, xs] of (i % 2 === 0 ? [[a, xa], [b, xb]] : [[b, xb], [a, xa]]) as [() => Promise<unknown>, number[]][]) {
      const t0 = performance.now();
      await fn();
      xs.push(performance.now() - t0);
    }
  }
  return [stats(xa), stats(xb)];
}

async function postNative(url: string, query: unknown): Promise<unknown> {
  const res = await fetch(`${url}/druid/v2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function postSql(url: string, query: string): Promise<unknown> {
  const res = await fetch(`${url}/druid/v2/sql`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, resultFormat: 'array', context: { useCache: false } }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

// ---------------------------------------------------------------------------------------------- data

progress(`generating ${ROWS.toLocaleString()} rows over ${DAYS} days`);
const dataset = makeDataset(ROWS, DAYS);
const channelCounts = new Map<string, number>();
for (const r of dataset.rows) channelCounts.set(String(r.channel), (channelCounts.get(String(r.channel)) ?? 0) + 1);
const secondChannel = [...channelCounts].sort((a, b) => b[1] - a[1])[1][0];
const schema = benchSchema(DS);
const built: BuiltSegment[] = buildSegments(dataset.rows, schema, { segmentVersion: '2024-01-01T00:00:00.000Z' });
const segmentCount = built.length;
const interval = [`${new Date(dataset.dayStart).toISOString()}/P${DAYS}D`];
progress(`built ${segmentCount} segments (${(built.reduce((n, b) => n + b.bytes.byteLength, 0) / 1024 ** 2).toFixed(0)} MiB)`);

const noCache = { useCache: false, populateCache: false };
const QUERIES: { name: string; query: Record<string, unknown> }[] = [
  { name: `filtered count (channel = ${secondChannel})`, query: { queryType: 'timeseries', dataSource: DS, intervals: interval, granularity: 'all',
    filter: { type: 'selector', dimension: 'channel', value: secondChannel }, aggregations: [{ type: 'count', name: 'c' }], context: noCache } },
  { name: 'topN page by added, 10', query: { queryType: 'topN', dataSource: DS, intervals: interval, granularity: 'all', dimension: 'page', metric: 'added',
    threshold: 10, aggregations: [{ type: 'longSum', name: 'added', fieldName: 'added' }], context: noCache } },
  { name: 'groupBy hour x channel', query: { queryType: 'groupBy', dataSource: DS, intervals: interval, granularity: 'hour', dimensions: ['channel'],
    aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 'added', fieldName: 'added' }], context: noCache } },
  { name: 'full scan: sum of a double and a long', query: FULL_SCAN() },
];
/** The scan-rate query: every row goes through the grouping kernel (no index or summary can answer it). */
function SCAN_RATE(): Record<string, unknown> {
  return { queryType: 'groupBy', dataSource: DS, intervals: interval, granularity: 'all', dimensions: ['countryName'],
    aggregations: [{ type: 'count', name: 'rows' }, { type: 'doubleSum', name: 'score', fieldName: 'score' }, { type: 'longMax', name: 'added', fieldName: 'added' }], context: noCache };
}
function FULL_SCAN(): Record<string, unknown> {
  return { queryType: 'timeseries', dataSource: DS, intervals: interval, granularity: 'all',
    aggregations: [{ type: 'doubleSum', name: 'score', fieldName: 'score' }, { type: 'longSum', name: 'delta', fieldName: 'delta' }, { type: 'count', name: 'rows' }], context: noCache };
}

// -------------------------------------------------------------------------------- infrastructure

const tmp = mkdtempSync(join(tmpdir(), 'nemeton-bench-cluster-'));
const useServers = !skipUnlessInstalled('postgres') && !skipUnlessInstalled('minio');
let pg: PostgresServer | undefined;
let minio: MinioServer | undefined;
const procs: NodeProcess[] = [];
let oneProcess: RunningNode | undefined;

async function cleanup(): Promise<void> {
  await Promise.all(procs.map((p) => p.process.stop(15_000).catch(() => {})));
  await oneProcess?.stop().catch(() => {});
  await Promise.all([pg?.stop(), minio?.stop()]).catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}

async function openClusterStores(base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'>): Promise<{ metadata: MetadataStore; cluster: ClusterStore; close(): Promise<void> }> {
  if (base.metadata.type === 'postgres') {
    const s = await PostgresMetadataStore.open({ url: base.metadata.url });
    return { metadata: s, cluster: s, close: () => s.close() };
  }
  const metadata = new SqliteMetadataStore(base.metadata.path);
  const cluster = new SqliteClusterStore(base.metadata.path);
  return { metadata, cluster, close: async () => { cluster.close(); await metadata.close(); } };
}

function toPublish(): { id: BuiltSegment['id']; bytes: Uint8Array; numRows: number }[] {
  return built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: openSegment(b.bytes, b.id).numRows }));
}

/** Start-up of one historical process from the sources vs from dist/, interleaved. */
async function measureStartup(base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'>): Promise<Record<string, Stats>> {
  const build = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--quiet'], { encoding: 'utf8' });
  if (build.status !== 0) progress(`build failed, start-up from dist/ not measured: ${build.stderr}`);
  const samples: Record<string, number[]> = { 'sources (tsx)': [], 'dist/ (compiled)': [] };
  for (let i = 0; i < 4; i++) {
    for (const compiled of [false, true]) {
      const p = await spawnClusterNode(`startup-${i}`, { ...base, roles: ['historical'], dataDir: join(tmp, `startup-${compiled}-${i}`) }, { compiled });
      await p.process.stop(10_000);
      if (compiled && !p.compiled) continue;
      samples[compiled ? 'dist/ (compiled)' : 'sources (tsx)'].push(p.spawnMs);
    }
  }
  const out: Record<string, Stats> = {};
  for (const [k, xs] of Object.entries(samples)) if (xs.length > 0) out[k] = stats(xs);
  return out;
}

async function main(): Promise<void> {
  if (useServers) {
    progress('starting PostgreSQL and MinIO');
    [pg, minio] = await Promise.all([startPostgres(), startMinio()]);
  }
  const base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'> = {
    metadata: pg ? { type: 'postgres', url: pg.url } : { type: 'sqlite', path: join(tmp, 'metadata.db') },
    deepStorage: minio
      ? { type: 's3', endPoint: minio.endPoint, port: minio.port, accessKey: minio.accessKey, secretKey: minio.secretKey, bucket: 'deep', useSSL: false }
      : { type: 'local', dir: join(tmp, 'deep') },
    host: '127.0.0.1', httpPort: 0, heartbeatMs: HEARTBEAT_MS, heartbeatTtlMs: HEARTBEAT_TTL_MS, brokerPollMs: 200,
    coordinatorLeaseMs: COORDINATOR_LEASE_MS, workers: WORKERS, realtimeHandoffGraceMs: HANDOFF_GRACE_MS, realtimeHandoffPeriodMs: 0,
  };
  const opts = (roles: ClusterNodeOptions['roles'], name: string): ClusterNodeOptions => ({ ...base, roles, dataDir: join(tmp, name) });
  const spawnNode = async (label: string, roles: ClusterNodeOptions['roles']) => {
    const p = await spawnClusterNode(label, opts(roles, label), { compiled: true, timeoutMs: 90_000 });
    procs.push(p);
    return p;
  };
  const servedBy = async (p: NodeProcess) => (await getJson(`${p.url}/druid/historical/v1/segments`)) as string[];

  progress('(e) start-up of a historical process: sources vs dist/');
  const startup = await measureStartup(base);
  for (const [k, s] of Object.entries(startup)) progress(`    ${k}: median ${s.median} ms (min ${s.min}, ${s.runs} runs)`);

  // Publish into the cluster's stores (replication 1 to begin with) and into a one-process data folder.
  progress(`publishing ${segmentCount} segments to ${useServers ? 'PostgreSQL + MinIO' : 'SQLite + a local folder'} and to the one-process node`);
  const stores = await openClusterStores(base);
  const deep: DeepStorage = minio ? new S3DeepStorage({ ...minio, bucket: 'deep' }) : new LocalDeepStorage(join(tmp, 'deep'));
  const segs = toPublish();
  await new SegmentPublisher(deep, stores.metadata).publish(segs);
  await stores.cluster.setRules('_default', [{ type: 'loadForever', tieredReplicants: { _default_tier: 1 } }]);
  await stores.close();
  const oneDir = join(tmp, 'one-process');
  const oneStore = new SqliteMetadataStore(join(oneDir, 'metadata.db'));
  await new SegmentPublisher(new LocalDeepStorage(join(oneDir, 'deep')), oneStore).publish(segs);
  await oneStore.close();

  progress('starting coordinator, broker and one historical');
  const [coordinator, broker, h1] = await Promise.all([
    spawnNode('coordinator', ['coordinator']), spawnNode('broker', ['broker']), spawnNode('historical-1', ['historical']),
  ]);
  const fullExpected = JSON.stringify(await (async () => {
    await waitFor('historical-1 to load every segment', async () => (await servedBy(h1)).length === segmentCount, 180_000, 250);
    await waitFor('the broker to see every segment', async () => {
      const r = await postNative(broker.url, FULL_SCAN()) as { result: { rows: number } }[];
      return r[0]?.result.rows === ROWS;
    }, 60_000, 200);
    return postNative(broker.url, FULL_SCAN());
  })());

  progress('starting the one-process node on the same segments');
  oneProcess = await startNode(resolveConfig({}, { dataDir: oneDir, pgPort: 0, httpPort: 0, logLevel: 'warn', workers: WORKERS }));
  oneProcess.markReady();
  const oneUrl = `http://127.0.0.1:${oneProcess.httpPort}`;
  if (!sameResult(await postNative(oneUrl, FULL_SCAN()), JSON.parse(fullExpected))) throw new Error('one-process and broker answers differ');

  progress(`(a) latency, ${RUNS} runs per query (after 2 warm-ups), one process and broker alternating, result cache off`);
  const latency: { name: string; oneProcess: Stats; broker1: Stats; broker2?: Stats }[] = [];
  for (const q of QUERIES) {
    const [one, b1] = await timedPair(() => postNative(oneUrl, q.query), () => postNative(broker.url, q.query));
    latency.push({ name: q.name, oneProcess: one, broker1: b1 });
    progress(`    ${q.name}: one process ${one.median} ms, broker + 1 historical ${b1.median} ms (medians)`);
  }
  await oneProcess.stop();
  oneProcess = undefined;

  progress('(b) scan rate with 1 historical');
  const scan1 = await timed(() => postNative(broker.url, SCAN_RATE()), RUNS * 2);
  progress(`    ${scan1.median} ms median → ${Math.round(ROWS / (scan1.median / 1000)).toLocaleString()} rows/s`);

  progress('starting a second historical; waiting for the coordinator to balance the segments');
  const h2 = await spawnNode('historical-2', ['historical']);
  const balanceStart = performance.now();
  await waitFor('a balanced split over two historicals', async () => {
    const [a, b] = await Promise.all([servedBy(h1), servedBy(h2)]);
    return Math.abs(a.length - b.length) <= segmentCount % 2 && a.length + b.length === segmentCount;
  }, 120_000, 250);
  const balanceMs = Math.round(performance.now() - balanceStart);
  const split = [(await servedBy(h1)).length, (await servedBy(h2)).length];
  await waitFor('the broker to route to both historicals', async () => sameResult(await postNative(broker.url, FULL_SCAN()), JSON.parse(fullExpected)), 30_000, 200);
  // Let the broker's view settle on the final split (moves drop from the source after the target loads).
  await new Promise((r) => setTimeout(r, 1000));
  progress(`    balanced ${split.join(' + ')} segments in ${balanceMs} ms`);
  progress('(b) scan rate with 2 historicals');
  const scan2 = await timed(() => postNative(broker.url, SCAN_RATE()), RUNS * 2);
  progress(`    ${scan2.median} ms median → ${Math.round(ROWS / (scan2.median / 1000)).toLocaleString()} rows/s`);
  for (const [i, q] of QUERIES.entries()) latency[i].broker2 = await timed(() => postNative(broker.url, q.query));

  progress(`(c) hand-off: ${HANDOFF_ROWS.toLocaleString()} rows inserted through the broker's SQL`);
  const realtime = await spawnNode('realtime', ['realtime']);
  await waitFor('the broker to see the realtime', async () => {
    const r = await postSql(broker.url, "SELECT COUNT(*) FROM sys.servers WHERE server_type = 'indexer'") as number[][];
    return r[0][0] === 1;
  }, 20_000, 200);
  const insertStart = performance.now();
  const batch = 2000;
  for (let from = 0; from < HANDOFF_ROWS; from += batch) {
    const n = Math.min(batch, HANDOFF_ROWS - from);
    const values = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return `(TIMESTAMP '2024-03-0${1 + (i % 3)} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00', 'p${i % 97}', ${i})`;
    });
    await postSql(broker.url, `INSERT INTO fresh (__time, page, n) VALUES ${values.join(', ')}`);
  }
  const insertMs = performance.now() - insertStart;
  const freshCount = (await postSql(broker.url, 'SELECT COUNT(*) FROM fresh') as number[][])[0][0];
  if (freshCount !== HANDOFF_ROWS) throw new Error(`fresh rows visible: ${freshCount}, expected ${HANDOFF_ROWS}`);
  const handoffStart = performance.now();
  const res = await fetch(`${realtime.url}/druid/realtime/v1/handoff`, { method: 'POST', body: JSON.stringify({ dataSource: 'fresh' }) });
  await res.text();
  const publishedMs = performance.now() - handoffStart;
  const historicals = [h1, h2];
  await waitFor('a historical to serve the handed-off segments', async () => {
    const lists = await Promise.all(historicals.map(servedBy));
    return lists.flat().filter((id) => id.startsWith('fresh_')).length >= 3;
  }, 60_000, 50);
  const servedMs = performance.now() - handoffStart;
  await waitFor('the realtime to let go', async () => {
    const s = await getJson(`${realtime.url}/druid/realtime/v1/status`) as { dataSources: unknown[] };
    return s.dataSources.length === 0;
  }, 60_000, 50);
  const droppedMs = performance.now() - handoffStart;
  const afterCount = (await postSql(broker.url, 'SELECT COUNT(*) FROM fresh') as number[][])[0][0];
  if (afterCount !== HANDOFF_ROWS) throw new Error(`rows after hand-off: ${afterCount}, expected ${HANDOFF_ROWS}`);
  const handoff = {
    rows: HANDOFF_ROWS, insertMs: Math.round(insertMs), insertRowsPerSec: Math.round(HANDOFF_ROWS / (insertMs / 1000)),
    publishedMs: Math.round(publishedMs), servedByHistoricalMs: Math.round(servedMs), droppedByRealtimeMs: Math.round(droppedMs),
  };
  progress(`    insert ${handoff.insertMs} ms; hand-off: published ${handoff.publishedMs} ms, served by a historical ${handoff.servedByHistoricalMs} ms, realtime let go ${handoff.droppedByRealtimeMs} ms`);

  progress('(d) recovery: replication 2 over three historicals, then SIGKILL of one');
  const h3 = await spawnNode('historical-3', ['historical']);
  historicals.push(h3);
  const setRules = await fetch(`${coordinator.url}/druid/coordinator/v1/rules/_default`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ type: 'loadForever', tieredReplicants: { _default_tier: 2 } }]),
  });
  await setRules.text();
  const replicas = async (hs: NodeProcess[]) => {
    const count = new Map<string, number>();
    for (const l of await Promise.all(hs.map(servedBy))) for (const id of l) if (id.startsWith(`${DS}_`)) count.set(id, (count.get(id) ?? 0) + 1);
    return count;
  };
  await waitFor('two replicas of every segment', async () => {
    const c = await replicas(historicals);
    return c.size === segmentCount && [...c.values()].every((n) => n === 2);
  }, 180_000, 250);
  await new Promise((r) => setTimeout(r, 1500)); // the broker's view catches up with the final placement
  const held = await Promise.all(historicals.map(servedBy));
  const victimIndex = held.reduce((best, l, i) => (l.filter((id) => id.startsWith(`${DS}_`)).length > held[best].filter((id) => id.startsWith(`${DS}_`)).length ? i : best), 0);
  const victim = historicals[victimIndex];
  const survivors = historicals.filter((_, i) => i !== victimIndex);
  const victimSegments = held[victimIndex].filter((id) => id.startsWith(`${DS}_`)).length;
  let stop = false;
  let queries = 0;
  let failures = 0;
  const failureMessages = new Set<string>();
  const expectedFiltered = JSON.stringify(await postNative(broker.url, QUERIES[0].query));
  const stream = async () => {
    while (!stop) {
      const useFull = queries % 2 === 0;
      try {
        const body = await postNative(broker.url, useFull ? FULL_SCAN() : QUERIES[0].query);
        if (!sameResult(body, JSON.parse(useFull ? fullExpected : expectedFiltered))) {
          failures++;
          failureMessages.add(`wrong result: ${JSON.stringify(body).slice(0, 200)}`);
        }
      } catch (e) {
        failures++;
        failureMessages.add((e as Error).message.slice(0, 300));
      }
      queries++;
    }
  };
  const streams = [stream(), stream()];
  await new Promise((r) => setTimeout(r, 500));
  const killedAt = performance.now();
  victim.process.child.kill('SIGKILL');
  await waitFor('re-replication onto the survivors', async () => {
    const c = await replicas(survivors);
    return c.size === segmentCount && [...c.values()].every((n) => n === 2);
  }, 120_000, 50);
  const recoveryMs = Math.round(performance.now() - killedAt);
  await new Promise((r) => setTimeout(r, 500));
  stop = true;
  await Promise.all(streams);
  for (const m of failureMessages) progress(`    failure: ${m}`);
  const recovery = { victimSegments, heartbeatTtlMs: HEARTBEAT_TTL_MS, coordinatorPassMs: Math.round(COORDINATOR_LEASE_MS / 3), recoveryMs, queries, failures };
  progress(`    re-replicated ${victimSegments} segments in ${recoveryMs} ms after the kill (heartbeat TTL ${HEARTBEAT_TTL_MS} ms); ${queries} queries meanwhile, ${failures} failed`);

  const scanRate = {
    oneHistorical: { ...scan1, rowsPerSec: Math.round(ROWS / (scan1.median / 1000)), bestRowsPerSec: Math.round(ROWS / (scan1.min / 1000)) },
    twoHistoricals: { ...scan2, rowsPerSec: Math.round(ROWS / (scan2.median / 1000)), bestRowsPerSec: Math.round(ROWS / (scan2.min / 1000)), split, balanceMs },
    speedup: round(scan1.median / scan2.median, 2),
    bestSpeedup: round(scan1.min / scan2.min, 2),
  };
  const compiledProcesses = `${procs.filter((p) => p.compiled).length} of ${procs.length}`;
  const report = {
    generatedAt: new Date().toISOString(), node: process.version, cpus: cpus().length, rows: ROWS, days: DAYS, segments: segmentCount,
    workersPerProcess: WORKERS, compiledProcesses, loadAverage: loadavg().map((x) => round(x, 1)), stores: useServers ? 'PostgreSQL + MinIO' : 'SQLite + local folder', startup, latency, scanRate, handoff, recovery,
    totalSeconds: round((performance.now() - began) / 1000, 0),
  };
  writeFileSync(join(import.meta.dirname, 'results', 'cluster.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(import.meta.dirname, 'results', 'cluster.md'), toMarkdown(report));
  progress('wrote bench/results/cluster.md and cluster.json');
}

function toMarkdown(r: {
  generatedAt: string; node: string; cpus: number; rows: number; days: number; segments: number; workersPerProcess: number; stores: string;
  compiledProcesses: string; loadAverage: number[];
  startup: Record<string, Stats>; latency: { name: string; oneProcess: Stats; broker1: Stats; broker2?: Stats }[];
  scanRate: {
    oneHistorical: Stats & { rowsPerSec: number; bestRowsPerSec: number };
    twoHistoricals: Stats & { rowsPerSec: number; bestRowsPerSec: number; split: number[]; balanceMs: number };
    speedup: number; bestSpeedup: number;
  };
  handoff: Record<string, number>; recovery: Record<string, number>; totalSeconds: number;
}): string {
  const ms = (s: Stats) => `${s.min} / ${s.median} / ${s.p95}`;
  const lines = [
    '# Cluster benchmark',
    '',
    `Generated ${r.generatedAt} by \`node --import tsx bench/cluster.ts\` (Node ${r.node}, ${r.cpus} cores shared with other work; ${r.totalSeconds} s).`,
    `${r.rows.toLocaleString()} Wikipedia-shaped rows over ${r.days} days in ${r.segments} segments; metadata and deep storage: ${r.stores};`,
    `every process is a separate OS process on loopback (${r.compiledProcesses} ran the dist/ build, the others the sources under tsx),`,
    `${r.workersPerProcess} query worker thread(s) per data process. Load average at the end: ${r.loadAverage.join(', ')}. Latencies in ms: min / median / p95.`,
    '',
    '## (a) Query latency over HTTP: broker vs one process',
    '',
    'One process and broker + 1 historical run alternately, run for run; the 2-historical column was measured later (after (b)).',
    '',
    '| query | one process | broker + 1 historical | broker + 2 historicals | broker overhead (median, 1 historical) |',
    '|---|---|---|---|---|',
    ...r.latency.map((l) => `| ${l.name} | ${ms(l.oneProcess)} | ${ms(l.broker1)} | ${l.broker2 ? ms(l.broker2) : '-'} | ${round(l.broker1.median / l.oneProcess.median, 2)}x |`),
    '',
    '## (b) Scan rate of a full-scan aggregate (replication 1)',
    '',
    'groupBy countryName over every row: count, doubleSum, longMax; result cache off.',
    '',
    '| historicals | ms (min / median / p95) | rows/s (median) | rows/s (best run) |',
    '|---|---|---|---|',
    `| 1 | ${ms(r.scanRate.oneHistorical)} | ${r.scanRate.oneHistorical.rowsPerSec.toLocaleString()} | ${r.scanRate.oneHistorical.bestRowsPerSec.toLocaleString()} |`,
    `| 2 (split ${r.scanRate.twoHistoricals.split.join(' + ')}, balanced in ${r.scanRate.twoHistoricals.balanceMs} ms) | ${ms(r.scanRate.twoHistoricals)} | ${r.scanRate.twoHistoricals.rowsPerSec.toLocaleString()} | ${r.scanRate.twoHistoricals.bestRowsPerSec.toLocaleString()} |`,
    '',
    `Speed-up 1 → 2 historicals: ${r.scanRate.speedup}x by medians, ${r.scanRate.bestSpeedup}x by best runs (2 cores, shared: the second process only helps when a core is idle).`,
    '',
    '## (c) Hand-off of rows inserted through the broker',
    '',
    `${r.handoff.rows.toLocaleString()} rows by SQL INSERT ... VALUES in batches of 2000: ${r.handoff.insertMs} ms (${r.handoff.insertRowsPerSec.toLocaleString()} rows/s), all visible to the next query.`,
    `From the hand-off request: published to deep storage and metadata ${r.handoff.publishedMs} ms; served by a historical ${r.handoff.servedByHistoricalMs} ms;`,
    `dropped by the realtime ${r.handoff.droppedByRealtimeMs} ms (it holds on ${HANDOFF_GRACE_MS} ms after a historical serves, so brokers see the historical first).`,
    '',
    '## (d) Recovery after SIGKILL of a historical (replication 2, 3 historicals)',
    '',
    `${r.recovery.victimSegments} segments lost a replica; the survivors held two replicas of every segment again ${r.recovery.recoveryMs} ms after the kill`,
    `(heartbeat time-to-live ${r.recovery.heartbeatTtlMs} ms, coordinator pass every ${r.recovery.coordinatorPassMs} ms). Queries meanwhile: ${r.recovery.queries}, failed or wrong: ${r.recovery.failures}.`,
    '',
    '## (e) Process start-up (spawn to ready, one historical)',
    '',
    '| entry | ms (min / median / p95) |',
    '|---|---|',
    ...Object.entries(r.startup).map(([k, s]) => `| ${k} | ${ms(s)} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

try {
  await main();
} finally {
  await cleanup();
}
