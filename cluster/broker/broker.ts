/**
 * The broker: answers native queries by fanning them out to the historicals
 * that serve the visible segments, then merging their unfinalized partials.
 * A server that fails or no longer has a segment is skipped and the segment
 * is asked of another replica. Per-segment partials of immutable segments are
 * cached (context useCache / populateCache, default on). Realtime processes
 * holding data of the queried tables are asked too, told which published
 * segments the historicals answer for, so hand-offs never count a row twice.
 * Every query passes admission control first (broker-admission.ts: limits,
 * wait queue, lanes; full → Query capacity exceeded, HTTP 429) and reaches
 * the data processes with its id, priority, lane and the broker's cost
 * estimate in the context; a data process at capacity fails the query with
 * the same 429.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { errors, NemetonError } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import { QueryAdmission, type AdmissionOptions } from '../../query/executor/admission.ts';
import type { QueryExecutor } from '../../query/executor/query-executor.ts';
import type { DataSourceSpec, NativeQuery } from '../../query/model/query.ts';
import { parseIntervals, parseQuery } from '../../query/parse-query.ts';
import type { ServerRecord } from '../roles/cluster-store.ts';
import { decodeWire, encodeWire, MSGPACK_CONTENT_TYPE, type PartialRequest, type PartialResponse, type RealtimePartialRequest } from '../roles/wire-format.ts';
import type { BrokerServerView, RealtimeSegmentView, ServedSegmentView } from './broker-server-view.ts';
import { partialCacheKey, PartialResultCache } from './partial-result-cache.ts';
import { admitQuery, dataProcessCapacityExceeded, estimatedRows, forwardedQuery, queryIdentity, type BrokerQueryIdentity } from './broker-admission.ts';

const log = logger('broker');

export interface BrokerOptions {
  readonly view: BrokerServerView;
  /** Used only to merge and finalize partials (and for inline data sources); give it no workers. */
  readonly executor: QueryExecutor;
  /** Bytes of the per-segment result cache (default 64 MiB; 0 disables it). */
  readonly cacheBytes?: number;
  /** Timeout of one request to a historical when the query context sets none (default 60000 ms). */
  readonly requestTimeoutMs?: number;
  /**
   * Admission control of the queries this broker receives (admission.ts):
   * `maxConcurrentQueries` (0 = no limit, the default), `maxQueuedQueries`
   * waiting beyond it, and `lanes` (context `lane`; `low` takes negative priorities).
   */
  readonly admission?: AdmissionOptions;
}

export interface BrokerStats {
  /** Requests to historicals that failed (connection or server error) and were retried elsewhere. */
  retriedRequests: number;
  /** Segments a historical said it does not serve. */
  missingSegments: number;
  partialRequests: number;
  /** Requests to realtime processes. */
  realtimeRequests: number;
}

/** A request that failed in a way another replica can fix. */
class RetryableFailure extends Error {}

export class Broker {
  private readonly pools = new Map<string, Pool>();
  private readonly inFlight = new Map<string, number>();
  readonly cache: PartialResultCache | null;
  /** Admission control of this broker's queries (inspect it, or hold a slot in tests and tools). */
  readonly admission: QueryAdmission;
  readonly stats: BrokerStats = { retriedRequests: 0, missingSegments: 0, partialRequests: 0, realtimeRequests: 0 };

  constructor(private readonly options: BrokerOptions) {
    const bytes = options.cacheBytes ?? 64 * 1024 * 1024;
    this.cache = bytes > 0 ? new PartialResultCache(bytes) : null;
    this.admission = new QueryAdmission(options.admission);
  }

  /**
   * Runs a native query (raw JSON) across the cluster once admission control
   * lets it (waiting at most its timeout); resolves to Druid's result array.
   */
  async run(raw: unknown, signal?: AbortSignal): Promise<unknown[]> {
    const query = parseQuery(raw);
    const who = queryIdentity(query.context);
    const lane = this.admission.laneOf(who);
    const timeoutMs = Number(query.context?.timeout ?? this.options.requestTimeoutMs ?? 60_000) || 60_000;
    const release = await admitQuery(this.admission, who, timeoutMs, signal);
    try {
      return await this.runAdmitted(query, who, lane, signal);
    } finally {
      release();
    }
  }

