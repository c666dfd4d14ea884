import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, parseExpression } from '../../planner/parser.ts';
import { tokenize } from '../../planner/lexer.ts';
import { NemetonError } from '../../common/errors.ts';
import type { Expr, SelectQuery, Statement } from '../../planner/ast.ts';

function select(sql: string): SelectQuery {
  const s = parseStatement(sql);
  assert.equal(s.kind, 'query');
  const q = (s as Extract<Statement, { kind: 'query' }>).query;
  assert.equal(q.kind, 'select');
  return q as SelectQuery;
}

function syntaxError(sql: string): NemetonError {
  try { parseStatement(sql); } catch (e) {
    assert.ok(e instanceof NemetonError, `expected NemetonError, got ${String(e)}`);
    assert.equal(e.sqlState, '42601');
    assert.equal(e.code, 'SQL parse failed');
    return e;
  }
  assert.fail(`expected a syntax error for: ${sql}`);
}

test('lexer: identifiers keep case, keywords match case-insensitively, quotes and escapes resolve', () => {
  const t = tokenize(`select countryName, "Weird ""Name""", 'it''s' FROM t -- comment\n /* block */ WHERE x <> 1 AND y != 2`);
  assert.deepEqual(t.filter((x) => x.kind === 'word').map((x) => x.value), ['select', 'countryName', 'FROM', 't', 'WHERE', 'x', 'AND', 'y']);
  assert.equal(t.find((x) => x.kind === 'quoted')!.value, 'Weird "Name"');
  assert.equal(t.find((x) => x.kind === 'string')!.value, "it's");
  assert.equal(t.filter((x) => x.kind === 'op' && x.value === '<>').length, 2);
  assert.equal(t[0].pos, 1);
});

test('lexer: numbers, parameters, U& strings', () => {
  const t = tokenize(`1 2.5 .5 1e3 1.5E-2 ? ? $3 U&'\\0041\\+01F600'`);
  assert.deepEqual(t.filter((x) => x.kind === 'number').map((x) => x.value), ['1', '2.5', '.5', '1e3', '1.5E-2']);
  assert.deepEqual(t.filter((x) => x.kind === 'param').map((x) => x.paramIndex), [1, 2, 3]);
  assert.equal(t.find((x) => x.kind === 'string')!.value, 'A😀');
});

test('lexer errors carry positions', () => {
  assert.throws(() => tokenize(`SELECT 'abc`), (e: NemetonError) => e.position === 8 && /unterminated/.test(e.message));
  assert.throws(() => tokenize(`SELECT #`), (e: NemetonError) => e.position === 8);
  assert.throws(() => tokenize(`SELECT 1 /* open`), (e: NemetonError) => e.position === 10);
});

test('SELECT list: aliases with and without AS, *, t.*, DISTINCT', () => {
  const q = select('SELECT DISTINCT a, b AS "B", c d, t.*, * FROM druid.foo t');
  assert.equal(q.distinct, true);
  assert.deepEqual(q.items.map((i) => i.alias), [undefined, 'B', 'd', undefined, undefined]);
  assert.deepEqual(q.items[3].expr, { kind: 'star', pos: 35, qualifier: ['t'] });
  assert.deepEqual(q.from, { kind: 'table', pos: 47, path: ['druid', 'foo'], alias: 't' });
});

test('FROM: schemas, joins, USING, comma joins, subqueries, UNNEST, EXTERN', () => {
  const q = select(`SELECT * FROM sys.segments s JOIN INFORMATION_SCHEMA.TABLES i USING (x, y)
    LEFT OUTER JOIN lookup.lookyloo l ON s.a = l.k, (SELECT 1) AS sq(one) CROSS JOIN UNNEST(ARRAY[1,2]) AS u(n)
    FULL JOIN pg_catalog.pg_type p ON TRUE RIGHT JOIN TABLE(EXTERN('{}', '{}', '[]')) e ON 1 = 1`);
  const kinds: string[] = [];
  const walk = (f: NonNullable<SelectQuery['from']>) => { if (f.kind === 'join') { walk(f.left); kinds.push(f.joinType); walk(f.right); } else kinds.push(f.kind); };
  walk(q.from!);
  assert.deepEqual(kinds, ['table', 'INNER', 'table', 'LEFT', 'table', 'COMMA', 'subquery', 'CROSS', 'unnest', 'FULL', 'table', 'RIGHT', 'tableFunction']);
});

