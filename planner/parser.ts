/**
 * Recursive-descent / Pratt parser for Druid's SQL dialect (Calcite
 * semantics). `parseStatement(sql)` returns an immutable AST (planner/ast.ts)
 * or throws a NemetonError with SQLSTATE 42601 and the 1-based position of the
 * offending token.
 */
import { tokenize, syntaxAt, type Token } from './lexer.ts';
import { similarToRegex } from './similar-to-regex.ts';
import type {
  BinaryOp, Expr, FromItem, GroupingElement, OrderItem, Query, SelectItem, SelectQuery, Statement, TimeUnit,
  TypeName, WindowFrameBound, WindowSpec,
} from './ast.ts';

/** Words that cannot be used as bare identifiers or implicit aliases. */
const RESERVED = new Set([
  'ALL', 'AND', 'ANY', 'ARRAY', 'AS', 'ASC', 'BETWEEN', 'BOTH', 'BY', 'CASE', 'CAST', 'CROSS', 'CUBE', 'CURRENT_DATE',
  'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DESC', 'DISTINCT', 'ELSE', 'END', 'EXCEPT', 'EXISTS', 'EXTRACT', 'FALSE',
  'FETCH', 'FILTER', 'FOR', 'FROM', 'FULL', 'GROUP', 'GROUPING', 'HAVING', 'IN', 'INNER', 'INTERSECT', 'INTERVAL', 'INTO',
  'IS', 'JOIN', 'LEADING', 'LEFT', 'LIKE', 'LIMIT', 'LOCALTIME', 'LOCALTIMESTAMP', 'MINUS', 'NATURAL', 'NOT', 'NULL',
  'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'RIGHT', 'ROLLUP', 'ROWS', 'SELECT', 'SET', 'SIMILAR',
  'SOME', 'TABLE', 'THEN', 'TO', 'TRAILING', 'TRUE', 'UNION', 'UNKNOWN', 'UNNEST', 'USING', 'VALUES', 'WHEN', 'WHERE',
  'WINDOW', 'WITH', 'WITHIN', 'CLUSTERED', 'PARTITIONED', 'OVERWRITE', 'ESCAPE', 'SYMMETRIC', 'ASYMMETRIC',
]);

const TIME_UNITS = new Set<string>([
  'MILLISECOND', 'MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'DECADE',
  'CENTURY', 'MILLENNIUM', 'DOW', 'DOY', 'ISODOW', 'ISOYEAR', 'EPOCH',
]);
const UNIT_ALIASES: Record<string, TimeUnit> = {
  MILLISECONDS: 'MILLISECOND', SECONDS: 'SECOND', MINUTES: 'MINUTE', HOURS: 'HOUR', DAYS: 'DAY', WEEKS: 'WEEK',
  MONTHS: 'MONTH', QUARTERS: 'QUARTER', YEARS: 'YEAR', SQL_TSI_DAY: 'DAY', SQL_TSI_HOUR: 'HOUR', SQL_TSI_MINUTE: 'MINUTE',
  SQL_TSI_SECOND: 'SECOND', SQL_TSI_MONTH: 'MONTH', SQL_TSI_YEAR: 'YEAR', SQL_TSI_WEEK: 'WEEK', SQL_TSI_QUARTER: 'QUARTER',
  DAYOFWEEK: 'DOW', DAYOFYEAR: 'DOY',
};

