/**
 * Cluster coordination state in the metadata store: which processes are alive
 * (heartbeat rows with an expiry), which segments each historical serves, the
 * coordinator's leader lease, and load rules per data source.
 */
import type { LoadRule } from '../coordinator/rules.ts';

export type NodeRole = 'broker' | 'historical' | 'realtime' | 'coordinator';

/** One live (or recently live) process, as announced by itself. */
export interface ServerRecord {
  /** Unique name, `host:port`. */
  readonly name: string;
  readonly host: string;
  readonly httpPort: number;
  readonly roles: readonly NodeRole[];
  readonly tier: string;
  /** Bytes of segments this server may hold. */
  readonly maxSize: number;
  readonly heartbeatAt: number;
  readonly expiresAt: number;
}

/** One (server, segment) announcement. */
export interface ServedSegment {
  readonly server: string;
  readonly segmentId: string;
}

export interface ClusterStore {
  /** Inserts or refreshes a server's heartbeat row. */
  announceServer(server: ServerRecord): Promise<void>;
  /** Removes a server's row and its served-segment announcements (clean shutdown). */
  unannounceServer(name: string): Promise<void>;
  /** Servers whose heartbeat has not expired at `now`, ordered by name. */
  liveServers(now: number): Promise<ServerRecord[]>;
  /** Replaces the set of segments a server announces as served. */
  setServedSegments(server: string, segmentIds: readonly string[]): Promise<void>;
  /** Adds and removes served-segment announcements of one server. */
  updateServedSegments(server: string, added: readonly string[], removed: readonly string[]): Promise<void>;
  /** Announcements of servers alive at `now`. */
  servedSegments(now: number): Promise<ServedSegment[]>;
  /**
   * Takes or renews the lease `name` for `holder` until `now + ttlMs`; true when
   * `holder` holds it afterwards (it was free, expired, or already its own).
   */
  tryAcquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up when `holder` has it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The current unexpired holder of a lease, or null. */
  leaseHolder(name: string, now: number): Promise<string | null>;
  /** Stores a new version of a data source's rules (`_default` for the cluster default). */
  setRules(dataSource: string, rules: readonly LoadRule[]): Promise<void>;
  /** The latest rules of every data source that has some. */
  allRules(): Promise<Map<string, LoadRule[]>>;
}