  private async runAdmitted(received: NativeQuery, who: BrokerQueryIdentity, lane: string | null, signal?: AbortSignal): Promise<unknown[]> {
    const tables = this.tables(received.dataSource);
    if (tables === null) return this.options.executor.run(received, { signal });
    const intervals = parseIntervals((received as { intervals?: unknown }).intervals);
    const segments: ServedSegmentView[] = [];
    const realtime: RealtimeSegmentView[] = [];
    for (const t of tables) {
      segments.push(...this.options.view.segmentsFor(t, intervals));
      realtime.push(...this.options.view.realtimeFor(t));
    }
    const query = forwardedQuery(received, who, lane, estimatedRows(segments, realtime, intervals));

    const ctx = (query.context ?? {}) as Record<string, unknown>;
    const useCache = this.cache !== null && ctx.useCache !== false;
    const populateCache = this.cache !== null && ctx.populateCache !== false;
    const keyed = query as unknown as Record<string, unknown>;
    const partials: unknown[] = [];
    const toFetch: ServedSegmentView[] = [];
    for (const s of segments) {
      const hit = useCache ? this.cache!.get(partialCacheKey(keyed, s.record.id)) : undefined;
      if (hit !== undefined) partials.push(hit);
      else toFetch.push(s);
    }
    const timeoutMs = Number(ctx.timeout ?? this.options.requestTimeoutMs ?? 60_000) || 60_000;
    const handedOff = segments.map((s) => s.record.id);
    const [fetched, fresh] = await Promise.all([
      this.fetchPartials(query, toFetch, populateCache, timeoutMs, signal),
      this.fetchRealtimePartials(query, realtime, handedOff, timeoutMs, signal),
    ]);
    partials.push(...fresh);
    for (const [id, partial, cacheable] of fetched) {
      partials.push(partial);
      if (populateCache && cacheable) this.cache!.put(partialCacheKey(keyed, id), partial);
    }
    return this.options.executor.mergeAndFinalize(query, partials);
  }

  /** Table names a query reads, or null when it reads no table (inline data): then it runs here. */
  private tables(ds: DataSourceSpec): string[] | null {
    if (typeof ds === 'string') return [ds];
    switch (ds.type) {
      case 'table': return [ds.name];
      case 'union': {
        const out: string[] = [];
        for (const d of ds.dataSources) {
          const t = this.tables(d);
          if (t === null) throw errors.unsupported('A union of non-table data sources on the broker');
          out.push(...t);
        }
        return out;
      }
      case 'inline': return null;
      default: throw errors.unsupported(`Data source type [${(ds as { type: string }).type}] on the broker`);
    }
  }

  /** Fetches partials of the segments, trying every replica before giving up on one. */
  private async fetchPartials(
    query: NativeQuery, segments: readonly ServedSegmentView[], perSegment: boolean, timeoutMs: number, signal?: AbortSignal,
  ): Promise<[string, unknown, boolean][]> {
    const out: [string, unknown, boolean][] = [];
    const tried = new Map<string, Set<string>>();
    let remaining = [...segments];
    let refreshed = false;
    while (remaining.length > 0) {
      const untried = (s: ServedSegmentView) => s.servers.some((sv) => !(tried.get(s.record.id)?.has(sv.name) ?? false));
      if (!refreshed && !remaining.every(untried)) {
        // Every known replica of a segment failed or no longer has it: it may have moved since the view was
        // read (the coordinator drops a moved segment from its source once the target serves it).
        refreshed = true;
        await this.options.view.refresh();
        remaining = remaining.map((s) => (untried(s) ? s : { record: s.record, servers: this.currentServers(s.record.id) }));
      }
      const byServer = new Map<string, { server: ServerRecord; segments: ServedSegmentView[] }>();
      for (const s of remaining) {
        const t = tried.get(s.record.id) ?? new Set<string>();
        const candidates = s.servers.filter((sv) => !t.has(sv.name));
        if (candidates.length === 0) {
          throw new NemetonError(`Segment [${s.record.id}] is not available on any live server (tried ${[...t].join(', ') || 'none'})`, {
            code: 'Unknown exception', httpStatus: 503, sqlState: '57P03',
          });
        }
        const server = this.pickServer(candidates);
        let group = byServer.get(server.name);
        if (group === undefined) byServer.set(server.name, (group = { server, segments: [] }));
        group.segments.push(s);
        t.add(server.name);
        tried.set(s.record.id, t);
      }
      const retry: ServedSegmentView[] = [];
      await Promise.all([...byServer.values()].map(async ({ server, segments: group }) => {
        try {
          const response = await this.requestPartial(server, { query, segmentIds: group.map((g) => g.record.id), perSegment }, timeoutMs, signal);
          const uncacheable = new Set(response.uncacheable);
          for (const [id, partial] of Object.entries(response.partials)) out.push([id, partial, perSegment && id !== '*' && !uncacheable.has(id)]);
          if (response.missing.length > 0) {
            this.stats.missingSegments += response.missing.length;
            const missing = new Set(response.missing);
            retry.push(...group.filter((g) => missing.has(g.record.id)));
          }
        } catch (e) {
          if (!(e instanceof RetryableFailure)) throw e;
          this.stats.retriedRequests++;
          log.warn(`historical ${server.name} failed (${e.message}); retrying its ${group.length} segments on other replicas`);
          retry.push(...group);
        }
      }));
      remaining = retry;
    }
    return out;
  }

