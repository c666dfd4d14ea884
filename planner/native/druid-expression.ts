/**
 * Translates bound expressions over a data source's columns into Druid
 * expression-language strings (virtual columns, expression filters,
 * aggregator expressions). Returns null for anything without a faithful
 * translation; the caller then evaluates on the broker instead.
 */
import { NATIVE_BACKED_NAMES } from '../native-function-bridge.ts';
import type { BExpr, RelColumn } from '../rel.ts';
import type { SqlType } from '../sql-engine.ts';
import { isApprox } from '../types.ts';

export interface ExprTranslationContext {
  readonly columns: readonly RelColumn[];
  readonly timeZone: string;
  readonly now: number;
}

/** Druid string literal. */
export function druidString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Druid identifier. */
export function druidIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function numberLiteral(v: number, type: SqlType): string {
  if (!Number.isFinite(v)) return 'null';
  if (isApprox(type) && Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

const SIMPLE: Record<string, string> = {
  UPPER: 'upper', LOWER: 'lower', CONCAT: 'concat', TEXTCAT: 'concat', LENGTH: 'strlen', REPLACE: 'replace', LPAD: 'lpad', RPAD: 'rpad',
  REVERSE: 'reverse', REPEAT: 'repeat', ABS: 'abs', CEIL: 'ceil', FLOOR: 'floor', ROUND: 'round', POWER: 'pow', SQRT: 'sqrt',
  EXP: 'exp', LN: 'log', LOG10: 'log10', GREATEST: 'greatest', LEAST: 'least', REGEXP_EXTRACT: 'regexp_extract',
  REGEXP_LIKE: 'regexp_like', CONTAINS_STRING: 'contains_string', ICONTAINS_STRING: 'icontains_string', LEFT: 'left',
  RIGHT: 'right', STRING_FORMAT: 'format', ARRAY_LENGTH: 'array_length', ARRAY_CONTAINS: 'array_contains',
  ARRAY_OVERLAP: 'array_overlap', ARRAY_OFFSET: 'array_offset', ARRAY_OFFSET_OF: 'array_offset_of', ARRAY_ORDINAL_OF: 'array_ordinal_of', MV_OFFSET_OF: 'array_offset_of', MV_ORDINAL_OF: 'array_ordinal_of', ARRAY_ORDINAL: 'array_ordinal', MV_LENGTH: 'array_length',
  MV_CONTAINS: 'array_contains', MV_OVERLAP: 'array_overlap', ARRAY_TO_STRING: 'array_to_string', MV_TO_STRING: 'array_to_string',
  STRING_TO_ARRAY: 'string_to_array', ARRAY: 'array', SIGN: 'signum', SIN: 'sin', COS: 'cos', TAN: 'tan', DIV: 'div',
  IPV4_MATCH: 'ipv4_match', IPV4_PARSE: 'ipv4_parse', IPV4_STRINGIFY: 'ipv4_stringify', BTRIM: 'trim', LTRIM: 'ltrim', RTRIM: 'rtrim',
  SAFE_DIVIDE: 'safe_divide', ARRAY_TO_MV: 'array_to_mv', MV_TO_ARRAY: 'mv_to_array', ARRAY_PREPEND: 'array_prepend',
  ARRAY_APPEND: 'array_append', ARRAY_CONCAT: 'array_concat', ARRAY_SLICE: 'array_slice', MV_ORDINAL: 'array_ordinal',
  MV_OFFSET: 'array_offset', MV_PREPEND: 'array_prepend', MV_APPEND: 'array_append', MV_CONCAT: 'array_concat', MV_SLICE: 'array_slice',
};

const CAST_TYPES: Partial<Record<SqlType, string>> = {
  VARCHAR: 'STRING', BIGINT: 'LONG', INTEGER: 'LONG', SMALLINT: 'LONG', DOUBLE: 'DOUBLE', FLOAT: 'DOUBLE', REAL: 'DOUBLE',
  DECIMAL: 'DOUBLE', TIMESTAMP: 'LONG', BOOLEAN: 'LONG',
};

/** The Druid expression for `e`, or null when it has none. */
export function toDruidExpression(e: BExpr, ctx: ExprTranslationContext): string | null {
  const r = (x: BExpr) => toDruidExpression(x, ctx);
  const all = (xs: readonly BExpr[]) => { const out: string[] = []; for (const x of xs) { const s = r(x); if (s === null) return null; out.push(s); } return out; };
  switch (e.kind) {
    case 'ref': { const c = ctx.columns[e.index]; return c ? druidIdentifier(c.name) : null; }
    case 'lit': {
      const v = e.value;
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'string') return druidString(v);
      if (typeof v === 'number') return numberLiteral(v, e.type);
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'boolean') return v ? '1' : '0';
      return null;
    }
    case 'subquery': return null;
    case 'call': break;
  }
  const intervalArg = e.args.some((x) => x.kind === 'lit' && isInterval(x.value));
  if (intervalArg && e.fn !== '+' && e.fn !== '-') return null;
  const a = all(intervalArg ? e.args.map((x) => (x.kind === 'lit' && isInterval(x.value) ? NULL_LIT : x)) : e.args);
  if (a === null) return null;
  const tz = druidString(ctx.timeZone);
  switch (e.fn) {
    case '+': case '-': case '*': case '/': case '%': {
      const shifted = intervalArithmetic(e.fn, e.args, a, tz);
      if (shifted !== undefined) return shifted;
      if (e.args.some((x) => x.type === 'OTHER')) return null;
      return `(${a[0]} ${e.fn} ${a[1]})`;
    }
    case 'NEG': return `-${a[0]}`;
    case '||': return `concat(${a[0]},${a[1]})`;
    case '=': return `(${a[0]} == ${a[1]})`;
    case '<>': return `(${a[0]} != ${a[1]})`;
    case '<': case '<=': case '>': case '>=':
      // The expression language orders no arrays; those comparisons stay on the broker.
      if (e.args.some((x) => x.type === 'ARRAY')) return null;
      return `(${a[0]} ${e.fn} ${a[1]})`;
    case 'AND': return `(${a.join(' && ')})`;
    case 'OR': return `(${a.join(' || ')})`;
    case 'NOT': return `!${a[0]}`;
    case 'IS DISTINCT FROM': return `isdistinctfrom(${a[0]},${a[1]})`;
    case 'IS NOT DISTINCT FROM': return `notdistinctfrom(${a[0]},${a[1]})`;
    case 'IS NULL': return `isnull(${a[0]})`;
    case 'IS NOT NULL': return `notnull(${a[0]})`;
    case 'IS TRUE': return `istrue(${a[0]})`;
    case 'IS FALSE': return `isfalse(${a[0]})`;
    case 'IS NOT TRUE': return `nottrue(${a[0]})`;
    case 'IS NOT FALSE': return `notfalse(${a[0]})`;
    case 'CASE': return `case_searched(${a.join(',')})`;
    case 'COALESCE': return a.reduceRight((acc, x) => `nvl(${x},${acc})`);
    case 'NULLIF': return `case_searched((${a[0]} == ${a[1]}),null,${a[0]})`;
    case 'CAST': {
      const from = e.args[0].type;
      if (e.type === 'VARCHAR' && (from === 'TIMESTAMP' || from === 'DATE')) return `timestamp_format(${a[0]},'yyyy-MM-dd HH:mm:ss',${tz})`;
      if ((e.type === 'TIMESTAMP' || e.type === 'DATE') && from === 'VARCHAR') return `timestamp_parse(${a[0]},null,${tz})`;
      if (e.type === 'DATE') return `timestamp_floor(${a[0]},'P1D',null,${tz})`;
      if (e.type === 'TIMESTAMP' || (from === 'TIMESTAMP' && CAST_TYPES[e.type] === 'LONG')) return a[0];
      const t = CAST_TYPES[e.type];
      return t ? `CAST(${a[0]}, '${t}')` : null;
    }
    case 'LIKE': return `like(${a.join(',')})`;
    case 'IN': return `(${a.slice(1).map((x) => `(${a[0]} == ${x})`).join(' || ')})`;
    case 'SUBSTRING': {
      if (e.args[1].kind !== 'lit') return `substring(${a[0]},(${a[1]} - 1),${a[2] ?? '-1'})`;
      const start = Number(e.args[1].value) - 1;
      return `substring(${a[0]},${start},${a[2] ?? '-1'})`;
    }
    case 'TRIM': {
      const mode = e.args[0].kind === 'lit' ? String(e.args[0].value) : 'BOTH';
      const fn = mode === 'LEADING' ? 'ltrim' : mode === 'TRAILING' ? 'rtrim' : 'trim';
      return `${fn}(${a[2]},${a[1]})`;
    }
    case 'STRPOS': return `(strpos(${a[0]},${a[1]}) + 1)`;
    case 'POSITION': return a.length === 2 ? `(strpos(${a[1]},${a[0]}) + 1)` : `(strpos(${a[1]},${a[0]},(${a[2]} - 1)) + 1)`;
    case 'MOD': return `(${a[0]} % ${a[1]})`;
    case 'TRUNCATE': case 'TRUNC': return a.length === 1 ? `cast(cast(${a[0]},'LONG'),'DOUBLE')` : null;
    case 'TIME_FLOOR': return `timestamp_floor(${a[0]},${a[1]},${a[2] ?? 'null'},${a[3] ?? tz})`;
    case 'TIME_CEIL': return `timestamp_ceil(${a[0]},${a[1]},${a[2] ?? 'null'},${a[3] ?? tz})`;
    case 'TIME_SHIFT': return `timestamp_shift(${a[0]},${a[1]},${a[2]},${a[3] ?? tz})`;
    case 'TIME_EXTRACT': return `timestamp_extract(${a[0]},${a[1] ?? "'MILLISECOND'"},${a[2] ?? tz})`;
    case 'EXTRACT': return `timestamp_extract(${a[1]},${a[0]},${tz})`;
    case 'TIME_PARSE': return `timestamp_parse(${a[0]},${a[1] ?? 'null'},${a[2] ?? tz})`;
    case 'TIME_FORMAT': return `timestamp_format(${a[0]},${a[1] ?? 'null'},${a[2] ?? tz})`;
    case 'TIMESTAMPADD': {
      const period = unitPeriod(e.args[0]);
      return period === null ? null : `timestamp_shift(${a[2]},'${period}',${a[1]},${tz})`;
    }
    case 'TIMESTAMPDIFF': return timestampDiff(e.args[0], a[1], a[2], tz);
    case 'MILLIS_TO_TIMESTAMP': case 'TIMESTAMP_TO_MILLIS': return a[0];
    case 'CURRENT_TIMESTAMP': return String(ctx.now);
    case 'NOW': return String(ctx.now);
  }
  const simple = SIMPLE[e.fn] ?? NATIVE_BACKED_NAMES[e.fn];
  return simple ? `${simple}(${a.join(',')})` : null;
}

