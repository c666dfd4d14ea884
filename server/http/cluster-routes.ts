/**
 * Internal HTTP routes of cluster processes, on Druid-like paths:
 *   historical:  POST /druid/historical/v1/load {segments}, POST /druid/historical/v1/drop {segmentIds},
 *                GET /druid/historical/v1/loadstatus, GET /druid/historical/v1/segments,
 *                POST /druid/v2/partial {query, segmentIds, perSegment} -> PartialResponse
 *   coordinator: GET/POST /druid/coordinator/v1/rules/{ds}, GET /druid/coordinator/v1/rules,
 *                GET /druid/coordinator/v1/loadstatus, /leader, /isLeader, /servers
 *   broker:      GET /druid/broker/v1/loadstatus, /druid/broker/v1/cache
 *   realtime:    GET /druid/realtime/v1/datasources -> RealtimeState, POST /druid/realtime/v1/partial
 *                {query, segmentIds, handedOff} -> PartialResponse, POST /druid/realtime/v1/insert {request} ->
 *                {rowCount, taskId?}, POST /druid/realtime/v1/handoff {dataSource?}
 * Bodies are MessagePack (application/x-msgpack) or JSON; answers follow the request's type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../common/errors.ts';
import type { Historical } from '../../cluster/roles/historical.ts';
import type { Realtime } from '../../cluster/roles/realtime.ts';
import type { Coordinator } from '../../cluster/coordinator/coordinator.ts';
import type { ClusterStore } from '../../cluster/roles/cluster-store.ts';
import type { Broker } from '../../cluster/broker/broker.ts';
import type { BrokerServerView } from '../../cluster/broker/broker-server-view.ts';
import type { SegmentRecord } from '../../cluster/metadata/metadata-store.ts';
import { COORDINATOR_LEASE } from '../../cluster/coordinator/coordinator.ts';
import { DEFAULT_RULES, DEFAULT_RULES_KEY, parseRules } from '../../cluster/coordinator/rules.ts';
import { decodeWire, encodeWire, MSGPACK_CONTENT_TYPE } from '../../cluster/roles/wire-format.ts';
import { readBody } from './request-body.ts';
import type { Router } from './router.ts';
import { sendJson } from './responses.ts';

function isMsgpack(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith(MSGPACK_CONTENT_TYPE);
}

async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const bytes = await readBody(req);
  let v: unknown;
  try {
    v = isMsgpack(req) ? decodeWire(bytes) : JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw errors.invalidInput(`Malformed request body: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.invalidInput('Request body must be an object');
  return v as Record<string, unknown>;
}

function reply(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  if (!isMsgpack(req)) return sendJson(res, 200, body);
  const bytes = encodeWire(body);
  res.writeHead(200, { 'content-type': MSGPACK_CONTENT_TYPE, 'content-length': bytes.byteLength }).end(bytes);
}

function abortOnClose(res: ServerResponse): AbortSignal {
  const c = new AbortController();
  res.on('close', () => { if (!res.writableFinished) c.abort(errors.cancelled('partial')); });
  return c.signal;
}

export function registerHistoricalRoutes(router: Router, historical: Historical): void {
  router.add('POST', '/druid/historical/v1/load', async (req, res) => {
    const body = await readObject(req);
    if (!Array.isArray(body.segments)) throw errors.invalidInput('"segments" must be an array of segment records');
    reply(req, res, await historical.load(body.segments as SegmentRecord[]));
  });
  router.add('POST', '/druid/historical/v1/drop', async (req, res) => {
    const body = await readObject(req);
    if (!Array.isArray(body.segmentIds)) throw errors.invalidInput('"segmentIds" must be an array of segment ids');
    reply(req, res, { dropped: await historical.drop(body.segmentIds as string[]) });
  });
  router.add('GET', '/druid/historical/v1/loadstatus', (_req, res) => sendJson(res, 200, { cacheInitialized: true, segments: historical.servedIds().length }));
  router.add('GET', '/druid/historical/v1/segments', (_req, res) => sendJson(res, 200, historical.servedIds()));
  router.add('POST', '/druid/v2/partial', async (req, res) => {
    const body = await readObject(req);
    reply(req, res, await historical.partial(body.query, body.segmentIds as string[], body.perSegment === true, abortOnClose(res)));
  });
}

export function registerCoordinatorRoutes(router: Router, coordinator: Coordinator, cluster: ClusterStore): void {
  router.add('GET', '/druid/coordinator/v1/rules', async (_req, res) => {
    const all = await cluster.allRules();
    if (!all.has(DEFAULT_RULES_KEY)) all.set(DEFAULT_RULES_KEY, [...DEFAULT_RULES]);
    sendJson(res, 200, Object.fromEntries([...all].sort(([a], [b]) => (a < b ? -1 : 1))));
  });
  router.add('GET', '/druid/coordinator/v1/rules/{ds}', async (_req, res, p) => {
    const rules = (await cluster.allRules()).get(p.ds) ?? (p.ds === DEFAULT_RULES_KEY ? [...DEFAULT_RULES] : []);
    sendJson(res, 200, rules);
  });
  router.add('POST', '/druid/coordinator/v1/rules/{ds}', async (req, res, p) => {
    const text = (await readBody(req)).toString('utf8');
    let raw: unknown;
    try { raw = JSON.parse(text); } catch (e) { throw errors.invalidInput(`Malformed JSON in request body: ${(e as Error).message}`); }
    await cluster.setRules(p.ds, parseRules(raw));
    res.writeHead(200).end();
  });
  router.add('GET', '/druid/coordinator/v1/loadstatus', (_req, res) => sendJson(res, 200, coordinator.loadStatus()));
  router.add('GET', '/druid/coordinator/v1/isLeader', (_req, res) => sendJson(res, coordinator.isLeader() ? 200 : 404, { leader: coordinator.isLeader() }));
  router.add('GET', '/druid/coordinator/v1/leader', async (_req, res) => {
    const holder = await cluster.leaseHolder(COORDINATOR_LEASE, Date.now());
    if (holder === null) sendJson(res, 404, { error: 'Not found', errorMessage: 'No coordinator leader' });
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(`http://${holder}`);
  });
  router.add('GET', '/druid/coordinator/v1/servers', (_req, res, _p, url) => {
    const view = coordinator.serverView();
    sendJson(res, 200, url.searchParams.has('simple') || url.searchParams.has('full') ? view : view.map((s) => s.name));
  });
}

export function registerBrokerRoutes(router: Router, broker: Broker, view: BrokerServerView): void {
  router.add('GET', '/druid/broker/v1/loadstatus', (_req, res) => {
    const s = view.status();
    sendJson(res, 200, { inventoryInitialized: s.lastRefresh > 0, lastRefresh: s.lastRefresh, storeError: s.storeError });
  });
  router.add('GET', '/druid/broker/v1/cache', (_req, res) => sendJson(res, 200, {
    ...(broker.cache?.size() ?? { entries: 0, bytes: 0 }), hits: broker.cache?.hits ?? 0, misses: broker.cache?.misses ?? 0, ...broker.stats,
  }));
}

/** What the realtime routes run besides the Realtime role itself. */
export interface RealtimeRouteDeps {
  /** Writes an INSERT's rows (the SQL engine's SqlInsertRequest) into the realtime's ingestion. */
  writeRows(request: Record<string, unknown>): Promise<{ rowCount: number; taskId?: string }>;
  /** Publishes fresh data now (one data source or all); resolves when published. */
  handoff(dataSource?: string): Promise<void>;
}

