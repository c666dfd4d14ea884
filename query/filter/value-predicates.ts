/**
 * Leaf filters as three-valued predicates over one value. String predicates
 * see the (possibly extracted) string form; numeric predicates see numbers.
 * Null input yields UNKNOWN unless the filter explicitly matches null.
 */
import { errors } from '../../common/errors.ts';
import type { Filter } from '../model/filter.ts';
import type { SearchQuerySpec } from '../model/query.ts';
import { parseIsoInterval } from '../time/iso-time.ts';
import { orderingName, stringComparator } from './string-orderings.ts';
import { FALSE, TRUE, UNKNOWN } from './tri.ts';

/** Tri-valued predicate over a string value (null = missing). */
export type StringPredicate = (value: string | null) => number;
/** Tri-valued predicate over a number (null = missing). */
export type NumberPredicate = (value: number | null) => number;

export interface LeafPredicates {
  readonly string: StringPredicate;
  /** Present when the filter has a natural numeric meaning (used on numeric columns). */
  readonly number: NumberPredicate;
  /**
   * When the numeric predicate is "value within [lo, hi]" (bounds optional,
   * open or closed) and null is UNKNOWN: lets numeric columns use a range kernel.
   */
  readonly numericRange?: NumericRange;
  /**
   * When the string predicate is TRUE for exactly these non-null strings and
   * FALSE for every other non-null string (null: whatever `string(null)`
   * says): lets dictionary columns look the values up instead of testing
   * every dictionary entry.
   */
  readonly pointSet?: readonly string[];
  /**
   * When the string predicate is TRUE for exactly the non-null strings that
   * start with this prefix and FALSE for other non-null strings: on a sorted
   * dictionary the matches are one run of ids found by binary search.
   */
  readonly prefix?: string;
}

/** The literal prefix of a LIKE pattern of the form 'literal%' (no other wildcard, no escape), else undefined. */
export function likePrefix(pattern: string, escape: string | null | undefined): string | undefined {
  if (escape !== null && escape !== undefined && escape !== '') return undefined;
  if (!pattern.endsWith('%')) return undefined;
  const head = pattern.slice(0, -1);
  return /[%_]/.test(head) ? undefined : head;
}

/** A numeric interval test; null bounds are unbounded. */
export interface NumericRange {
  readonly lo: number | null;
  readonly hi: number | null;
  readonly loOpen: boolean;
  readonly hiOpen: boolean;
}

const tri = (b: boolean): number => (b ? TRUE : FALSE);

function numOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  if (s === '') return null;
  const x = Number(s);
  return Number.isNaN(x) ? null : x;
}

/** Numeric form of a number as Druid prints it in a string dimension context. */
export function numberToString(x: number): string {
  return Number.isInteger(x) ? String(x) : String(x);
}

function fromStringPredicate(p: StringPredicate): NumberPredicate {
  return (x) => p(x === null ? null : numberToString(x));
}

/** Builds a SQL LIKE matcher (with optional escape character). */
export function likeToRegExp(pattern: string, escape: string | null | undefined): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape && c === escape && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 's');
}

/** The predicate of a search query spec (search filter and search query). */
export function searchSpecPredicate(q: SearchQuerySpec): (s: string) => boolean {
  switch (q.type) {
    case 'contains': {
      if (q.caseSensitive === true) return (s) => s.includes(q.value);
      const v = q.value.toLowerCase();
      return (s) => s.toLowerCase().includes(v);
    }
    case 'insensitive_contains': {
      const v = q.value.toLowerCase();
      return (s) => s.toLowerCase().includes(v);
    }
    case 'fragment': {
      if (q.caseSensitive === true) return (s) => q.values.every((f) => s.includes(f));
      const vs = q.values.map((f) => f.toLowerCase());
      return (s) => {
        const l = s.toLowerCase();
        return vs.every((f) => l.includes(f));
      };
    }
    case 'regex': {
      const re = new RegExp(q.pattern);
      return (s) => re.test(s);
    }
    default:
      throw errors.invalidInput(`Unknown search query type [${(q as { type: string }).type}]`);
  }
}

