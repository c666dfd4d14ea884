/**
 * Time zones. A TimeZone answers "what is the UTC offset at this instant" and
 * "which instant is this local wall-clock time". Offsets of named zones come
 * from Intl.DateTimeFormat once per UTC hour and are cached; transitions that
 * fall inside an hour (Lord Howe's half-hour shifts, historic LMT offsets) are
 * located exactly by a binary search and cached as well.
 */
import { errors } from '../../common/errors.ts';
import { MS_HOUR, MS_DAY, MS_SECOND } from './civil.ts';

export interface TimeZone {
  /** The id as given (normalised for UTC and fixed offsets: "UTC", "+05:30"). */
  readonly id: string;
  /** The offset in ms when the zone never changes offset, else null. */
  readonly fixedOffset: number | null;
  /** UTC offset (ms, local = utc + offset) in effect at the UTC instant t. */
  offsetAt(t: number): number;
  /**
   * The UTC instant of local wall-clock time `local` (ms as if local were UTC).
   * Overlaps: the instant with `preferOffset` when that is valid, else the
   * earlier instant. Gaps: shifted forward by the gap length (Joda/Temporal
   * "compatible").
   */
  localToUtc(local: number, preferOffset?: number): number;
}

/** Largest |t| Intl can format; beyond it offsets are clamped to the edge values. */
const INTL_LIMIT = 8.64e15 - MS_DAY;
const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;
/** Marker for "the offset changes inside this hour" (no real offset is this large). */
const TRANSITION = 1e15;

class FixedZone implements TimeZone {
  readonly fixedOffset: number;
  constructor(readonly id: string, offset: number) {
    this.fixedOffset = offset;
  }
  offsetAt(_t: number): number {
    return this.fixedOffset;
  }
  localToUtc(local: number): number {
    return local - this.fixedOffset;
  }
}

class NamedZone implements TimeZone {
  readonly fixedOffset = null;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, Float64Array>();
  private lastChunkKey = Number.NaN;
  private lastChunk: Float64Array = new Float64Array(0);
  /** Per hour: the offset when constant through the hour, TRANSITION when it changes inside, NaN unknown. */
  private readonly wholeChunks = new Map<number, Float64Array>();
  private lastWholeKey = Number.NaN;
  private lastWhole: Float64Array = new Float64Array(0);
  /** hour index -> exact transition instant inside that hour. */
  private readonly transitions = new Map<number, number>();

  constructor(readonly id: string, fmt: Intl.DateTimeFormat) {
    this.fmt = fmt;
  }

  offsetAt(t: number): number {
    const h = Math.floor(t / MS_HOUR);
    // Fast path: one cached value per hour, valid for the whole hour.
    const key = h >> CHUNK_BITS;
    const whole = key === this.lastWholeKey ? this.lastWhole : this.wholeChunk(key);
    const v = whole[h & CHUNK_MASK];
    if (v === v && v !== TRANSITION) return v;
    return this.offsetSlow(t, h, whole);
  }

  private offsetSlow(t: number, h: number, whole: Float64Array): number {
    const o0 = this.hourOffset(h);
    const o1 = this.hourOffset(h + 1);
    if (o0 === o1) {
      whole[h & CHUNK_MASK] = o0;
      return o0;
    }
    whole[h & CHUNK_MASK] = TRANSITION;
    let tr = this.transitions.get(h);
    if (tr === undefined) {
      tr = this.findTransition(h * MS_HOUR, (h + 1) * MS_HOUR, o0);
      this.transitions.set(h, tr);
    }
    return t < tr ? o0 : o1;
  }

  private wholeChunk(key: number): Float64Array {
    let chunk = this.wholeChunks.get(key);
    if (chunk === undefined) {
      chunk = new Float64Array(CHUNK_SIZE).fill(Number.NaN);
      this.wholeChunks.set(key, chunk);
    }
    this.lastWholeKey = key;
    this.lastWhole = chunk;
    return chunk;
  }

  localToUtc(local: number, preferOffset?: number): number {
    if (preferOffset !== undefined) {
      const u = local - preferOffset;
      if (this.offsetAt(u) === preferOffset) return u;
    }
    const oBefore = this.offsetAt(local - MS_DAY);
    const oAfter = this.offsetAt(local + MS_DAY);
    const u1 = local - oBefore;
    if (oBefore === oAfter) {
      const o = this.offsetAt(u1);
      if (o === oBefore) return u1;
      // Two transitions within two days: settle by iteration.
      return this.iterate(local, o);
    }
    const u2 = local - oAfter;
    const v1 = this.offsetAt(u1) === oBefore;
    const v2 = this.offsetAt(u2) === oAfter;
    if (v1 && v2) return Math.min(u1, u2);
    if (v1) return u1;
    if (v2) return u2;
    // Gap: keep the offset from before the gap, which lands after it.
    return u1;
  }

