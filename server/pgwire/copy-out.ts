/**
 * COPY ... TO STDOUT: recognising the statement and formatting rows as
 * PostgreSQL's text format (tab-separated, \N for NULL, backslash escapes)
 * or CSV (RFC 4180 quoting, empty unquoted field for NULL).
 */
import { NemetonError } from '../../common/errors.ts';
import { textEncoderFor, type TextEncoder } from './value-text.ts';

/** A parsed `COPY (query) TO STDOUT [WITH] [(options)]`. */
export interface CopyToStdout {
  readonly query: string;
  readonly format: 'text' | 'csv';
  readonly delimiter: string;
  readonly header: boolean;
  readonly nullText: string;
  readonly quote: string;
}

const unsupported = (what: string): NemetonError =>
  new NemetonError(`${what} is not supported`, { code: 'Unsupported operation', sqlState: '0A000' });

/** Parses a COPY statement; null when `sql` is not COPY. COPY FROM and file targets throw 0A000. */
export function parseCopy(sql: string): CopyToStdout | null {
  const s = sql.trim().replace(/;\s*$/, '');
  if (!/^COPY\b/i.test(s)) return null;
  let query: string;
  let rest: string;
  if (/^COPY\s*\(/i.test(s)) {
    const open = s.indexOf('(');
    const close = matchingParen(s, open);
    if (close < 0) throw new NemetonError('syntax error in COPY: unbalanced parentheses', { code: 'SQL parse failed', sqlState: '42601' });
    query = s.slice(open + 1, close);
    rest = s.slice(close + 1);
  } else {
    const m = /^COPY\s+((?:"(?:[^"]|"")+"|[\w$.]+)(?:\.(?:"(?:[^"]|"")+"|[\w$]+))?)\s*(\(([^)]*)\))?([\s\S]*)$/i.exec(s);
    if (!m) throw new NemetonError('syntax error in COPY', { code: 'SQL parse failed', sqlState: '42601' });
    query = `SELECT ${m[3] ? m[3] : '*'} FROM ${m[1]}`;
    rest = m[4];
  }
  const target = /^\s*(TO|FROM)\s+(STDOUT|STDIN|'[^']*'|PROGRAM)\b\s*([\s\S]*)$/i.exec(rest);
  if (!target) throw new NemetonError('syntax error in COPY: expected TO STDOUT', { code: 'SQL parse failed', sqlState: '42601' });
  if (target[1].toUpperCase() === 'FROM') throw unsupported('COPY FROM');
  if (target[2].toUpperCase() !== 'STDOUT') throw unsupported('COPY to a file or program');
  return { query, ...parseOptions(target[3]) };
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function parseOptions(text: string): Omit<CopyToStdout, 'query'> {
  let format: 'text' | 'csv' = 'text';
  let delimiter: string | undefined;
  let header = false;
  let nullText: string | undefined;
  let quote = '"';
  let t = text.trim().replace(/^WITH\b\s*/i, '');
  const paren = /^\(([\s\S]*)\)$/.exec(t);
  const options: [string, string | undefined][] = [];
  if (paren) {
    for (const part of paren[1].split(/,(?=(?:[^']*'[^']*')*[^']*$)/)) {
      const m = /^\s*(\w+)(?:\s+([\s\S]+?))?\s*$/.exec(part);
      if (m) options.push([m[1].toLowerCase(), m[2]]);
    }
  } else {
    // Legacy syntax: CSV, HEADER, DELIMITER [AS] 'x', NULL [AS] 'x', BINARY.
    const re = /\s*(\w+)(?:\s+(?:AS\s+)?('(?:[^']|'')*'))?/gy;
    let m: RegExpExecArray | null;
    while (t.length > 0 && (m = re.exec(t)) !== null) {
      const word = m[1].toLowerCase();
      options.push(word === 'csv' ? ['format', 'csv'] : word === 'binary' ? ['format', 'binary'] : [word, m[2]]);
      if (re.lastIndex >= t.length) break;
    }
    t = '';
  }
  for (const [name, raw] of options) {
    const value = raw === undefined ? undefined : raw.replace(/^'([\s\S]*)'$/, '$1').replace(/''/g, "'");
    switch (name) {
      case 'format': {
        const f = (value ?? '').toLowerCase();
        if (f === 'binary') throw unsupported('COPY binary format');
        if (f !== 'csv' && f !== 'text') throw new NemetonError(`COPY format "${value}" not recognized`, { code: 'Invalid input', sqlState: '22023' });
        format = f;
        break;
      }
      case 'header': header = value === undefined || /^(true|on|1)$/i.test(value); break;
      case 'delimiter': delimiter = value; break;
      case 'null': nullText = value; break;
      case 'quote': quote = value ?? '"'; break;
      case 'encoding': case 'force_quote': break;
      default: throw new NemetonError(`option "${name}" not recognized`, { code: 'Invalid input', sqlState: '42601' });
    }
  }
  const d = delimiter ?? (format === 'csv' ? ',' : '\t');
  if (d.length !== 1) throw new NemetonError('COPY delimiter must be a single one-byte character', { code: 'Invalid input', sqlState: '22023' });
  return { format, delimiter: d, header, nullText: nullText ?? (format === 'csv' ? '' : '\\N'), quote };
}

/** Formats one row (with trailing newline) in the COPY's format. */
export type CopyRowFormatter = (row: readonly unknown[]) => string;

/** A row formatter for columns of the given type OIDs. */
export function copyRowFormatter(copy: CopyToStdout, oids: readonly number[]): CopyRowFormatter {
  const encoders: TextEncoder[] = oids.map((oid) => textEncoderFor(oid));
  const n = encoders.length;
  if (copy.format === 'text') {
    return (row) => {
      let line = '';
      for (let i = 0; i < n; i++) {
        if (i > 0) line += copy.delimiter;
        const v = row[i];
        line += v === null || v === undefined ? copy.nullText : escapeText(encoders[i](v), copy.delimiter);
      }
      return line + '\n';
    };
  }
  return (row) => {
    let line = '';
    for (let i = 0; i < n; i++) {
      if (i > 0) line += copy.delimiter;
      const v = row[i];
      line += v === null || v === undefined ? copy.nullText : quoteCsv(encoders[i](v), copy);
    }
    return line + '\n';
  };
}

/** The header line for CSV/text with HEADER. */
export function copyHeader(copy: CopyToStdout, names: readonly string[]): string {
  return names.map((n) => (copy.format === 'csv' ? quoteCsv(n, copy) : escapeText(n, copy.delimiter))).join(copy.delimiter) + '\n';
}

function escapeText(s: string, delimiter: string): string {
  if (!/[\\\n\r\t]/.test(s) && !s.includes(delimiter)) return s;
  let out = '';
  for (const c of s) {
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === delimiter) out += '\\' + c;
    else out += c;
  }
  return out;
}

function quoteCsv(s: string, copy: CopyToStdout): string {
  const q = copy.quote;
  if (s === '' || s === copy.nullText || s.includes(copy.delimiter) || s.includes(q) || /[\r\n]/.test(s) || s === '\\.') {
    return q + s.split(q).join(q + q) + q;
  }
  return s;
}
