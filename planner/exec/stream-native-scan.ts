/**
 * Streams the rows of plans that are a native scan under, at most, broker
 * projections without subqueries (`SELECT cols, f(cols) FROM ds WHERE ...
 * [LIMIT n]`): native result chunks are pulled only as the consumer pulls
 * rows, and each is converted to SQL rows exactly as the materialising
 * executor converts a whole result (native-results.ts, then the projections'
 * compiled expressions). Every other plan keeps the materialising path
 * (executor.ts).
 *
 * A streamed scan is not bounded by maxSubqueryRows: that limit guards rows
 * the broker materialises, and a streamed result is never materialised.
 */
import { errors, NemetonError } from '../../common/errors.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import type { RunOptions } from '../../query/native-runner.ts';
import type { BExpr, Rel } from '../rel.ts';
import { compileExpr, type Evaluator } from '../eval.ts';
import type { ExecEnv } from './environment.ts';
import { checkCancelled } from './environment.ts';
import { nativeResultRows } from './native-results.ts';

type NativeRel = Extract<Rel, { kind: 'native' }>;

/** A streamable plan: its native scan and the projections above it, innermost first. */
export interface StreamablePlan {
  readonly native: NativeRel;
  readonly projections: readonly (readonly BExpr[])[];
}

/**
 * The native scan under `rel` when `rel` is that scan, possibly under
 * projections whose expressions hold no subqueries; null for any other plan
 * and for scans that must see every row first (ordering by non-time columns).
 */
export function streamablePlan(rel: Rel): StreamablePlan | null {
  if (rel.kind === 'native') {
    const q = rel.query;
    if (q.queryType !== 'scan' || rel.resultShape.type !== 'scan') return null;
    const ob = q.orderBy;
    if (ob !== undefined && ob.length > 0 && !(ob.length === 1 && ob[0].columnName === '__time')) return null;
    return { native: rel, projections: [] };
  }
  if (rel.kind === 'project') {
    if (!rel.exprs.every(isRowLocal)) return null;
    const inner = streamablePlan(rel.input);
    return inner === null ? null : { native: inner.native, projections: [...inner.projections, rel.exprs] };
  }
  return null;
}

/** True when an expression reads only its own row (no subqueries). */
function isRowLocal(e: BExpr): boolean {
  if (e.kind === 'subquery') return false;
  return e.kind !== 'call' || e.args.every(isRowLocal);
}

/** A projection step: plain column picks are copied, anything else evaluated as executor.ts does. */
function compileProjection(exprs: readonly BExpr[], env: ExecEnv): (row: readonly unknown[]) => unknown[] {
  const picks = exprs.map((e) => (e.kind === 'ref' ? e.index : -1));
  if (picks.every((i) => i >= 0)) return (r) => picks.map((i) => r[i]);
  const evals: Evaluator[] = exprs.map((x) => compileExpr(x, env.compile));
  return (r) => evals.map((f) => { const v = f(r); return v === undefined ? null : v; });
}

/**
 * Starts streaming `rel` when it is streamable and the runner can stream:
 * runs the native query and waits for its first chunk, so bad queries,
 * missing data sources and cancellation fail here, before any row goes out.
 * `convert` turns each batch of plan rows into output rows. Returns null when
 * the plan must take the materialising path.
 */
export async function openRowStream(rel: Rel, env: ExecEnv, convert: (rows: unknown[][]) => unknown[][]): Promise<RowStream | null> {
  const plan = streamablePlan(rel);
  const runner = env.runner;
  if (plan === null || runner.runStream === undefined) return null;
  checkCancelled(env);
  const steps = plan.projections.map((p) => compileProjection(p, env));
  const q = plan.native.query;
  const query = { ...q, context: { ...(q.context ?? {}), ...(q.context?.queryId ? {} : { sqlQueryId: env.queryId }) } } as NativeQuery;
  const options: RunOptions | undefined = env.signal ? { signal: env.signal } : undefined;
  const chunks = runner.runStream(query, options)[Symbol.asyncIterator]();
  const toRows = (chunk: readonly unknown[]): unknown[][] => {
    let rows = nativeResultRows(plan.native.resultShape, chunk, plan.native.columns);
    for (const step of steps) rows = rows.map(step);
    return convert(rows);
  };
  const first = await chunks.next();
  return new RowStream(chunks, toRows, first.done === true ? [] : toRows(first.value), first.done === true, env);
}

/**
 * Rows of a streamed native query, one at a time, converting one chunk at a
 * time. return() (a consumer that stops early, a closed portal) ends the
 * native query even before the first row was read.
 */
export class RowStream implements AsyncIterableIterator<readonly unknown[]> {
  private pos = 0;
  /** The native query delivered its last chunk. */
  private exhausted: boolean;

  constructor(
    private readonly chunks: AsyncIterator<unknown[]>,
    private readonly toRows: (chunk: readonly unknown[]) => unknown[][],
    private rows: unknown[][],
    private done: boolean,
    private readonly env: ExecEnv,
  ) {
    this.exhausted = done;
    // A cancel or disconnect ends the native query at once, even while nobody pulls rows.
    if (!done && env.signal !== undefined) env.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => {
    void this.return().catch(() => undefined);
  };

  [Symbol.asyncIterator](): AsyncIterableIterator<readonly unknown[]> {
    return this;
  }

  async next(): Promise<IteratorResult<readonly unknown[]>> {
    const signal = this.env.signal;
    if (signal?.aborted && !(this.exhausted && this.pos >= this.rows.length)) {
      // Cancelled before the last row went out: an error, never a quiet (truncated) end.
      await this.return();
      const reason: unknown = signal.reason;
      throw reason instanceof NemetonError ? reason : errors.cancelled(this.env.queryId);
    }
    for (;;) {
      if (this.pos < this.rows.length) {
        const row = this.rows[this.pos];
        this.rows[this.pos++] = EMPTY;
        return { value: row, done: false };
      }
      if (this.done) return { value: undefined, done: true };
      this.rows = [];
      this.pos = 0;
      try {
        const r = await this.chunks.next();
        if (r.done === true) { this.exhausted = true; this.finish(); }
        else this.rows = this.toRows(r.value);
      } catch (e) {
        this.finish();
        throw e;
      }
    }
  }

  async return(): Promise<IteratorResult<readonly unknown[]>> {
    const wasDone = this.done;
    this.finish();
    this.rows = [];
    this.pos = 0;
    if (!wasDone) await this.chunks.return?.();
    return { value: undefined, done: true };
  }

  private finish(): void {
    this.done = true;
    this.env.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Placeholder left where a handed-out row was, so a chunk's rows are freed as they go out. */
const EMPTY: unknown[] = [];
