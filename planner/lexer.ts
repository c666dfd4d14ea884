/**
 * Hand-written lexer for Druid's SQL dialect. Produces tokens with 1-based
 * character positions; never rewrites the text. Keywords are recognised by
 * the parser (case-insensitively) from `word` tokens, so identifiers keep the
 * case they were written in.
 */
import { errors } from '../common/errors.ts';

export type TokenKind =
  | 'word'        // bare identifier or keyword
  | 'quoted'      // "double-quoted identifier"
  | 'string'      // 'string literal' (also U&'...', N'...', X'...' prefixes resolved)
  | 'number'      // 1, 1.5, .5, 1e3
  | 'param'       // ? or $1
  | 'op'          // punctuation and operators
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier / literal value (quotes removed, escapes resolved), operator text, or number text. */
  readonly value: string;
  /** Upper-cased value for `word` tokens (keyword matching). */
  readonly upper: string;
  /** 1-based offset of the token's first character in the SQL text. */
  readonly pos: number;
  /** 0-based end offset (exclusive). */
  readonly end: number;
  /** For `param`: 1-based parameter index. */
  readonly paramIndex?: number;
}

const OPERATORS = ['!~~*', '!~~', '~~*', '!~*', '~~', '!~', '~*', '=>', '<>', '<=', '>=', '!=', '||', '::', '~', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', ';', '[', ']', '{', '}', ':'];

/** Line and column (1-based) of a 1-based character position. */
export function lineColumn(sql: string, pos: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos - 1 && i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) { line++; col = 1; } else col++;
  }
  return { line, column: col };
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\u007f';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$';
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Tokenizes SQL. Throws errors.syntax with the position of a bad character or unterminated literal. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let positional = 0;
  const n = sql.length;
  const push = (kind: TokenKind, value: string, start: number, end: number, paramIndex?: number) => {
    out.push({ kind, value, upper: kind === 'word' ? value.toUpperCase() : value, pos: start + 1, end, ...(paramIndex === undefined ? {} : { paramIndex }) });
  };
  while (i < n) {
    const c = sql[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw syntaxAt(sql, i + 1, 'Unterminated comment');
      i = close + 2;
      continue;
    }
    const start = i;
    // String literal prefixes: U&'..', N'..', X'..', E'..'
    if ((c === 'U' || c === 'u') && sql[i + 1] === '&' && sql[i + 2] === "'") {
      const [raw, next] = readQuoted(sql, i + 2, "'");
      i = next;
      let value = decodeUnicodeEscapes(sql, raw, '\\', start);
      if (matchWord(sql, i, 'UESCAPE')) {
        i = skipSpace(sql, skipSpace(sql, i) + 'UESCAPE'.length);
        if (sql[i] !== "'") throw syntaxAt(sql, i + 1, 'Expected escape character string after UESCAPE');
        const [esc, after] = readQuoted(sql, i, "'");
        i = after;
        value = decodeUnicodeEscapes(sql, raw, esc, start);
      }
      push('string', value, start, i);
      continue;
    }
    if ((c === 'E' || c === 'e') && sql[i + 1] === "'" && !isIdentPart(sql[i - 1] ?? ' ')) {
      const [value, next] = readEscapeString(sql, i + 1);
      i = next;
      push('string', value, start, i);
      continue;
    }
    if ((c === 'N' || c === 'n') && sql[i + 1] === "'" && !isIdentPart(sql[i - 1] ?? ' ')) {
      const [raw, next] = readQuoted(sql, i + 1, "'");
      i = next;
      push('string', raw, start, i);
      continue;
    }
    if (c === "'") {
      let [raw, next] = readQuoted(sql, i, "'");
      i = next;
      // Adjacent string literals separated by whitespace with a newline concatenate (SQL standard).
      for (;;) {
        let j = i;
        let sawNewline = false;
        while (j < n && (sql[j] === ' ' || sql[j] === '\t' || sql[j] === '\n' || sql[j] === '\r')) { if (sql[j] === '\n') sawNewline = true; j++; }
        if (sawNewline && sql[j] === "'") { const [more, after] = readQuoted(sql, j, "'"); raw += more; i = after; } else break;
      }
      push('string', raw, start, i);
      continue;
    }
    if (c === '"') {
      const [raw, next] = readQuoted(sql, i, '"');
      i = next;
      push('quoted', raw, start, i);
      continue;
    }
    if (c === '`') {
      const [raw, next] = readQuoted(sql, i, '`');
      i = next;
      push('quoted', raw, start, i);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1] ?? ''))) {
      while (i < n && isDigit(sql[i])) i++;
      if (sql[i] === '.' && !(sql[i + 1] === '.')) { i++; while (i < n && isDigit(sql[i])) i++; }
      if ((sql[i] === 'e' || sql[i] === 'E') && (isDigit(sql[i + 1] ?? '') || ((sql[i + 1] === '+' || sql[i + 1] === '-') && isDigit(sql[i + 2] ?? '')))) {
        i += 2;
        while (i < n && isDigit(sql[i])) i++;
      }
      if (i < n && isIdentStart(sql[i])) throw syntaxAt(sql, i + 1, `Incorrect syntax near "${sql.slice(start, i + 1)}"`);
      push('number', sql.slice(start, i), start, i);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(sql[i])) i++;
      push('word', sql.slice(start, i), start, i);
      continue;
    }
    if (c === '?') {
      positional++;
      i++;
      push('param', '?', start, i, positional);
      continue;
    }
    if (c === '$' && isDigit(sql[i + 1] ?? '')) {
      i++;
      while (i < n && isDigit(sql[i])) i++;
      push('param', sql.slice(start, i), start, i, Number(sql.slice(start + 1, i)));
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op === undefined) throw syntaxAt(sql, i + 1, `Lexical error: unexpected character "${c}"`);
    i += op.length;
    push('op', op === '!=' ? '<>' : op, start, i);
  }
  out.push({ kind: 'eof', value: '<EOF>', upper: '<EOF>', pos: n + 1, end: n });
  return out;
}

