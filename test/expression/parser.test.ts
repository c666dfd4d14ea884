import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, stringifyExpression } from '../../query/expression/index.ts';
import { NemetonError } from '../../common/errors.ts';

const s = (text: string) => stringifyExpression(parseExpression(text));

test('literals: longs, doubles, strings with escapes, null, NaN, Infinity', () => {
  assert.deepEqual(parseExpression('42'), { kind: 'literal', value: 42, type: 'LONG', pos: 0 });
  assert.deepEqual(parseExpression('4.5'), { kind: 'literal', value: 4.5, type: 'DOUBLE', pos: 0 });
  assert.deepEqual(parseExpression('1e3'), { kind: 'literal', value: 1000, type: 'DOUBLE', pos: 0 });
  assert.deepEqual(parseExpression('-7'), { kind: 'literal', value: -7, type: 'LONG', pos: 0 });
  assert.deepEqual(parseExpression("'it\\'s\\n\\u0041'"), { kind: 'literal', value: "it's\nA", type: 'STRING', pos: 0 });
  assert.deepEqual(parseExpression('null'), { kind: 'literal', value: null, type: null, pos: 0 });
  assert.deepEqual(parseExpression('NULL'), { kind: 'identifier', name: 'NULL', pos: 0 }, "only lower-case 'null' is the literal");
  assert.equal((parseExpression('NaN') as { value: number }).value, Number.NaN);
  assert.equal((parseExpression('Infinity') as { value: number }).value, Number.POSITIVE_INFINITY);
});

test('identifiers: bare (letters, digits, _ and $) and double-quoted with escapes', () => {
  assert.deepEqual(parseExpression('$a_1'), { kind: 'identifier', name: '$a_1', pos: 0 });
  assert.deepEqual(parseExpression('"j0.k \\"x\\""'), { kind: 'identifier', name: 'j0.k "x"', pos: 0 });
});

test('operator precedence and associativity', () => {
  assert.equal(s('1 + 2 * 3'), '(1 + (2 * 3))');
  assert.equal(s('(1 + 2) * 3'), '((1 + 2) * 3)');
  assert.equal(s('2 ^ 3 ^ 2'), '(2 ^ (3 ^ 2))');
  assert.equal(s('-x ^ 2'), '(-"x" ^ 2)');
  assert.equal(s('a < b && c || d'), '((("a" < "b") && "c") || "d")');
  assert.equal(s('a || b && c'), '(("a" || "b") && "c")', '&& and || share one precedence level, as in Druid');
  assert.equal(s('a && b || c && d'), '((("a" && "b") || "c") && "d")');
  assert.equal(s('!a == b'), '(!"a" == "b")');
  assert.equal(s('1 - 2 - 3'), '((1 - 2) - 3)');
  assert.equal(s('a % b / c'), '(("a" % "b") / "c")');
});

test('function calls lower-case their names and keep argument order', () => {
  const e = parseExpression("CONCAT(x, 'y', 1)");
  assert.equal(e.kind, 'call');
  assert.equal(s("CONCAT(x, 'y', 1)"), "concat(\"x\", 'y', 1)");
  assert.equal(s('pi()'), 'pi()');
});

test('array literals: untyped, typed, space-delimited, negative numbers and nulls', () => {
  assert.deepEqual(parseExpression('[1, 2, 3]'), { kind: 'array', elements: [1, 2, 3], type: 'ARRAY<LONG>', pos: 0 });
  assert.deepEqual(parseExpression('[1 2.5]'), { kind: 'array', elements: [1, 2.5], type: 'ARRAY<DOUBLE>', pos: 0 });
  assert.deepEqual(parseExpression("['a', null]"), { kind: 'array', elements: ['a', null], type: 'ARRAY<STRING>', pos: 0 });
  assert.deepEqual(parseExpression('<DOUBLE>[]'), { kind: 'array', elements: [], type: 'ARRAY<DOUBLE>', pos: 0 });
  assert.deepEqual(parseExpression('<LONG>[-1, 2]'), { kind: 'array', elements: [-1, 2], type: 'ARRAY<LONG>', pos: 0 });
  assert.deepEqual(parseExpression('<STRING>[1]'), { kind: 'array', elements: ['1'], type: 'ARRAY<STRING>', pos: 0 });
  assert.deepEqual(parseExpression('ARRAY<DOUBLE>[1, 2]'), { kind: 'array', elements: [1, 2], type: 'ARRAY<DOUBLE>', pos: 0 });
  assert.deepEqual(parseExpression('[null]'), { kind: 'array', elements: [null], type: 'ARRAY<STRING>', pos: 0 });
});

test('lambdas: parenthesised, bare single argument, and no arguments', () => {
  assert.equal(s('map((x) -> x + 1, a)'), 'map(("x") -> ("x" + 1), "a")');
  assert.equal(s('map(x -> x + 1, a)'), 'map(("x") -> ("x" + 1), "a")');
  assert.equal(s('fold((x, acc) -> x + acc, a, 0)'), 'fold(("x", "acc") -> ("x" + "acc"), "a", 0)');
  assert.equal(s('cartesian_map(() -> 1, a)'), 'cartesian_map(() -> 1, "a")');
});

test('stringify round-trips', () => {
  for (const t of ["concat(\"a b\", 'x\\'y')", '((1.5 + -2) * "c")', "<LONG>[1, null]", "timestamp_floor(\"__time\", 'PT1H', null, 'UTC')", '1.0E10']) {
    assert.deepEqual(parseExpression(s(t)), parseExpression(t), t);
  }
});

function errorAt(text: string): { position: number | undefined; message: string } {
  try {
    parseExpression(text);
  } catch (e) {
    assert.ok(e instanceof NemetonError);
    assert.equal(e.code, 'Invalid input');
    return { position: e.position, message: e.message };
  }
  assert.fail(`expected a parse error for ${text}`);
}

test('syntax errors carry exact 1-based positions', () => {
  assert.equal(errorAt('1 +').position, 4);
  assert.equal(errorAt('a + * b').position, 5);
  assert.equal(errorAt("'abc").position, 1);
  assert.equal(errorAt('concat(a, b').position, 12);
  assert.equal(errorAt('a # b').position, 3);
  assert.equal(errorAt('a = b').position, 3);
  assert.equal(errorAt('(1 + 2').position, 7);
  assert.equal(errorAt('1 2').position, 3);
  assert.equal(errorAt('').position, 1);
  assert.equal(errorAt("[1, 'a']").position, 1);
  assert.equal(errorAt('[1, x]').position, 5);
  assert.equal(errorAt('"abc').position, 1);
  assert.equal(errorAt("'\\q'").position, 2);
  assert.equal(errorAt('12abc').position, 3);
  assert.match(errorAt('1 +').message, /unexpected end of expression at position 4/);
});

test('parse-time validation: unknown functions, arity and lambda placement, with positions', () => {
  assert.equal(errorAt('1 + nope(2)').position, 5);
  assert.match(errorAt('1 + nope(2)').message, /Function\[nope\] is not supported/);
  assert.match(errorAt('strlen(a, b)').message, /needs 1 argument, got 2/);
  assert.equal(errorAt('concat(a, (x) -> x)').position, 11);
  assert.match(errorAt('map(a, [1])').message, /lambda/);
  assert.match(errorAt('fold((x, acc) -> x, [1])').message, /at least 3/);
  assert.doesNotThrow(() => parseExpression('map((x) -> upper(x), a)'));
});
