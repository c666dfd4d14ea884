/** Druid's indexer (Overlord) API paths for batch tasks. */
import type { IngestionService } from '../../cluster/ingestion/ingestion-service.ts';
import { readJson } from './request-body.ts';
import type { Router } from './router.ts';
import { sendJson } from './responses.ts';

export function registerIndexerRoutes(router: Router, ingestion: IngestionService): void {
  router.add('POST', '/druid/indexer/v1/task', async (req, res) => {
    const id = await ingestion.submitTask(await readJson(req));
    sendJson(res, 200, { task: id });
  });
  router.add('GET', '/druid/indexer/v1/task/{id}/status', async (_req, res, p) => {
    sendJson(res, 200, await ingestion.taskStatus(p.id));
  });
  router.add('GET', '/druid/indexer/v1/task/{id}/reports', async (_req, res, p) => {
    const report = await ingestion.taskReport(p.id);
    if (report === null) sendJson(res, 404, { error: 'Not found', errorMessage: `No report for task [${p.id}]` });
    else sendJson(res, 200, report);
  });
}