function matchWord(sql: string, i: number, word: string): boolean {
  const j = skipSpace(sql, i);
  return sql.slice(j, j + word.length).toUpperCase() === word && !isIdentPart(sql[j + word.length] ?? ' ');
}

function skipSpace(sql: string, i: number): number {
  while (i < sql.length && /\s/.test(sql[i])) i++;
  return i;
}

/** Reads a quoted token starting at the opening quote; doubled quotes escape. Returns [content, next index]. */
function readQuoted(sql: string, start: number, quote: string): [string, number] {
  let i = start + 1;
  let value = '';
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0) {
      throw syntaxAt(sql, start + 1, quote === "'" ? 'Lexical error: unterminated string literal' : 'Lexical error: unterminated quoted identifier');
    }
    value += sql.slice(i, close);
    if (sql[close + 1] === quote) { value += quote; i = close + 2; continue; }
    return [value, close + 1];
  }
}

/**
 * Reads a PostgreSQL escape string E'...' starting at its opening quote:
 * backslash escapes (\n \t \b \f \r, octal, \xHH, \uXXXX, \UXXXXXXXX,
 * any other character taken literally) and doubled quotes. Returns [value, next index].
 */
function readEscapeString(sql: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'") {
      if (sql[i + 1] === "'") { out += "'"; i += 2; continue; }
      return [out, i + 1];
    }
    if (c !== '\\' || i + 1 >= n) { out += c; i++; continue; }
    const d = sql[i + 1];
    i += 2;
    switch (d) {
      case 'n': out += '\n'; continue;
      case 't': out += '\t'; continue;
      case 'r': out += '\r'; continue;
      case 'b': out += '\b'; continue;
      case 'f': out += '\f'; continue;
    }
    if (d >= '0' && d <= '7') {
      let k = i - 1;
      let digits = '';
      while (k < n && digits.length < 3 && sql[k] >= '0' && sql[k] <= '7') digits += sql[k++];
      out += String.fromCharCode(parseInt(digits, 8));
      i = k;
      continue;
    }
    const hexLen = d === 'x' ? 2 : d === 'u' ? 4 : d === 'U' ? 8 : 0;
    if (hexLen > 0) {
      let k = i;
      let digits = '';
      while (k < n && digits.length < hexLen && /[0-9a-fA-F]/.test(sql[k])) digits += sql[k++];
      if (digits.length === 0 || (d !== 'x' && digits.length !== hexLen)) throw syntaxAt(sql, i - 1, 'Invalid escape in E string');
      out += String.fromCodePoint(parseInt(digits, 16));
      i = k;
      continue;
    }
    out += d;
  }
  throw syntaxAt(sql, start + 1, 'Lexical error: unterminated string literal');
}

function decodeUnicodeEscapes(sql: string, raw: string, esc: string, start: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== esc) { out += raw[i]; continue; }
    if (raw[i + 1] === esc) { out += esc; i++; continue; }
    if (raw[i + 1] === '+') {
      const hex = raw.slice(i + 2, i + 8);
      if (!/^[0-9a-fA-F]{6}$/.test(hex)) throw syntaxAt(sql, start + 1, 'Invalid Unicode escape in U& string');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 7;
      continue;
    }
    const hex = raw.slice(i + 1, i + 5);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw syntaxAt(sql, start + 1, 'Invalid Unicode escape in U& string');
    out += String.fromCharCode(parseInt(hex, 16));
    i += 4;
  }
  return out;
}

/** A syntax error at a 1-based position, with Druid-style "line, column" text. */
export function syntaxAt(sql: string, pos: number, message: string) {
  const { line, column } = lineColumn(sql, pos);
  return errors.syntax(`${message} at line ${line}, column ${column}`, pos);
}