test('WHERE / GROUP BY / HAVING / ORDER BY / LIMIT / OFFSET / FETCH', () => {
  const q = select('SELECT a, COUNT(*) FROM t WHERE a > 1 GROUP BY 1, b HAVING COUNT(*) > 2 ORDER BY 2 DESC NULLS LAST, a LIMIT 10 OFFSET 5');
  assert.equal(q.groupBy!.length, 2);
  assert.ok(q.having);
  assert.deepEqual(q.orderBy!.map((o) => [o.descending, o.nullsFirst]), [[true, false], [false, undefined]]);
  assert.equal((q.limit as { value: string }).value, '10');
  assert.equal((q.offset as { value: string }).value, '5');
  const f = select('SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY');
  assert.equal((f.limit as { value: string }).value, '3');
  assert.equal((f.offset as { value: string }).value, '2');
});

test('GROUPING SETS, ROLLUP and CUBE', () => {
  const q = select('SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), ()), ROLLUP (a, b), CUBE (a, b)');
  const [sets, rollup, cube] = q.groupBy!;
  assert.equal(sets.kind, 'sets');
  assert.deepEqual(sets.kind === 'sets' ? sets.sets.map((s) => s.length) : [], [2, 1, 0]);
  assert.equal(rollup.kind, 'rollup');
  assert.equal(cube.kind, 'cube');
});

test('set operations bind INTERSECT tighter than UNION; ORDER BY applies to the whole', () => {
  const s = parseStatement('SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 ORDER BY 1 LIMIT 1');
  const q = (s as Extract<Statement, { kind: 'query' }>).query;
  assert.equal(q.kind, 'setOp');
  if (q.kind !== 'setOp') return;
  assert.equal(q.op, 'UNION');
  assert.equal(q.all, true);
  assert.equal(q.right.kind, 'setOp');
  assert.ok(q.orderBy && q.limit);
  const e = parseStatement('SELECT 1 EXCEPT SELECT 2');
  assert.equal(((e as Extract<Statement, { kind: 'query' }>).query as { op: string }).op, 'EXCEPT');
});

test('WITH and VALUES', () => {
  const s = parseStatement('WITH a (x) AS (SELECT 1), b AS (VALUES (1, 2), (3, 4)) SELECT * FROM a, b');
  const q = (s as Extract<Statement, { kind: 'query' }>).query;
  assert.equal(q.kind, 'with');
  if (q.kind !== 'with') return;
  assert.deepEqual(q.ctes.map((c) => [c.name, c.columns, c.query.kind]), [['a', ['x'], 'select'], ['b', undefined, 'values']]);
});

test('expression precedence: AND over OR, * over +, unary minus, comparisons', () => {
  const e = parseExpression('a OR b AND NOT c = 1 + 2 * -3');
  assert.equal(e.kind, 'binary');
  if (e.kind !== 'binary') return;
  assert.equal(e.op, 'OR');
  const and = e.right as Extract<Expr, { kind: 'binary' }>;
  assert.equal(and.op, 'AND');
  const not = and.right as Extract<Expr, { kind: 'unary' }>;
  assert.equal(not.op, 'NOT');
  const eq = not.operand as Extract<Expr, { kind: 'binary' }>;
  assert.equal(eq.op, '=');
  const plus = eq.right as Extract<Expr, { kind: 'binary' }>;
  assert.equal(plus.op, '+');
  assert.equal((plus.right as { op: string }).op, '*');
  assert.deepEqual((plus.right as { right: Expr }).right, { kind: 'literal', pos: 28, type: 'number', value: '-3' });
});

