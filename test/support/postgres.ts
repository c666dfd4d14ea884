import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresBinDir } from './components.ts';
import { freePort, retryOnPortClash } from './free-port.ts';
import { startManagedProcess } from './managed-process.ts';

const execFileAsync = promisify(execFile);

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  /** Superuser name (default "postgres"). */
  user?: string;
  /** When set, TCP logins need this password (scram-sha-256); otherwise trust auth. */
  password?: string;
  /** Database to create and report (default "postgres", which always exists). */
  database?: string;
  /** Extra server settings passed as `-c name=value`. */
  settings?: Record<string, string>;
  /** Startup timeout in ms (default 30000). */
  timeoutMs?: number;
}

/** A throwaway PostgreSQL server on 127.0.0.1. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** postgres://user[:password]@127.0.0.1:port/database */
  url: string;
  /** The cluster's data directory (removed by stop()). */
  dataDir: string;
  /** Fast shutdown (SIGINT), then removes the data directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a fresh PostgreSQL cluster (initdb into a temp dir, then `postgres` in the foreground) listening
 * only on 127.0.0.1 at a free port, with no Unix socket and durability off for speed. As root it runs as the
 * `postgres` OS user, since PostgreSQL refuses to run as root. Resolves once the server accepts connections.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  return retryOnPortClash(() => startPostgresOnce(options));
}

async function startPostgresOnce(options: PostgresOptions): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error('startPostgres: PostgreSQL server binaries not found (run scripts/install.sh --only apt)');
  const user = options.user ?? 'postgres';
  const database = options.database ?? 'postgres';
  const timeoutMs = options.timeoutMs ?? 30000;
  const owner = serverOsUser();

  const tempDir = mkdtempSync(join(tmpdir(), 'nemeton-pg-'));
  const dataDir = join(tempDir, 'data');
  if (owner) chownSync(tempDir, owner.uid, owner.gid);
  try {
    const initArgs = ['-D', dataDir, '-U', user, '-E', 'UTF8', '--locale=C', '--no-sync', '--auth-local=trust'];
    if (options.password !== undefined) {
      const pwfile = join(tempDir, 'pwfile');
      writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
      if (owner) chownSync(pwfile, owner.uid, owner.gid);
      initArgs.push(`--pwfile=${pwfile}`, '--auth-host=scram-sha-256');
    } else {
      initArgs.push('--auth-host=trust');
    }
    await execFileAsync(join(binDir, 'initdb'), initArgs, { uid: owner?.uid, gid: owner?.gid, timeout: timeoutMs });
  } catch (err) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`startPostgres: initdb failed: ${(err as Error).message}`);
  }

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '100',
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const server = startManagedProcess({
    name: 'postgres',
    command: join(binDir, 'postgres'),
    args,
    uid: owner?.uid,
    gid: owner?.gid,
    env: { ...process.env, LC_ALL: 'C' },
    stopSignal: 'SIGINT',
    tempDirs: [tempDir],
  });
  try {
    await server.waitForOutput(/database system is ready to accept connections/, timeoutMs);
    if (database !== 'postgres') {
      const client = new pg.Client({ host: '127.0.0.1', port, user, password: options.password, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    }
  } catch (err) {
    await server.stop(2000);
    throw err;
  }

  const auth = options.password !== undefined ? `${enc(user)}:${enc(options.password)}` : enc(user);
  return {
    host: '127.0.0.1',
    port,
    user,
    password: options.password,
    database,
    url: `postgres://${auth}@127.0.0.1:${port}/${enc(database)}`,
    dataDir,
    stop: () => server.stop(10000),
  };
}

const enc = encodeURIComponent;

/** The OS account the server must run as: the `postgres` user when we are root, else ourselves (undefined). */
function serverOsUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === 'postgres') return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error('startPostgres: running as root but there is no "postgres" OS user to run the server as');
}
