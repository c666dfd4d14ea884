/**
 * The binary body format between cluster processes (broker <-> historical,
 * coordinator -> historical): MessagePack with structured cloning, so Maps,
 * Sets, typed arrays and sketches inside query partials survive the trip.
 */
import { Packr } from 'msgpackr';

export const MSGPACK_CONTENT_TYPE = 'application/x-msgpack';

const packr = new Packr({ structuredClone: true });

export function encodeWire(value: unknown): Buffer {
  return packr.pack(value);
}

export function decodeWire(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/** A historical's answer to a partial-query request. */
export interface PartialResponse {
  /** One unfinalized partial per served segment id (when asked per segment), else one merged partial under "*". */
  readonly partials: Record<string, unknown>;
  /** Requested segments this server does not serve (the broker retries them elsewhere). */
  readonly missing: readonly string[];
  /** Segment ids whose results must not be cached (mutable, fresh data). */
  readonly uncacheable: readonly string[];
}

/** A partial-query request to a historical. */
export interface PartialRequest {
  readonly query: unknown;
  readonly segmentIds: readonly string[];
  /** True: answer one partial per segment (the broker caches them); false: one merged partial. */
  readonly perSegment?: boolean;
}

/**
 * The id under which a realtime process serves its data of one data source:
 * everything it holds that no historical has taken over yet. One per
 * (server, data source); not a segment id and never published.
 */
export function realtimeSegmentId(server: string, dataSource: string): string {
  return `realtime|${server}|${dataSource}`;
}

/** The server and data source of a realtime id, or null when `id` is not one. */
export function parseRealtimeSegmentId(id: string): { server: string; dataSource: string } | null {
  if (!id.startsWith('realtime|')) return null;
  const rest = id.slice('realtime|'.length);
  const bar = rest.indexOf('|');
  if (bar <= 0) return null;
  return { server: rest.slice(0, bar), dataSource: rest.slice(bar + 1) };
}

/** A partial-query request to a realtime process. */
export interface RealtimePartialRequest {
  readonly query: unknown;
  /** Realtime ids (realtimeSegmentId) of this server. */
  readonly segmentIds: readonly string[];
  /**
   * Published segment ids the broker reads from historicals for this query:
   * the realtime leaves these out of its answer, so each row counts once while
   * a hand-off is under way.
   */
  readonly handedOff: readonly string[];
}

/** A column a realtime process reports for one of its data sources. */
export interface RealtimeColumn {
  readonly name: string;
  /** STRING, LONG, FLOAT, DOUBLE or COMPLEX. */
  readonly type: string;
  readonly complexType?: string;
  readonly multiValue?: boolean;
}

/** One data source a realtime process serves (GET /druid/realtime/v1/datasources). */
export interface RealtimeDataSourceInfo {
  readonly dataSource: string;
  /** Columns of its fresh and not yet handed-off data, newest first, without __time. */
  readonly columns: readonly RealtimeColumn[];
  /** Rows in incremental indexes (not yet published). */
  readonly freshRows: number;
  /** Published segments it still serves until a historical has them. */
  readonly publishedIds: readonly string[];
  /** Earliest and latest+1 `__time` of the data it holds (epoch ms). */
  readonly minTime: number;
  readonly maxTime: number;
}

/** GET /druid/realtime/v1/datasources. */
export interface RealtimeState {
  readonly server: string;
  readonly dataSources: readonly RealtimeDataSourceInfo[];
}
