/**
 * Keeps this process's row in the `servers` table alive: a heartbeat every
 * `heartbeatMs` pushes `expires_at` to now + `ttlMs`. Other processes treat a
 * server whose row expired as gone. A failed heartbeat is logged and retried
 * on the next beat.
 */
import { logger } from '../../common/log.ts';
import type { ClusterStore, NodeRole, ServerRecord } from './cluster-store.ts';

const log = logger('announcer');

export interface AnnouncerOptions {
  readonly name: string;
  readonly host: string;
  readonly httpPort: number;
  readonly roles: readonly NodeRole[];
  readonly tier: string;
  readonly maxSize: number;
  readonly heartbeatMs: number;
  readonly ttlMs: number;
  /** Runs after each successful heartbeat (e.g. re-announcing served segments). */
  readonly onBeat?: () => Promise<void>;
}

export class ServerAnnouncer {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly cluster: ClusterStore, private readonly options: AnnouncerOptions) {}

  /** Announces once (throws when the store is unreachable), then keeps beating. */
  async start(): Promise<void> {
    await this.beat(true);
    const loop = () => {
      this.timer = setTimeout(() => {
        this.beating = this.beat(false).finally(() => { if (this.timer !== undefined) loop(); });
      }, this.options.heartbeatMs);
    };
    loop();
  }

  private async beat(throwOnError: boolean): Promise<void> {
    const now = Date.now();
    const record: ServerRecord = {
      name: this.options.name, host: this.options.host, httpPort: this.options.httpPort, roles: this.options.roles,
      tier: this.options.tier, maxSize: this.options.maxSize, heartbeatAt: now, expiresAt: now + this.options.ttlMs,
    };
    try {
      await this.cluster.announceServer(record);
      if (this.failing) log.info('heartbeat reaches the metadata store again');
      this.failing = false;
      await this.options.onBeat?.();
    } catch (e) {
      if (throwOnError) throw e;
      if (!this.failing) log.warn(`heartbeat failed: ${(e as Error).message}`);
      this.failing = true;
    }
  }

  /** Stops beating; with `unannounce`, removes the row (and served segments) so others see the exit at once. */
  async stop(unannounce: boolean): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t !== undefined) clearTimeout(t);
    await this.beating;
    if (unannounce) await this.cluster.unannounceServer(this.options.name).catch((e) => log.warn(`cannot unannounce: ${(e as Error).message}`));
  }
}
