/**
 * Translation of SQL-standard SIMILAR TO patterns into regular expressions
 * that both JavaScript and Java (Druid's `regex` filter) read the same way.
 */
import { NemetonError } from '../common/errors.ts';

/** Characters with a regex meaning that SIMILAR TO treats as literals. */
const LITERAL_META = new Set(['.', '^', '$', '\\', '/']);
/** Characters SIMILAR TO shares with regular expressions, passed through as they are. */
const PASS_THROUGH = new Set(['|', '*', '+', '?', '{', '}', ')', ',']);
/** Any character, newlines included (`.` excludes them in both dialects). */
const ANY = '[\\s\\S]';

function badPattern(message: string): NemetonError {
  return new NemetonError(message, { code: 'Invalid input', sqlState: '2201B' });
}

function quote(ch: string): string {
  return /[\\^$.|?*+()[\]{}/-]/.test(ch) ? '\\' + ch : ch;
}

/**
 * The regular expression matching exactly the strings `pattern` is SIMILAR TO:
 * the whole value must match; `%` is any run of characters, `_` any single
 * character; `| * + ? {m,n} ( ) [...]` keep their regex meaning; every other
 * character (including `.`, `^`, `$`) is literal. `escape` is the escape
 * character: one character, `''` for none, `undefined` for the PostgreSQL
 * default (`\`). Throws 22019 for a bad escape string, 22025 for a pattern
 * ending in the escape character and 2201B when the result is not a valid
 * regular expression (unbalanced parentheses or brackets, bad repetition).
 */
export function similarToRegex(pattern: string, escape?: string): string {
  const esc = escape === undefined ? '\\' : escape;
  if ([...esc].length > 1) {
    throw new NemetonError(`Invalid escape string '${esc}' for SIMILAR TO; it must be one character or empty`, { code: 'Invalid input', sqlState: '22019' });
  }
  const chars = [...pattern];
  let out = '';
  let inBracket = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (esc !== '' && ch === esc) {
      const next = chars[++i];
      if (next === undefined) {
        throw new NemetonError(`SIMILAR TO pattern '${pattern}' ends with the escape character`, { code: 'Invalid input', sqlState: '22025' });
      }
      out += quote(next);
      continue;
    }
    if (inBracket) {
      if (ch === ']') inBracket = false;
      out += ch === '\\' || ch === '/' || ch === '[' ? '\\' + ch : ch;
      continue;
    }
    if (ch === '[') {
      inBracket = true;
      out += '[';
      // A leading ^ negates; a leading ] is a literal member.
      if (chars[i + 1] === '^') { out += '^'; i++; }
      if (chars[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (ch === '%') out += ANY + '*';
    else if (ch === '_') out += ANY;
    else if (ch === '(') out += '(?:';
    else if (PASS_THROUGH.has(ch)) out += ch;
    else if (LITERAL_META.has(ch) || ch === ']' || ch === '-') out += '\\' + ch;
    else out += ch;
  }
  if (inBracket) throw badPattern(`Invalid SIMILAR TO pattern '${pattern}': unterminated bracket expression`);
  const regex = `^(?:${out})$`;
  try {
    new RegExp(regex);
  } catch (e) {
    throw badPattern(`Invalid SIMILAR TO pattern '${pattern}': ${(e as Error).message}`);
  }
  return regex;
}
