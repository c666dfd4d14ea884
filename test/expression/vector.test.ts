import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateOverSegment, registerFunctions, vectorToArray, type ExprVector } from '../../query/expression/index.ts';
import { expressionEngine } from '../../query/engine/expression-bridge.ts';
import { fixtureSegment, type FixtureColumn } from './fixture-segment.ts';

const columns: FixtureColumn[] = [
  { name: 'l', type: 'LONG', values: [1, 2, null, 4, 5, 6] },
  { name: 'd', type: 'DOUBLE', values: [0.5, null, 2.5, 3.5, 0, -1] },
  { name: 'f', type: 'FLOAT', values: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5] },
  { name: 's', type: 'STRING', values: ['a', 'b', null, 'a', '10', 'b'] },
  { name: 'mv', type: 'STRING', values: [['a', 'b'], 'c', [], null, ['b'], ['a', 'c']] },
];
const times = [0, 1000, 3_600_000, 3_600_500, 7_300_000, 86_400_000];
const seg = fixtureSegment(columns, times);

const all = (text: string): ExprVector => evaluateOverSegment(text, seg, 0, seg.numRows);
const values = (text: string, start = 0, end = seg.numRows) => vectorToArray(evaluateOverSegment(text, seg, start, end));

test('column references return the stored arrays', () => {
  const t = all('__time');
  assert.equal(t.kind, 'number');
  if (t.kind === 'number') {
    assert.equal(t.type, 'LONG');
    assert.equal(t.values.buffer, seg.time().buffer, '__time is not copied');
  }
  const l = all('l');
  assert.ok(l.kind === 'number' && l.type === 'LONG');
  assert.deepEqual(vectorToArray(l), [1, 2, null, 4, 5, 6]);
  assert.deepEqual(values('d'), [0.5, null, 2.5, 3.5, 0, -1]);
  const f = all('f');
  assert.ok(f.kind === 'number' && f.type === 'DOUBLE');
  assert.deepEqual(values('s'), ['a', 'b', null, 'a', '10', 'b']);
  assert.deepEqual(values('mv'), [['a', 'b'], ['c'], null, null, ['b'], ['a', 'c']]);
  assert.deepEqual(values('missing'), [null, null, null, null, null, null]);
});

test('row ranges select rows [start, end)', () => {
  assert.deepEqual(values('l * 10', 1, 4), [20, null, 40]);
  assert.deepEqual(values('upper(s)', 3, 6), ['A', '10', 'B']);
  assert.deepEqual(values('__time', 4, 6), [7_300_000, 86_400_000]);
});

