/** Druid's supervisor (Overlord) API paths for stream ingestion. */
import type { SupervisorManager } from '../../cluster/kafka/supervisor-manager.ts';
import { readJson } from './request-body.ts';
import type { Router } from './router.ts';
import { sendJson } from './responses.ts';

const BASE = '/druid/indexer/v1/supervisor';

/** Registers POST/GET supervisor, GET {id}, {id}/status, POST {id}/suspend|resume|reset|terminate and taskGroups/handoff. */
export function registerSupervisorRoutes(router: Router, manager: SupervisorManager): void {
  router.add('POST', BASE, async (req, res) => sendJson(res, 200, await manager.submit(await readJson(req))));
  router.add('GET', BASE, async (_req, res, _p, url) => {
    const ids = manager.ids();
    if (url.searchParams.has('full')) sendJson(res, 200, ids.map((id) => ({ id, spec: manager.spec(id), ...manager.status(id) })));
    else sendJson(res, 200, ids);
  });
  router.add('GET', `${BASE}/{id}`, async (_req, res, p) => sendJson(res, 200, manager.spec(p.id)));
  router.add('GET', `${BASE}/{id}/status`, async (_req, res, p) => sendJson(res, 200, manager.status(p.id)));
  router.add('POST', `${BASE}/{id}/suspend`, async (_req, res, p) => sendJson(res, 200, await manager.suspend(p.id)));
  router.add('POST', `${BASE}/{id}/resume`, async (_req, res, p) => sendJson(res, 200, await manager.resume(p.id)));
  router.add('POST', `${BASE}/{id}/reset`, async (_req, res, p) => sendJson(res, 200, await manager.reset(p.id)));
  router.add('POST', `${BASE}/{id}/terminate`, async (_req, res, p) => sendJson(res, 200, await manager.terminate(p.id)));
  router.add('POST', `${BASE}/{id}/taskGroups/handoff`, async (_req, res, p) => sendJson(res, 200, await manager.handoff(p.id)));
}
