/**
 * Admission control on a data process (historical, realtime): the partials a
 * broker asks of this process for one query (a historical runs one per
 * segment) share one slot of the executor's admission control, keyed by the
 * query id the broker forwards. Priority and lane come from the forwarded
 * context; a lane this process has not configured is ignored here (the
 * broker validated it against its own lanes). A full lane or queue fails the
 * request with Query capacity exceeded (HTTP 429), which the broker passes on.
 */
import { randomUUID } from 'node:crypto';
import { contextPriority, type Release } from '../query/executor/admission.ts';
import type { QueryExecutor } from '../query/executor/query-executor.ts';
import type { NativeQuery } from '../query/model/query.ts';

interface AdmittedQuery {
  readonly admitted: Promise<Release>;
  users: number;
}

/** The executor with runPartial behind its `admission` (run and the rest unchanged). */
export function withPartialAdmission(executor: QueryExecutor): QueryExecutor {
  const admission = executor.admission;
  const inFlight = new Map<string, AdmittedQuery>();
  return {
    ...executor,
    async runPartial(query, segments, runOptions = {}) {
      const ctx = (query as NativeQuery).context ?? {};
      const queryId = typeof ctx.queryId === 'string' && ctx.queryId !== '' ? ctx.queryId : undefined;
      let entry = queryId === undefined ? undefined : inFlight.get(queryId);
      if (entry === undefined) {
        const priority = contextPriority(ctx.priority);
        const lane = typeof ctx.lane === 'string' && admission.hasLane(ctx.lane) ? ctx.lane : undefined;
        entry = { admitted: admission.acquire({ queryId: queryId ?? randomUUID(), priority, ...(lane !== undefined ? { lane } : {}) }, runOptions.signal), users: 0 };
        if (queryId !== undefined) inFlight.set(queryId, entry);
      }
      const mine = entry;
      mine.users++;
      try {
        await mine.admitted;
        return await executor.runPartial(query, segments, runOptions);
      } finally {
        if (--mine.users === 0) {
          if (queryId !== undefined && inFlight.get(queryId) === mine) inFlight.delete(queryId);
          mine.admitted.then((release) => release(), () => {});
        }
      }
    },
  };
}
