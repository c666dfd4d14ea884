/** Renders SQL results the way Druid's quidem files print them and compares with a case's expectation. */
import type { SqlColumn } from '../../../planner/sql-engine.ts';

export interface DruidSqlCase {
  readonly name: string;
  readonly query: string;
  readonly context?: Record<string, unknown>;
  readonly expected: unknown[][];
  readonly expectedText?: string[][];
  readonly expectedFormat: string;
  readonly numericColumns?: (boolean | null)[];
  readonly ordered: boolean;
  readonly tables: string[];
  readonly druidNativePlan?: Record<string, unknown>;
}

function pad(n: number, w = 2): string { return String(n).padStart(w, '0'); }

function renderTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** One cell as quidem text. */
export function renderCell(v: unknown, col: SqlColumn): string {
  if (v === null || v === undefined) return '';
  if ((col.sqlType === 'TIMESTAMP' || col.sqlType === 'DATE') && typeof v === 'number') {
    const s = renderTimestamp(v);
    return col.sqlType === 'DATE' ? s.slice(0, 10) : s;
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === null ? 'null' : String(x))).join(', ')}]`;
  if (typeof v === 'number' && (col.sqlType === 'DOUBLE' || col.sqlType === 'FLOAT' || col.sqlType === 'REAL' || col.sqlType === 'DECIMAL')) {
    return Number.isInteger(v) ? `${v}.0` : String(v);
  }
  return String(v);
}

function cellsEqual(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const a = Number(actual);
  const e = Number(expected);
  if (actual.trim() !== '' && expected.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(e)) {
    return Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e));
  }
  // Array forms: ["a","b"] vs [a, b]
  const parts = (s: string) => s.slice(1, -1).split(',').map((x) => x.trim().replace(/^"|"$/g, ''));
  if (actual.startsWith('[') && expected.startsWith('[') && actual.endsWith(']') && expected.endsWith(']')) {
    const a = parts(actual);
    const e = parts(expected);
    return a.length === e.length && a.every((x, i) => x === e[i] || cellsEqual(x, e[i]));
  }
  return false;
}

/** Compares rendered rows with expected text rows; returns null when equal, else a description. */
export function compareWithCase(c: DruidSqlCase, columns: readonly SqlColumn[], rows: readonly (readonly unknown[])[]): string | null {
  const expected = c.expectedText ?? c.expected.map((r) => r.map((v) => (v === null ? '' : Array.isArray(v) ? JSON.stringify(v) : String(v))));
  const actual = rows.map((r) => r.map((v, i) => renderCell(v, columns[i])));
  if (c.expectedFormat === 'typed-array-millis') {
    // Typed values: compare values directly.
    for (let i = 0; i < expected.length; i++) for (let j = 0; j < (expected[i]?.length ?? 0); j++) {
      const v = c.expected[i][j];
      expected[i][j] = v === null ? '' : typeof v === 'number' && columns[j] && (columns[j].sqlType === 'TIMESTAMP') ? renderTimestamp(v) : Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
    }
  }
  const sortRows = (rs: string[][]) => [...rs].sort((a, b) => (a.join('\u0001') < b.join('\u0001') ? -1 : 1));
  const exp = c.ordered ? expected : sortRows(expected);
  const act = c.ordered ? actual : sortRows(actual);
  if (exp.length !== act.length) return `row count ${act.length} != expected ${exp.length}: got ${JSON.stringify(act.slice(0, 5))} expected ${JSON.stringify(exp.slice(0, 5))}`;
  for (let i = 0; i < exp.length; i++) {
    if (exp[i].length !== act[i].length) return `row ${i} width ${act[i].length} != ${exp[i].length}`;
    for (let j = 0; j < exp[i].length; j++) {
      if (!cellsEqual(act[i][j], exp[i][j])) return `row ${i} col ${j}: got ${JSON.stringify(act[i][j])} expected ${JSON.stringify(exp[i][j])}; rows ${JSON.stringify(act.slice(0, 6))} vs ${JSON.stringify(exp.slice(0, 6))}`;
    }
  }
  return null;
}