test('numeric kernels: long/double typing, null propagation, long division by zero', () => {
  const v = all('l + 1');
  assert.ok(v.kind === 'number' && v.type === 'LONG');
  assert.deepEqual(vectorToArray(v), [2, 3, null, 5, 6, 7]);
  const w = all('l + d');
  assert.ok(w.kind === 'number' && w.type === 'DOUBLE');
  assert.deepEqual(vectorToArray(w), [1.5, null, null, 7.5, 5, 5]);
  assert.deepEqual(values('l / 2'), [0, 1, null, 2, 2, 3]);
  assert.deepEqual(values('6 / (l - 1)'), [null, 6, null, 2, 1, 1]);
  assert.deepEqual(values('l / 2.0'), [0.5, 1, null, 2, 2.5, 3]);
  assert.deepEqual(values('l > 3'), [0, 0, null, 1, 1, 1]);
  assert.deepEqual(values('d > 0 && l > 1'), [0, null, null, 1, 0, 0]);
  assert.deepEqual(values('d > 0 || l > 1'), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(values('-l'), [-1, -2, null, -4, -5, -6]);
  assert.deepEqual(values('!d'), [0, null, 0, 0, 1, 1]);
  assert.deepEqual(values('l ^ 2'), [1, 4, null, 16, 25, 36]);
  assert.deepEqual(values('f * 2'), [3, 5, 7, 9, 11, 13]);
});

test('timestamp_floor with constant arguments runs as a kernel over __time', () => {
  assert.deepEqual(values("timestamp_floor(__time, 'PT1H')"), [0, 0, 3_600_000, 3_600_000, 7_200_000, 86_400_000]);
  assert.deepEqual(values("timestamp_floor(__time, 'P1D', null, 'UTC') + 1"), [1, 1, 1, 1, 1, 86_400_001]);
  assert.deepEqual(values("timestamp_ceil(__time, 'PT1H')"), [0, 3_600_000, 3_600_000, 7_200_000, 10_800_000, 86_400_000]);
  assert.deepEqual(values("timestamp_extract(__time, 'HOUR')"), [0, 0, 1, 1, 2, 0]);
});

let calls = 0;
registerFunctions([{
  name: 'test_count_calls', minArgs: 1, maxArgs: 1, returnType: () => 'STRING',
  bind: () => (v) => { calls++; return v[0] === null ? null : `<${String(v[0])}>`; },
}]);

test('a function of one string column is evaluated once per distinct value', () => {
  calls = 0;
  assert.deepEqual(values('test_count_calls(s)'), ['<a>', '<b>', null, '<a>', '<10>', '<b>']);
  assert.equal(calls, 4, 'a, b, null, 10');
  calls = 0;
  assert.deepEqual(values("strlen(test_count_calls(s)) + l"), [4, 5, null, 7, 9, 9]);
  assert.equal(calls, 4);
  const n = all("s == 'a'");
  assert.ok(n.kind === 'number' && n.type === 'LONG');
  assert.deepEqual(vectorToArray(n), [1, 0, null, 1, 0, 0]);
  assert.deepEqual(values('s + 1'), [null, null, null, null, 11, null]);
});

test('multi-value columns map per value, once per dictionary id', () => {
  calls = 0;
  assert.deepEqual(values('test_count_calls(mv)'), [['<a>', '<b>'], ['<c>'], null, null, ['<b>'], ['<a>', '<c>']]);
  assert.equal(calls, 4, 'a, b, c, and the null row once');
  assert.deepEqual(values("nvl(mv, 'none')"), [['a', 'b'], ['c'], ['none'], ['none'], ['b'], ['a', 'c']]);
  assert.deepEqual(values('array_length(mv)'), [2, 1, null, null, 1, 2]);
  assert.deepEqual(values("array_to_string(mv, '|')"), ['a|b', 'c', null, null, 'b', 'a|c']);
  assert.deepEqual(values("concat(mv, s)"), [['aa', 'ba'], ['cb'], null, null, ['b10'], ['ab', 'cb']]);
});

test('mixed expressions fall back per row with the same semantics', () => {
  assert.deepEqual(values("concat(s, '-', l)"), ['a-1', 'b-2', null, 'a-4', '10-5', 'b-6']);
  assert.deepEqual(values("if(l > 2, s, 'small')"), ['small', 'small', 'small', 'a', '10', 'b']);
  assert.deepEqual(values('map((x) -> concat(x, s), mv)'), [['aa', 'ba'], ['cb'], null, null, ['b10'], ['ab', 'cb']]);
  assert.deepEqual(values("case_searched(d > 1, 'big', d > 0, 'small', 'none')"), ['small', 'none', 'big', 'big', 'none', 'none']);
  assert.deepEqual(values('coalesce(l, d, 0)'), [1, 2, 2.5, 4, 5, 6]);
  const c = all("'k'");
  assert.equal(c.kind, 'string');
  assert.deepEqual(values('1 + 2'), [3, 3, 3, 3, 3, 3]);
  assert.deepEqual(values('[1, 2]'), Array(6).fill([1, 2]));
});

test('the engine registers itself with the query bridge', () => {
  const engine = expressionEngine();
  assert.deepEqual(Array.from(engine.evaluateRows('l * 2', seg)), [2, 4, null, 8, 10, 12]);
  assert.equal(engine.compileRowFunction('a + b')((n) => (n === 'a' ? 1 : 2)), 3);
  assert.deepEqual(engine.requiredColumns?.('concat(x, y, x)'), ['x', 'y']);
});

test('vectorTruthMask applies Druid truthiness (null is false)', async () => {
  const { vectorTruthMask } = await import('../../query/expression/index.ts');
  assert.deepEqual(Array.from(vectorTruthMask(all('l > 2'))), [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(vectorTruthMask(all('d'))), [1, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(vectorTruthMask(all("if(l > 4, 'TRUE', 'no')"))), [0, 0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(vectorTruthMask(all("mv == 'c'"))), [0, 1, 0, 0, 0, 1]);
});

test('dictionary-encoded evaluation of a one-column string expression', async () => {
  const { evaluateDictionaryEncoded } = await import('../../query/expression/index.ts');
  const r = evaluateDictionaryEncoded('substring(s, 0, 1)', seg, 0, seg.numRows)!;
  assert.deepEqual(r.dictionary, [null, '1', 'a', 'b']);
  assert.deepEqual(Array.from(r.ids, (id) => r.dictionary[id]), ['a', 'b', null, 'a', '1', 'b']);
  const sub = evaluateDictionaryEncoded('strlen(s) * 2', seg, 3, 6)!;
  assert.deepEqual(sub.dictionary, ['2', '4']);
  assert.deepEqual(Array.from(sub.ids, (id) => sub.dictionary[id]), ['2', '4', '2']);
  assert.equal(evaluateDictionaryEncoded('concat(s, l)', seg, 0, 6), null, 'two columns');
  assert.equal(evaluateDictionaryEncoded('upper(mv)', seg, 0, 6), null, 'multi-value');
  assert.equal(evaluateDictionaryEncoded("'x'", seg, 0, 6), null, 'constant');
});
