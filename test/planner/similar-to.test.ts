/** SIMILAR TO: pattern translation, parsing into REGEXP_LIKE and native regex filter pushdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { similarToRegex } from '../../planner/similar-to-regex.ts';
import { parseExpression } from '../../planner/parser.ts';
import { NemetonError } from '../../common/errors.ts';
import { calciteFixture } from './support/calcite-fixture.ts';
import { planQuery } from '../../planner/engine/create-sql-engine.ts';
import { nativeLeaves } from '../../planner/native/explain.ts';

function matches(pattern: string, value: string, escape?: string): boolean {
  return new RegExp(similarToRegex(pattern, escape)).test(value);
}

function sqlState(f: () => unknown): string {
  try { f(); } catch (e) {
    assert.ok(e instanceof NemetonError, String(e));
    return e.sqlState;
  }
  assert.fail('expected an error');
}

test('SIMILAR TO patterns match the whole string with SQL-standard metacharacters', () => {
  assert.equal(matches('abc', 'abc'), true);
  assert.equal(matches('ab', 'abc'), false);
  assert.equal(matches('b', 'abc'), false);
  assert.equal(matches('%b%', 'abc'), true);
  assert.equal(matches('a_c', 'abc'), true);
  assert.equal(matches('a_c', 'ac'), false);
  assert.equal(matches('%', 'line1\nline2'), true);
  assert.equal(matches('a_b', 'a\nb'), true);
  assert.equal(matches('a|b', 'b'), true);
  assert.equal(matches('ab|cd', 'abd'), false);
  assert.equal(matches('(ab)*', 'ababab'), true);
  assert.equal(matches('(ab)+', ''), false);
  assert.equal(matches('x?y', 'y'), true);
  assert.equal(matches('a{2,3}', 'aaa'), true);
  assert.equal(matches('a{2,3}', 'aaaa'), false);
  assert.equal(matches('a{2}', 'aa'), true);
  assert.equal(matches('[a-c]+', 'cab'), true);
  assert.equal(matches('[^a-c]+', 'xyz'), true);
  assert.equal(matches('[^a-c]+', 'xaz'), false);
  assert.equal(matches('[%_]', '%'), true, '% and _ are literal inside brackets');
  assert.equal(matches('[%_]', 'x'), false);
});

test('regex metacharacters that SIMILAR TO does not have are literal', () => {
  assert.equal(matches('a.c', 'a.c'), true);
  assert.equal(matches('a.c', 'abc'), false);
  assert.equal(matches('^a$', '^a$'), true);
  assert.equal(matches('^a$', 'a'), false);
  assert.equal(matches('a/b-c]', 'a/b-c]'), true);
});

test('ESCAPE: default backslash, custom character, none', () => {
  assert.equal(matches('100\\%', '100%'), true);
  assert.equal(matches('100\\%', '1000'), false);
  assert.equal(matches('a#_b', 'a_b', '#'), true);
  assert.equal(matches('a#_b', 'axb', '#'), false);
  assert.equal(matches('a#|b', 'a|b', '#'), true);
  assert.equal(matches('a\\b', 'a\\b', ''), true, 'empty ESCAPE turns escaping off');
  assert.equal(matches('[#]]', ']', '#'), true);
});

test('bad patterns and escapes raise SQL-standard SQLSTATEs', () => {
  assert.equal(sqlState(() => similarToRegex('(ab')), '2201B');
  assert.equal(sqlState(() => similarToRegex('[ab')), '2201B');
  assert.equal(sqlState(() => similarToRegex('ab#', '#')), '22025');
  assert.equal(sqlState(() => similarToRegex('ab', '##')), '22019');
});

test('x [NOT] SIMILAR TO p parses into (NOT) REGEXP_LIKE over the anchored regex', () => {
  const e = parseExpression("dim1 SIMILAR TO 'a%'");
  assert.equal(e.kind, 'call');
  assert.equal((e as { name: string }).name, 'REGEXP_LIKE');
  const pat = (e as unknown as { args: { kind: string; value: unknown }[] }).args[1]!;
  assert.equal(pat.value, similarToRegex('a%'));
  const n = parseExpression("dim1 NOT SIMILAR TO 'a!%' ESCAPE '!' AND x = 1");
  assert.equal(n.kind, 'binary');
  const l = (n as { left: { kind: string; op?: string; operand?: { args: { value: unknown }[] } } }).left;
  assert.equal(l.kind, 'unary');
  assert.equal(l.op, 'NOT');
  assert.equal(l.operand!.args[1]!.value, similarToRegex('a!%', '!'));
  assert.equal(sqlState(() => parseExpression('dim1 SIMILAR TO dim2')), '42601');
  assert.equal(sqlState(() => parseExpression("dim1 SIMILAR 'a'")), '42601');
});

test('SIMILAR TO on a string column pushes down as a native regex filter', async () => {
  const fx = await calciteFixture();
  const p = planQuery("SELECT COUNT(*) FROM foo WHERE dim1 NOT SIMILAR TO '(a|d)%'", [], fx.session(), fx.catalog);
  const leaves = nativeLeaves(p.rel);
  assert.equal(leaves.length, 1);
  const q = leaves[0]!.query as unknown as { filter: unknown };
  assert.deepEqual(q.filter, { type: 'not', field: { type: 'regex', dimension: 'dim1', pattern: similarToRegex('(a|d)%') } });
});