test('predicates: IN list/subquery, EXISTS, BETWEEN, LIKE ESCAPE, IS [NOT] NULL/TRUE/DISTINCT FROM', () => {
  const kinds = [
    ['a IN (1, 2)', 'inList'], ['a NOT IN (SELECT b FROM t)', 'inQuery'], ['EXISTS (SELECT 1)', 'exists'],
    ['a BETWEEN 1 AND 2', 'between'], ['a NOT BETWEEN SYMMETRIC 1 AND 2', 'between'], ["a LIKE 'x!%' ESCAPE '!'", 'like'],
    ['a IS NOT NULL', 'is'], ['a IS TRUE', 'is'], ['a IS NOT DISTINCT FROM b', 'distinctFrom'], ['(SELECT 1)', 'scalarQuery'],
  ] as const;
  for (const [sql, kind] of kinds) assert.equal(parseExpression(sql).kind, kind, sql);
  const b = parseExpression('a BETWEEN 1 AND 2 AND c');
  assert.equal(b.kind, 'binary');
});

test('special forms become calls with symbols', () => {
  const cases: [string, string, unknown[]][] = [
    ['FLOOR(__time TO DAY)', 'FLOOR', ['column', 'symbol']],
    ['CEIL(x TO MONTH)', 'CEIL', ['column', 'symbol']],
    ['EXTRACT(YEAR FROM __time)', 'EXTRACT', ['symbol', 'column']],
    ["POSITION('a' IN b)", 'POSITION', ['literal', 'column']],
    ["TRIM(BOTH 'x' FROM y)", 'TRIM', ['symbol', 'literal', 'column']],
    ['TRIM(y)', 'TRIM', ['symbol', 'literal', 'column']],
    ['SUBSTRING(x FROM 1 FOR 2)', 'SUBSTRING', ['column', 'literal', 'literal']],
    ['TIMESTAMPDIFF(DAY, a, b)', 'TIMESTAMPDIFF', ['symbol', 'column', 'column']],
  ];
  for (const [sql, name, argKinds] of cases) {
    const e = parseExpression(sql);
    assert.equal(e.kind, 'call', sql);
    if (e.kind !== 'call') continue;
    assert.equal(e.name, name);
    assert.deepEqual(e.args.map((a) => a.kind), argKinds, sql);
  }
});

test('CASE, CAST, ::, literals, intervals, arrays', () => {
  assert.equal(parseExpression('CASE WHEN a THEN 1 ELSE 2 END').kind, 'case');
  assert.equal(parseExpression('CASE x WHEN 1 THEN 2 END').kind, 'case');
  const c = parseExpression('CAST(a AS VARCHAR(10))');
  assert.deepEqual(c.kind === 'cast' && c.type, { name: 'VARCHAR', args: [10] });
  const pc = parseExpression('a::double precision');
  assert.deepEqual(pc.kind === 'cast' && pc.type, { name: 'DOUBLE', args: [] });
  assert.deepEqual(parseExpression("TIMESTAMP '2000-01-01 00:00:00'"), { kind: 'literal', pos: 1, type: 'timestamp', value: '2000-01-01 00:00:00' });
  assert.deepEqual(parseExpression("DATE '2000-01-01'"), { kind: 'literal', pos: 1, type: 'date', value: '2000-01-01' });
  assert.deepEqual(parseExpression("INTERVAL '1:30' HOUR TO MINUTE"), { kind: 'interval', pos: 1, value: '1:30', negative: false, unit: 'HOUR', toUnit: 'MINUTE' });
  assert.deepEqual(parseExpression("INTERVAL '1' DAY"), { kind: 'interval', pos: 1, value: '1', negative: false, unit: 'DAY' });
  assert.equal(parseExpression('ARRAY[1, 2]').kind, 'array');
  assert.equal(parseExpression('x[1]').kind, 'subscript');
  assert.deepEqual(parseExpression('$2'), { kind: 'param', pos: 1, index: 2 });
});

