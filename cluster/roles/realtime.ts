/**
 * The realtime role: serves the data its ingestion holds (incremental indexes
 * and published segments not yet on a historical) to brokers under one
 * realtime id per data source, and finishes hand-offs: once a live historical
 * has served a published segment for `handoffGraceMs`, the realtime stops
 * serving it and frees its cached copy.
 *
 * Brokers pass the published ids they read from historicals (`handedOff`);
 * those are left out, so every row counts exactly once before, during and
 * after a hand-off. A segment already dropped here but missing from a
 * broker's `handedOff` (the broker's view is older than the grace period)
 * fails the request with a 503 rather than answering short.
 */
import { errors, NemetonError } from '../../common/errors.ts';
import { ETERNITY, overlaps, type Interval } from '../../common/interval.ts';
import { logger } from '../../common/log.ts';
import type { QueryExecutor } from '../../query/executor/query-executor.ts';
import { parseIntervals, parseQuery } from '../../query/parse-query.ts';
import type { Segment } from '../../storage/segment.ts';
import type { SegmentRecord } from '../metadata/metadata-store.ts';
import type { ClusterStore } from './cluster-store.ts';
import type { RealtimeSegmentSource } from './realtime-segment-source.ts';
import {
  parseRealtimeSegmentId, type PartialResponse, type RealtimeColumn, type RealtimeDataSourceInfo, type RealtimeState,
} from './wire-format.ts';

const log = logger('realtime');
const TOMBSTONE_TTL_MS = 10 * 60_000;

export interface RealtimeDeps {
  readonly source: RealtimeSegmentSource;
  /** Runs partials over explicit segment lists; give it no workers or a few. */
  readonly executor: QueryExecutor;
  readonly cluster: ClusterStore;
  /** Records of published segments served here (the data node's), to free their cache files. */
  readonly servedRecords: () => readonly SegmentRecord[];
  /** Frees the local copy of a dropped published segment. */
  readonly dropCached: (record: SegmentRecord) => Promise<void>;
  /** How long a historical must have served a segment before the realtime lets go of it (default 3000 ms). */
  readonly handoffGraceMs?: number;
}

interface Tombstone {
  readonly dataSource: string;
  readonly interval: Interval;
  readonly droppedAt: number;
}

export class Realtime {
  private name = '';
  private readonly seenOnHistorical = new Map<string, number>();
  private readonly tombstones = new Map<string, Tombstone>();
  /** Published segments let go after a historical took them over. */
  handedOff = 0;

  constructor(private readonly deps: RealtimeDeps) {}

  /** The server name (`host:port`) its realtime ids carry; set once the HTTP port is known. */
  setName(name: string): void {
    this.name = name;
  }

  /** Data sources served here with their columns, fresh row counts and published ids. */
  state(): RealtimeState {
    const out: RealtimeDataSourceInfo[] = [];
    for (const ds of this.deps.source.dataSources()) {
      const snap = this.deps.source.snapshot(ds);
      const published = [...snap.published.values()].sort((a, b) => (a.id.version < b.id.version ? 1 : a.id.version > b.id.version ? -1 : b.id.interval.start - a.id.interval.start));
      const all = [...snap.fresh, ...published];
      if (all.length === 0) continue;
      let minTime = Infinity;
      let maxTime = -Infinity;
      for (const s of all) {
        if (s.numRows === 0) continue;
        minTime = Math.min(minTime, s.dataInterval.start);
        maxTime = Math.max(maxTime, s.dataInterval.end);
      }
      out.push({
        dataSource: ds, columns: columnsOf(all), freshRows: snap.fresh.reduce((n, s) => n + s.numRows, 0),
        publishedIds: [...snap.published.keys()].sort(), minTime: Number.isFinite(minTime) ? minTime : 0, maxTime: Number.isFinite(maxTime) ? maxTime : 0,
      });
    }
    return { server: this.name, dataSources: out };
  }

