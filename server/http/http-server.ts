/**
 * Nemeton's HTTP API on Druid's paths, so Druid's own clients work:
 *   GET  /status, /status/health
 *   POST /druid/v2            native queries (?pretty)
 *   DELETE /druid/v2/{id}     cancel
 *   POST /druid/v2/sql        SQL (Druid's request and result formats)
 *   DELETE /druid/v2/sql/{id} cancel
 *   GET  /druid/v2/datasources, /druid/coordinator/v1/datasources
 * Further routes (indexer, coordinator) are added by their owners via `router`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import type { SqlEngine } from '../../planner/sql-engine.ts';
import { readJson } from './request-body.ts';
import { Router } from './router.ts';
import { sendError, sendJson, writeWithBackpressure } from './responses.ts';
import { QueryRegistry } from './query-registry.ts';
import { parseResultFormat, writeSqlResult } from './sql-result-writer.ts';
import { sqlParameterValues } from './sql-parameters.ts';
import { consolePage } from '../console/console-page.ts';

const log = logger('http');

export interface HttpServerDeps {
  /** Runs a native query given as raw JSON (validated by the query layer). */
  runNative(query: unknown, signal: AbortSignal): Promise<unknown[]>;
  /** Streams a native query's result in chunks (scans stream; others arrive as one chunk). */
  streamNative?(query: unknown, signal: AbortSignal): AsyncIterable<unknown[]>;
  readonly sql: SqlEngine;
  dataSources(): string[];
  isReady(): boolean;
  readonly version: string;
  readonly queries: QueryRegistry;
}

export interface HttpServer {
  readonly router: Router;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const router = new Router();
  let hostLabel: string | null = null;

  const sendConsole = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(consolePage);
  };
  router.add('GET', '/', sendConsole);
  router.add('GET', '/unified-console.html', sendConsole);
  router.add('GET', '/status', (_req, res) => sendJson(res, 200, { version: deps.version, modules: [], memory: process.memoryUsage() }));
  router.add('GET', '/status/health', (_req, res) => sendJson(res, deps.isReady() ? 200 : 503, deps.isReady()));
  router.add('GET', '/druid/v2/datasources', (_req, res) => sendJson(res, 200, deps.dataSources()));
  router.add('GET', '/druid/coordinator/v1/datasources', (_req, res) => sendJson(res, 200, deps.dataSources()));

  router.add('POST', '/druid/v2', async (req, res, _p, url) => {
    const body = await readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.invalidInput('Native query must be a JSON object');
    const ctx = (body as { context?: { queryId?: unknown } }).context;
    const requestedId = typeof ctx?.queryId === 'string' ? ctx.queryId : undefined;
    const q = deps.queries.start(requestedId, abortOnClose(req, res));
    try {
      const pretty = url.searchParams.has('pretty');
      if (deps.streamNative && (body as { queryType?: unknown }).queryType === 'scan' && !pretty) {
        await streamJsonArray(res, deps.streamNative(body, q.signal), q.queryId);
      } else {
        const results = await deps.runNative(body, q.signal);
        res.setHeader('x-druid-query-id', q.queryId);
        sendJson(res, 200, results, pretty);
      }
    } finally {
      q.done();
    }
  });
  router.add('DELETE', '/druid/v2/{id}', (_req, res, p) => {
    deps.queries.cancel(p.id);
    res.writeHead(202).end();
  });

  router.add('POST', '/druid/v2/sql', async (req, res) => {
    const body = await readJson(req) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || typeof body.query !== 'string') {
      throw errors.invalidInput('SQL request must be a JSON object with a string "query" field');
    }
    const format = parseResultFormat(body.resultFormat);
    const context = (typeof body.context === 'object' && body.context !== null ? body.context : {}) as Record<string, unknown>;
    const q = deps.queries.start(typeof context.sqlQueryId === 'string' ? context.sqlQueryId : undefined, abortOnClose(req, res));
    try {
      const result = await deps.sql.execute(body.query, sqlParameterValues(body.parameters), {
        queryContext: { ...context, sqlQueryId: q.queryId },
        user: 'admin',
        database: 'nemeton',
        settings: new Map(),
        signal: q.signal,
      });
      await writeSqlResult(res, result, format, {
        header: body.header === true,
        typesHeader: body.typesHeader === true,
        sqlTypesHeader: body.sqlTypesHeader === true,
      });
    } finally {
      q.done();
    }
  });
  router.add('DELETE', '/druid/v2/sql/{id}', (_req, res, p) => {
    const found = deps.queries.cancel(p.id);
    res.writeHead(found ? 202 : 404).end();
  });

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = router.match(req.method ?? 'GET', url.pathname);
    if (m === null) {
      sendJson(res, 404, { error: 'Not found', errorMessage: `No such endpoint [${req.method} ${url.pathname}]`, errorClass: null, host: hostLabel });
      return;
    }
    if ('allowed' in m) {
      res.writeHead(405, { allow: m.allowed.join(', ') }).end();
      return;
    }
    try {
      await m.handler(req, res, m.params, url);
    } catch (e) {
      log.debug(`request ${req.method} ${url.pathname} failed: ${(e as Error).message}`);
      sendError(res, e, hostLabel);
    }
  }

  return {
    router,
    listen: (port, host) => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const actual = (server.address() as AddressInfo).port;
        hostLabel = `${host}:${actual}`;
        resolve(actual);
      });
    }),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * Writes chunks of results as one JSON array, awaiting the first chunk before
 * the status line so that an invalid query still gets its error status.
 */
async function streamJsonArray(res: ServerResponse, chunks: AsyncIterable<unknown[]>, queryId: string): Promise<void> {
  const it = chunks[Symbol.asyncIterator]();
  let next = await it.next();
  res.writeHead(200, { 'content-type': 'application/json', 'x-druid-query-id': queryId });
  let first = true;
  res.write('[');
  try {
    while (!next.done) {
      for (const item of next.value) {
        await writeWithBackpressure(res, (first ? '' : ',') + JSON.stringify(item));
        first = false;
      }
      next = await it.next();
    }
  } finally {
    await it.return?.();
  }
  res.end(']');
}

/** A signal that fires when the client disconnects before the response is finished. */
function abortOnClose(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const c = new AbortController();
  res.on('close', () => { if (!res.writableFinished) c.abort(new Error('client disconnected')); });
  void req;
  return c.signal;
}
