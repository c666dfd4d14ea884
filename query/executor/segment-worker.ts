/**
 * Worker-thread side of the pool: opens persisted segments from shared
 * memory (no copy), runs one engine's per-segment step and posts the partial
 * back. Opened segments are cached by key (LRU).
 */
import { parentPort } from 'node:worker_threads';
import { openSegment, type FileSegment } from '../../storage/format/segment-reader.ts';
import type { SegmentId } from '../../storage/segment.ts';
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
}

export type WorkerReply =
  | { readonly taskId: number; readonly ok: true; readonly partial: unknown }
  | { readonly taskId: number; readonly ok: false; readonly error: { message: string; code?: string; name?: string } };

const MAX_OPEN = 256;
const open = new Map<string, FileSegment>();

function segmentFor(ws: WorkerSegment): FileSegment {
  let seg = open.get(ws.key);
  if (seg !== undefined) {
    open.delete(ws.key);
    open.set(ws.key, seg);
    return seg;
  }
  seg = openSegment(ws.bytes, ws.id);
  open.set(ws.key, seg);
  if (open.size > MAX_OPEN) open.delete(open.keys().next().value as string);
  return seg;
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