export function registerRealtimeRoutes(router: Router, realtime: Realtime, deps: RealtimeRouteDeps): void {
  router.add('GET', '/druid/realtime/v1/datasources', (_req, res) => sendJson(res, 200, realtime.state()));
  router.add('GET', '/druid/realtime/v1/status', (_req, res) => sendJson(res, 200, { ...realtime.state(), handedOff: realtime.handedOff }));
  router.add('POST', '/druid/realtime/v1/partial', async (req, res) => {
    const body = await readObject(req);
    reply(req, res, await realtime.partial(body.query, body.segmentIds as string[], (body.handedOff ?? []) as string[], abortOnClose(res)));
  });
  router.add('POST', '/druid/realtime/v1/insert', async (req, res) => {
    const body = await readObject(req);
    const request = body.request as Record<string, unknown> | undefined;
    if (typeof request !== 'object' || request === null || typeof request.dataSource !== 'string') {
      throw errors.invalidInput('"request" must be an insert request with a "dataSource"');
    }
    reply(req, res, await deps.writeRows(request));
  });
  router.add('POST', '/druid/realtime/v1/handoff', async (req, res) => {
    const body = await readObject(req).catch(() => ({} as Record<string, unknown>));
    await deps.handoff(typeof body.dataSource === 'string' ? body.dataSource : undefined);
    sendJson(res, 200, { ok: true });
  });
}
