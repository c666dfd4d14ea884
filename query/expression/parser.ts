/**
 * Recursive-descent parser for Druid expressions (Druid's Expr.g4). Precedence,
 * highest first: unary `-` `!`; `^` (right-associative); `* / %`; `+ -`;
 * comparisons; `&&` and `||` together (one level, left-associative, so
 * `a || b && c` is `(a || b) && c` as in Druid). A unary minus applied to a
 * number literal folds into the literal.
 */
import type { ArrayLiteralExpr, BinaryOp, Expr, LambdaExpr } from './ast.ts';
import { expressionSyntaxError, tokenize, type Token } from './lexer.ts';
import { parseTypeName, type ExprType } from './types.ts';
import { validateExpression } from './validate.ts';

/**
 * Parses expression text into an immutable AST. Throws NemetonError
 * ('Invalid input', with a 1-based `position`) on any syntax error, unknown
 * function, wrong argument count or misplaced lambda.
 */
export function parseExpression(text: string): Expr {
  const parser = new Parser(text, tokenize(text));
  const expr = parser.parseTop();
  validateExpression(expr);
  return expr;
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

class Parser {
  private i = 0;
  constructor(private readonly source: string, private readonly tokens: Token[]) {}

  parseTop(): Expr {
    if (this.peek().kind === 'eof') throw this.error(this.peek(), 'empty expression');
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.error(t, `unexpected ${describe(t)}`);
    return e;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }

  private expectOp(text: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== text) throw this.error(t, `expected '${text}' but found ${describe(t)}`);
    return this.next();
  }

  private error(t: Token, what: string) {
    return expressionSyntaxError(this.source, t.pos, what);
  }

  private parseOr(): Expr {
    let left = this.parseComparison();
    while (this.isOp('||') || this.isOp('&&')) {
      const op = this.next().text as '&&' | '||';
      const right = this.parseComparison();
      left = { kind: 'binary', op, left, right, pos: left.pos };
    }
    return left;
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && t.text === '=') throw this.error(t, "unexpected '=' (use '==' for equality)");
      if (t.kind !== 'op' || !COMPARISONS.has(t.text)) return left;
      this.next();
      const right = this.parseAdditive();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: left.pos };
    }
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as BinaryOp;
      const right = this.parseMultiplicative();
      left = { kind: 'binary', op, left, right, pos: left.pos };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parsePower();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text as BinaryOp;
      const right = this.parsePower();
      left = { kind: 'binary', op, left, right, pos: left.pos };
    }
    return left;
  }

  private parsePower(): Expr {
    const base = this.parseUnary();
    if (!this.isOp('^')) return base;
    this.next();
    const exponent = this.parsePower();
    return { kind: 'binary', op: '^', left: base, right: exponent, pos: base.pos };
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('!')) {
      const t = this.next();
      const operand = this.parseUnary();
      if (t.text === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
        return { kind: 'literal', value: -operand.value, type: operand.type, pos: t.pos };
      }
      return { kind: 'unary', op: t.text as '-' | '!', operand, pos: t.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'long': {
        this.next();
        const v = Number(t.text);
        return { kind: 'literal', value: v, type: 'LONG', pos: t.pos };
      }
      case 'double':
        this.next();
        return { kind: 'literal', value: Number(t.text), type: 'DOUBLE', pos: t.pos };
      case 'string':
        this.next();
        return { kind: 'literal', value: t.text, type: 'STRING', pos: t.pos };
      case 'quotedIdent':
        this.next();
        if (this.isOp('->')) return this.parseLambdaBody([t.text], t);
        return { kind: 'identifier', name: t.text, pos: t.pos };
      case 'ident': {
        if (this.isOp('(', 1)) return this.parseCall();
        if (t.text === 'ARRAY' && this.isOp('<', 1)) { this.next(); return this.parseTypedArray(t.pos); }
        this.next();
        if (this.isOp('->')) return this.parseLambdaBody([t.text], t);
        if (t.text === 'null') return { kind: 'literal', value: null, type: null, pos: t.pos };
        if (t.text === 'NaN') return { kind: 'literal', value: Number.NaN, type: 'DOUBLE', pos: t.pos };
        if (t.text === 'Infinity') return { kind: 'literal', value: Number.POSITIVE_INFINITY, type: 'DOUBLE', pos: t.pos };
        return { kind: 'identifier', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          const lambda = this.tryParseLambda();
          if (lambda !== null) return lambda;
          this.next();
          const inner = this.parseOr();
          this.expectOp(')');
          return inner;
        }
        if (t.text === '[') return this.parseArrayLiteral(null, t.pos);
        if (t.text === '<') return this.parseTypedArray(t.pos);
        throw this.error(t, `unexpected ${describe(t)}`);
      case 'eof':
        throw this.error(t, 'unexpected end of expression');
    }
  }

  private parseCall(): Expr {
    const nameTok = this.next();
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.parseOr());
        if (this.isOp(',')) { this.next(); continue; }
        break;
      }
    }
    this.expectOp(')');
    return { kind: 'call', name: nameTok.text.toLowerCase(), args, pos: nameTok.pos };
  }

  /** At '(': parses `() -> e` or `(a, b) -> e` if that is what follows; otherwise consumes nothing and returns null. */
  private tryParseLambda(): LambdaExpr | null {
    let j = 1;
    const params: string[] = [];
    if (this.isOp(')', j)) {
      j++;
    } else {
      for (;;) {
        const p = this.peek(j);
        if (p.kind !== 'ident' && p.kind !== 'quotedIdent') return null;
        params.push(p.text);
        j++;
        if (this.isOp(',', j)) { j++; continue; }
        if (this.isOp(')', j)) { j++; break; }
        return null;
      }
    }
    if (!this.isOp('->', j)) return null;
    const open = this.peek();
    this.i += j;
    return this.parseLambdaBody(params, open);
  }

  private parseLambdaBody(params: string[], start: Token): LambdaExpr {
    this.expectOp('->');
    const body = this.parseOr();
    return { kind: 'lambda', params, body, pos: start.pos };
  }

  /** At '<' (after an optional ARRAY keyword): `<TYPE>[...]` or `ARRAY<TYPE>[...]`. */
  private parseTypedArray(startPos: number): ArrayLiteralExpr {
    const open = this.next();
    let typeText = '';
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'eof') throw this.error(t, 'unterminated array type');
      if (t.kind === 'op' && t.text === '<') depth++;
      else if (t.kind === 'op' && t.text === '>') { depth--; if (depth === 0) break; }
      else if (t.kind === 'op' && t.text === '>=') throw this.error(t, 'bad array type');
      typeText += depth > 1 && t.kind === 'op' ? t.text : t.text;
    }
    const elementType = parseTypeName(typeText);
    if (elementType !== 'LONG' && elementType !== 'DOUBLE' && elementType !== 'STRING') {
      throw expressionSyntaxError(this.source, open.pos, `unsupported array element type '${typeText}'`);
    }
    if (!this.isOp('[')) throw this.error(this.peek(), `expected '[' but found ${describe(this.peek())}`);
    return this.parseArrayLiteral(elementType, startPos);
  }

  private parseArrayLiteral(explicit: 'LONG' | 'DOUBLE' | 'STRING' | null, pos: number): ArrayLiteralExpr {
    this.expectOp('[');
    const values: (number | string | null)[] = [];
    let sawLong = false, sawDouble = false, sawString = false;
    while (!this.isOp(']')) {
      let t = this.next();
      let negative = false;
      if (t.kind === 'op' && t.text === '-') { negative = true; t = this.next(); }
      if (t.kind === 'long' || t.kind === 'double') {
        values.push(negative ? -Number(t.text) : Number(t.text));
        if (t.kind === 'long') sawLong = true; else sawDouble = true;
      } else if (!negative && t.kind === 'string') {
        values.push(t.text);
        sawString = true;
      } else if (!negative && t.kind === 'ident' && t.text === 'null') {
        values.push(null);
      } else {
        throw this.error(t, `array literal elements must be constants, found ${describe(t)}`);
      }
      if (this.isOp(',')) this.next();
    }
    this.expectOp(']');
    if (explicit === null && sawString && (sawLong || sawDouble)) {
      throw expressionSyntaxError(this.source, pos, 'array literal elements must all have the same type');
    }
    const elem: 'LONG' | 'DOUBLE' | 'STRING' = explicit ?? (sawString ? 'STRING' : sawDouble ? 'DOUBLE' : sawLong ? 'LONG' : 'STRING');
    const converted = values.map((v) => convertElement(v, elem));
    const type = `ARRAY<${elem}>` as ExprType;
    return { kind: 'array', elements: converted, type, pos };
  }
}

function convertElement(v: number | string | null, elem: 'LONG' | 'DOUBLE' | 'STRING'): number | string | null {
  if (v === null) return null;
  if (elem === 'STRING') return typeof v === 'string' ? v : String(v);
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n) && typeof v === 'string') return null;
  return elem === 'LONG' ? Math.trunc(n) : n;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'end of expression';
    case 'string': return `string '${t.text}'`;
    case 'quotedIdent': return `identifier "${t.text}"`;
    default: return `'${t.text}'`;
  }
}