  /** Unfinalized partials over this server's realtime ids, leaving out `handedOff` published segments. */
  async partial(rawQuery: unknown, segmentIds: readonly string[], handedOff: readonly string[], signal?: AbortSignal): Promise<PartialResponse> {
    const query = parseQuery(rawQuery);
    if (!Array.isArray(segmentIds) || segmentIds.some((s) => typeof s !== 'string')) throw errors.invalidInput('segmentIds must be an array of realtime id strings');
    if (!Array.isArray(handedOff)) throw errors.invalidInput('handedOff must be an array of segment id strings');
    const intervals = parseIntervals((query as { intervals?: unknown }).intervals);
    const handed = new Set(handedOff);
    const partials: Record<string, unknown> = {};
    const missing: string[] = [];
    const answered: string[] = [];
    const work: [string, Segment[]][] = [];
    // Every snapshot is taken before the first await, so all ids see one instant.
    for (const id of segmentIds) {
      const parsed = parseRealtimeSegmentId(id);
      if (parsed === null || parsed.server !== this.name) {
        missing.push(id);
        continue;
      }
      this.checkNotDroppedBehindBroker(parsed.dataSource, intervals, handed);
      const snap = this.deps.source.snapshot(parsed.dataSource);
      const segments = [...snap.fresh];
      for (const [pid, s] of snap.published) if (!handed.has(pid)) segments.push(s);
      answered.push(id);
      if (segments.length > 0) work.push([id, segments]);
    }
    const results = await Promise.all(work.map(([, segs]) => this.deps.executor.runPartial(query, segs, { signal })));
    work.forEach(([id], i) => { partials[id] = results[i]; });
    return { partials, missing, uncacheable: answered };
  }

  private checkNotDroppedBehindBroker(dataSource: string, intervals: readonly Interval[], handed: ReadonlySet<string>): void {
    for (const [id, t] of this.tombstones) {
      if (t.dataSource !== dataSource || handed.has(id)) continue;
      if (!intervals.some((iv) => overlaps(iv, t.interval))) continue;
      throw new NemetonError(`Realtime ${this.name} handed segment [${id}] off to historicals after the broker's server view was taken; retry the query`, {
        code: 'Unknown exception', httpStatus: 503, sqlState: '40001',
      });
    }
  }

  /**
   * Finishes hand-offs: published segments that a live historical has served
   * for the grace period stop being served here. Returns the ids let go.
   */
  async checkHandoffs(now = Date.now()): Promise<string[]> {
    const grace = this.deps.handoffGraceMs ?? 3000;
    for (const [id, t] of this.tombstones) if (now - t.droppedAt > TOMBSTONE_TTL_MS) this.tombstones.delete(id);
    const [live, served] = await Promise.all([this.deps.cluster.liveServers(now), this.deps.cluster.servedSegments(now)]);
    const historicals = new Set(live.filter((s) => s.roles.includes('historical') && s.name !== this.name).map((s) => s.name));
    const onHistorical = new Set(served.filter((s) => historicals.has(s.server)).map((s) => s.segmentId));
    const records = new Map(this.deps.servedRecords().map((r) => [r.id, r]));
    const dropped: string[] = [];
    const held = new Set<string>();
    for (const ds of this.deps.source.dataSources()) {
      for (const id of this.deps.source.publishedIds(ds)) {
        held.add(id);
        if (!onHistorical.has(id)) {
          this.seenOnHistorical.delete(id);
          continue;
        }
        const since = this.seenOnHistorical.get(id) ?? now;
        this.seenOnHistorical.set(id, since);
        if (now - since < grace) continue;
        const record = records.get(id);
        this.tombstones.set(id, { dataSource: ds, interval: record?.interval ?? ETERNITY, droppedAt: now });
        this.deps.source.removeById(ds, id);
        this.seenOnHistorical.delete(id);
        dropped.push(id);
        if (record !== undefined) await this.deps.dropCached(record).catch((e) => log.warn(`cannot free cached segment [${id}]: ${(e as Error).message}`));
      }
    }
    for (const id of this.seenOnHistorical.keys()) if (!held.has(id)) this.seenOnHistorical.delete(id);
    if (dropped.length > 0) {
      this.handedOff += dropped.length;
      log.info(`handed off ${dropped.length} segments to historicals`);
    }
    return dropped;
  }
}

/** Columns over segments (newest first wins a name's type), without __time. */
function columnsOf(segments: readonly Segment[]): RealtimeColumn[] {
  const byName = new Map<string, RealtimeColumn>();
  for (const s of segments) {
    for (const c of s.columns()) {
      if (c.name === '__time' || byName.has(c.name)) continue;
      byName.set(c.name, { name: c.name, type: c.type, ...(c.complexType ? { complexType: c.complexType } : {}), ...(c.hasMultipleValues ? { multiValue: true } : {}) });
    }
  }
  return [...byName.values()];
}
