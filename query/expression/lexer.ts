/**
 * Tokenizer for Druid expressions. Tokens keep their 0-based start offset so
 * parse errors can point at the exact character.
 */
import { NemetonError } from '../../common/errors.ts';

export type TokenKind = 'long' | 'double' | 'string' | 'ident' | 'quotedIdent' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text for ops; decoded value for strings and quoted identifiers; digits for numbers. */
  readonly text: string;
  readonly pos: number;
}

/** Builds the 'Invalid input' error for a malformed expression at a 0-based offset. */
export function expressionSyntaxError(source: string, pos: number, what: string): NemetonError {
  return new NemetonError(`Invalid expression [${source}]: ${what} at position ${pos + 1}`, {
    code: 'Invalid input',
    position: pos + 1,
  });
}

const OPERATORS = ['->', '<=', '>=', '==', '!=', '&&', '||', '^', '*', '/', '%', '+', '-', '<', '>', '!', '(', ')', '[', ']', ',', '='];

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Splits `source` into tokens, ending with an 'eof' token. Throws NemetonError 'Invalid input' on bad characters or unterminated quotes. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(source[i + 1]))) {
      while (i < n && isDigit(source[i])) i++;
      let isDouble = false;
      if (source[i] === '.') { isDouble = true; i++; while (i < n && isDigit(source[i])) i++; }
      if ((source[i] === 'e' || source[i] === 'E')) {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (isDigit(source[j] ?? '')) {
          isDouble = true;
          i = j;
          while (i < n && isDigit(source[i])) i++;
        }
      }
      if (i < n && isIdentStart(source[i])) throw expressionSyntaxError(source, i, `unexpected character '${source[i]}' in number`);
      tokens.push({ kind: isDouble ? 'double' : 'long', text: source.slice(start, i), pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(source[i])) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: start });
      continue;
    }
    if (c === '\'' || c === '"') {
      const { value, end } = readQuoted(source, i, c);
      tokens.push({ kind: c === '\'' ? 'string' : 'quotedIdent', text: value, pos: start });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    throw expressionSyntaxError(source, i, `unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', pos: n });
  return tokens;
}

/** Reads a quoted run starting at the opening quote; handles \\ escapes (\\n \\t \\uXXXX \\' \\" \\\\ \\/ \\b \\f \\r). */
function readQuoted(source: string, start: number, quote: string): { value: string; end: number } {
  let i = start + 1;
  let out = '';
  while (i < source.length) {
    const c = source[i];
    if (c === quote) return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = source[i + 1];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case '\\': case '/': case '\'': case '"': out += e; break;
        case 'u': {
          const hex = source.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw expressionSyntaxError(source, i, 'bad unicode escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          throw expressionSyntaxError(source, i, `bad escape '\\${e ?? ''}'`);
      }
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw expressionSyntaxError(source, start, quote === '\'' ? 'unterminated string literal' : 'unterminated quoted identifier');
}