const NULL_LIT: BExpr = { kind: 'lit', value: null, type: 'NULL' };

const UNIT_PERIOD: Readonly<Record<string, string>> = {
  SECOND: 'PT1S', MINUTE: 'PT1M', HOUR: 'PT1H', DAY: 'P1D', WEEK: 'P1W', MONTH: 'P1M', QUARTER: 'P3M', YEAR: 'P1Y',
};

const UNIT_MILLIS: Readonly<Record<string, number>> = { MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 604_800_000 };

function unitName(e: BExpr): string | null {
  return e.kind === 'lit' && typeof e.value === 'string' ? e.value.toUpperCase() : null;
}

function unitPeriod(e: BExpr): string | null {
  const u = unitName(e);
  return u === null ? null : UNIT_PERIOD[u] ?? null;
}

/** TIMESTAMPDIFF(unit, a, b) as Druid plans it: a millisecond difference divided, or calendar months. */
function timestampDiff(unit: BExpr, a: string, b: string, tz: string): string | null {
  const u = unitName(unit);
  if (u === null) return null;
  const ms = UNIT_MILLIS[u];
  if (ms === 1) return `(${b} - ${a})`;
  if (ms !== undefined) return `div((${b} - ${a}),${ms})`;
  const months = u === 'MONTH' ? 1 : u === 'QUARTER' ? 3 : u === 'YEAR' ? 12 : 0;
  if (months === 0) return null;
  const m = `subtract_months(${b},${a},${tz})`;
  return months === 1 ? m : `div(${m},${months})`;
}

