/**
 * Worker-thread side of the pool: opens persisted segments from shared
 * memory (no copy), runs one engine's per-segment step (on the whole segment
 * or a row range of it) and posts the partial back. Opened segments and row
 * ranges are cached by key (LRU), so repeated queries reuse decoded columns.
 */
import { parentPort } from 'node:worker_threads';
import { openSegment, type FileSegment } from '../../storage/format/segment-reader.ts';
import type { Segment, SegmentId } from '../../storage/segment.ts';
import { SegmentSlice } from './segment-slice.ts';
import { SegmentView } from '../engine/segment-view.ts';
import type { NativeQuery } from '../model/query.ts';
import { engineFor } from './engines.ts';
import '../expression/index.ts';

/** A task as posted by the pool. */
export interface WorkerTask {
  readonly taskId: number;
  readonly query: NativeQuery;
  /** One or more segments; their partials are merged in the worker. */
  readonly segments: readonly WorkerSegment[];
  /** The segments are the query's only ones: reply with the finalized result instead of the partial. */
  readonly finalize?: boolean;
}

/** A persisted segment a worker opens from shared bytes. */
export interface WorkerSegment {
  readonly key: string;
  readonly id: SegmentId;
  readonly bytes: Uint8Array;
  /** Only rows [from, to) of the segment (both present or both absent). */
  readonly from?: number;
  readonly to?: number;
}

export type WorkerReply =
  | { readonly taskId: number; readonly ok: true; readonly partial: unknown }
  | { readonly taskId: number; readonly ok: false; readonly error: { message: string; code?: string; name?: string } };

const MAX_OPEN = 256;
const open = new Map<string, FileSegment>();
const MAX_SLICES = 256;
const slices = new Map<string, Segment>();

function touch<V>(cache: Map<string, V>, key: string, max: number, make: () => V): V {
  let v = cache.get(key);
  if (v !== undefined) {
    cache.delete(key);
    cache.set(key, v);
    return v;
  }
  v = make();
  cache.set(key, v);
  if (cache.size > max) cache.delete(cache.keys().next().value as string);
  return v;
}

function segmentFor(ws: WorkerSegment): Segment {
  const whole = touch(open, ws.key, MAX_OPEN, () => openSegment(ws.bytes, ws.id));
  if (ws.from === undefined || ws.to === undefined) return whole;
  const { from, to } = ws;
  return touch(slices, `${ws.key}#${from}-${to}`, MAX_SLICES, () => new SegmentSlice(whole, from, to));
}

// Queries repeat across tasks of one query: keep the parsed object so per-query caches (compiled filters) are reused.
const queries = new Map<string, NativeQuery>();

parentPort?.on('message', (task: WorkerTask) => {
  try {
    const key = JSON.stringify(task.query);
    let q = queries.get(key);
    if (q === undefined) {
      q = task.query;
      queries.set(key, q);
      if (queries.size > 64) queries.delete(queries.keys().next().value as string);
    }
    const vcs = (q as { virtualColumns?: [] }).virtualColumns ?? [];
    const engine = engineFor(q);
    const partials = task.segments.map((ws) => engine.processSegment(q!, new SegmentView(segmentFor(ws), vcs)));
    const merged = partials.length === 1 ? partials[0] : engine.merge(q, partials);
    const partial = task.finalize === true ? engine.finalize(q, merged) : merged;
    parentPort!.postMessage({ taskId: task.taskId, ok: true, partial } satisfies WorkerReply);
  } catch (e) {
    const err = e as { message?: string; code?: string; name?: string };
    parentPort!.postMessage({ taskId: task.taskId, ok: false, error: { message: String(err.message ?? e), code: err.code, name: err.name } } satisfies WorkerReply);
  }
});
