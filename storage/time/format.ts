/**
 * Timestamp text output: ISO-8601 as Druid prints it
 * ("2015-09-12T00:00:00.000Z", or with the zone's offset) and SQL timestamp
 * text ("2000-01-01 00:00:00.000"). Hand-written, no Date objects; ISO UTC
 * strings are cached because result rows repeat bucket timestamps.
 */
import { civilFromDays, MS_DAY } from './civil.ts';
import type { TimeZone } from './zone.ts';
import { formatOffset } from './zone.ts';

const scratch = new Int32Array(3);

function pad2(v: number): string {
  return v < 10 ? `0${v}` : `${v}`;
}

function pad3(v: number): string {
  return v < 10 ? `00${v}` : v < 100 ? `0${v}` : `${v}`;
}

function yearText(y: number): string {
  if (y >= 1000 && y <= 9999) return `${y}`;
  const a = Math.abs(y);
  const body = a < 10 ? `000${a}` : a < 100 ? `00${a}` : a < 1000 ? `0${a}` : `${a}`;
  return y < 0 ? `-${body}` : body;
}

/** "yyyy-MM-dd{sep}HH:mm:ss.SSS" of local-time ms (the instant plus its offset). */
export function formatLocalDateTime(local: number, sep: string, millis: boolean): string {
  const days = Math.floor(local / MS_DAY);
  let tod = local - days * MS_DAY;
  civilFromDays(days, scratch);
  const ms = tod % 1000;
  tod = (tod - ms) / 1000;
  const sec = tod % 60;
  tod = (tod - sec) / 60;
  const min = tod % 60;
  const hour = (tod - min) / 60;
  const base = `${yearText(scratch[0])}-${pad2(scratch[1])}-${pad2(scratch[2])}${sep}${pad2(hour)}:${pad2(min)}:${pad2(sec)}`;
  return millis ? `${base}.${pad3(ms)}` : base;
}

/** "yyyy-MM-dd" of local-time ms. */
export function formatLocalDate(local: number): string {
  civilFromDays(Math.floor(local / MS_DAY), scratch);
  return `${yearText(scratch[0])}-${pad2(scratch[1])}-${pad2(scratch[2])}`;
}

const ISO_CACHE_SIZE = 4096;
const isoKeys = new Float64Array(ISO_CACHE_SIZE).fill(Number.NaN);
const isoValues: string[] = new Array<string>(ISO_CACHE_SIZE).fill('');

/** Druid's UTC ISO text of an instant: "2015-09-12T00:00:00.000Z". Years print with at least 4 digits, '-' when negative. */
export function formatIso(t: number): string {
  // Direct-mapped cache: repeated bucket timestamps hit, distinct values just overwrite.
  const slot = ((t / 1000) ^ (t % 1000)) & (ISO_CACHE_SIZE - 1);
  if (isoKeys[slot] === t) return isoValues[slot];
  const s = `${formatLocalDateTime(t, 'T', true)}Z`;
  isoKeys[slot] = t;
  isoValues[slot] = s;
  return s;
}

/**
 * ISO text in a zone, as Druid prints bucket timestamps of a zoned
 * granularity: "2015-09-12T00:00:00.000-07:00"; UTC prints "Z".
 */
export function formatIsoInZone(t: number, zone: TimeZone): string {
  const off = zone.fixedOffset ?? zone.offsetAt(t);
  if (off === 0 && zone.id === 'UTC') return formatIso(t);
  return `${formatLocalDateTime(t + off, 'T', true)}${formatOffset(off)}`;
}

/** SQL timestamp text in a zone: "2000-01-01 00:00:00.000" (millis optional). */
export function formatSqlTimestamp(t: number, zone: TimeZone, millis = true): string {
  const off = zone.fixedOffset ?? zone.offsetAt(t);
  return formatLocalDateTime(t + off, ' ', millis);
}

/** SQL date text in a zone: "2000-01-01". */
export function formatSqlDate(t: number, zone: TimeZone): string {
  const off = zone.fixedOffset ?? zone.offsetAt(t);
  return formatLocalDate(t + off);
}
