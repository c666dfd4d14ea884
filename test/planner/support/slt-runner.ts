/**
 * A sqllogictest-style runner (DataFusion/sqlite flavour) for sql-tests/*.slt:
 *
 *   statement ok | statement error [SQLSTATE]
 *   <sql>
 *
 *   query <types> [rowsort]
 *   <sql>
 *   ----
 *   <expected rows: values separated by single spaces>
 *
 * Values render as: NULL for null, (empty) for '', TIMESTAMP as
 * 'YYYY-MM-DDTHH:MM:SS.sssZ', floats with up to 6 decimals, arrays as JSON.
 * `control context {"key": value}` sets the query context for what follows;
 * `control params [v1, v2]` sets the dynamic parameters for what follows.
 */
import type { SqlEngine, SqlSessionContext, SqlColumn } from '../../../planner/sql-engine.ts';
import { NemetonError } from '../../../common/errors.ts';

export interface SltRecord {
  readonly line: number;
  readonly kind: 'statement' | 'query' | 'control';
  readonly sql: string;
  readonly expectError?: string | true;
  readonly types?: string;
  readonly rowsort?: boolean;
  readonly expected?: readonly string[];
  readonly context?: Record<string, unknown>;
  /** `control params [...]`: dynamic parameters (?) for the records that follow. */
  readonly params?: readonly unknown[];
}

/** Parses an .slt file. */
export function parseSlt(text: string): SltRecord[] {
  const lines = text.split('\n');
  const out: SltRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i].trimEnd();
    if (line === '' || line.startsWith('#')) { i++; continue; }
    const start = i + 1;
    const words = line.split(/\s+/);
    if (words[0] === 'control' && words[1] === 'params') {
      out.push({ line: start, kind: 'control', sql: '', params: JSON.parse(line.slice(line.indexOf('['))) });
      i++;
      continue;
    }
    if (words[0] === 'control' && words[1] === 'context') {
      out.push({ line: start, kind: 'control', sql: '', context: JSON.parse(line.slice(line.indexOf('{'))) });
      i++;
      continue;
    }
    i++;
    const sqlLines: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && lines[i].trim() !== '----') { sqlLines.push(lines[i]); i++; }
    const sql = sqlLines.join('\n');
    if (words[0] === 'statement') {
      out.push({ line: start, kind: 'statement', sql, ...(words[1] === 'error' ? { expectError: words[2] ?? true } : {}) });
      continue;
    }
    if (words[0] === 'query') {
      if (words[1] === 'error') { out.push({ line: start, kind: 'query', sql, expectError: words[2] ?? true }); continue; }
      const expected: string[] = [];
      if (lines[i]?.trim() === '----') {
        i++;
        while (i < lines.length && lines[i].trim() !== '') { expected.push(lines[i].trimEnd()); i++; }
      }
      out.push({ line: start, kind: 'query', sql, types: words[1], rowsort: words.includes('rowsort'), expected });
      continue;
    }
    throw new Error(`line ${start}: unknown record "${line}"`);
  }
  return out;
}

function pad(n: number, w = 2): string { return String(n).padStart(w, '0'); }

/** Renders one value for comparison. */
export function renderSltValue(v: unknown, col: SqlColumn): string {
  if (v === null || v === undefined) return 'NULL';
  if (v === '') return '(empty)';
  if ((col.sqlType === 'TIMESTAMP' || col.sqlType === 'DATE') && typeof v === 'number') {
    const d = new Date(v);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Math.round(v * 1e6) / 1e6);
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

export interface SltFailure { readonly line: number; readonly sql: string; readonly message: string }

/** Runs records against an engine; returns failures (empty = all passed) and the number of records run. */
export async function runSlt(records: readonly SltRecord[], engine: SqlEngine, baseContext: Record<string, unknown> = {}): Promise<{ failures: SltFailure[]; count: number }> {
  const failures: SltFailure[] = [];
  let context = { ...baseContext };
  const settings = new Map<string, string>();
  let count = 0;
  let params: readonly unknown[] = [];
  for (const r of records) {
    if (r.kind === 'control' && r.params !== undefined) { params = r.params; continue; }
    if (r.kind === 'control') { context = { ...baseContext, ...r.context }; continue; }
    count++;
    const session: SqlSessionContext = { queryContext: context, user: 'slt', database: 'druid', settings };
    try {
      const res = await engine.execute(r.sql, params, session);
      const rows: string[] = [];
      for await (const row of res.rows) rows.push(row.map((v, i) => renderSltValue(v, res.columns[i])).join(' '));
      if (r.expectError !== undefined) { failures.push({ line: r.line, sql: r.sql, message: 'expected an error, got success' }); continue; }
      if (r.kind === 'statement') continue;
      if (r.types && r.types.length !== res.columns.length) {
        failures.push({ line: r.line, sql: r.sql, message: `expected ${r.types.length} columns, got ${res.columns.length}` });
        continue;
      }
      const actual = r.rowsort ? [...rows].sort() : rows;
      const expected = r.rowsort ? [...(r.expected ?? [])].sort() : [...(r.expected ?? [])];
      if (actual.join('\n') !== expected.join('\n')) {
        failures.push({ line: r.line, sql: r.sql, message: `expected:\n${expected.join('\n')}\nactual:\n${actual.join('\n')}` });
      }
    } catch (e) {
      if (r.expectError === undefined) { failures.push({ line: r.line, sql: r.sql, message: `unexpected error: ${(e as Error).message}` }); continue; }
      if (r.expectError !== true && !(e instanceof NemetonError && e.sqlState === r.expectError)) {
        failures.push({ line: r.line, sql: r.sql, message: `expected SQLSTATE ${r.expectError}, got ${(e as NemetonError).sqlState ?? 'none'}: ${(e as Error).message}` });
      }
    }
  }
  return { failures, count };
}
