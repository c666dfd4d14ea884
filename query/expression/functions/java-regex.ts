/** Translation of java.util.regex patterns and replacement strings to JavaScript RegExp, for the common subset. */
import { NemetonError } from '../../../common/errors.ts';

const cache = new Map<string, RegExp>();

/**
 * Compiles a Java regex into a global JS RegExp. Leading inline flags such as
 * `(?i)`, `(?s)`, `(?m)` become RegExp flags. Throws 'Invalid input' on a bad pattern.
 */
export function compileJavaRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit !== undefined) { hit.lastIndex = 0; return hit; }
  let flags = 'g';
  let body = pattern;
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m !== null) {
    body = body.slice(m[0].length);
    for (const f of m[1]) if (f !== 'x' && !flags.includes(f)) flags += f;
  }
  body = body.replace(/\\p\{(Alpha|Digit|Alnum|Upper|Lower|Punct|Space)\}/g, (_s, cls: string) => POSIX[cls] ?? _s);
  let re: RegExp;
  try {
    re = new RegExp(body, flags);
  } catch (e) {
    throw new NemetonError(`Invalid regular expression [${pattern}]: ${(e as Error).message}`, { code: 'Invalid input' });
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

const POSIX: Record<string, string> = {
  Alpha: '[A-Za-z]', Digit: '[0-9]', Alnum: '[A-Za-z0-9]', Upper: '[A-Z]', Lower: '[a-z]',
  Punct: '[!-\\/:-@\\[-`{-~]', Space: '\\s',
};

/** Converts a Java replacement string (`$1`, `${name}`, `\$`) to JS replacement syntax. */
export function javaReplacement(rep: string): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '\\' && i + 1 < rep.length) {
      const n = rep[++i];
      out += n === '$' ? '$$' : n;
    } else if (c === '$' && rep[i + 1] === '{') {
      const end = rep.indexOf('}', i);
      if (end < 0) throw new NemetonError(`Invalid replacement [${rep}]`, { code: 'Invalid input' });
      out += `$<${rep.slice(i + 2, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

/** Regex for a SQL LIKE pattern with an optional one-character escape. */
export function likeToRegex(pattern: string, escape: string | null): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape && i + 1 < pattern.length) {
      out += escapeRegex(pattern[++i]);
    } else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += escapeRegex(c);
  }
  return new RegExp(`${out}$`);
}

/** Escapes regex metacharacters. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
