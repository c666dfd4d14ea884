/** Druid's string orderings (bound filters, limitSpec, topN): lexicographic, alphanumeric, numeric, strlen, version. */

export type StringOrdering = 'lexicographic' | 'alphanumeric' | 'numeric' | 'strlen' | 'version';

/** Normalises an ordering spec (string or {type}) to its name; unknown names become lexicographic. */
export function orderingName(o: unknown): StringOrdering {
  const name = typeof o === 'string' ? o : o !== null && typeof o === 'object' ? String((o as { type?: unknown }).type) : 'lexicographic';
  const lower = name.toLowerCase();
  if (lower === 'alphanumeric' || lower === 'numeric' || lower === 'strlen' || lower === 'version') return lower;
  return 'lexicographic';
}

/** UTF-8 byte order equals code point order; compare by code points (surrogate-safe). */
export function compareLexicographic(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function compareAlphanumeric(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const c = Number(x) - Number(y);
      if (c !== 0) return c;
      if (x.length !== y.length) return x.length - y.length;
    } else if (dx !== dy) {
      return dx ? -1 : 1;
    } else {
      const c = compareLexicographic(x, y);
      if (c !== 0) return c;
    }
  }
  return pa.length - pb.length;
}

/** Comparator over nullable strings for an ordering; nulls first. Numeric: non-numbers sort before numbers, by text. */
export function stringComparator(ordering: StringOrdering): (a: string | null, b: string | null) => number {
  const base = (a: string, b: string): number => {
    switch (ordering) {
      case 'numeric': {
        const x = Number(a);
        const y = Number(b);
        const nx = a.trim() === '' || Number.isNaN(x);
        const ny = b.trim() === '' || Number.isNaN(y);
        if (nx || ny) return nx && ny ? compareLexicographic(a, b) : nx ? -1 : 1;
        return x < y ? -1 : x > y ? 1 : 0;
      }
      case 'strlen':
        return a.length !== b.length ? a.length - b.length : compareLexicographic(a, b);
      case 'alphanumeric':
      case 'version':
        return compareAlphanumeric(a, b);
      default:
        return compareLexicographic(a, b);
    }
  };
  return (a, b) => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return base(a, b);
  };
}
