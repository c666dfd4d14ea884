/**
 * Druid's supervisor API on a realtime process of a cluster, where each supervisor runs on exactly one
 * realtime (cluster/roles/supervisor-assigner.ts): any realtime answers for every supervisor. Requests
 * about a supervisor another live realtime runs are forwarded to it; a supervisor nobody runs is taken
 * here first; submissions are persisted here and run wherever the assignment puts them; the list comes
 * from the metadata store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'undici';
import { NemetonError } from '../common/errors.ts';
import type { MetadataStore, SupervisorRecord } from '../cluster/metadata/metadata-store.ts';
import type { ClusterStore, ServerRecord } from '../cluster/roles/cluster-store.ts';
import type { SupervisorAssigner } from '../cluster/roles/supervisor-assigner.ts';
import type { SupervisorManager } from '../cluster/kafka/supervisor-manager.ts';
import { Router } from './http/router.ts';
import { readBody } from './http/request-body.ts';
import { sendJson } from './http/responses.ts';
import { registerSupervisorRoutes } from './http/supervisor-routes.ts';

const BASE = '/druid/indexer/v1/supervisor';
const PER_SUPERVISOR: readonly (readonly [string, string])[] = [
  ['GET', ''], ['GET', '/status'], ['POST', '/suspend'], ['POST', '/resume'], ['POST', '/reset'], ['POST', '/terminate'], ['POST', '/taskGroups/handoff'],
];

export interface ClusterSupervisorRouteDeps {
  readonly manager: SupervisorManager;
  readonly assigner: SupervisorAssigner;
  readonly cluster: ClusterStore;
  readonly metadata: MetadataStore;
  /** Timeout of a forwarded request (default 60000 ms). */
  readonly forwardTimeoutMs?: number;
}

/** Registers the supervisor API (the paths of registerSupervisorRoutes) for a realtime in a cluster. */
export function registerClusterSupervisorRoutes(router: Router, deps: ClusterSupervisorRouteDeps): void {
  const local = new Router();
  registerSupervisorRoutes(local, deps.manager);
  const timeout = deps.forwardTimeoutMs ?? 60_000;

  const runLocally = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = local.match(req.method ?? 'GET', url.pathname);
    if (m === null || !('handler' in m)) throw new NemetonError(`No supervisor route for ${req.method} ${url.pathname}`, { code: 'Not found' });
    await m.handler(req, res, m.params, url);
  };

  /** The other live realtime running supervisor `id`, or undefined (it runs here, or nowhere). */
  const runnerElsewhere = async (id: string): Promise<ServerRecord | undefined> => {
    const holder = await deps.assigner.holder(id);
    if (holder === null || holder === deps.assigner.self) return undefined;
    return (await deps.cluster.liveServers(Date.now())).find((s) => s.name === holder);
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, url: URL, target: ServerRecord) => {
    const body = req.method === 'GET' ? undefined : await readBody(req);
    let answer;
    try {
      answer = await request(`http://${target.host}:${target.httpPort}${url.pathname}${url.search}`, {
        method: req.method as 'GET' | 'POST', body, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        headersTimeout: timeout, bodyTimeout: timeout,
      });
    } catch (e) {
      throw new NemetonError(`Realtime ${target.name} running this supervisor cannot be reached: ${(e as Error).message}`, { httpStatus: 503 });
    }
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json'), 'content-length': bytes.byteLength });
    res.end(bytes);
  };

  for (const [method, suffix] of PER_SUPERVISOR) {
    router.add(method, `${BASE}/{id}${suffix}`, async (req, res, params, url) => {
      let target = await runnerElsewhere(params.id);
      if (target === undefined && deps.manager.runningVersion(params.id) === undefined) {
        // Nobody runs it (its runner went away, or it was never started): take it here if the lease is free.
        await deps.assigner.changed(params.id);
        target = await runnerElsewhere(params.id);
      }
      if (target !== undefined) await forward(req, res, url, target);
      else await runLocally(req, res, url);
    });
  }
  router.add('POST', BASE, (req, res, _p, url) => runLocally(req, res, url));
  router.add('GET', BASE, async (req, res, _p, url) => {
    const records = (await deps.metadata.supervisors?.() ?? []).filter((r) => r.state !== 'TERMINATED');
    if (!url.searchParams.has('full')) {
      sendJson(res, 200, records.map((r) => r.id).sort());
      return;
    }
    sendJson(res, 200, await Promise.all(records.map((r) => fullEntry(r))));
  });

  /** {id, spec, ...status} of one supervisor, from whichever realtime runs it. */
  const fullEntry = async (r: SupervisorRecord): Promise<Record<string, unknown>> => {
    if (deps.manager.runningVersion(r.id) !== undefined) return { id: r.id, spec: deps.manager.spec(r.id), ...deps.manager.status(r.id) };
    const target = await runnerElsewhere(r.id);
    if (target !== undefined) {
      const get = async (path: string) => {
        const a = await request(`http://${target.host}:${target.httpPort}${BASE}/${encodeURIComponent(r.id)}${path}`, { headersTimeout: timeout, bodyTimeout: timeout });
        return (await a.body.json()) as Record<string, unknown>;
      };
      const [spec, status] = await Promise.all([get(''), get('/status')]).catch(() => [undefined, undefined]);
      if (spec !== undefined && status !== undefined) return { id: r.id, spec, ...status };
    }
    return {
      id: r.id, spec: { ...r.spec, suspended: r.state === 'SUSPENDED' }, generationTime: new Date().toISOString(),
      payload: { state: r.state === 'SUSPENDED' ? 'SUSPENDED' : 'PENDING', detailedState: r.state === 'SUSPENDED' ? 'SUSPENDED' : 'PENDING', healthy: false, suspended: r.state === 'SUSPENDED' },
    };
  };
}
