/** PostgreSQL syntax and functions in the planner, and the Druid dialect left as it was. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseStatement } from '../../planner/parser.ts';
import { tokenize } from '../../planner/lexer.ts';
import { startTestNode, type TestNode } from './fixtures/start-node.ts';
import type { SqlSessionContext } from '../../planner/sql-engine.ts';

let t: TestNode;
before(async () => { t = await startTestNode(); });
after(() => t?.stop());

const session = (): SqlSessionContext => ({ queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map([['search_path', '"$user", public']]) });
async function rows(sql: string, params: unknown[] = []): Promise<unknown[][]> {
  const r = await t.node.sql.execute(sql, params, session());
  const out: unknown[][] = [];
  for await (const row of r.rows) out.push([...row]);
  return out;
}

test('lexer: regex operators and E strings with escapes', () => {
  assert.deepEqual(tokenize("a !~ 'x' ~* !~* ~").filter((k) => k.kind === 'op').map((k) => k.value), ['!~', '~*', '!~*', '~']);
  assert.equal(tokenize("E'a\\nb\\x41\\'c'")[0].value, "a\nbA'c");
});

test('regex, OPERATOR(pg_catalog.~), COLLATE, ILIKE', async () => {
  assert.deepEqual(await rows("SELECT product FROM sales WHERE product ~ '^p' AND product !~ 'um$' AND product OPERATOR(pg_catalog.~) 'ea' COLLATE pg_catalog.default GROUP BY product"), [['pear']]);
  assert.deepEqual(await rows("SELECT COUNT(*) FROM sales WHERE country ~* '^f' AND product ILIKE 'APP%'"), [[1]]);
});

test('casts to regclass/regtype/oid/text/name/int and array literals', async () => {
  const [[oid]] = await rows("SELECT oid FROM pg_catalog.pg_class WHERE relname = 'sales'");
  assert.deepEqual(await rows("SELECT 'sales'::regclass, 'public.sales'::pg_catalog.regclass::oid, 'int4'::regtype, 'x'::name, '7'::int, 3::text"), [[oid, oid, 23, 'x', 7, '3']]);
  await assert.rejects(rows("SELECT 'nope'::regclass"), (e: any) => e.sqlState === '42P01');
  assert.deepEqual(await rows("SELECT 2 = ANY('{1,2}'::int[]), 'c' = ANY($1), 5 > ALL(ARRAY[1,2]), 'b' <> ALL('{a,b}'::text[])", [['a', 'c']]), [[true, true, true, false]]);
});

test('PostgreSQL functions with and without the pg_catalog prefix', async () => {
  const [r] = await rows("SELECT pg_catalog.current_database(), current_schema(), current_user, session_user, pg_catalog.pg_get_userbyid(10), format_type(20, -1), format_type(1015, -1), pg_encoding_to_char(6), quote_ident('a b'), quote_ident('ab'), obj_description(1, 'pg_class'), pg_catalog.has_schema_privilege('public', 'USAGE'), current_setting('search_path'), array_to_string(ARRAY['a', NULL, 'c'], ',', '*')");
  assert.deepEqual(r, ['nemeton', 'public', 'admin', 'admin', 'admin', 'bigint', 'character varying[]', 'UTF8', '"a b"', 'ab', null, true, '"$user", public', 'a,*,c']);
  assert.match(String((await rows('SELECT version()'))[0][0]), /^PostgreSQL 15\.0 \(Nemeton/);
});

test('correlated scalar and EXISTS subqueries over catalog tables; set-returning functions in FROM; ARRAY(subquery)', async () => {
  const got = await rows("SELECT c.relname, (SELECT COUNT(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid) AS n, EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.oid = c.relnamespace AND n.nspname = 'public') AS pub FROM pg_catalog.pg_class c WHERE c.relname IN ('sales', 'pg_am') ORDER BY 1");
  assert.deepEqual(got, [['pg_am', 4, false], ['sales', 5, true]]);
  assert.deepEqual(await rows('SELECT s, s * 2 FROM generate_series(1, 3) s ORDER BY s DESC'), [[3, 6], [2, 4], [1, 2]]);
  assert.deepEqual(await rows("SELECT ARRAY(SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE 'p%' ORDER BY 1)"), [[['pg_catalog', 'public']]]);
});

test('the Druid dialect is unchanged: case-preserving identifiers, Druid functions, correlated subqueries over data sources refused', async () => {
  const stmt = parseStatement('SELECT "Country", TIME_FLOOR(__time, \'P1D\') FROM druid.sales');
  assert.equal(stmt.kind, 'query');
  assert.deepEqual(await rows("SELECT TIME_FLOOR(__time, 'P1D') AS d, COUNT(*) FROM druid.sales GROUP BY 1 ORDER BY 1"), [[Date.UTC(2024, 0, 1), 4], [Date.UTC(2024, 0, 2), 4]]);
  assert.deepEqual(await rows("SELECT ARRAY_TO_STRING(ARRAY['a', NULL], ',')"), [['a,null']]);
  await assert.rejects(rows('SELECT country FROM sales s WHERE qty > (SELECT AVG(qty) FROM sales g WHERE g.country = s.country)'), (e: any) => e.sqlState === '0A000');
  const [[a, b]] = await rows('SELECT COUNT(*), COUNT(DISTINCT country) FROM sales');
  assert.deepEqual([a, b], [8, 3]);
});
