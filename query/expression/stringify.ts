/** Canonical text of an expression (Druid's Expr.stringify shape); parsing it gives back an equal tree. */
import type { Expr } from './ast.ts';
import { javaDoubleToString } from './values.ts';

function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}'`;
}

function quoteIdentifier(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function number(v: number, type: 'LONG' | 'DOUBLE'): string {
  if (type === 'LONG') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return javaDoubleToString(v);
}

function element(v: number | string | null, type: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteString(v);
  return number(v, type === 'ARRAY<LONG>' ? 'LONG' : 'DOUBLE');
}

/** Renders `expr` as expression text; binary operators are parenthesised. */
export function stringifyExpression(expr: Expr): string {
  switch (expr.kind) {
    case 'literal':
      if (expr.value === null) return 'null';
      if (typeof expr.value === 'string') return quoteString(expr.value);
      return number(expr.value, expr.type === 'LONG' ? 'LONG' : 'DOUBLE');
    case 'array': {
      const elem = expr.type.slice(6, -1);
      return `<${elem}>[${expr.elements.map((e) => element(e, expr.type)).join(', ')}]`;
    }
    case 'identifier': return quoteIdentifier(expr.name);
    case 'unary': return `${expr.op}${stringifyExpression(expr.operand)}`;
    case 'binary': return `(${stringifyExpression(expr.left)} ${expr.op} ${stringifyExpression(expr.right)})`;
    case 'call': return `${expr.name}(${expr.args.map(stringifyExpression).join(', ')})`;
    case 'lambda': return `(${expr.params.map(quoteIdentifier).join(', ')}) -> ${stringifyExpression(expr.body)}`;
  }
}
