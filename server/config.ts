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
  };
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
