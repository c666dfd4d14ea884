/**
 * timestampSpec: turns a row's timestamp field into epoch ms according to the
 * format (iso, millis, posix, micro, nano, auto, or a Joda-style pattern).
 * Returns null when the value cannot be read as a timestamp.
 */
import { errors } from '../../common/errors.ts';
import { parseIsoTimestamp } from '../../storage/time/iso-parse.ts';
import type { TimestampSpec } from './ingestion-spec.ts';

export type TimestampParser = (value: unknown) => number | null;

const isoOptions = { allowSpace: true } as const;

function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

export function timestampParser(spec: TimestampSpec, customPattern?: (pattern: string) => TimestampParser): TimestampParser {
  const withMissing = (parse: TimestampParser): TimestampParser => {
    if (spec.missingValue === null) return parse;
    const fallback = parse(spec.missingValue);
    return (v) => (v === null || v === undefined || v === '' ? fallback : parse(v));
  };
  switch (spec.format.toLowerCase()) {
    case 'iso':
      return withMissing((v) => (typeof v === 'string' ? parseIsoTimestamp(v, isoOptions) : null));
    case 'millis':
      return withMissing((v) => { const n = numeric(v); return n === null ? null : Math.trunc(n); });
    case 'posix':
      return withMissing((v) => { const n = numeric(v); return n === null ? null : Math.trunc(n * 1000); });
    case 'micro':
      return withMissing((v) => { const n = numeric(v); return n === null ? null : Math.trunc(n / 1000); });
    case 'nano':
      return withMissing((v) => { const n = numeric(v); return n === null ? null : Math.trunc(n / 1_000_000); });
    case 'auto':
      return withMissing((v) => {
        const n = numeric(v);
        if (n !== null) return Math.trunc(n);
        return typeof v === 'string' ? parseIsoTimestamp(v.trim(), isoOptions) : null;
      });
    default:
      if (!customPattern) throw errors.invalidInput(`timestampSpec format [${spec.format}] is not supported`);
      return withMissing(customPattern(spec.format));
  }
}
