/**
 * The historical role: loads the segments the coordinator assigns (from the
 * local cache, else deep storage through it, checksums verified), serves
 * partial query results for named segments, and announces what it serves in
 * the metadata store. A manifest of loaded segment records next to the cache
 * lets a restarted historical serve its cached segments at once, before any
 * coordinator speaks.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../../common/errors.ts';
import { logger } from '../../common/log.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import type { QueryExecutor } from '../../query/executor/query-executor.ts';
import { parseQuery } from '../../query/parse-query.ts';
import type { Segment } from '../../storage/segment.ts';
import { segmentIdOf, type SegmentOpener } from '../data-node.ts';
import type { SegmentRecord } from '../metadata/metadata-store.ts';
import type { SegmentCache } from '../segment-cache.ts';
import type { ClusterStore } from './cluster-store.ts';
import type { PartialResponse } from './wire-format.ts';

const log = logger('historical');

export interface HistoricalDeps {
  /** This server's name in the `servers` table (may be set later with setName). */
  readonly name: string;
  readonly cluster: ClusterStore;
  readonly cache: SegmentCache;
  /** Directory for the loaded-segment manifest (one JSON record per segment). */
  readonly manifestDir: string;
  readonly executor: QueryExecutor;
  readonly open: SegmentOpener;
}

export interface LoadOutcome {
  readonly loaded: string[];
  readonly failed: { id: string; error: string }[];
}

export class Historical {
  private readonly served = new Map<string, { record: SegmentRecord; segment: Segment }>();
  private name: string;
  /** True when the store missed an announcement change: the next heartbeat re-announces the whole set. */
  private announcementStale = true;

  constructor(private readonly deps: HistoricalDeps) {
    this.name = deps.name;
  }

  /** Sets the announced server name (known once the HTTP port is bound). */
  setName(name: string): void {
    this.name = name;
    this.announcementStale = true;
  }

  private manifestFile(id: string): string {
    return join(this.deps.manifestDir, encodeURIComponent(id) + '.json');
  }

  /** Serves every segment the manifest lists whose cached bytes are intact; returns how many. Never touches the metadata store. */
  async restoreFromCache(): Promise<number> {
    await mkdir(this.deps.manifestDir, { recursive: true });
    let n = 0;
    for (const f of await readdir(this.deps.manifestDir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const record = JSON.parse(await readFile(join(this.deps.manifestDir, f), 'utf8')) as SegmentRecord;
        await this.loadOne(record, false);
        n++;
      } catch (e) {
        log.warn(`cannot restore cached segment from ${f}: ${(e as Error).message}`);
      }
    }
    return n;
  }

  private async loadOne(record: SegmentRecord, writeManifest: boolean): Promise<void> {
    if (this.served.has(record.id)) return;
    const bytes = await this.deps.cache.load(record);
    const id = segmentIdOf(record);
    const segment = this.deps.open(bytes, id);
    if (writeManifest) {
      const file = this.manifestFile(record.id);
      await mkdir(this.deps.manifestDir, { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(record));
      await rename(`${file}.tmp`, file);
    }
    this.served.set(record.id, { record, segment });
  }

  /** Loads the segments (already served ones are no-ops) and announces them. */
  async load(records: readonly SegmentRecord[]): Promise<LoadOutcome> {
    const loaded: string[] = [];
    const failed: { id: string; error: string }[] = [];
    for (const r of records) {
      try {
        await this.loadOne(r, true);
        loaded.push(r.id);
      } catch (e) {
        log.error(`cannot load segment [${r.id}]: ${(e as Error).message}`);
        failed.push({ id: r.id, error: (e as Error).message });
      }
    }
    await this.announceChange(loaded, []);
    return { loaded, failed };
  }

  /** Stops serving and deletes the cached copies; returns the ids that were served. */
  async drop(ids: readonly string[]): Promise<string[]> {
    const dropped: string[] = [];
    for (const id of ids) {
      const s = this.served.get(id);
      if (s === undefined) continue;
      this.served.delete(id);
      dropped.push(id);
      await this.deps.cache.drop(s.record);
      await rm(this.manifestFile(id), { force: true });
    }
    await this.announceChange([], dropped);
    return dropped;
  }

  private async announceChange(added: readonly string[], removed: readonly string[]): Promise<void> {
    if (this.announcementStale) return this.announceAll();
    try {
      await this.deps.cluster.updateServedSegments(this.name, added, removed);
    } catch (e) {
      this.announcementStale = true;
      log.warn(`cannot announce served segments (will retry): ${(e as Error).message}`);
    }
  }

  /** Announces the whole served set if the store missed a change (called on each heartbeat). */
  async announceAll(): Promise<void> {
    if (!this.announcementStale) return;
    try {
      await this.deps.cluster.setServedSegments(this.name, this.servedIds());
      this.announcementStale = false;
    } catch (e) {
      log.warn(`cannot announce served segments (will retry): ${(e as Error).message}`);
    }
  }

  servedIds(): string[] {
    return [...this.served.keys()].sort();
  }

  servedRecords(): SegmentRecord[] {
    return [...this.served.values()].map((s) => s.record);
  }

  /** Bytes of the served segments. */
  servedBytes(): number {
    let n = 0;
    for (const s of this.served.values()) n += s.record.sizeBytes;
    return n;
  }

  /** Partial results over the named segments it serves; names the ones it does not. */
  async partial(rawQuery: unknown, segmentIds: readonly string[], perSegment: boolean, signal?: AbortSignal): Promise<PartialResponse> {
    const query: NativeQuery = parseQuery(rawQuery);
    if (!Array.isArray(segmentIds) || segmentIds.some((s) => typeof s !== 'string')) throw errors.invalidInput('segmentIds must be an array of segment id strings');
    const present: Segment[] = [];
    const presentIds: string[] = [];
    const missing: string[] = [];
    for (const id of segmentIds) {
      const s = this.served.get(id);
      if (s === undefined) missing.push(id);
      else {
        present.push(s.segment);
        presentIds.push(id);
      }
    }
    const partials: Record<string, unknown> = {};
    const uncacheable = presentIds.filter((_, i) => present[i].isMutable);
    if (perSegment) {
      const out = await Promise.all(present.map((s) => this.deps.executor.runPartial(query, [s], { signal })));
      presentIds.forEach((id, i) => { partials[id] = out[i]; });
    } else if (present.length > 0) {
      partials['*'] = await this.deps.executor.runPartial(query, present, { signal });
    }
    return { partials, missing, uncacheable };
  }
}