/** Predicates of a leaf filter (every filter type except and/or/not/true/false/expression/columnComparison). */
export function leafPredicates(f: Filter): LeafPredicates {
  switch (f.type) {
    case 'selector': {
      const v = f.value === '' && false ? null : f.value;
      if (v === null || v === undefined) {
        const p: StringPredicate = (s) => tri(s === null);
        return { string: p, number: (x) => tri(x === null) };
      }
      const target = numOrNull(v);
      return {
        string: (s) => (s === null ? UNKNOWN : tri(s === v)),
        number: (x) => (x === null ? UNKNOWN : tri(target !== null && x === target)),
        ...(target === null ? {} : { numericRange: { lo: target, hi: target, loOpen: false, hiOpen: false } }),
        ...(typeof v === 'string' ? { pointSet: [v] } : {}),
      };
    }
    case 'equals': {
      const type = String(f.matchValueType).toUpperCase();
      const mv = f.matchValue;
      if (mv === null || mv === undefined) throw errors.invalidInput('equals filter: matchValue must not be null (use the null filter)');
      if (type === 'STRING') {
        const s0 = String(mv);
        const n0 = numOrNull(mv);
        return { string: (s) => (s === null ? UNKNOWN : tri(s === s0)), number: (x) => (x === null ? UNKNOWN : tri(n0 !== null && x === n0)), pointSet: [s0] };
      }
      const n0 = numOrNull(mv);
      if (n0 === null) throw errors.invalidInput(`equals filter: matchValue [${String(mv)}] is not a ${type}`);
      return {
        string: (s) => {
          const x = numOrNull(s);
          return s === null ? UNKNOWN : tri(x !== null && x === n0);
        },
        number: (x) => (x === null ? UNKNOWN : tri(x === n0)),
        numericRange: { lo: n0, hi: n0, loOpen: false, hiOpen: false },
      };
    }
    case 'in': {
      const set = new Set(f.values.map((v) => (v === undefined ? null : v)));
      const hasNull = set.has(null);
      const nums = new Set<number>();
      for (const v of set) {
        const x = numOrNull(v);
        if (x !== null) nums.add(x);
      }
      return {
        string: (s) => (s === null ? (hasNull ? TRUE : UNKNOWN) : tri(set.has(s))),
        number: (x) => (x === null ? (hasNull ? TRUE : UNKNOWN) : tri(nums.has(x))),
        pointSet: [...set].filter((v): v is string => typeof v === 'string'),
      };
    }
    case 'inType': {
      const set = new Set(f.sortedValues.map((v) => (v === null ? null : String(v))));
      const nums = new Set(f.sortedValues.map(numOrNull).filter((x): x is number => x !== null));
      const hasNull = set.has(null);
      return {
        string: (s) => (s === null ? (hasNull ? TRUE : UNKNOWN) : tri(set.has(s))),
        number: (x) => (x === null ? (hasNull ? TRUE : UNKNOWN) : tri(nums.has(x))),
        pointSet: [...set].filter((v): v is string => v !== null),
      };
    }
    case 'bound': {
      const ordering = orderingName(f.ordering);
      const lower = f.lower ?? null;
      const upper = f.upper ?? null;
      const ls = f.lowerStrict === true;
      const us = f.upperStrict === true;
      if (ordering === 'numeric') {
        const lo = numOrNull(lower);
        const hi = numOrNull(upper);
        const num: NumberPredicate = (x) => {
          if (x === null) return UNKNOWN;
          if (lo !== null && (ls ? !(x > lo) : !(x >= lo))) return FALSE;
          if (hi !== null && (us ? !(x < hi) : !(x <= hi))) return FALSE;
          return TRUE;
        };
        return {
          string: (s) => (s === null ? UNKNOWN : (() => { const x = numOrNull(s); return x === null ? FALSE : num(x); })()), number: num,
          numericRange: { lo, hi, loOpen: ls, hiOpen: us },
        };
      }
      const cmp = stringComparator(ordering);
      const str: StringPredicate = (s) => {
        if (s === null) return UNKNOWN;
        if (lower !== null) {
          const c = cmp(s, lower);
          if (ls ? c <= 0 : c < 0) return FALSE;
        }
        if (upper !== null) {
          const c = cmp(s, upper);
          if (us ? c >= 0 : c > 0) return FALSE;
        }
        return TRUE;
      };
      return { string: str, number: fromStringPredicate(str) };
    }
    case 'range': {
      const type = String(f.matchValueType).toUpperCase();
      const lo = f.lower ?? null;
      const hi = f.upper ?? null;
      const lOpen = f.lowerOpen === true;
      const uOpen = f.upperOpen === true;
      if (type === 'STRING') {
        const cmp = stringComparator('lexicographic');
        const los = lo === null ? null : String(lo);
        const his = hi === null ? null : String(hi);
        const str: StringPredicate = (s) => {
          if (s === null) return UNKNOWN;
          if (los !== null) { const c = cmp(s, los); if (lOpen ? c <= 0 : c < 0) return FALSE; }
          if (his !== null) { const c = cmp(s, his); if (uOpen ? c >= 0 : c > 0) return FALSE; }
          return TRUE;
        };
        return { string: str, number: fromStringPredicate(str) };
      }
      const ln = numOrNull(lo);
      const hn = numOrNull(hi);
      const num: NumberPredicate = (x) => {
        if (x === null) return UNKNOWN;
        if (ln !== null && (lOpen ? !(x > ln) : !(x >= ln))) return FALSE;
        if (hn !== null && (uOpen ? !(x < hn) : !(x <= hn))) return FALSE;
        return TRUE;
      };
      return {
        string: (s) => { if (s === null) return UNKNOWN; const x = numOrNull(s); return x === null ? FALSE : num(x); }, number: num,
        numericRange: { lo: ln, hi: hn, loOpen: lOpen, hiOpen: uOpen },
      };
    }
    case 'like': {
      const re = likeToRegExp(f.pattern, f.escape);
      const str: StringPredicate = (s) => (s === null ? UNKNOWN : tri(re.test(s)));
      const prefix = likePrefix(f.pattern, f.escape);
      return { string: str, number: fromStringPredicate(str), ...(prefix === undefined ? {} : { prefix }) };
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(f.pattern);
      } catch (e) {
        throw errors.invalidInput(`regex filter: invalid pattern [${f.pattern}]: ${(e as Error).message}`);
      }
      const str: StringPredicate = (s) => (s === null ? UNKNOWN : tri(re.test(s)));
      return { string: str, number: fromStringPredicate(str) };
    }
    case 'search': {
      const p = searchSpecPredicate(f.query);
      const str: StringPredicate = (s) => (s === null ? UNKNOWN : tri(p(s)));
      return { string: str, number: fromStringPredicate(str) };
    }
    case 'interval': {
      const ivs = f.intervals.map(parseIsoInterval);
      const num: NumberPredicate = (x) => (x === null ? UNKNOWN : tri(ivs.some((i) => x >= i.start && x < i.end)));
      return {
        string: (s) => num(numOrNull(s)), number: num,
        ...(ivs.length === 1 ? { numericRange: { lo: ivs[0].start, hi: ivs[0].end, loOpen: false, hiOpen: true } } : {}),
      };
    }
    case 'null':
      return { string: (s) => tri(s === null), number: (x) => tri(x === null) };
    case 'arrayContainsElement': {
      const target = f.elementMatchValue === null ? null : String(f.elementMatchValue);
      const n0 = numOrNull(f.elementMatchValue);
      return { string: (s) => (s === null ? (target === null ? TRUE : UNKNOWN) : tri(s === target)), number: (x) => (x === null ? UNKNOWN : tri(x === n0)) };
    }
    default:
      throw errors.invalidInput(`Filter type [${f.type}] is not a leaf filter`);
  }
}

/** The column a leaf filter reads. */
export function leafColumn(f: Filter): string {
  const x = f as { dimension?: unknown; column?: unknown };
  const c = x.dimension ?? x.column;
  if (typeof c !== 'string') throw errors.invalidInput(`Filter of type [${f.type}] needs a 'dimension' (or 'column')`);
  return c;
}
