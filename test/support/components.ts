import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir.ts';
import { hasJava } from './java.ts';
import { missingPgClientTools, pgClientTools } from './pg-clients.ts';

/** External servers that integration tests start; scripts/install.sh installs each of them. */
export type ExternalComponent = 'postgres' | 'kafka' | 'minio' | 'pg-clients';

/** The KEY=VALUE pins in scripts/versions.env (KAFKA_VERSION, MINIO_VERSION, PG_MAJOR, ...). */
export function pinnedVersions(): Record<string, string> {
  const file = fileURLToPath(new URL('../../scripts/versions.env', import.meta.url));
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

/**
 * Directory holding PostgreSQL's server binaries (initdb, postgres): $NEMETON_PG_BIN, else Debian's
 * /usr/lib/postgresql/<PG_MAJOR>/bin, else the newest /usr/lib/postgresql/<n>/bin. Undefined when absent.
 */
export function postgresBinDir(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const env = process.env.NEMETON_PG_BIN;
  if (env) return has(env) ? env : undefined;
  const pinned = `/usr/lib/postgresql/${pinnedVersions().PG_MAJOR ?? '15'}/bin`;
  if (has(pinned)) return pinned;
  if (!existsSync('/usr/lib/postgresql')) return undefined;
  const majors = readdirSync('/usr/lib/postgresql')
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = `/usr/lib/postgresql/${major}/bin`;
    if (has(dir)) return dir;
  }
  return undefined;
}

/** Directory of the Kafka broker jars (install.sh's kafka step): $NEMETON_KAFKA_LIBS or the cache. */
export function kafkaLibsDir(): string | undefined {
  const version = pinnedVersions().KAFKA_VERSION;
  const dir = process.env.NEMETON_KAFKA_LIBS || join(cacheDir(), 'kafka', version, 'libs');
  const complete = process.env.NEMETON_KAFKA_LIBS ? true : existsSync(join(cacheDir(), 'kafka', version, '.complete'));
  if (!complete || !existsSync(dir)) return undefined;
  return readdirSync(dir).some((f) => /^kafka_2\.13-.*\.jar$/.test(f)) ? dir : undefined;
}

/** Path of the MinIO server binary (install.sh's minio step): $NEMETON_MINIO_BIN or the cache. */
export function minioBinary(): string | undefined {
  const bin = process.env.NEMETON_MINIO_BIN || join(cacheDir(), 'bin', 'minio');
  return existsSync(bin) ? bin : undefined;
}

/** Where `component` is installed (a directory or binary path), or undefined when it is absent. */
export function locateComponent(component: ExternalComponent): string | undefined {
  switch (component) {
    case 'postgres':
      return postgresBinDir();
    case 'kafka':
      return kafkaLibsDir() && hasJava() ? kafkaLibsDir() : undefined;
    case 'minio':
      return minioBinary();
    case 'pg-clients':
      return missingPgClientTools().length === 0 ? pgClientTools().psql : undefined;
  }
}

/** True when the CI environment variable is set to a truthy value ("true", "1", ...). */
export function isCI(): boolean {
  const v = (process.env.CI ?? '').toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * The value for node:test's `skip` option in tests that need `component`: false when it is installed;
 * a message naming the install command when it is absent outside CI. In CI (CI=true) a missing component
 * is an error, so this throws instead of skipping.
 */
export function skipUnlessInstalled(component: ExternalComponent): string | false {
  if (locateComponent(component) !== undefined) return false;
  const what = component === 'pg-clients' ? `pg-clients (${missingPgClientTools().join(', ')})` : component;
  const message = `${what} is not installed (run: scripts/install.sh --only ${installStep(component)})`;
  if (isCI()) throw new Error(`CI=true and ${message}`);
  return message;
}

function installStep(component: ExternalComponent): string {
  return component === 'postgres' || component === 'pg-clients' ? 'apt' : component;
}

export { javaCommand } from './java.ts';
export { cacheDir } from './cache-dir.ts';
