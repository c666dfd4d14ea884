/**
 * The PostgreSQL wire-protocol server: accepts TCP connections, caps how many
 * sessions run at once, routes CancelRequests and shuts down cleanly.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { logger } from '../../common/log.ts';
import type { SqlEngine } from '../../planner/sql-engine.ts';
import type { PgAuthProvider } from './auth-provider.ts';
import { PgConnection, type ConnectionEnvironment } from './connection.ts';

export interface PgServerOptions {
  readonly engine: SqlEngine;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly auth: PgAuthProvider;
  /** PEM key and certificate; when set, SSLRequest is answered 'S' and the connection upgraded. */
  readonly tls?: { readonly key: Buffer | string; readonly cert: Buffer | string };
  /** Let the auth provider's 'trust' apply to non-loopback clients (default false: they get 28000). */
  readonly allowTrustBeyondLoopback?: boolean;
  /** Sessions served at once; the next gets FATAL 53300 (default 100). */
  readonly maxConnections?: number;
  /** Largest frontend message accepted; larger closes the connection with 08P01 (default 64 MiB). */
  readonly maxMessageBytes?: number;
  /** Output is written to the socket in chunks of about this size (default 64 KiB). */
  readonly outputBatchBytes?: number;
  /** Druid query context every session starts with. */
  readonly queryContext?: Readonly<Record<string, unknown>>;
}

export interface PgServer {
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, ends every connection (aborting running queries) and resolves when closed. */
  close(): Promise<void>;
  /** Sessions currently admitted (past the startup packet). */
  readonly sessionCount: number;
}

/** Builds a server for the given engine and auth provider. */
export function createPgServer(options: PgServerOptions): PgServer {
  const log = logger('pgwire');
  const sessions = new Map<number, PgConnection>();
  const sockets = new Set<Socket>();
  const maxConnections = options.maxConnections ?? 100;
  let nextProcessId = 1000 + Math.floor(Math.random() * 100_000);
  const env: ConnectionEnvironment = {
    engine: options.engine,
    auth: options.auth,
    secureContext: options.tls ? createSecureContext({ key: options.tls.key, cert: options.tls.cert }) : null,
    allowTrustBeyondLoopback: options.allowTrustBeyondLoopback ?? false,
    maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024,
    outputBatchBytes: options.outputBatchBytes ?? 64 * 1024,
    defaultQueryContext: options.queryContext ?? {},
    log,
    admit(c) {
      if (sessions.size >= maxConnections) return false;
      sessions.set(c.processId, c);
      return true;
    },
    release(c) {
      if (sessions.get(c.processId) === c) sessions.delete(c.processId);
    },
    cancel(processId, secret) {
      const c = sessions.get(processId);
      if (c && c.secret === secret) c.cancel();
    },
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    nextProcessId = nextProcessId >= 0x7ffffff0 ? 1000 : nextProcessId + 1;
    void new PgConnection(socket, env, nextProcessId).run();
  });
  server.on('error', (e) => log.error(`listener: ${e.message}`));

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const a = server.address();
          if (a === null || typeof a === 'string') resolve({ host: options.host, port: options.port });
          else resolve({ host: a.address, port: a.port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        for (const c of sessions.values()) c.destroy();
        for (const s of sockets) s.destroy();
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
      });
    },
    get sessionCount() {
      return sessions.size;
    },
  };
}