test('aggregates: COUNT(*), DISTINCT, FILTER, WITHIN GROUP / ORDER BY; window specs', () => {
  const e = parseExpression('COUNT(DISTINCT x) FILTER (WHERE y > 1)');
  assert.ok(e.kind === 'call' && e.distinct && e.filter);
  const s = parseExpression('COUNT(*)');
  assert.ok(s.kind === 'call' && s.star);
  const sa = parseExpression("STRING_AGG(x, ',' ORDER BY y DESC)");
  assert.ok(sa.kind === 'call' && sa.orderBy?.length === 1);
  const w = parseExpression('SUM(x) OVER (PARTITION BY a, b ORDER BY c DESC ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING)');
  assert.ok(w.kind === 'call' && w.over);
  if (w.kind !== 'call' || !w.over) return;
  assert.equal(w.over.partitionBy.length, 2);
  assert.equal(w.over.frame!.unit, 'ROWS');
  assert.equal(w.over.frame!.start.type, 'PRECEDING');
  assert.equal(w.over.frame!.end.type, 'UNBOUNDED FOLLOWING');
  const single = parseExpression('COUNT(*) OVER (ORDER BY a ROWS 1 FOLLOWING)');
  assert.ok(single.kind === 'call' && single.over?.frame?.start.type === 'CURRENT ROW' && single.over.frame.end.type === 'FOLLOWING');
  const named = select('SELECT RANK() OVER w FROM t WINDOW w AS (ORDER BY a)');
  assert.equal(named.windows![0].name, 'w');
});

test('EXPLAIN, INSERT, REPLACE and session statements', () => {
  const ex = parseStatement('EXPLAIN PLAN FOR SELECT 1');
  assert.equal(ex.kind, 'explain');
  const ins = parseStatement("INSERT INTO dst SELECT * FROM TABLE(EXTERN('{}', '{}', '[]')) EXTEND (x VARCHAR) PARTITIONED BY DAY CLUSTERED BY a, b");
  assert.ok(ins.kind === 'insert' && ins.mode === 'INSERT' && ins.clusteredBy?.length === 2);
  const rep = parseStatement("REPLACE INTO dst OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01' SELECT * FROM src PARTITIONED BY ALL TIME");
  assert.ok(rep.kind === 'insert' && rep.mode === 'REPLACE' && typeof rep.overwrite === 'object' && rep.partitionedBy === 'ALL');
  assert.deepEqual(parseStatement("SET search_path = 'druid'"), { kind: 'set', pos: 1, name: 'search_path', value: 'druid' });
  assert.deepEqual(parseStatement('SET TIME ZONE UTC'), { kind: 'set', pos: 1, name: 'timezone', value: 'UTC' });
  assert.deepEqual(parseStatement('SHOW TRANSACTION ISOLATION LEVEL'), { kind: 'show', pos: 1, name: 'transaction isolation level' });
  assert.deepEqual(parseStatement('RESET ALL'), { kind: 'reset', pos: 1, name: 'all' });
  assert.deepEqual(parseStatement('BEGIN'), { kind: 'transaction', pos: 1, action: 'BEGIN' });
  assert.deepEqual(parseStatement('COMMIT;'), { kind: 'transaction', pos: 1, action: 'COMMIT' });
  assert.deepEqual(parseStatement('ROLLBACK WORK'), { kind: 'transaction', pos: 1, action: 'ROLLBACK' });
});

test('syntax errors report Calcite-style messages with exact positions', () => {
  const a = syntaxError('SELECT FROM t');
  assert.equal(a.position, 8);
  assert.match(a.message, /Incorrect syntax near the keyword 'FROM'.*line 1, column 8/);
  const b = syntaxError('SELECT a\nFROM t\nWHERE');
  assert.equal(b.position, 22);
  assert.match(b.message, /line 3, column 6/);
  const c = syntaxError('SELECT a FROM t GROUP a');
  assert.equal(c.position, 23);
  assert.match(c.message, /Encountered "a"; was expecting "BY"/);
  const d = syntaxError('SELECT (1 + 2 FROM t');
  assert.equal(d.position, 15);
  const e = syntaxError('SELECT * FROM t t2 t3');
  assert.equal(e.position, 20);
  const f = syntaxError('INSERT INTO x SELECT 1 garbage garbage');
  assert.ok(f.position !== undefined);
  const g = syntaxError('SELEC 1');
  assert.equal(g.position, 1);
});
