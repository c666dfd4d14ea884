/**
 * Concurrency on the Druid workload mix through pgbench custom scripts: 30%
 * plain aggregates with filters, 60% ordered group-bys, 10% search/metadata,
 * at several client counts; throughput and latency percentiles from
 * pgbench's per-transaction log. Also connection set-up time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Dataset } from './dataset.ts';

const execFileAsync = promisify(execFile);

/** One weighted statement of the mix, in each dialect that runs it over pgwire. */
export interface MixStatement {
  readonly name: string;
  readonly kind: 'aggregate' | 'groupBy' | 'search';
  readonly weight: number;
  readonly nemeton: string;
  readonly postgres: string;
}

/** Where a PostgreSQL-protocol server listens. */
export interface WireTarget { readonly host: string; readonly port: number; readonly user: string; readonly database: string }

export interface ConcurrencyResult {
  readonly clients: number;
  readonly tps: number;
  readonly p50: number;
  readonly p99: number;
  readonly transactions: number;
  readonly failed: number;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The Druid mix over the Wikipedia table; weights add up to 100. */
export function druidMix(d: Dataset): MixStatement[] {
  const day = d.dayStart + DAY * Math.min(1, d.days - 1);
  const range = `__time >= TIMESTAMP '${iso(day)}' AND __time < TIMESTAMP '${iso(day + DAY)}'`;
  const en = '#en.wikipedia';
  const both = (s: string) => ({ nemeton: s, postgres: s.replace(/\bisRobot\b/g, '"isRobot"').replace(/\bcountryName\b/g, '"countryName"').replace(/TIME_FLOOR\(__time, 'PT1H'\)/g, "date_trunc('hour', __time)") });
  return [
    { name: 'agg: count one day', kind: 'aggregate', weight: 10, ...both(`SELECT COUNT(*), SUM(added) FROM wikipedia WHERE ${range}`) },
    { name: 'agg: filtered count', kind: 'aggregate', weight: 10, ...both(`SELECT COUNT(*) FROM wikipedia WHERE channel = '${en}' AND isRobot = 'false'`) },
    { name: 'agg: filtered sums', kind: 'aggregate', weight: 10, ...both(`SELECT SUM(added), SUM(deleted), SUM(score) FROM wikipedia WHERE ${range} AND namespace = 'Main'`) },
    { name: 'groupBy: top pages', kind: 'groupBy', weight: 20, ...both(`SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${range} AND channel = '${en}' GROUP BY page ORDER BY c DESC LIMIT 10`) },
    { name: 'groupBy: hourly by channel', kind: 'groupBy', weight: 20, ...both(`SELECT TIME_FLOOR(__time, 'PT1H') AS h, channel, COUNT(*) AS c FROM wikipedia WHERE ${range} GROUP BY 1, 2 ORDER BY 1, 3 DESC`) },
    { name: 'groupBy: countries', kind: 'groupBy', weight: 20, ...both(`SELECT countryName, SUM(added) AS a FROM wikipedia WHERE ${range} AND isRobot = 'false' GROUP BY countryName ORDER BY a DESC LIMIT 25`) },
    { name: 'search: page contains', kind: 'search', weight: 5, ...both(`SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${range} AND page LIKE '%Wiki%' GROUP BY page ORDER BY c DESC LIMIT 20`) },
    { name: 'metadata: columns', kind: 'search', weight: 5, nemeton: "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'wikipedia'", postgres: "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'wikipedia'" },
  ];
}

/** Writes one pgbench script per statement; returns `-f file@weight` arguments. */
function writeScripts(dir: string, mix: readonly MixStatement[], dialect: 'nemeton' | 'postgres'): string[] {
  return mix.flatMap((m, i) => {
    const file = join(dir, `mix-${i}.sql`);
    writeFileSync(file, `${m[dialect]};\n`);
    return ['-f', `${file}@${m.weight}`];
  });
}

/**
 * Latency percentile in ms (nearest rank) of ascending microsecond samples;
 * NaN when there are none.
 */
export function percentileMs(sortedUs: Float64Array, p: number): number {
  if (sortedUs.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sortedUs.length));
  return sortedUs[Math.min(sortedUs.length, rank) - 1] / 1000;
}

/**
 * Parses one pgbench per-transaction log (`-l`): each line is
 * `client_id transaction_no time script_no time_epoch time_us [...]`, the
 * third field the transaction's latency in microseconds, or `failed` /
 * `skipped` in place of it.
 */
export function parsePgbenchLog(text: string): { latenciesUs: number[]; failed: number } {
  const latenciesUs: number[] = [];
  let failed = 0;
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 6) continue;
    if (parts[2] === 'failed' || parts[2] === 'skipped') { failed++; continue; }
    const us = Number(parts[2]);
    if (Number.isFinite(us) && us >= 0) latenciesUs.push(us);
  }
  return { latenciesUs, failed };
}

/** Runs pgbench for `seconds` at each client count against the target; parses its per-transaction logs. */
export async function runMix(target: WireTarget, mix: readonly MixStatement[], dialect: 'nemeton' | 'postgres', clients: readonly number[], seconds: number): Promise<ConcurrencyResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-pgbench-'));
  const out: ConcurrencyResult[] = [];
  try {
    const scripts = writeScripts(dir, mix, dialect);
    for (const c of clients) {
      const prefix = join(dir, `log-${c}`);
      const args = ['-h', target.host, '-p', String(target.port), '-U', target.user, '-n', '-M', 'simple', '-c', String(c), '-j', String(Math.min(c, 4)), '-T', String(seconds), '-l', `--log-prefix=${prefix}`, ...scripts, target.database];
      await execFileAsync('pgbench', args, { env: { ...process.env, PGCONNECT_TIMEOUT: '10' }, timeout: (seconds + 120) * 1000, maxBuffer: 1 << 26 });
      const samples: number[] = [];
      let failed = 0;
      for (const f of readdirSync(dir).filter((x) => x.startsWith(`log-${c}.`))) {
        const parsed = parsePgbenchLog(readFileSync(join(dir, f), 'utf8'));
        for (const us of parsed.latenciesUs) samples.push(us);
        failed += parsed.failed;
      }
      const sorted = Float64Array.from(samples).sort();
      out.push({ clients: c, tps: samples.length / seconds, p50: percentileMs(sorted, 0.5), p99: percentileMs(sorted, 0.99), transactions: samples.length, failed });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Median milliseconds to open (and close) one connection, over `n` attempts. */
export async function connectTime(config: pg.ClientConfig, n = 20): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const c = new pg.Client(config);
    await c.connect();
    samples.push(performance.now() - t0);
    await c.end();
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}
