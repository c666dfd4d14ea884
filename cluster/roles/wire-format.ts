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