const COMPARISON: Record<string, BinaryOp> = { '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** PostgreSQL operators beyond the standard ones: regex match (~ ~* !~ !~*) and LIKE (~~ ~~* !~~ !~~*). */
const PG_OPERATORS = new Set(['~', '~*', '!~', '!~*', '~~', '~~*', '!~~', '!~~*']);

/** Precedence levels for the Pratt loop (higher binds tighter). */
const PREC = { OR: 1, AND: 2, NOT: 3, CMP: 4, ADD: 5, MUL: 6, UNARY: 7, POSTFIX: 8 } as const;

/** Parses exactly one statement (a trailing semicolon is allowed). */
export function parseStatement(sql: string): Statement {
  const p = new Parser(sql);
  const stmt = p.statement();
  p.acceptOp(';');
  p.expectEof();
  return stmt;
}

/** Parses a standalone expression (used by tests and by callers that accept SQL expressions). */
export function parseExpression(sql: string): Expr {
  const p = new Parser(sql);
  const e = p.expr();
  p.expectEof();
  return e;
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  // ---- token helpers -------------------------------------------------------
  private get t(): Token { return this.tokens[this.i]; }
  private peek(k = 1): Token { return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]; }
  private next(): Token { const t = this.tokens[this.i]; if (t.kind !== 'eof') this.i++; return t; }
  private isWord(w: string, t: Token = this.t): boolean { return t.kind === 'word' && t.upper === w; }
  private isOp(o: string, t: Token = this.t): boolean { return t.kind === 'op' && t.value === o; }
  acceptOp(o: string): boolean { if (this.isOp(o)) { this.i++; return true; } return false; }
  private acceptWord(...ws: string[]): boolean {
    for (let k = 0; k < ws.length; k++) if (!this.isWord(ws[k], this.peek(k))) return false;
    this.i += ws.length;
    return true;
  }
  private expectWord(w: string): Token {
    if (!this.isWord(w)) throw this.unexpected(`"${w}"`);
    return this.next();
  }
  private expectOp(o: string): Token {
    if (!this.isOp(o)) throw this.unexpected(`"${o}"`);
    return this.next();
  }
  private atEnd(): boolean { return this.t.kind === 'eof'; }
  expectEof(): void {
    if (this.t.kind !== 'eof') throw this.unexpected();
  }
  /** A syntax error at the current token, in Calcite's wording. */
  private unexpected(expected?: string, t: Token = this.t) {
    let msg: string;
    if (t.kind === 'eof') msg = 'Incorrect syntax near the end of the statement: encountered "<EOF>"';
    else if (t.kind === 'word' && RESERVED.has(t.upper)) msg = `Incorrect syntax near the keyword '${t.upper}'`;
    else msg = `Encountered "${this.sql.slice(t.pos - 1, t.end)}"`;
    return syntaxAt(this.sql, t.pos, expected ? `${msg}; was expecting ${expected}` : msg);
  }

  /** An identifier: a non-reserved word or a quoted identifier. */
  private identifier(what = 'an identifier'): string {
    const t = this.t;
    if (t.kind === 'quoted') { this.i++; return t.value; }
    if (t.kind === 'word' && !RESERVED.has(t.upper)) { this.i++; return t.value; }
    throw this.unexpected(what);
  }
  private isIdentifierStart(t: Token = this.t): boolean {
    return t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.upper));
  }
  private compoundIdentifier(): string[] {
    const parts = [this.identifier()];
    while (this.isOp('.') && (this.peek().kind === 'quoted' || this.peek().kind === 'word')) {
      this.i++;
      const t = this.next();
      parts.push(t.value);
    }
    return parts;
  }

  // ---- statements ----------------------------------------------------------
  statement(): Statement {
    const t = this.t;
    if (this.isWord('EXPLAIN')) {
      this.i++;
      this.expectWord('PLAN');
      let format: string | undefined;
      while (!this.isWord('FOR') && this.t.kind !== 'eof') {
        // EXPLAIN PLAN [WITH TYPE | WITH IMPLEMENTATION | EXCLUDING ATTRIBUTES | AS JSON ...] FOR
        const w = this.next();
        if (w.kind === 'word' && (w.upper === 'JSON' || w.upper === 'XML' || w.upper === 'DOT')) format = w.upper;
      }
      this.expectWord('FOR');
      const statement = this.statement();
      return { kind: 'explain', pos: t.pos, statement, ...(format ? { format } : {}) };
    }
    if (this.isWord('INSERT') || this.isWord('REPLACE')) return this.insert();
    if (this.isWord('SET')) return this.setStatement();
    if (this.isWord('SHOW')) {
      this.i++;
      const parts: string[] = [];
      while (this.t.kind === 'word' || this.t.kind === 'quoted') { parts.push(this.next().value); this.acceptOp('.'); }
      if (parts.length === 0) throw this.unexpected('a setting name');
      return { kind: 'show', pos: t.pos, name: parts.join(' ').toLowerCase() };
    }
    if (this.isWord('RESET')) {
      this.i++;
      const name = this.compoundIdentifierOrAll();
      return { kind: 'reset', pos: t.pos, name };
    }
    if (this.isWord('BEGIN') || this.isWord('START')) {
      const start = this.isWord('START');
      this.i++;
      if (start) this.expectWord('TRANSACTION'); else this.acceptWord('TRANSACTION') || this.acceptWord('WORK');
      while (this.t.kind === 'word') this.i++; // ISOLATION LEVEL ..., READ ONLY ...
      return { kind: 'transaction', pos: t.pos, action: 'BEGIN' };
    }
    if (this.isWord('COMMIT') || this.isWord('END') || this.isWord('ROLLBACK') || this.isWord('ABORT')) {
      const w = this.next().upper;
      this.acceptWord('TRANSACTION') || this.acceptWord('WORK');
      return { kind: 'transaction', pos: t.pos, action: w === 'COMMIT' || w === 'END' ? 'COMMIT' : 'ROLLBACK' };
    }
    if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES') || this.isOp('(')) {
      return { kind: 'query', pos: t.pos, query: this.query() };
    }
    throw this.unexpected('"SELECT", "WITH", "VALUES", "INSERT", "REPLACE", "EXPLAIN" or "SET"');
  }

  private compoundIdentifierOrAll(): string {
    if (this.acceptWord('ALL')) return 'all';
    const parts: string[] = [];
    do { parts.push(this.next().value); } while (this.acceptOp('.'));
    return parts.join('.').toLowerCase();
  }

  private setStatement(): Statement {
    const t = this.expectWord('SET');
    let scope: 'SESSION' | 'LOCAL' | undefined;
    if (this.acceptWord('SESSION')) scope = 'SESSION';
    else if (this.acceptWord('LOCAL')) scope = 'LOCAL';
    if (this.acceptWord('TIME', 'ZONE')) {
      const value = this.settingValue();
      return { kind: 'set', pos: t.pos, ...(scope ? { scope } : {}), name: 'timezone', value };
    }
    const parts: string[] = [];
    do {
      const n = this.next();
      if (n.kind !== 'word' && n.kind !== 'quoted') throw this.unexpected('a setting name', n);
      parts.push(n.value);
    } while (this.acceptOp('.'));
    if (!this.acceptOp('=') && !this.acceptWord('TO')) throw this.unexpected('"=" or "TO"');
    const value = this.settingValue();
    return { kind: 'set', pos: t.pos, ...(scope ? { scope } : {}), name: parts.join('.'), value };
  }

  private settingValue(): string | null {
    const values: string[] = [];
    do {
      const v = this.t;
      if (this.isWord('DEFAULT') || this.isWord('LOCAL')) { this.i++; return null; }
      if (v.kind === 'string' || v.kind === 'word' || v.kind === 'quoted') { this.i++; values.push(v.value); continue; }
      if (v.kind === 'number') { this.i++; values.push(v.value); continue; }
      if (this.isOp('-') && this.peek().kind === 'number') { this.i++; values.push('-' + this.next().value); continue; }
      throw this.unexpected('a value');
    } while (this.acceptOp(','));
    return values.join(', ');
  }

  private insert(): Statement {
    const t = this.next();
    const mode = t.upper as 'INSERT' | 'REPLACE';
    this.expectWord('INTO');
    const table = this.compoundIdentifier();
    let columns: string[] | undefined;
    if (this.isOp('(') && !(this.isWord('SELECT', this.peek()) || this.isWord('WITH', this.peek()) || this.isWord('VALUES', this.peek()))) {
      this.i++;
      columns = [this.identifier()];
      while (this.acceptOp(',')) columns.push(this.identifier());
      this.expectOp(')');
    }
    let overwrite: 'ALL' | Expr | undefined;
    if (mode === 'REPLACE') {
      this.expectWord('OVERWRITE');
      if (this.acceptWord('ALL')) overwrite = 'ALL';
      else { this.expectWord('WHERE'); overwrite = this.expr(); }
    }
    const source = this.query();
    let partitionedBy: Expr | 'ALL' | undefined;
    let clusteredBy: Expr[] | undefined;
    if (this.acceptWord('PARTITIONED')) {
      this.expectWord('BY');
      if (this.acceptWord('ALL')) { this.acceptWord('TIME'); partitionedBy = 'ALL'; }
      else if (this.t.kind === 'word' && TIME_UNITS.has(this.t.upper) && !this.isOp('(', this.peek())) {
        const u = this.next();
        partitionedBy = { kind: 'symbol', pos: u.pos, name: u.upper };
      } else partitionedBy = this.expr();
    }
    if (this.acceptWord('CLUSTERED')) {
      this.expectWord('BY');
      clusteredBy = [this.expr()];
      while (this.acceptOp(',')) clusteredBy.push(this.expr());
    }
    if (mode === 'INSERT' && partitionedBy === undefined && !this.isOp(';') && this.t.kind !== 'eof') throw this.unexpected('"PARTITIONED BY"');
    return {
      kind: 'insert', pos: t.pos, mode, table,
      ...(columns ? { columns } : {}), source,
      ...(overwrite !== undefined ? { overwrite } : {}),
      ...(partitionedBy !== undefined ? { partitionedBy } : {}),
      ...(clusteredBy ? { clusteredBy } : {}),
    };
  }

  // ---- queries -------------------------------------------------------------
  /** query := [WITH ...] setExpr [ORDER BY] [LIMIT/OFFSET/FETCH] */
  query(): Query {
    const start = this.t;
    if (this.acceptWord('WITH')) {
      this.acceptWord('RECURSIVE');
      const ctes: { name: string; columns?: string[]; query: Query }[] = [];
      do {
        const name = this.identifier('a common table expression name');
        let columns: string[] | undefined;
        if (this.acceptOp('(')) {
          columns = [this.identifier()];
          while (this.acceptOp(',')) columns.push(this.identifier());
          this.expectOp(')');
        }
        this.expectWord('AS');
        this.expectOp('(');
        const q = this.query();
        this.expectOp(')');
        ctes.push({ name, ...(columns ? { columns } : {}), query: q });
      } while (this.acceptOp(','));
      const body = this.query();
      return { kind: 'with', pos: start.pos, ctes, body };
    }
    let q = this.setExpr();
    const orderBy = this.acceptWord('ORDER', 'BY') ? this.orderItems() : undefined;
    let limit: Expr | undefined;
    let offset: Expr | undefined;
    for (;;) {
      if (this.acceptWord('LIMIT')) {
        if (this.acceptWord('ALL')) continue;
        const first = this.expr();
        if (this.acceptOp(',')) { offset = first; limit = this.expr(); } else limit = first;
        continue;
      }
      if (this.acceptWord('OFFSET')) {
        offset = this.expr();
        this.acceptWord('ROWS') || this.acceptWord('ROW');
        continue;
      }
      if (this.acceptWord('FETCH')) {
        if (!this.acceptWord('FIRST')) this.expectWord('NEXT');
        limit = this.isWord('ROW') || this.isWord('ROWS') ? { kind: 'literal', pos: this.t.pos, type: 'number', value: '1' } : this.expr();
        if (!this.acceptWord('ROWS')) this.expectWord('ROW');
        this.expectWord('ONLY');
        continue;
      }
      break;
    }
    if (orderBy || limit || offset) {
      if ((q.kind === 'select' || q.kind === 'setOp' || q.kind === 'values') && q.orderBy === undefined && q.limit === undefined && q.offset === undefined) {
        q = { ...q, ...(orderBy ? { orderBy } : {}), ...(limit ? { limit } : {}), ...(offset ? { offset } : {}) };
      } else {
        // Wrap: SELECT * FROM (q) ORDER BY ...
        q = {
          kind: 'select', pos: q.pos, distinct: false, items: [{ pos: q.pos, expr: { kind: 'star', pos: q.pos } }],
          from: { kind: 'subquery', pos: q.pos, query: q },
          ...(orderBy ? { orderBy } : {}), ...(limit ? { limit } : {}), ...(offset ? { offset } : {}),
        };
      }
    }
    return q;
  }

  private setExpr(): Query {
    let left = this.intersectExpr();
    for (;;) {
      const t = this.t;
      let op: 'UNION' | 'EXCEPT' | undefined;
      if (this.acceptWord('UNION')) op = 'UNION';
      else if (this.acceptWord('EXCEPT') || this.acceptWord('MINUS')) op = 'EXCEPT';
      else return left;
      const all = this.acceptWord('ALL');
      if (!all) this.acceptWord('DISTINCT');
      const right = this.intersectExpr();
      left = { kind: 'setOp', pos: t.pos, op, all, left, right };
    }
  }

  private intersectExpr(): Query {
    let left = this.queryPrimary();
    while (this.isWord('INTERSECT')) {
      const t = this.next();
      const all = this.acceptWord('ALL');
      if (!all) this.acceptWord('DISTINCT');
      const right = this.queryPrimary();
      left = { kind: 'setOp', pos: t.pos, op: 'INTERSECT', all, left, right };
    }
    return left;
  }

  private queryPrimary(): Query {
    const t = this.t;
    if (this.isWord('SELECT')) return this.select();
    if (this.isWord('VALUES')) {
      this.i++;
      const rows: Expr[][] = [];
      do rows.push(this.valuesRow()); while (this.acceptOp(','));
      return { kind: 'values', pos: t.pos, rows };
    }
    if (this.isWord('TABLE')) {
      this.i++;
      const path = this.compoundIdentifier();
      return { kind: 'select', pos: t.pos, distinct: false, items: [{ pos: t.pos, expr: { kind: 'star', pos: t.pos } }], from: { kind: 'table', pos: t.pos, path } };
    }
    if (this.isOp('(')) {
      this.i++;
      const q = this.query();
      this.expectOp(')');
      return q;
    }
    throw this.unexpected('"SELECT", "VALUES" or "("');
  }

  private valuesRow(): Expr[] {
    if (this.acceptWord('ROW') || this.isOp('(')) {
      this.expectOp('(');
      const row = [this.expr()];
      while (this.acceptOp(',')) row.push(this.expr());
      this.expectOp(')');
      return row;
    }
    return [this.expr()];
  }

  private select(): SelectQuery {
    const t = this.expectWord('SELECT');
    let distinct = false;
    if (this.acceptWord('DISTINCT')) distinct = true; else this.acceptWord('ALL');
    const items: SelectItem[] = [this.selectItem()];
    while (this.acceptOp(',')) items.push(this.selectItem());
    let from: FromItem | undefined;
    if (this.acceptWord('FROM')) from = this.fromClause();
    const where = this.acceptWord('WHERE') ? this.expr() : undefined;
    let groupBy: GroupingElement[] | undefined;
    if (this.acceptWord('GROUP')) {
      this.expectWord('BY');
      this.acceptWord('ALL') || this.acceptWord('DISTINCT');
      groupBy = [this.groupingElement()];
      while (this.acceptOp(',')) groupBy.push(this.groupingElement());
    }
    const having = this.acceptWord('HAVING') ? this.expr() : undefined;
    let windows: { name: string; spec: WindowSpec }[] | undefined;
    if (this.acceptWord('WINDOW')) {
      windows = [];
      do {
        const name = this.identifier('a window name');
        this.expectWord('AS');
        windows.push({ name, spec: this.windowSpecInParens() });
      } while (this.acceptOp(','));
    }
    return {
      kind: 'select', pos: t.pos, distinct, items,
      ...(from ? { from } : {}), ...(where ? { where } : {}), ...(groupBy ? { groupBy } : {}),
      ...(having ? { having } : {}), ...(windows ? { windows } : {}),
    };
  }

  private selectItem(): SelectItem {
    const t = this.t;
    if (this.isOp('*')) { this.i++; return { pos: t.pos, expr: { kind: 'star', pos: t.pos } }; }
    const expr = this.expr();
    let alias: string | undefined;
    if (this.acceptWord('AS')) alias = this.aliasName();
    else if (this.isIdentifierStart() || this.t.kind === 'string') alias = this.aliasName();
    return { pos: t.pos, expr, ...(alias !== undefined ? { alias } : {}) };
  }

  private aliasName(): string {
    if (this.t.kind === 'string') return this.next().value;
    return this.identifier('an alias');
  }

  private groupingElement(): GroupingElement {
    if (this.acceptWord('GROUPING', 'SETS')) {
      this.expectOp('(');
      const sets: Expr[][] = [];
      do {
        const el = this.groupingElement();
        if (el.kind === 'expr') sets.push(flattenRow(el.expr));
        else if (el.kind === 'empty') sets.push([]);
        else if (el.kind === 'sets') sets.push(...el.sets.map((s) => [...s]));
        else sets.push(...expandRollupCube(el));
      } while (this.acceptOp(','));
      this.expectOp(')');
      return { kind: 'sets', sets };
    }
    if (this.isWord('ROLLUP') || this.isWord('CUBE')) {
      const kind = this.next().upper === 'ROLLUP' ? 'rollup' : 'cube';
      this.expectOp('(');
      const exprs = [this.expr()];
      while (this.acceptOp(',')) exprs.push(this.expr());
      this.expectOp(')');
      return { kind, exprs };
    }
    if (this.isOp('(') && this.isOp(')', this.peek())) { this.i += 2; return { kind: 'empty' }; }
    return { kind: 'expr', expr: this.expr() };
  }

  private orderItems(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const expr = this.expr();
      let descending = false;
      if (this.acceptWord('DESC')) descending = true; else this.acceptWord('ASC');
      let nullsFirst: boolean | undefined;
      if (this.acceptWord('NULLS')) {
        if (this.acceptWord('FIRST')) nullsFirst = true;
        else { this.expectWord('LAST'); nullsFirst = false; }
      }
      items.push({ expr, descending, ...(nullsFirst !== undefined ? { nullsFirst } : {}) });
    } while (this.acceptOp(','));
    return items;
  }

  // ---- FROM ----------------------------------------------------------------
  private fromClause(): FromItem {
    let left = this.joinChain();
    while (this.isOp(',')) {
      const t = this.next();
      const right = this.joinChain();
      left = { kind: 'join', pos: t.pos, joinType: 'COMMA', natural: false, left, right };
    }
    return left;
  }

  private joinChain(): FromItem {
    let left = this.tableRef();
    for (;;) {
      const t = this.t;
      const natural = this.acceptWord('NATURAL');
      let joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | undefined;
      if (this.acceptWord('JOIN') || this.acceptWord('INNER', 'JOIN')) joinType = 'INNER';
      else if (this.acceptWord('LEFT')) { this.acceptWord('OUTER'); this.expectWord('JOIN'); joinType = 'LEFT'; }
      else if (this.acceptWord('RIGHT')) { this.acceptWord('OUTER'); this.expectWord('JOIN'); joinType = 'RIGHT'; }
      else if (this.acceptWord('FULL')) { this.acceptWord('OUTER'); this.expectWord('JOIN'); joinType = 'FULL'; }
      else if (this.acceptWord('CROSS', 'JOIN')) joinType = 'CROSS';
      else if (natural) throw this.unexpected('"JOIN"');
      else return left;
      const right = this.tableRef();
      let on: Expr | undefined;
      let using: string[] | undefined;
      if (joinType !== 'CROSS' && !natural) {
        if (this.acceptWord('ON')) on = this.expr();
        else if (this.acceptWord('USING')) {
          this.expectOp('(');
          using = [this.identifier()];
          while (this.acceptOp(',')) using.push(this.identifier());
          this.expectOp(')');
        } else throw this.unexpected('"ON" or "USING"');
      }
      left = { kind: 'join', pos: t.pos, joinType, natural, left, right, ...(on ? { on } : {}), ...(using ? { using } : {}) };
    }
  }

  private tableRef(): FromItem {
    const t = this.t;
    let item: FromItem;
    let functionName: string | undefined;
    if (this.acceptWord('LATERAL')) { /* LATERAL UNNEST / subquery: same shape */ }
    if (this.isWord('UNNEST')) {
      this.i++;
      this.expectOp('(');
      const expr = this.expr();
      this.expectOp(')');
      const withOrdinality = this.acceptWord('WITH', 'ORDINALITY');
      item = { kind: 'unnest', pos: t.pos, expr, withOrdinality };
    } else if (this.isWord('TABLE') && this.isOp('(', this.peek())) {
      this.i += 2;
      const nameParts = this.compoundIdentifier();
      this.expectOp('(');
      const args: { name?: string; value: Expr }[] = [];
      if (!this.isOp(')')) {
        do {
          if (this.isIdentifierStart() && this.isOp('=>', this.peek())) {
            const name = this.identifier();
            this.i++;
            args.push({ name, value: this.expr() });
          } else args.push({ value: this.expr() });
        } while (this.acceptOp(','));
      }
      this.expectOp(')');
      this.expectOp(')');
      let extend: { name: string; type: TypeName }[] | undefined;
      if (this.acceptWord('EXTEND') || this.isOp('(')) {
        this.expectOp('(');
        extend = [];
        do {
          const name = this.identifier();
          extend.push({ name, type: this.typeName() });
        } while (this.acceptOp(','));
        this.expectOp(')');
      }
      item = { kind: 'tableFunction', pos: t.pos, name: nameParts.join('.').toUpperCase(), args, ...(extend ? { extend } : {}) };
    } else if (this.isOp('(')) {
      this.i++;
      if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES') || this.isOp('(')) {
        // Could be a parenthesised query or a parenthesised join.
        const save = this.i;
        try {
          const query = this.query();
          this.expectOp(')');
          item = { kind: 'subquery', pos: t.pos, query };
        } catch (e) {
          this.i = save;
          const inner = this.fromClause();
          this.expectOp(')');
          item = inner;
        }
      } else {
        const inner = this.fromClause();
        this.expectOp(')');
        item = inner;
      }
    } else {
      const path = this.compoundIdentifier();
      if (this.isOp('(') && t.kind === 'word') {
        // PostgreSQL set-returning function in FROM (generate_series(1, 3) s): an UNNEST of its array result.
        const expr = this.functionCall(t, path.join('.').toUpperCase());
        const withOrdinality = this.acceptWord('WITH', 'ORDINALITY');
        item = { kind: 'unnest', pos: t.pos, expr, withOrdinality };
        functionName = path[path.length - 1].toLowerCase();
      } else item = { kind: 'table', pos: t.pos, path };
    }
    // Alias
    let alias: string | undefined;
    if (this.acceptWord('AS')) alias = this.identifier('an alias');
    else if (this.isIdentifierStart() && !this.isWord('EXTEND')) alias = this.identifier();
    let columnAliases: string[] | undefined;
    if (alias !== undefined && this.isOp('(')) {
      this.i++;
      columnAliases = [this.identifier()];
      while (this.acceptOp(',')) columnAliases.push(this.identifier());
      this.expectOp(')');
    }
    // A function's single output column takes the table alias, else the function's name (as in PostgreSQL).
    if (functionName !== undefined) {
      alias ??= functionName;
      columnAliases ??= [alias, 'ordinality'];
    }
    if (alias !== undefined) {
      if (item.kind === 'join') {
        // (a JOIN b) AS x: treat as subquery SELECT *.
        item = {
          kind: 'subquery', pos: item.pos,
          query: { kind: 'select', pos: item.pos, distinct: false, items: [{ pos: item.pos, expr: { kind: 'star', pos: item.pos } }], from: item },
          alias, ...(columnAliases ? { columnAliases } : {}),
        };
      } else item = { ...item, alias, ...(columnAliases ? { columnAliases } : {}) };
    }
    return item;
  }

  // ---- expressions ---------------------------------------------------------
  expr(minPrec = 0): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.t;
      if (t.kind === 'word') {
        if (t.upper === 'COLLATE' && minPrec < PREC.POSTFIX && (this.peek().kind === 'word' || this.peek().kind === 'quoted')) {
          // PostgreSQL COLLATE "C" / COLLATE pg_catalog.default: accepted and ignored (comparisons are by code point).
          this.i += 2;
          while (this.isOp('.') && (this.peek().kind === 'word' || this.peek().kind === 'quoted')) this.i += 2;
          continue;
        }
        if (t.upper === 'OPERATOR' && this.isOp('(', this.peek()) && minPrec < PREC.CMP) {
          this.i += 2;
          while ((this.t.kind === 'word' || this.t.kind === 'quoted') && this.isOp('.', this.peek())) this.i += 2;
          const op = this.t;
          if (op.kind !== 'op') throw this.unexpected('an operator');
          this.i++;
          this.expectOp(')');
          left = this.operatorExpr(op.value, left, t.pos);
          continue;
        }
        if (t.upper === 'ILIKE' || (t.upper === 'NOT' && this.isWord('ILIKE', this.peek()))) {
          if (minPrec >= PREC.CMP) return left;
          const not = t.upper === 'NOT';
          this.i += not ? 2 : 1;
          left = this.operatorExpr(not ? '!~~*' : '~~*', left, t.pos);
          continue;
        }
        if (t.upper === 'OR' && minPrec < PREC.OR) { this.i++; left = bin('OR', left, this.expr(PREC.OR), t.pos); continue; }
        if (t.upper === 'AND' && minPrec < PREC.AND) { this.i++; left = bin('AND', left, this.expr(PREC.AND), t.pos); continue; }
        if (minPrec < PREC.CMP) {
          const r = this.predicateSuffix(left);
          if (r) { left = r; continue; }
        }
        return left;
      }
      if (t.kind !== 'op') return left;
      if (PG_OPERATORS.has(t.value) && minPrec < PREC.CMP) {
        this.i++;
        left = this.operatorExpr(t.value, left, t.pos);
        continue;
      }
      const cmp = COMPARISON[t.value];
      if (cmp && minPrec < PREC.CMP) {
        this.i++;
        if ((this.isWord('ANY') || this.isWord('SOME') || this.isWord('ALL')) && this.isOp('(', this.peek())
          && !(this.isWord('SELECT', this.peek(2)) || this.isWord('WITH', this.peek(2)) || this.isWord('VALUES', this.peek(2)))) {
          // PostgreSQL: x op ANY (array) / x op ALL (array)
          const q = this.next().upper;
          this.expectOp('(');
          const array = this.expr();
          this.expectOp(')');
          const sym = (name: string): Expr => ({ kind: 'symbol', pos: t.pos, name });
          left = { kind: 'call', pos: t.pos, name: '$QUANTIFIED', args: [sym(cmp), sym(q === 'ALL' ? 'ALL' : 'ANY'), left, array], distinct: false, star: false };
          continue;
        }
        if (this.isWord('ANY') || this.isWord('SOME') || this.isWord('ALL')) {
          const q = this.next().upper;
          this.expectOp('(');
          const query = this.query();
          this.expectOp(')');
          if (cmp === '=' && q !== 'ALL') { left = { kind: 'inQuery', pos: t.pos, operand: left, query, not: false }; continue; }
          if (cmp === '<>' && q === 'ALL') { left = { kind: 'inQuery', pos: t.pos, operand: left, query, not: true }; continue; }
          throw syntaxAt(this.sql, t.pos, `Quantified comparison ${cmp} ${q} is not supported`);
        }
        left = bin(cmp, left, this.expr(PREC.CMP), t.pos);
        continue;
      }
      if ((t.value === '+' || t.value === '-') && minPrec < PREC.ADD) {
        this.i++;
        left = bin(t.value, left, this.expr(PREC.ADD), t.pos);
        continue;
      }
      if ((t.value === '*' || t.value === '/' || t.value === '%' || t.value === '||') && minPrec < PREC.MUL) {
        this.i++;
        left = bin(t.value as BinaryOp, left, this.expr(PREC.MUL), t.pos);
        continue;
      }
      if (t.value === '::') {
        this.i++;
        left = { kind: 'cast', pos: t.pos, operand: left, type: this.typeName() };
        continue;
      }
      if (t.value === '[') {
        this.i++;
        const index = this.expr();
        this.expectOp(']');
        left = { kind: 'subscript', pos: t.pos, operand: left, index };
        continue;
      }
      return left;
    }
  }

  /**
   * A binary operator given by its symbol (PostgreSQL's regex and LIKE
   * operators, or any comparison/arithmetic operator written as
   * OPERATOR(schema.op)) applied to `left` and the next operand.
   */
  private operatorExpr(op: string, left: Expr, pos: number): Expr {
    const cmp = COMPARISON[op === '!=' ? '<>' : op];
    if (cmp) return bin(cmp, left, this.expr(PREC.CMP), pos);
    if (op === '+' || op === '-') return bin(op, left, this.expr(PREC.ADD), pos);
    if (op === '*' || op === '/' || op === '%' || op === '||') return bin(op as BinaryOp, left, this.expr(PREC.MUL), pos);
    if (!PG_OPERATORS.has(op)) throw syntaxAt(this.sql, pos, `Operator does not exist: ${op}`);
    const right = this.expr(PREC.CMP);
    const negated = op.startsWith('!');
    const base = negated ? op.slice(1) : op;
    let e: Expr;
    if (base === '~~' || base === '~~*') {
      const ci = base === '~~*';
      const lower = (x: Expr): Expr => (ci ? { kind: 'call', pos, name: 'LOWER', args: [x], distinct: false, star: false } : x);
      e = { kind: 'like', pos, operand: lower(left), pattern: lower(right), not: negated };
      return e;
    }
    e = { kind: 'call', pos, name: base === '~*' ? 'PG_REGEX_IMATCH' : 'REGEXP_LIKE', args: [left, right], distinct: false, star: false };
    return negated ? { kind: 'unary', pos, op: 'NOT', operand: e } : e;
  }

  /** IS / IN / LIKE / BETWEEN / NOT IN ... following an operand; undefined when none applies. */
  private predicateSuffix(left: Expr): Expr | undefined {
    const t = this.t;
    if (this.isWord('IS')) {
      this.i++;
      const not = this.acceptWord('NOT');
      if (this.acceptWord('NULL')) return { kind: 'is', pos: t.pos, operand: left, not, test: 'NULL' };
      if (this.acceptWord('TRUE')) return { kind: 'is', pos: t.pos, operand: left, not, test: 'TRUE' };
      if (this.acceptWord('FALSE')) return { kind: 'is', pos: t.pos, operand: left, not, test: 'FALSE' };
      if (this.acceptWord('UNKNOWN')) return { kind: 'is', pos: t.pos, operand: left, not, test: 'UNKNOWN' };
      if (this.acceptWord('DISTINCT')) {
        this.expectWord('FROM');
        return { kind: 'distinctFrom', pos: t.pos, left, right: this.expr(PREC.CMP), not };
      }
      throw this.unexpected('"NULL", "TRUE", "FALSE", "UNKNOWN" or "DISTINCT FROM"');
    }
    let not = false;
    if (this.isWord('NOT') && (this.isWord('IN', this.peek()) || this.isWord('LIKE', this.peek()) || this.isWord('BETWEEN', this.peek()) || this.isWord('SIMILAR', this.peek()))) {
      this.i++;
      not = true;
    }
    if (this.acceptWord('IN')) {
      this.expectOp('(');
      if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES')) {
        const query = this.query();
        this.expectOp(')');
        return { kind: 'inQuery', pos: t.pos, operand: left, query, not };
      }
      const list = [this.expr()];
      while (this.acceptOp(',')) list.push(this.expr());
      this.expectOp(')');
      return { kind: 'inList', pos: t.pos, operand: left, list, not };
    }
    if (this.acceptWord('LIKE')) {
      const pattern = this.expr(PREC.CMP);
      const escape = this.acceptWord('ESCAPE') ? this.expr(PREC.CMP) : undefined;
      return { kind: 'like', pos: t.pos, operand: left, pattern, ...(escape ? { escape } : {}), not };
    }
    if (this.acceptWord('SIMILAR')) {
      this.expectWord('TO');
      const pattern = this.expr(PREC.CMP);
      const escape = this.acceptWord('ESCAPE') ? this.expr(PREC.CMP) : undefined;
      return this.similarTo(left, pattern, escape, not, t.pos);
    }
    if (this.acceptWord('BETWEEN')) {
      let symmetric = false;
      if (this.acceptWord('SYMMETRIC')) symmetric = true; else this.acceptWord('ASYMMETRIC');
      const low = this.expr(PREC.CMP);
      this.expectWord('AND');
      const high = this.expr(PREC.CMP);
      return { kind: 'between', pos: t.pos, operand: left, low, high, not, symmetric };
    }
    if (not) throw this.unexpected();
    return undefined;
  }

  /**
   * x [NOT] SIMILAR TO 'pattern' [ESCAPE 'c'] as REGEXP_LIKE over the
   * equivalent whole-string regular expression (so it pushes down as a native
   * regex filter). The pattern and escape must be string literals (or NULL,
   * which makes the predicate NULL).
   */
  private similarTo(left: Expr, pattern: Expr, escape: Expr | undefined, not: boolean, pos: number): Expr {
    const nullLit = (x: Expr | undefined): boolean => x?.kind === 'literal' && x.type === 'null';
    const strLit = (x: Expr): string | undefined => (x.kind === 'literal' && x.type === 'string' ? x.value : undefined);
    let e: Expr;
    if (nullLit(pattern) || nullLit(escape)) {
      e = { kind: 'call', pos, name: 'REGEXP_LIKE', args: [left, { kind: 'literal', pos, type: 'null', value: null }], distinct: false, star: false };
    } else {
      const p = strLit(pattern);
      const esc = escape === undefined ? undefined : strLit(escape);
      if (p === undefined) throw syntaxAt(this.sql, pattern.pos, 'SIMILAR TO requires a string literal pattern');
      if (escape !== undefined && esc === undefined) throw syntaxAt(this.sql, escape.pos, 'SIMILAR TO requires a string literal ESCAPE character');
      const regex = similarToRegex(p, esc);
      e = { kind: 'call', pos, name: 'REGEXP_LIKE', args: [left, { kind: 'literal', pos: pattern.pos, type: 'string', value: regex }], distinct: false, star: false };
    }
    return not ? { kind: 'unary', pos, op: 'NOT', operand: e } : e;
  }

  private prefix(): Expr {
    const t = this.t;
    if (t.kind === 'op') {
      if (t.value === '-' || t.value === '+') {
        this.i++;
        const operand = this.expr(PREC.UNARY);
        if (t.value === '-' && operand.kind === 'literal' && operand.type === 'number' && !operand.value.startsWith('-')) {
          return { kind: 'literal', pos: t.pos, type: 'number', value: '-' + operand.value };
        }
        if (operand.kind === 'interval' && t.value === '-') return { ...operand, pos: t.pos, negative: !operand.negative };
        return { kind: 'unary', pos: t.pos, op: t.value, operand };
      }
      if (t.value === '(') {
        this.i++;
        if (this.isWord('SELECT') || this.isWord('WITH') || this.isWord('VALUES')) {
          const query = this.query();
          this.expectOp(')');
          return { kind: 'scalarQuery', pos: t.pos, query };
        }
        const e = this.expr();
        if (this.isOp(',')) {
          // Row constructor (a, b): kept as a ROW call.
          const args = [e];
          while (this.acceptOp(',')) args.push(this.expr());
          this.expectOp(')');
          return { kind: 'call', pos: t.pos, name: 'ROW', args, distinct: false, star: false };
        }
        this.expectOp(')');
        if (this.isOp('.') && (this.peek().kind === 'word' || this.peek().kind === 'quoted')) {
          // PostgreSQL field selection from a composite value: (expr).field
          this.i++;
          const f = this.next();
          return { kind: 'call', pos: t.pos, name: '$FIELD', args: [e, { kind: 'symbol', pos: f.pos, name: f.kind === 'word' ? f.value.toLowerCase() : f.value }], distinct: false, star: false };
        }
        return e;
      }
      throw this.unexpected('an expression');
    }
    if (t.kind === 'number') { this.i++; return { kind: 'literal', pos: t.pos, type: 'number', value: t.value }; }
    if (t.kind === 'string') { this.i++; return { kind: 'literal', pos: t.pos, type: 'string', value: t.value }; }
    if (t.kind === 'param') { this.i++; return { kind: 'param', pos: t.pos, index: t.paramIndex ?? 1 }; }
    if (t.kind === 'quoted') return this.identifierExpr();
    if (t.kind !== 'word') throw this.unexpected('an expression');
    switch (t.upper) {
      case 'NULL': this.i++; return { kind: 'literal', pos: t.pos, type: 'null', value: null };
      case 'TRUE': this.i++; return { kind: 'literal', pos: t.pos, type: 'boolean', value: true };
      case 'FALSE': this.i++; return { kind: 'literal', pos: t.pos, type: 'boolean', value: false };
      case 'UNKNOWN': this.i++; return { kind: 'literal', pos: t.pos, type: 'null', value: null };
      case 'NOT': {
        this.i++;
        const operand = this.expr(PREC.NOT);
        return { kind: 'unary', pos: t.pos, op: 'NOT', operand };
      }
      case 'EXISTS': {
        this.i++;
        this.expectOp('(');
        const query = this.query();
        this.expectOp(')');
        return { kind: 'exists', pos: t.pos, query };
      }
      case 'CASE': return this.caseExpr();
      case 'CAST': case 'TRY_CAST': {
        this.i++;
        this.expectOp('(');
        const operand = this.expr();
        this.expectWord('AS');
        const type = this.typeName();
        this.expectOp(')');
        return { kind: 'cast', pos: t.pos, operand, type };
      }
      case 'INTERVAL': return this.intervalLiteral();
      case 'TIMESTAMP': case 'DATE': case 'TIME':
        if (this.peek().kind === 'string') {
          this.i++;
          const v = this.next();
          return { kind: 'literal', pos: t.pos, type: t.upper.toLowerCase() as 'timestamp' | 'date' | 'time', value: v.value };
        }
        break;
      case 'ARRAY':
        if (this.isOp('[', this.peek())) {
          this.i += 2;
          const elements: Expr[] = [];
          if (!this.isOp(']')) { do elements.push(this.expr()); while (this.acceptOp(',')); }
          this.expectOp(']');
          return { kind: 'array', pos: t.pos, elements };
        }
        if (this.isOp('(', this.peek()) && (this.isWord('SELECT', this.peek(2)) || this.isWord('WITH', this.peek(2)))) {
          // PostgreSQL ARRAY(subquery): the subquery's single column as an array.
          this.i += 2;
          const query = this.query();
          this.expectOp(')');
          return { kind: 'call', pos: t.pos, name: '$ARRAY_QUERY', args: [{ kind: 'scalarQuery', pos: t.pos, query }], distinct: false, star: false };
        }
        if (this.isOp('(', this.peek())) {
          this.i++;
          return this.functionCall(t, 'ARRAY');
        }
        break;
      case 'CURRENT_TIMESTAMP': case 'CURRENT_DATE': case 'CURRENT_TIME': case 'LOCALTIMESTAMP': case 'LOCALTIME':
        this.i++;
        if (this.isOp('(')) return this.functionCall(t, t.upper);
        return { kind: 'call', pos: t.pos, name: t.upper, args: [], distinct: false, star: false };
      case 'PI':
        // Calcite's niladic PI: `SELECT PI` (PI() parses as an ordinary call).
        if (t.kind === 'word' && !this.isOp('(', this.peek())) { this.i++; return { kind: 'call', pos: t.pos, name: 'PI', args: [], distinct: false, star: false }; }
        break;
      case 'JSON_OBJECT': if (t.kind === 'word' && this.isOp('(', this.peek())) return this.jsonObject(); break;
      case 'EXTRACT': if (this.isOp('(', this.peek())) return this.extract(); break;
      case 'FLOOR': case 'CEIL': case 'CEILING':
        if (this.isOp('(', this.peek())) return this.floorCeil();
        break;
      case 'POSITION': if (this.isOp('(', this.peek())) return this.position(); break;
      case 'TRIM': if (this.isOp('(', this.peek())) return this.trim(); break;
      case 'SUBSTRING': case 'SUBSTR': if (this.isOp('(', this.peek())) return this.substring(); break;
      case 'TIMESTAMPADD': case 'TIMESTAMPDIFF': if (this.isOp('(', this.peek())) return this.timestampAddDiff(); break;
    }
    if (RESERVED.has(t.upper) && !(this.isOp('(', this.peek()) && FUNCTION_KEYWORDS.has(t.upper))) throw this.unexpected('an expression');
    return this.identifierExpr();
  }

  private identifierExpr(): Expr {
    const t = this.next();
    const path = [t.value];
    if (this.isOp('(') && t.kind === 'word') return this.functionCall(t, t.upper);
    while (this.isOp('.')) {
      const n = this.peek();
      if (this.isOp('*', n)) { this.i += 2; return { kind: 'star', pos: t.pos, qualifier: path }; }
      if (n.kind !== 'word' && n.kind !== 'quoted') throw this.unexpected('an identifier', n);
      this.i += 2;
      path.push(n.value);
      if (this.isOp('(') && n.kind === 'word') return this.functionCall(t, path.join('.').toUpperCase());
    }
    return { kind: 'column', pos: t.pos, path };
  }

  private functionCall(start: Token, name: string): Expr {
    this.expectOp('(');
    let distinct = false;
    let star = false;
    const args: Expr[] = [];
    let orderBy: OrderItem[] | undefined;
    if (this.isOp('*') && this.isOp(')', this.peek())) { this.i++; star = true; }
    else if (!this.isOp(')')) {
      if (this.acceptWord('DISTINCT')) distinct = true; else this.acceptWord('ALL');
      do {
        if (this.isIdentifierStart() && this.isOp('=>', this.peek())) { this.i += 2; }
        args.push(this.expr());
      } while (this.acceptOp(','));
      if (this.acceptWord('ORDER', 'BY')) orderBy = this.orderItems();
    }
    this.expectOp(')');
    if (this.acceptWord('WITHIN', 'GROUP')) {
      this.expectOp('(');
      this.expectWord('ORDER');
      this.expectWord('BY');
      orderBy = this.orderItems();
      this.expectOp(')');
    }
    // IGNORE NULLS / RESPECT NULLS
    if (this.acceptWord('IGNORE', 'NULLS') || this.acceptWord('RESPECT', 'NULLS')) { /* accepted, default semantics */ }
    let filter: Expr | undefined;
    if (this.acceptWord('FILTER')) {
      this.expectOp('(');
      this.expectWord('WHERE');
      filter = this.expr();
      this.expectOp(')');
    }
    let over: WindowSpec | undefined;
    if (this.isWord('OVER')) {
      const o = this.next();
      if (this.isOp('(')) over = this.windowSpecInParens();
      else over = { pos: o.pos, ref: this.identifier('a window name'), partitionBy: [], orderBy: [] };
    }
    return {
      kind: 'call', pos: start.pos, name, args, distinct, star,
      ...(filter ? { filter } : {}), ...(over ? { over } : {}), ...(orderBy ? { orderBy } : {}),
    };
  }

  private windowSpecInParens(): WindowSpec {
    const t = this.expectOp('(');
    let ref: string | undefined;
    if (this.isIdentifierStart() && !this.isWord('PARTITION') && !this.isWord('ORDER') && !this.isWord('ROWS') && !this.isWord('RANGE')) {
      ref = this.identifier();
    }
    let partitionBy: Expr[] = [];
    if (this.acceptWord('PARTITION', 'BY')) {
      partitionBy = [this.expr()];
      while (this.acceptOp(',')) partitionBy.push(this.expr());
    }
    const orderBy = this.acceptWord('ORDER', 'BY') ? this.orderItems() : [];
    let frame: WindowSpec['frame'];
    if (this.isWord('ROWS') || this.isWord('RANGE')) {
      const unit = this.next().upper as 'ROWS' | 'RANGE';
      if (this.acceptWord('BETWEEN')) {
        const start = this.frameBound();
        this.expectWord('AND');
        const end = this.frameBound();
        frame = { unit, start, end };
      } else {
        const only = this.frameBound();
        frame = only.type === 'FOLLOWING' || only.type === 'UNBOUNDED FOLLOWING'
          ? { unit, start: { type: 'CURRENT ROW' }, end: only }
          : { unit, start: only, end: { type: 'CURRENT ROW' } };
      }
    }
    this.expectOp(')');
    return { pos: t.pos, ...(ref ? { ref } : {}), partitionBy, orderBy, ...(frame ? { frame } : {}) };
  }

  private frameBound(): WindowFrameBound {
    if (this.acceptWord('UNBOUNDED')) {
      if (this.acceptWord('PRECEDING')) return { type: 'UNBOUNDED PRECEDING' };
      this.expectWord('FOLLOWING');
      return { type: 'UNBOUNDED FOLLOWING' };
    }
    if (this.acceptWord('CURRENT', 'ROW')) return { type: 'CURRENT ROW' };
    const offset = this.expr(PREC.CMP);
    if (this.acceptWord('PRECEDING')) return { type: 'PRECEDING', offset };
    this.expectWord('FOLLOWING');
    return { type: 'FOLLOWING', offset };
  }

  private caseExpr(): Expr {
    const t = this.expectWord('CASE');
    const operand = this.isWord('WHEN') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) throw this.unexpected('"WHEN"');
    const elseExpr = this.acceptWord('ELSE') ? this.expr() : undefined;
    this.expectWord('END');
    return { kind: 'case', pos: t.pos, ...(operand ? { operand } : {}), whens, ...(elseExpr ? { else: elseExpr } : {}) };
  }

  private timeUnit(): TimeUnit {
    const t = this.t;
    if (t.kind !== 'word' && t.kind !== 'string') throw this.unexpected('a time unit');
    const u = t.kind === 'string' ? t.value.toUpperCase() : t.upper;
    const unit = TIME_UNITS.has(u) ? (u as TimeUnit) : UNIT_ALIASES[u];
    if (!unit) throw this.unexpected('a time unit');
    this.i++;
    return unit;
  }

  private intervalLiteral(): Expr {
    const t = this.expectWord('INTERVAL');
    let negative = false;
    if (this.acceptOp('-')) negative = true; else this.acceptOp('+');
    let value: string;
    if (this.t.kind === 'string' || this.t.kind === 'number') value = this.next().value;
    else throw this.unexpected('an interval string');
    const unit = this.timeUnit();
    let toUnit: TimeUnit | undefined;
    if (this.acceptWord('TO')) toUnit = this.timeUnit();
    if (this.isOp('(')) { this.i++; while (!this.isOp(')') && !this.atEnd()) this.i++; this.expectOp(')'); }
    if (value.startsWith('-')) { negative = !negative; value = value.slice(1); }
    return { kind: 'interval', pos: t.pos, value: value.trim(), negative, unit, ...(toUnit ? { toUnit } : {}) };
  }

  private extract(): Expr {
    const t = this.next();
    this.expectOp('(');
    const ut = this.t;
    const unit = this.timeUnit();
    this.expectWord('FROM');
    const operand = this.expr();
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name: 'EXTRACT', args: [{ kind: 'symbol', pos: ut.pos, name: unit }, operand], distinct: false, star: false };
  }

  private floorCeil(): Expr {
    const t = this.next();
    const name = t.upper === 'CEILING' ? 'CEIL' : t.upper;
    this.expectOp('(');
    const operand = this.expr();
    const args: Expr[] = [operand];
    if (this.acceptWord('TO')) {
      const ut = this.t;
      args.push({ kind: 'symbol', pos: ut.pos, name: this.timeUnit() });
    } else {
      while (this.acceptOp(',')) args.push(this.expr());
    }
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name, args, distinct: false, star: false };
  }

  private position(): Expr {
    const t = this.next();
    this.expectOp('(');
    const needle = this.expr(PREC.CMP);
    this.expectWord('IN');
    const haystack = this.expr();
    const args = [needle, haystack];
    if (this.acceptWord('FROM')) args.push(this.expr());
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name: 'POSITION', args, distinct: false, star: false };
  }

  private trim(): Expr {
    const t = this.next();
    this.expectOp('(');
    let mode = 'BOTH';
    let explicitMode = false;
    if (this.isWord('BOTH') || this.isWord('LEADING') || this.isWord('TRAILING')) { mode = this.next().upper; explicitMode = true; }
    let chars: Expr | undefined;
    let operand: Expr;
    if (this.acceptWord('FROM')) operand = this.expr();
    else {
      const first = this.expr();
      if (this.acceptWord('FROM')) { chars = first; operand = this.expr(); }
      else if (this.acceptOp(',')) { operand = first; chars = this.expr(); }
      else { if (explicitMode) throw this.unexpected('"FROM"'); operand = first; }
    }
    this.expectOp(')');
    const args: Expr[] = [{ kind: 'symbol', pos: t.pos, name: mode }, chars ?? { kind: 'literal', pos: t.pos, type: 'string', value: ' ' }, operand];
    return { kind: 'call', pos: t.pos, name: 'TRIM', args, distinct: false, star: false };
  }

  private substring(): Expr {
    const t = this.next();
    this.expectOp('(');
    const operand = this.expr();
    const args = [operand];
    if (this.acceptWord('FROM')) {
      args.push(this.expr());
      if (this.acceptWord('FOR')) args.push(this.expr());
    } else {
      while (this.acceptOp(',')) args.push(this.expr());
    }
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name: 'SUBSTRING', args, distinct: false, star: false };
  }

  /**
   * JSON_OBJECT([KEY] k VALUE v | k : v, ... [NULL | ABSENT ON NULL]): a call
   * with the keys and values alternating; ordinary `JSON_OBJECT(k, v)` too.
   */
  private jsonObject(): Expr {
    const t = this.next();
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      do {
        if (this.isWord('NULL') && this.isWord('ON', this.peek())) break;
        if (this.isWord('ABSENT') && this.isWord('ON', this.peek())) break;
        if (this.isWord('KEY') && !this.isOp(',', this.peek()) && !this.isOp(')', this.peek())) this.i++;
        args.push(this.expr());
        if (this.acceptWord('VALUE') || this.acceptOp(':')) args.push(this.expr());
      } while (this.acceptOp(','));
      if (this.acceptWord('NULL') || this.acceptWord('ABSENT')) { this.expectWord('ON'); this.expectWord('NULL'); }
    }
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name: 'JSON_OBJECT', args, distinct: false, star: false };
  }

  private timestampAddDiff(): Expr {
    const t = this.next();
    this.expectOp('(');
    const ut = this.t;
    const unit: Expr = { kind: 'symbol', pos: ut.pos, name: this.timeUnit() };
    this.expectOp(',');
    const a = this.expr();
    this.expectOp(',');
    const b = this.expr();
    this.expectOp(')');
    return { kind: 'call', pos: t.pos, name: t.upper, args: [unit, a, b], distinct: false, star: false };
  }

  typeName(): TypeName {
    const t = this.t;
    if (t.kind !== 'word' && t.kind !== 'quoted') throw this.unexpected('a type name');
    this.i++;
    let name = t.kind === 'quoted' ? t.value.toUpperCase() : t.upper;
    // Schema-qualified type names (pg_catalog.int4, information_schema.sql_identifier): the schema is dropped.
    while (this.isOp('.') && (this.peek().kind === 'word' || this.peek().kind === 'quoted')) {
      this.i++;
      const part = this.next();
      name = part.kind === 'quoted' ? part.value.toUpperCase() : part.upper;
    }
    if (name === 'DOUBLE') this.acceptWord('PRECISION');
    if (name === 'CHARACTER' && this.acceptWord('VARYING')) name = 'VARCHAR';
    if (name === 'TIMESTAMP' || name === 'TIME') {
      if (this.acceptWord('WITH', 'LOCAL', 'TIME', 'ZONE') || this.acceptWord('WITH', 'TIME', 'ZONE') || this.acceptWord('WITHOUT', 'TIME', 'ZONE')) { /* same type */ }
    }
    if (name === 'ARRAY' && this.acceptOp('<')) {
      const inner = this.typeName();
      this.expectOp('>');
      return { name: 'ARRAY', args: [], arrayOf: inner };
    }
    if (name === 'COMPLEX' && this.acceptOp('<')) {
      let inner = '';
      while (!this.isOp('>') && this.t.kind !== 'eof') inner += this.next().value;
      this.expectOp('>');
      return this.arraySuffix({ name: `COMPLEX<${inner}>`, args: [] });
    }
    const args: number[] = [];
    if (this.acceptOp('(')) {
      do {
        const n = this.t;
        if (n.kind !== 'number') throw this.unexpected('a number');
        this.i++;
        args.push(Number(n.value));
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (name === 'TIMESTAMP' || name === 'TIME') {
      this.acceptWord('WITH', 'LOCAL', 'TIME', 'ZONE') || this.acceptWord('WITH', 'TIME', 'ZONE') || this.acceptWord('WITHOUT', 'TIME', 'ZONE');
    }
    return this.arraySuffix({ name, args });
  }

  private arraySuffix(type: TypeName): TypeName {
    let out = type;
    for (;;) {
      if (this.acceptWord('ARRAY')) { out = { name: 'ARRAY', args: [], arrayOf: out }; continue; }
      // PostgreSQL: text[] / int2[3]
      if (this.isOp('[') && (this.isOp(']', this.peek()) || (this.peek().kind === 'number' && this.isOp(']', this.peek(2))))) {
        this.i += this.isOp(']', this.peek()) ? 2 : 3;
        out = { name: 'ARRAY', args: [], arrayOf: out };
        continue;
      }
      break;
    }
    return out;
  }
}

/** Reserved words that may still start a function call (LEFT(x, 2), RIGHT(...), GROUPING(...)...). */
const FUNCTION_KEYWORDS = new Set(['UNNEST', 'LEFT', 'RIGHT', 'GROUPING', 'ANY', 'SOME', 'ARRAY', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP', 'INTERVAL', 'TRUNCATE']);

function bin(op: BinaryOp, left: Expr, right: Expr, pos: number): Expr {
  return { kind: 'binary', pos, op, left, right };
}

function flattenRow(e: Expr): Expr[] {
  return e.kind === 'call' && e.name === 'ROW' && !e.star ? [...e.args] : [e];
}

function expandRollupCube(el: GroupingElement): Expr[][] {
  if (el.kind === 'rollup') {
    const out: Expr[][] = [];
    for (let n = el.exprs.length; n >= 0; n--) out.push(el.exprs.slice(0, n).flatMap(flattenRow));
    return out;
  }
  if (el.kind === 'cube') {
    const out: Expr[][] = [];
    const k = el.exprs.length;
    for (let mask = (1 << k) - 1; mask >= 0; mask--) {
      const set: Expr[] = [];
      for (let b = 0; b < k; b++) if (mask & (1 << (k - 1 - b))) set.push(...flattenRow(el.exprs[b]));
      out.push(set);
    }
    return out;
  }
  return [];
}

/** Expands ROLLUP/CUBE elements into explicit grouping sets (exported for the planner). */
export { expandRollupCube };
