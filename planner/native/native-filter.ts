/**
 * Translates bound predicates over a data source's columns into Druid native
 * filters (the SQL-compatible forms Druid's planner emits: equals, range,
 * inType, null, like, regex, and/or/not, expression). Returns null when a predicate
 * has no faithful native form.
 */
import type { Filter } from '../../query/model/filter.ts';
import type { BExpr } from '../rel.ts';
import type { SqlType } from '../sql-engine.ts';
import { toDruidExpression, type ExprTranslationContext } from './druid-expression.ts';
import { compareValues } from '../values.ts';

function matchType(col: SqlType, lit: BExpr): string | null {
  if (lit.kind !== 'lit') return null;
  const v = lit.value;
  if (typeof v === 'string') return col === 'VARCHAR' ? 'STRING' : null;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (col === 'VARCHAR') return null;
    return lit.type === 'BIGINT' || lit.type === 'TIMESTAMP' || lit.type === 'DATE' ? 'LONG' : 'DOUBLE';
  }
  return null;
}

function litValue(lit: BExpr): unknown {
  const v = (lit as { value: unknown }).value;
  return typeof v === 'bigint' ? Number(v) : v;
}

/** The native filter for predicate `e`, or null. */
export function toNativeFilter(e: BExpr, ctx: ExprTranslationContext): Filter | null {
  if (e.kind === 'lit') {
    if (e.value === true) return { type: 'true' };
    if (e.value === false || e.value === null) return { type: 'false' };
  }
  if (e.kind === 'call') {
    const [a, b] = e.args;
    const col = (x: BExpr) => (x?.kind === 'ref' ? ctx.columns[x.index] : undefined);
    switch (e.fn) {
      case 'AND': case 'OR': {
        const fields: Filter[] = [];
        for (const x of e.args) {
          const f = toNativeFilter(x, ctx);
          if (!f) return exprFilter(e, ctx);
          if (f.type === e.fn.toLowerCase()) fields.push(...(f as { fields: readonly Filter[] }).fields); else fields.push(f);
        }
        // Expression-only trees run as one expression, so repeated subexpressions are evaluated once.
        if (fields.every((f) => f.type === 'expression')) { const whole = exprFilter(e, ctx); if (whole) return whole; }
        return { type: e.fn === 'AND' ? 'and' : 'or', fields };
      }
      case 'NOT': {
        // NOT (x IN (..., NULL)) is never true.
        if (a.kind === 'call' && a.fn === 'IN' && a.args.slice(1).some((x) => x.kind === 'lit' && x.value === null)) return { type: 'false' };
        if (containsInWithNull(a)) return null;
        const f = toNativeFilter(a, ctx);
        return f ? { type: 'not', field: f } : exprFilter(e, ctx);
      }
      case 'IS NULL': { const c = col(a); if (c) return { type: 'null', column: c.name }; break; }
      case 'IS NOT NULL': { const c = col(a); if (c) return { type: 'not', field: { type: 'null', column: c.name } }; break; }
      case '=': case '<>': case '<': case '<=': case '>': case '>=': {
        let [x, y] = [a, b];
        let op = e.fn;
        if (!col(x) && col(y)) { [x, y] = [y, x]; op = op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op; }
        const c = col(x);
        if (!c || y.kind !== 'lit' || y.value === null) break;
        const mt = matchType(c.type, y);
        if (!mt) break;
        const v = litValue(y);
        const colName = c.name;
        switch (op) {
          case '=': return { type: 'equals', column: colName, matchValueType: mt, matchValue: v };
          case '<>': return { type: 'not', field: { type: 'equals', column: colName, matchValueType: mt, matchValue: v } };
          case '<': return { type: 'range', column: colName, matchValueType: mt, upper: v, upperOpen: true };
          case '<=': return { type: 'range', column: colName, matchValueType: mt, upper: v };
          case '>': return { type: 'range', column: colName, matchValueType: mt, lower: v, lowerOpen: true };
          case '>=': return { type: 'range', column: colName, matchValueType: mt, lower: v };
        }
        break;
      }
      case 'IN': {
        const c = col(a);
        const list = e.args.slice(1);
        if (!c || !list.every((x) => x.kind === 'lit')) break;
        const nonNull = list.filter((x) => (x as { value: unknown }).value !== null);
        if (nonNull.length === 0) return { type: 'false' };
        const mts = new Set(nonNull.map((x) => matchType(c.type, x)));
        if (mts.size !== 1 || mts.has(null)) break;
        const values = [...new Set(nonNull.map(litValue))].sort(compareValues);
        if (values.length === 1) return { type: 'equals', column: c.name, matchValueType: [...mts][0]!, matchValue: values[0] };
        return { type: 'inType', column: c.name, matchValueType: [...mts][0]!, sortedValues: values };
      }
      case 'LIKE': {
        const c = col(a);
        if (!c || c.type !== 'VARCHAR' || b.kind !== 'lit' || typeof b.value !== 'string') break;
        const esc = e.args[2];
        if (esc && !(esc.kind === 'lit' && typeof esc.value === 'string')) break;
        return { type: 'like', dimension: c.name, pattern: b.value, ...(esc ? { escape: String((esc as { value: string }).value) } : {}) };
      }
      case 'REGEXP_LIKE': {
        // Native regex filters search (find) like REGEXP_LIKE does; SIMILAR TO arrives here already anchored.
        const c = col(a);
        if (!c || c.type !== 'VARCHAR' || b.kind !== 'lit' || typeof b.value !== 'string') break;
        return { type: 'regex', dimension: c.name, pattern: b.value };
      }
    }
  }
  return exprFilter(e, ctx);
}

/** IN lists holding NULL are unknown (not false) for other values; under NOT that cannot be expressed natively. */
function containsInWithNull(e: BExpr): boolean {
  if (e.kind !== 'call') return false;
  if (e.fn === 'IN' && e.args.slice(1).some((x) => x.kind === 'lit' && x.value === null)) return true;
  return e.args.some(containsInWithNull);
}

function exprFilter(e: BExpr, ctx: ExprTranslationContext): Filter | null {
  const s = toDruidExpression(e, ctx);
  return s === null ? null : { type: 'expression', expression: s };
}
