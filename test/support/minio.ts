import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minioBinary } from './components.ts';
import { freePort, retryOnPortClash } from './free-port.ts';
import { startManagedProcess } from './managed-process.ts';

/** Options for {@link startMinio}. */
export interface MinioOptions {
  /** Root credentials (defaults: "nemeton" and a random 24-character secret). */
  accessKey?: string;
  secretKey?: string;
  /** Startup timeout in ms (default 30000). */
  timeoutMs?: number;
}

/** A throwaway single-drive MinIO server on 127.0.0.1; field names match the `minio` client's options. */
export interface MinioServer {
  endPoint: string;
  port: number;
  useSSL: false;
  accessKey: string;
  secretKey: string;
  /** "http://127.0.0.1:<port>" */
  url: string;
  /** The data directory (removed by stop()). */
  dataDir: string;
  /** SIGTERM, SIGKILL after a grace period, then removes the data directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the MinIO server that scripts/install.sh built, on a free loopback port with its console on
 * another loopback port, a temp data dir and root credentials; resolves once /minio/health/ready answers 200.
 */
export async function startMinio(options: MinioOptions = {}): Promise<MinioServer> {
  return retryOnPortClash(() => startMinioOnce(options));
}

async function startMinioOnce(options: MinioOptions): Promise<MinioServer> {
  const bin = minioBinary();
  if (!bin) throw new Error('startMinio: MinIO binary not found (run scripts/install.sh --only minio)');
  const accessKey = options.accessKey ?? 'nemeton';
  const secretKey = options.secretKey ?? randomBytes(18).toString('base64url');
  const timeoutMs = options.timeoutMs ?? 30000;
  const [port, consolePort] = [await freePort(), await freePort()];
  const tempDir = mkdtempSync(join(tmpdir(), 'nemeton-minio-'));
  const dataDir = join(tempDir, 'data');
  mkdirSync(dataDir);
  const server = startManagedProcess({
    name: 'minio',
    command: bin,
    args: ['server', dataDir, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
    env: {
      ...process.env,
      MINIO_ROOT_USER: accessKey,
      MINIO_ROOT_PASSWORD: secretKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
      HOME: tempDir,
    },
    cwd: tempDir,
    tempDirs: [tempDir],
  });
  try {
    await server.waitUntil(() => httpStatusIs(`http://127.0.0.1:${port}/minio/health/ready`, 200), timeoutMs, 100);
  } catch (err) {
    await server.stop(1000);
    throw err;
  }
  return {
    endPoint: '127.0.0.1',
    port,
    useSSL: false,
    accessKey,
    secretKey,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    stop: () => server.stop(5000),
  };
}

function httpStatusIs(url: string, status: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === status);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
