/**
 * Druid extraction functions: map one input value (string, number or null) to
 * an output string or null. Applied once per dictionary entry where possible.
 */
import { errors } from '../../common/errors.ts';
import type { ExtractionFn } from '../model/dimension-spec.ts';
import { resolveLookup } from '../expression/lookup.ts';
import { parseQueryGranularity } from '../time/query-granularity.ts';
import { formatIsoInZone, getFormatter, getTimeZone, parseIsoTimestamp } from '../../storage/time/index.ts';

export type ExtractionFunction = (value: unknown) => string | null;

function asString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return String(v);
}

/** Compiles an extraction function spec. Throws 'Invalid input' for unknown types or bad arguments. */
export function compileExtractionFn(fn: ExtractionFn): ExtractionFunction {
  switch (fn.type) {
    case 'identity':
      return asString;
    case 'substring': {
      const index = fn.index;
      const length = fn.length ?? null;
      if (!(index >= 0)) throw errors.invalidInput('substring extractionFn: index must be >= 0');
      return (v) => {
        const s = asString(v);
        if (s === null) return null;
        if (index >= s.length) return null;
        const out = length === null ? s.slice(index) : s.slice(index, index + length);
        return out;
      };
    }
    case 'strlen':
      return (v) => {
        const s = asString(v);
        return s === null ? null : String(s.length);
      };
    case 'upper':
      return (v) => asString(v)?.toUpperCase() ?? null;
    case 'lower':
      return (v) => asString(v)?.toLowerCase() ?? null;
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(fn.expr);
      } catch (e) {
        throw errors.invalidInput(`regex extractionFn: invalid pattern [${fn.expr}]: ${(e as Error).message}`);
      }
      const index = fn.index ?? 1;
      const replace = fn.replaceMissingValue === true;
      const replacement = fn.replaceMissingValueWith ?? null;
      return (v) => {
        const s = asString(v);
        if (s === null) return replace ? replacement : null;
        const m = re.exec(s);
        if (m === null) return replace ? replacement : s;
        const g = m[index];
        return g === undefined ? null : g;
      };
    }
    case 'partial': {
      const re = new RegExp(fn.expr);
      return (v) => {
        const s = asString(v);
        return s !== null && re.test(s) ? s : null;
      };
    }
    case 'lookup': {
      const map = fn.lookup.map;
      const retain = fn.retainMissingValue === true;
      const replacement = fn.replaceMissingValueWith ?? null;
      return (v) => {
        const s = asString(v);
        if (s !== null && Object.prototype.hasOwnProperty.call(map, s)) {
          const out = map[s];
          return out === '' ? null : out;
        }
        return retain ? s : replacement;
      };
    }
    case 'bucket': {
      const size = fn.size ?? 1;
      const offset = fn.offset ?? 0;
      return (v) => {
        const s = asString(v);
        if (s === null) return null;
        const x = Number(s);
        if (s.trim() === '' || Number.isNaN(x)) return null;
        return String(Math.floor((x - offset) / size) * size + offset);
      };
    }
    case 'cascade': {
      const fns = fn.extractionFns.map(compileExtractionFn);
      return (v) => {
        let cur: unknown = v;
        for (const f of fns) cur = f(cur);
        return asString(cur);
      };
    }
    case 'stringFormat': {
      const format = fn.format;
      const handling = fn.nullHandling ?? 'nullString';
      return (v) => {
        let s = asString(v);
        if (s === null) {
          if (handling === 'returnNull') return null;
          s = handling === 'emptyString' ? '' : 'null';
        }
        return format.replace(/%s/g, s);
      };
    }
    case 'searchQuery': {
      const q = fn.query as { type: string; value?: string; values?: string[]; caseSensitive?: boolean };
      const needle = (q.value ?? '').toLowerCase();
      return (v) => {
        const s = asString(v);
        return s !== null && s.toLowerCase().includes(needle) ? s : null;
      };
    }
    case 'timeFormat':
      return compileTimeFormat(fn);
    case 'registeredLookup': {
      const lookup = resolveLookup(fn.lookup);
      const retain = fn.retainMissingValue === true;
      const replacement = fn.replaceMissingValueWith ?? null;
      return (v) => {
        const s = asString(v);
        const out = s === null ? null : lookup(s);
        if (out !== null) return out === '' ? null : out;
        return retain ? s : replacement;
      };
    }
    case 'javascript':
      throw errors.unsupported('JavaScript extractionFn');
    default:
      throw errors.invalidInput(`Unknown extractionFn type [${(fn as { type: string }).type}]`);
  }
}

function compileTimeFormat(fn: Extract<ExtractionFn, { type: 'timeFormat' }>): ExtractionFunction {
  const zone = getTimeZone(fn.timeZone ?? 'UTC');
  const gran = fn.granularity === undefined || fn.granularity === null ? null : parseQueryGranularity(fn.granularity as never);
  const format = fn.format ?? null;
  const formatter = format === null ? null : getFormatter(format, zone, fn.locale ?? null);
  return (v) => {
    if (v === null || v === undefined) return null;
    let t = typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(t)) {
      t = parseIsoTimestamp(String(v)) ?? Number.NaN;
      if (Number.isNaN(t)) return null;
    }
    if (gran !== null) t = gran.bucketStart(t);
    if (fn.asMillis === true && formatter === null) return String(t);
    if (formatter === null) return formatIsoInZone(t, zone);
    return formatter(t);
  };
}
