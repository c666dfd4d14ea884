/** Splits a simple-query string into statements at semicolons outside quotes and comments. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) { if (sql[i] === c) { if (sql[i + 1] === c) { i += 2; continue; } break; } i++; }
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') { while (i < n && sql[i] !== '\n') i++; continue; }
    if (c === '/' && sql[i + 1] === '*') { const e = sql.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (c === ';') {
      const s = sql.slice(start, i).trim();
      if (s.length > 0 && !isOnlyComments(s)) out.push(s);
      start = i + 1;
    }
    i++;
  }
  const last = sql.slice(start).trim();
  if (last.length > 0 && !isOnlyComments(last)) out.push(last);
  return out;
}

function isOnlyComments(s: string): boolean {
  return s.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}
