/**
 * Property: for random expressions over random columns, the vectorised
 * evaluator and the row evaluator give the same values on every row of a
 * random row range (or both throw the same error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRowEvaluator, evaluateOverSegment, segmentColumnType, vectorToArray } from '../../query/expression/index.ts';
import { fixtureRowGetter, fixtureSegment, type FixtureColumn } from './fixture-segment.ts';

const LEAVES = ['l', 'l2', 'd', 'f', 's', 's2', 'mv', '__time', 'missing', '0', '1', '-3', '2.5', '0.0', "'a'", "'10'", "''", 'null'];
const UNARY = ['-', '!'];
const BINARY = ['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||'];
const CALLS: readonly [string, number, string?][] = [
  ['concat', 2], ['upper', 1], ['lower', 1], ['strlen', 1], ['nvl', 2], ['if', 3], ['coalesce', 2], ['abs', 1],
  ['case_searched', 3], ['substring', 1, ', 0, 2'], ['greatest', 2], ['least', 2], ['cast', 1, ", 'LONG'"], ['cast', 1, ", 'STRING'"],
  ['cast', 1, ", 'DOUBLE'"], ['timestamp_floor', 1, ", 'PT1H'"], ['isnull', 1], ['notnull', 1], ['like', 1, ", 'a%'"],
  ['regexp_like', 1, ", '^1'"], ['contains_string', 1, ", 'a'"], ['parse_long', 1], ['round', 1, ', 1'], ['div', 2],
  ['safe_divide', 2], ['floor', 1], ['sqrt', 1], ['reverse', 1], ['lpad', 1, ", 4, '*'"], ['array_length', 1],
  ['array_to_string', 1, ", ','"], ['case_simple', 3], ['cast', 1, ", 'ARRAY<STRING>'"], ['cast', 1, ", 'ARRAY<LONG>'"], ['timestamp_extract', 1, ", 'HOUR'"], ['replace', 1, ", 'a', 'b'"],
];

const LAMBDAS = [
  'map((x) -> concat(x, $), mv)', 'filter((x) -> x == $, mv)', 'any((x) -> x > $, array(l, l2))', 'all((x) -> notnull(x), array($, s))',
  'fold((x, acc) -> acc + strlen(x), mv, 0)', 'array_length(map((x) -> $, mv))', "mv_contains(mv, $)", 'array_to_string(array_append(mv, $), \'|\')',
  'cartesian_map((x, y) -> concat(x, y), mv, array($))', 'array_offset(mv, $)', 'array_slice(mv, 0, $)',
];

const exprArb: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.tuple(fc.constantFrom(...UNARY), tie('e')).map(([op, a]) => `${op}(${a})`),
    fc.tuple(tie('e'), fc.constantFrom(...BINARY), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom(...CALLS), fc.array(tie('e'), { minLength: 3, maxLength: 3 })).map(([[name, arity, suffix], args]) =>
      `${name}(${args.slice(0, arity).join(', ')}${suffix ?? ''})`),
    fc.tuple(fc.constantFrom(...LAMBDAS), tie('e')).map(([template, e]) => template.replace('$', e)),
  ),
})).e;

const smallString = fc.constantFrom('a', 'b', '10', '1', '', 'ab', 'B', null);
const columnsArb = fc.integer({ min: 1, max: 12 }).chain((n) => fc.record({
  l: fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { freq: 4 }), { minLength: n, maxLength: n }),
  l2: fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 4 }), { minLength: n, maxLength: n }),
  d: fc.array(fc.option(fc.double({ min: -10, max: 10, noNaN: true }), { freq: 4 }), { minLength: n, maxLength: n }),
  f: fc.array(fc.float({ min: -10, max: 10, noNaN: true }).map((x) => Math.fround(x)), { minLength: n, maxLength: n }),
  s: fc.array(smallString, { minLength: n, maxLength: n }),
  s2: fc.array(smallString, { minLength: n, maxLength: n }),
  mv: fc.array(fc.oneof(smallString.filter((x) => x !== null), fc.array(fc.constantFrom('a', 'b', 'c', '2'), { maxLength: 3 })), { minLength: n, maxLength: n }),
  t: fc.array(fc.integer({ min: 0, max: 10 * 3_600_000 }), { minLength: n, maxLength: n }).map((a) => a.sort((x, y) => x - y)),
  start: fc.integer({ min: 0, max: n }),
  len: fc.integer({ min: 0, max: n }),
}));

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return (Number.isNaN(a) && Number.isNaN(b)) || a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

function errorOf(fn: () => unknown): string | null {
  try { fn(); return null; } catch (e) { return (e as Error).message; }
}

test('vector and row evaluators agree on random expressions', () => {
  fc.assert(fc.property(exprArb, columnsArb, (text, data) => {
    const cols: FixtureColumn[] = [
      { name: 'l', type: 'LONG', values: data.l }, { name: 'l2', type: 'LONG', values: data.l2 },
      { name: 'd', type: 'DOUBLE', values: data.d }, { name: 'f', type: 'FLOAT', values: data.f },
      { name: 's', type: 'STRING', values: data.s }, { name: 's2', type: 'STRING', values: data.s2 },
      { name: 'mv', type: 'STRING', values: data.mv.map((v) => (Array.isArray(v) && v.length === 1 ? v : v)) },
    ];
    const seg = fixtureSegment(cols, data.t);
    const start = data.start, end = Math.min(seg.numRows, start + data.len);
    const typeOf = (n: string) => (n === '__time' ? 'LONG' as const : segmentColumnType(seg.column(n)));
    let rowEval: ReturnType<typeof compileRowEvaluator> | undefined;
    const rowErr = errorOf(() => { rowEval = compileRowEvaluator(text, typeOf); });
    let vec: unknown[] | undefined;
    const vecErr = errorOf(() => { vec = vectorToArray(evaluateOverSegment(text, seg, start, end)); });
    if (rowErr !== null || vecErr !== null) {
      if (rowErr !== null && vecErr !== null) return;
      // A per-row error may only surface on rows that are evaluated.
      const perRowErr = rowEval === undefined ? rowErr : errorOf(() => { for (let r = start; r < end; r++) rowEval!(fixtureRowGetter(cols, data.t, r)); });
      assert.equal(vecErr, perRowErr, `${text}: errors differ`);
      return;
    }
    const vectorKind = evaluateOverSegment(text, seg, start, end).kind;
    for (let r = start; r < end; r++) {
      let expected = rowEval!(fixtureRowGetter(cols, data.t, r));
      if (vectorKind === 'array' && expected !== null && !Array.isArray(expected)) expected = [expected];
      const got = vec![r - start];
      assert.ok(same(got, expected), `${text} row ${r}: vector ${JSON.stringify(got)} vs row ${JSON.stringify(expected)}\n${JSON.stringify(data)}`);
    }
  }), { numRuns: 1000, seed: 42 });
});
