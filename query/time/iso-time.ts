/**
 * ISO-8601 instants and intervals as the query layer uses them, delegating to
 * storage/time/ (the one implementation of Druid's time rules).
 */
import type { Interval } from '../../common/interval.ts';
import { formatIso, parseInterval, parseIsoTimestamp } from '../../storage/time/index.ts';

/** Parses an ISO-8601 instant (no offset means UTC) to epoch ms, or NaN when it is not one. */
export function parseIsoInstant(text: string): number {
  return parseIsoTimestamp(text, { allowSpace: true }) ?? Number.NaN;
}

/** Parses "start/end", "start/period" or "period/end"; throws 'Invalid input' on bad text. */
export function parseIsoInterval(text: string): Interval {
  return parseInterval(text);
}

/** Druid's timestamp text: ISO-8601 UTC with milliseconds and Z (also for instants beyond year 9999). */
export function toIsoString(t: number): string {
  return formatIso(t);
}
