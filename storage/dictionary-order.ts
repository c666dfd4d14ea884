/**
 * String ordering for dictionaries: UTF-8 byte order, which equals Unicode
 * code point order. JavaScript's `<` compares UTF-16 code units, which
 * differs only when a surrogate pair meets a code unit in U+E000..U+FFFF.
 */

/** Compares two strings in UTF-8 byte order (negative, zero or positive). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Compares nullable strings: null first, then UTF-8 byte order. */
export function compareNullableUtf8(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareUtf8(a, b);
}

function hasSurrogates(values: readonly string[]): boolean {
  for (const v of values) {
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0xd800 && c < 0xe000) return true;
    }
  }
  return false;
}

/** Sorts distinct non-null strings in place in UTF-8 byte order. */
export function sortUtf8(values: string[]): string[] {
  if (hasSurrogates(values)) return values.sort(compareUtf8);
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Binary search of a sorted dictionary (null first); -1 when absent. */
export function searchDictionary(dict: readonly (string | null)[], value: string | null): number {
  if (value === null) return dict.length > 0 && dict[0] === null ? 0 : -1;
  let lo = dict.length > 0 && dict[0] === null ? 1 : 0;
  let hi = dict.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareUtf8(dict[mid] as string, value);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