  /** The live servers announcing a segment in the current view. */
  private currentServers(segmentId: string): ServerRecord[] {
    const live = new Map(this.options.view.liveServers().map((sv) => [sv.name, sv]));
    const out: ServerRecord[] = [];
    for (const a of this.options.view.servedSegments()) {
      const sv = a.segmentId === segmentId ? live.get(a.server) : undefined;
      if (sv !== undefined) out.push(sv);
    }
    return out;
  }

  /** Partials of the realtime processes' data (never cached); a realtime that cannot answer fails the query (503). */
  private async fetchRealtimePartials(
    query: NativeQuery, realtime: readonly RealtimeSegmentView[], handedOff: readonly string[], timeoutMs: number, signal?: AbortSignal,
  ): Promise<unknown[]> {
    const byServer = new Map<string, { server: ServerRecord; ids: string[] }>();
    for (const r of realtime) {
      let g = byServer.get(r.server.name);
      if (g === undefined) byServer.set(r.server.name, (g = { server: r.server, ids: [] }));
      g.ids.push(r.id);
    }
    const out: unknown[] = [];
    await Promise.all([...byServer.values()].map(async ({ server, ids }) => {
      this.stats.realtimeRequests++;
      const body: RealtimePartialRequest = { query, segmentIds: ids, handedOff };
      let response: PartialResponse;
      try {
        response = await this.requestPartial(server, body, timeoutMs, signal, '/druid/realtime/v1/partial');
      } catch (e) {
        if (!(e instanceof RetryableFailure)) throw e;
        throw new NemetonError(`Realtime ${server.name} holding fresh data of this query failed: ${e.message}`, { code: 'Unknown exception', httpStatus: 503, sqlState: '57P03' });
      }
      if (response.missing.length > 0) {
        throw new NemetonError(`Realtime ${server.name} no longer serves [${response.missing.join(', ')}]; retry the query`, { code: 'Unknown exception', httpStatus: 503, sqlState: '57P03' });
      }
      out.push(...Object.values(response.partials));
    }));
    return out;
  }

  /** The candidate with the fewest requests in flight from this broker (ties: random). */
  private pickServer(candidates: readonly ServerRecord[]): ServerRecord {
    let best = candidates[0];
    let bestLoad = Infinity;
    for (const c of candidates) {
      const load = (this.inFlight.get(c.name) ?? 0) + Math.random() * 0.5;
      if (load < bestLoad) {
        best = c;
        bestLoad = load;
      }
    }
    return best;
  }

  private pool(server: ServerRecord): Pool {
    let p = this.pools.get(server.name);
    if (p === undefined) {
      p = new Pool(`http://${server.host}:${server.httpPort}`, { connections: 16, keepAliveTimeout: 10_000 });
      this.pools.set(server.name, p);
    }
    return p;
  }

  private async requestPartial(
    server: ServerRecord, body: PartialRequest | RealtimePartialRequest, timeoutMs: number, signal?: AbortSignal, path = '/druid/v2/partial',
  ): Promise<PartialResponse> {
    if (path === '/druid/v2/partial') this.stats.partialRequests++;
    this.inFlight.set(server.name, (this.inFlight.get(server.name) ?? 0) + 1);
    try {
      let res;
      let bytes: Uint8Array;
      try {
        res = await this.pool(server).request({
          method: 'POST',
          path,
          headers: { 'content-type': MSGPACK_CONTENT_TYPE, 'x-nemeton-query-id': String(body.query && (body.query as NativeQuery).context?.queryId || randomUUID()) },
          body: encodeWire(body),
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        // A server that dies mid-answer fails here, not in request(): it is as retryable.
        bytes = new Uint8Array(await res.body.arrayBuffer());
      } catch (e) {
        if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : errors.cancelled('broker query');
        const p = this.pools.get(server.name);
        this.pools.delete(server.name);
        void p?.destroy().catch(() => {});
        throw new RetryableFailure((e as Error).message);
      }
      if (res.statusCode === 200) return decodeWire(bytes) as PartialResponse;
      const text = Buffer.from(bytes).toString('utf8');
      if (res.statusCode >= 500) throw new RetryableFailure(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      let parsed: { error?: string; errorMessage?: string } = {};
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      if (res.statusCode === 429) throw dataProcessCapacityExceeded(server.name, parsed.errorMessage);
      throw new NemetonError(parsed.errorMessage ?? `Historical ${server.name} answered HTTP ${res.statusCode}`, {
        code: 'Invalid input', httpStatus: res.statusCode,
      });
    } finally {
      this.inFlight.set(server.name, (this.inFlight.get(server.name) ?? 1) - 1);
    }
  }

  /** Closes the connection pools. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close().catch(() => {})));
    this.pools.clear();
  }
}
