/**
 * Admission control for queries, after Druid's query scheduler: a total limit
 * on queries running at once with a bounded wait queue (higher `priority`
 * first, then arrival order), and lanes with their own limits. A query names
 * its lane in the context (`lane`); with a `low` lane configured, queries of
 * negative priority go there unless they name another (Druid's "hilo"
 * laning). A query that finds its lane full, or the total limit reached and
 * the wait queue full, fails at once with Query capacity exceeded (HTTP 429,
 * SQLSTATE 53300).
 */
import { errors, NemetonError } from '../../common/errors.ts';

export interface AdmissionOptions {
  /** Queries running at once; 0 = no limit. */
  readonly maxConcurrentQueries?: number;
  /** Queries waiting for a slot once the limit is reached; beyond it they are refused. Default 0 when unlimited. */
  readonly maxQueuedQueries?: number;
  /** Lane name to the most queries it holds at once (running and waiting). */
  readonly lanes?: Readonly<Record<string, number>>;
}

/** What admission needs to know of a query. */
export interface AdmissionRequest {
  readonly queryId: string;
  readonly priority: number;
  /** Context `lane`, if any. */
  readonly lane?: string;
}

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

/** A query context's `priority` as a number: a number as given, else its numeric text, else 0 (Druid's default). */
export function contextPriority(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

interface Waiter {
  readonly priority: number;
  readonly seq: number;
  readonly lane: string | null;
  readonly grant: () => void;
}

/** Query capacity exceeded, Druid's error for a full scheduler (HTTP 429, SQLSTATE 53300). */
export function capacityExceeded(message: string): NemetonError {
  return new NemetonError(message, { code: 'Query capacity exceeded', sqlState: '53300', httpStatus: 429 });
}

export class QueryAdmission {
  private readonly maxRunning: number;
  private readonly maxQueued: number;
  private readonly laneLimits: ReadonlyMap<string, number>;
  private running = 0;
  private seq = 0;
  private readonly waiting: Waiter[] = [];
  /** Queries held (running or waiting) per lane. */
  private readonly held = new Map<string, number>();

  constructor(options: AdmissionOptions = {}) {
    this.maxRunning = Math.max(0, Math.floor(options.maxConcurrentQueries ?? 0));
    this.maxQueued = Math.max(0, Math.floor(options.maxQueuedQueries ?? 0));
    this.laneLimits = new Map(Object.entries(options.lanes ?? {}).map(([k, v]) => [k, Math.max(0, Math.floor(v))]));
  }

  /** Queries running and waiting now. */
  stats(): { running: number; queued: number; lanes: Record<string, number> } {
    return { running: this.running, queued: this.waiting.length, lanes: Object.fromEntries(this.held) };
  }

  /** Whether a lane of this name is configured. */
  hasLane(name: string): boolean {
    return this.laneLimits.has(name);
  }

  /** The lane a query runs in, or null; throws Invalid input for a lane that is not configured. */
  laneOf(req: AdmissionRequest): string | null {
    if (req.lane !== undefined && req.lane !== '') {
      if (!this.laneLimits.has(req.lane)) {
        throw errors.invalidInput(`Query lane [${req.lane}] is not configured${this.laneLimits.size > 0 ? `; configured lanes: ${[...this.laneLimits.keys()].join(', ')}` : ''}`);
      }
      return req.lane;
    }
    return req.priority < 0 && this.laneLimits.has('low') ? 'low' : null;
  }

  /**
   * Takes a slot for the query. The decision to run, wait or refuse is made
   * synchronously in this call; the promise resolves once the query may run.
   * Aborting `signal` while waiting rejects with the signal's reason.
   */
  acquire(req: AdmissionRequest, signal?: AbortSignal): Promise<Release> {
    let lane: string | null;
    try {
      lane = this.laneOf(req);
    } catch (e) {
      return Promise.reject(e);
    }
    if (lane !== null) {
      const limit = this.laneLimits.get(lane)!;
      const held = this.held.get(lane) ?? 0;
      if (held >= limit) {
        return Promise.reject(capacityExceeded(`Too many concurrent queries in lane '${lane}': its capacity of ${limit} is taken. Try again later.`));
      }
    }
    if (this.maxRunning === 0 || this.running < this.maxRunning) {
      this.hold(lane);
      this.running++;
      return Promise.resolve(this.releaser(lane));
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(capacityExceeded(`Too many concurrent queries: all ${this.maxRunning} query slots are taken and ${this.waiting.length} queries are waiting. Try again later.`));
    }
    this.hold(lane);
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        priority: req.priority, seq: this.seq++, lane,
        grant: () => { signal?.removeEventListener('abort', onAbort); resolve(this.releaser(lane)); },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          this.unhold(lane);
          reject(signal!.reason);
        }
      };
      if (signal?.aborted) { this.unhold(lane); reject(signal.reason); return; }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(waiter);
    });
  }

  private enqueue(w: Waiter): void {
    let i = this.waiting.length;
    while (i > 0 && this.waiting[i - 1].priority < w.priority) i--;
    this.waiting.splice(i, 0, w);
  }

  private hold(lane: string | null): void {
    if (lane !== null) this.held.set(lane, (this.held.get(lane) ?? 0) + 1);
  }

  private unhold(lane: string | null): void {
    if (lane === null) return;
    const n = (this.held.get(lane) ?? 1) - 1;
    if (n <= 0) this.held.delete(lane); else this.held.set(lane, n);
  }

  private releaser(lane: string | null): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.unhold(lane);
      this.running--;
      const next = this.waiting.shift();
      if (next !== undefined) {
        this.running++;
        next.grant();
      }
    };
  }
}
