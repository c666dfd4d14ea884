/**
 * Node configuration: defaults, then a JSON config file (--config), then
 * command-line flags. Every path is resolved against the working directory.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errors } from '../common/errors.ts';

export interface NemetonConfig {
  /** Root of all local state: metadata.db, deep/, cache/, tmp/. */
  readonly dataDir: string;
  readonly host: string;
  readonly pgPort: number;
  readonly httpPort: number;
  /** Worker threads for segment scans (default: CPU count). */
  readonly workers: number;
  /** Allow trust authentication on a non-loopback address. */
  readonly allowTrustBeyondLoopback: boolean;
  /** Fresh data is persisted to a segment past this many rows. */
  readonly maxRowsInMemory: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Cluster mode: where processes share metadata. Default: SQLite at <data-dir>/metadata.db. */
  readonly metadata?: { readonly type: 'sqlite'; readonly path: string } | { readonly type: 'postgres'; readonly url: string };
  /** Cluster mode: deep storage. Default: the local directory <data-dir>/deep. */
  readonly deepStorage?: { readonly type: 'local'; readonly dir: string }
    | { readonly type: 's3'; readonly endPoint: string; readonly port?: number; readonly accessKey: string; readonly secretKey: string; readonly bucket: string; readonly useSSL?: boolean };
  /** Historical tier in cluster mode. */
  readonly tier?: string;
  /** Queries running at once (Druid's druid.query.scheduler.numThreads); 0 = no limit. */
  readonly maxConcurrentQueries: number;
  /** Queries waiting for a slot beyond maxConcurrentQueries; more get Query capacity exceeded (HTTP 429, SQLSTATE 53300). */
  readonly maxQueuedQueries: number;
  /** Query lanes: name → most queries held at once. Context `lane` picks one; a `low` lane takes negative priorities. */
  readonly queryLanes: Readonly<Record<string, number>>;
  /** Estimated cost (rows touched × per-type weight) up to which a query's tasks run ahead of heavier ones. */
  readonly interactiveQueryCost: number;
}

export const defaultConfig: NemetonConfig = {
  dataDir: './var',
  host: '127.0.0.1',
  pgPort: 5433,
  httpPort: 8888,
  workers: 0,
  allowTrustBeyondLoopback: false,
  maxRowsInMemory: 150_000,
  logLevel: 'info',
  maxConcurrentQueries: 64,
  maxQueuedQueries: 256,
  queryLanes: {},
  interactiveQueryCost: 4_000_000,
};

const keys = [...Object.keys(defaultConfig), 'metadata', 'deepStorage', 'tier'] as (keyof NemetonConfig)[];

function checkPort(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw errors.invalidInput(`${name} must be a port number (0-65535), got [${v}]`);
  return v;
}

/** Merges overrides over the defaults and validates the result. */
export function resolveConfig(fileOverrides: Partial<Record<string, unknown>>, flagOverrides: Partial<NemetonConfig>): NemetonConfig {
  for (const k of Object.keys(fileOverrides)) {
    if (!keys.includes(k as keyof NemetonConfig)) throw errors.invalidInput(`Unknown configuration key [${k}]; known keys: ${keys.join(', ')}`);
  }
  const merged = { ...defaultConfig, ...fileOverrides, ...stripUndefined(flagOverrides) } as NemetonConfig;
  return {
    ...merged,
    dataDir: resolve(String(merged.dataDir)),
    pgPort: checkPort('pgPort', Number(merged.pgPort)),
    httpPort: checkPort('httpPort', Number(merged.httpPort)),
    workers: Math.max(0, Number(merged.workers) | 0),
    maxRowsInMemory: Math.max(1, Number(merged.maxRowsInMemory) | 0),
    maxConcurrentQueries: checkCount('maxConcurrentQueries', merged.maxConcurrentQueries),
    maxQueuedQueries: checkCount('maxQueuedQueries', merged.maxQueuedQueries),
    queryLanes: checkLanes(merged.queryLanes),
    interactiveQueryCost: checkCount('interactiveQueryCost', merged.interactiveQueryCost),
  };
}

function checkCount(name: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw errors.invalidInput(`${name} must be a whole number >= 0, got [${String(v)}]`);
  return n;
}

function checkLanes(v: unknown): Record<string, number> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.invalidInput(`queryLanes must be an object of lane name to query limit, got [${JSON.stringify(v)}]`);
  return Object.fromEntries(Object.entries(v).map(([k, n]) => [k, checkCount(`queryLanes.${k}`, n)]));
}

/** Parses --query-lanes: `name=limit,name=limit`. */
export function parseLanesFlag(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw errors.invalidInput(`--query-lanes expects name=limit[,name=limit...], got [${text}]`);
    out[part.slice(0, eq).trim()] = checkCount(`lane ${part.slice(0, eq).trim()}`, part.slice(eq + 1).trim());
  }
  return out;
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw errors.invalidInput(`Cannot read config file [${path}]: ${(e as Error).message}`);
  }
  try {
    const v = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw errors.invalidInput(`Config file [${path}] is not valid JSON: ${(e as Error).message}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
