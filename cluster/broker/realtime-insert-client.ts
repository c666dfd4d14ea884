/**
 * SQL ingestion on a broker: INSERT statements planned by the broker's SQL
 * engine are sent to a live realtime process (POST /druid/realtime/v1/insert),
 * chosen by the data source's name so one data source keeps going to the same
 * realtime while membership is stable. After the write the broker's server
 * view is refreshed, so the next query already sees the rows. EXTERN input is
 * read here on the broker.
 *
 * The object has the method names of the planner's SqlIngestion (checked at
 * run time by the SQL engine); the cluster layer does not import the planner.
 */
import { readExternal } from '../ingestion/read-external.ts';
import { request } from 'undici';
import { NemetonError, type DruidErrorCode } from '../../common/errors.ts';
import type { ServerRecord } from '../roles/cluster-store.ts';
import { decodeWire, encodeWire, MSGPACK_CONTENT_TYPE } from '../roles/wire-format.ts';
import type { BrokerServerView } from './broker-server-view.ts';

/** The insert request as the SQL engine hands it over (planner's SqlInsertRequest). */
export interface ForwardedInsert {
  readonly mode: string;
  readonly dataSource: string;
  readonly [field: string]: unknown;
}

export interface RealtimeInsertClient {
  readExternal(inputSource: unknown, inputFormat: unknown, signature: readonly { name: string; type: string }[]): Promise<Record<string, unknown>[]>;
  writeRows(request: ForwardedInsert): Promise<{ rowCount: number; taskId?: string }>;
}

/** The live realtime a data source's writes go to: rendezvous hashing over live realtimes. */
export function pickRealtime(dataSource: string, servers: readonly ServerRecord[]): ServerRecord | undefined {
  let best: ServerRecord | undefined;
  let bestScore = -1;
  for (const s of servers) {
    if (!s.roles.includes('realtime')) continue;
    const score = fnv1a(`${s.name}\u0000${dataSource}`);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function createRealtimeInsertClient(view: BrokerServerView, options: { timeoutMs?: number } = {}): RealtimeInsertClient {
  const timeout = options.timeoutMs ?? 300_000;
  return {
    readExternal,
    async writeRows(insert) {
      const target = pickRealtime(insert.dataSource, view.liveServers());
      if (target === undefined) {
        throw new NemetonError(`No live realtime process to ingest into [${insert.dataSource}]; start a cluster node with the realtime role`, {
          code: 'Unknown exception', httpStatus: 503, sqlState: '57P03',
        });
      }
      let res;
      try {
        res = await request(`http://${target.host}:${target.httpPort}/druid/realtime/v1/insert`, {
          method: 'POST', headers: { 'content-type': MSGPACK_CONTENT_TYPE }, body: encodeWire({ request: insert }), headersTimeout: timeout, bodyTimeout: timeout,
        });
      } catch (e) {
        throw new NemetonError(`Realtime ${target.name} cannot be reached: ${(e as Error).message}`, { code: 'Unknown exception', httpStatus: 503, sqlState: '57P03' });
      }
      const bytes = new Uint8Array(await res.body.arrayBuffer());
      if (res.statusCode !== 200) {
        let parsed: { error?: string; errorMessage?: string } = {};
        try { parsed = JSON.parse(Buffer.from(bytes).toString('utf8')); } catch { /* not JSON */ }
        const status = res.statusCode;
        throw new NemetonError(parsed.errorMessage ?? `Realtime ${target.name} answered HTTP ${status}`, {
          code: typeof parsed.error === 'string' ? parsed.error as DruidErrorCode : status === 400 ? 'Invalid input' : 'Unknown exception', httpStatus: status,
        });
      }
      const out = decodeWire(bytes) as { rowCount: number; taskId?: string };
      await view.refresh();
      return { rowCount: Number(out.rowCount), ...(typeof out.taskId === 'string' ? { taskId: out.taskId } : {}) };
    },
  };
}
