/**
 * timestampSpec: turns a row's timestamp field into epoch ms according to the
 * format (iso, millis, posix, micro, nano, ruby, auto, or a Joda-style
 * pattern — all read by the time library), with `missingValue` standing in
 * for absent timestamps. Returns null when the value cannot be read.
 */
import { timestampParser as formatParser } from '../../storage/time/timestamp-parse.ts';
import type { TimestampSpec } from './ingestion-spec.ts';

export type TimestampParser = (value: unknown) => number | null;

export function timestampParser(spec: TimestampSpec): TimestampParser {
  const parse = formatParser(spec.format);
  if (spec.missingValue === null) return parse;
  const fallback = parse(spec.missingValue);
  return (v) => (v === null || v === undefined || v === '' ? fallback : parse(v));
}