  private iterate(local: number, guess: number): number {
    let o = guess;
    for (let i = 0; i < 4; i++) {
      const u = local - o;
      const o2 = this.offsetAt(u);
      if (o2 === o) return u;
      o = o2;
    }
    return local - o;
  }

  /** Offset at the UTC instant h * 1 hour, cached. */
  private hourOffset(h: number): number {
    const key = h >> CHUNK_BITS;
    let chunk: Float64Array | undefined;
    if (key === this.lastChunkKey) {
      chunk = this.lastChunk;
    } else {
      chunk = this.chunks.get(key);
      if (chunk === undefined) {
        chunk = new Float64Array(CHUNK_SIZE).fill(Number.NaN);
        this.chunks.set(key, chunk);
      }
      this.lastChunkKey = key;
      this.lastChunk = chunk;
    }
    const i = h & CHUNK_MASK;
    let v = chunk[i];
    if (v !== v) {
      v = this.intlOffset(h * MS_HOUR);
      chunk[i] = v;
    }
    return v;
  }

  /** First instant in (lo, hi] whose offset differs from `before` (searching whole seconds, then ms). */
  private findTransition(lo: number, hi: number, before: number): number {
    let a = lo;
    let b = hi;
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (this.intlOffset(mid) === before) a = mid;
      else b = mid;
    }
    return b;
  }

  /** Offset at instant t read from Intl (second resolution, as the tz database). */
  private intlOffset(t: number): number {
    const tc = t > INTL_LIMIT ? INTL_LIMIT : t < -INTL_LIMIT ? -INTL_LIMIT : t;
    const ts = Math.floor(tc / MS_SECOND) * MS_SECOND;
    const parts = this.fmt.formatToParts(ts);
    let y = 0, mo = 1, d = 1, hh = 0, mi = 0, ss = 0, bc = false;
    for (const p of parts) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': hh = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': ss = Number(p.value); break;
        case 'era': bc = p.value === 'B' || p.value.startsWith('B'); break;
        default: break;
      }
    }
    if (bc) y = 1 - y;
    const dt = new Date(0);
    dt.setUTCFullYear(y, mo - 1, d);
    dt.setUTCHours(hh === 24 ? 0 : hh, mi, ss, 0);
    return dt.getTime() - ts;
  }
}

/** UTC, the default zone everywhere. */
export const UTC: TimeZone = new FixedZone('UTC', 0);

const cache = new Map<string, TimeZone>([['UTC', UTC]]);
const FIXED_RE = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

function offsetId(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset) / 60000;
  const h = Math.floor(a / 60);
  const m = a % 60;
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A fixed-offset zone, offset in ms. Offset 0 is UTC. */
export function fixedOffsetZone(offset: number): TimeZone {
  if (offset === 0) return UTC;
  const id = offsetId(offset);
  let z = cache.get(id);
  if (z === undefined) {
    z = new FixedZone(id, offset);
    cache.set(id, z);
  }
  return z;
}

/**
 * The zone for a Joda/IANA id: "UTC", "Z", "GMT", "Etc/UTC", "+05:30",
 * "-08", "UTC+01:00", "America/Los_Angeles". null/undefined/"" is UTC.
 * Throws NemetonError 'Invalid input' for unknown ids.
 */
export function getTimeZone(id: string | null | undefined): TimeZone {
  if (id === null || id === undefined || id === '') return UTC;
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  const upper = id.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT' || upper === 'UT' || upper === 'ETC/UTC' || upper === 'ETC/GMT' || upper === 'ZULU' || upper === 'ETC/UCT' || upper === 'UCT' || upper === 'ETC/ZULU' || upper === 'ETC/UNIVERSAL' || upper === 'UNIVERSAL') {
    cache.set(id, UTC);
    return UTC;
  }
  const m = FIXED_RE.exec(id);
  if (m !== null) {
    const h = Number(m[2]);
    const mi = m[3] === undefined ? 0 : Number(m[3]);
    const s = m[4] === undefined ? 0 : Number(m[4]);
    if (h > 23 || mi > 59 || s > 59) throw errors.invalidInput(`Invalid time zone [${id}]: offset out of range`);
    const off = (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s) * 1000;
    const z = fixedOffsetZone(off);
    cache.set(id, z);
    return z;
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw errors.invalidInput(`Invalid time zone [${id}]: unknown time zone id`);
  }
  const resolved = fmt.resolvedOptions().timeZone;
  if (resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT') {
    cache.set(id, UTC);
    return UTC;
  }
  const z = new NamedZone(id, fmt);
  cache.set(id, z);
  return z;
}

/** Formats an offset in ms as "+05:30" / "-08:00" ("+00:00" for zero). */
export function formatOffset(offset: number, colon = true): string {
  const s = offsetId(offset === 0 ? 0 : offset);
  const base = offset === 0 ? '+00:00' : s;
  return colon ? base : base.replace(':', '');
}