function isInterval(v: unknown): v is { months: number; millis: number } {
  return typeof v === 'object' && v !== null && 'months' in v && 'millis' in v;
}

/**
 * Timestamp ± interval literal: calendar months shift in the session zone,
 * fixed durations add milliseconds. Undefined when no interval literal is
 * involved, null when one is but cannot be translated.
 */
function intervalArithmetic(fn: string, args: readonly BExpr[], a: readonly string[], tz: string): string | null | undefined {
  const [x, y] = args;
  let t: string, iv: BExpr;
  if (y?.kind === 'lit' && isInterval(y.value) && (fn === '+' || fn === '-')) { t = a[0]; iv = y; }
  else if (x?.kind === 'lit' && isInterval(x.value) && fn === '+') { t = a[1]; iv = x; }
  else return args.some((z) => z.kind === 'lit' && isInterval(z.value)) ? null : undefined;
  const { months, millis } = (iv as { value: { months: number; millis: number } }).value;
  const sign = fn === '-' ? -1 : 1;
  let out = t;
  if (months !== 0) out = `timestamp_shift(${out},'P1M',${sign * months},${tz})`;
  if (millis !== 0) out = `(${out} ${sign * millis < 0 ? '-' : '+'} ${Math.abs(millis)})`;
  return out;
}

/** Druid native output type for a SQL type (virtual column outputType). */
export function druidOutputType(t: SqlType): 'STRING' | 'LONG' | 'DOUBLE' | 'FLOAT' {
  switch (t) {
    case 'BIGINT': case 'INTEGER': case 'SMALLINT': case 'TIMESTAMP': case 'DATE': case 'BOOLEAN': return 'LONG';
    case 'DOUBLE': case 'DECIMAL': case 'REAL': return 'DOUBLE';
    case 'FLOAT': return 'FLOAT';
    default: return 'STRING';
  }
}
