import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the OS picks it (bind to port 0), the probe socket
 * closes, and the number is returned. Another process may still grab it before the caller binds, so use it
 * at once. Ports handed out by this process are never repeated, which keeps two servers started by the
 * same test from colliding.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freePort: the OS kept returning ports already handed out');
}

const handedOut = new Set<number>();

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('freePort: no port assigned'))));
    });
  });
}

/** True when `err` says a server could not bind its port because another process took it first. */
export function isPortInUseError(err: unknown): boolean {
  return /already in use|could not bind|BindException|EADDRINUSE/i.test(String((err as Error)?.message ?? err));
}

/**
 * Runs `start` (which picks its ports with freePort) up to `attempts` times while it fails only because a
 * port was taken between freePort() and bind — the race inherent in picking ports for another process.
 */
export async function retryOnPortClash<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (err) {
      if (i >= attempts || !isPortInUseError(err)) throw err;
    }
  }
}
