import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { mapLookupProvider, outputType, setLookupProvider } from '../../query/expression/index.ts';
import { ev } from './helpers.ts';

function table(cases: readonly (readonly [string, unknown])[], row: Record<string, unknown> = {}) {
  for (const [text, expected] of cases) {
    const got = ev(text, row);
    if (typeof expected === 'number' && Number.isNaN(expected)) assert.ok(Number.isNaN(got as number), text);
    else assert.deepEqual(got, expected, text);
  }
}

function throwsInvalid(text: string, re?: RegExp) {
  assert.throws(() => ev(text), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input' && (re === undefined || re.test(e.message)), text);
}

test('arithmetic: long vs double, integer division, nulls, division by zero', () => {
  table([
    ['1 + 2', 3], ['7 / 2', 3], ['-7 / 2', -3], ['7.0 / 2', 3.5], ['7 % 3', 1], ['-7 % 3', -1], ['7.5 % 2', 1.5],
    ['2 ^ 10', 1024], ['2.0 ^ 0.5', Math.SQRT2], ['7 / 0', null], ['7 % 0', null], ['7.0 / 0', Infinity], ['0.0 / 0', NaN],
    ['null + 1', null], ['1 * null', null], ['-(3)', -3], ['- 2.5', -2.5], ['2 ^ -1', null],
    ["'3' + 1", 4], ["'3' * 2", 6], ["'3' * 2.5", 7.5], ["'x' + 1", null], ["'a' + 'b'", 'ab'], ["'a' + null", null],
  ]);
  throwsInvalid("'a' - 'b'", /not supported on type STRING/);
  throwsInvalid("'3' * '2'", /not supported on type STRING/);
});

test('comparisons give LONG 1/0 and null on null; strings compare as strings', () => {
  table([
    ['1 < 2', 1], ['2 <= 1', 0], ['2 > 1', 1], ['1 >= 1', 1], ['1 == 1.0', 1], ['1 != 1', 0],
    ["'a' < 'b'", 1], ["'B' < 'a'", 1], ["'10' < '9'", 1], ["'10' < 9", 0], ['null == null', null], ['1 == null', null],
    ['[1, 2] == [1, 2]', 1], ['[1, 2] != [1, 3]', 1],
  ]);
});

test('logical operators are three-valued over Druid truthiness', () => {
  table([
    ['1 && 1', 1], ['1 && 0', 0], ['1 && null', null], ['null && 1', null], ['0 && null', 0], ['null && 0', 0], ['null && null', null],
    ['1 || null', 1], ['null || 1', 1], ['0 || null', null], ['null || null', null], ['0 || 0', 0],
    ['100 && 11', 1], ['0.7 || 0.3', 1], ['100 && 0', 0], ["'troo' && 'true'", 0], ["'troo' || 'true'", 1], ["'TRUE' && 1", 1],
    ['-1 || 0', 0], ['!1', 0], ['!0', 1], ['!-5', 1], ['!null', null], ["!'true'", 0],
  ]);
});

test('math functions', () => {
  table([
    ['abs(-3)', 3], ['abs(-2.5)', 2.5], ['ceil(1.2)', 2], ['floor(-1.2)', -2], ['sqrt(16)', 4], ['cbrt(27)', 3],
    ['exp(0)', 1], ['log(1)', 0], ['log10(1000)', 3], ['pow(2, 3)', 8], ['signum(-4)', -1], ['signum(0)', 0],
    ['round(2.345, 2)', 2.35], ['round(2.5)', 3], ['round(-2.5)', -3], ['round(1.005, 2)', 1.01], ['round(1234, -2)', 1200],
    ['round(1250, -2)', 1300], ['round(NaN)', 0], ['div(7, 2)', 3], ['div(-7, 2)', -3], ['div(7, 0)', null],
    ['safe_divide(7, 2)', 3], ['safe_divide(7.0, 2)', 3.5], ['safe_divide(1, 0)', null], ['pi()', Math.PI],
    ['max(1, 2)', 2], ['min(1.5, 2)', 1.5], ['max(null, 1)', null], ['hypot(3, 4)', 5], ['atan2(0, 1)', 0],
    ['greatest(1, 3, 2)', 3], ['least(1, 3, 2)', 1], ['greatest(1, 2.5, null)', 2.5], ['greatest()', null],
    ['greatest(null, null)', null], ["greatest(1, 'a', 10)", 'a'], ["least('b', 'a')", 'a'],
    ['bitwiseAnd(12, 10)', 8], ['bitwiseOr(12, 10)', 14], ['bitwiseXor(12, 10)', 6], ['bitwiseComplement(0)', -1],
    ['bitwiseShiftLeft(1, 4)', 16], ['bitwiseShiftRight(-16, 2)', -4], ['bitwiseConvertDoubleToLongBits(1.0)', 4607182418800017408],
    ['bitwiseConvertLongBitsToDouble(bitwiseConvertDoubleToLongBits(2.5))', 2.5],
    ['rint(2.5)', 2], ['rint(3.5)', 4], ['remainder(5, 3)', -1], ['getExponent(8.0)', 3], ['copysign(2, -1)', -2],
    ['nextUp(1.0) > 1', 1], ['ulp(1.0)', Number.EPSILON], ['scalb(1.5, 2)', 6], ['todegrees(pi())', 180], ['abs(null)', null], ["abs('5')", null], ["sqrt('4')", null], ["pow('2', '3')", null], ["pow('2', 3)", 8],
  ]);
  assert.equal(outputType('abs(1)'), 'LONG');
  assert.equal(outputType('abs(1.5)'), 'DOUBLE');
  assert.equal(outputType('round(x)', (n) => (n === 'x' ? 'LONG' : undefined)), 'LONG');
  assert.equal(outputType('greatest(1, 2.0)'), 'DOUBLE');
  assert.equal(outputType('div(7.5, 2)'), 'LONG');
});

test('string functions', () => {
  table([
    ["concat('a', 'b', 'c')", 'abc'], ["concat('a', null)", null], ["concat('x', 1, 2.5)", 'x12.5'], ['concat(1.0)', '1.0'],
    ['concat(1e10)', '1.0E10'], ['concat(0.0001)', '1.0E-4'],
    ["format('%s-%d-%.2f-%05d-%x-%%', 'a', 7, 3.14159, 42, 255)", 'a-7-3.14-00042-ff-%'], ["format('%-4s|', 'ab')", 'ab  |'],
    ["like('hello', 'h%o')", 1], ["like('hello', 'h_llo')", 1], ["like('hello', 'H%')", 0], ["like('a%b', 'a!%b', '!')", 1],
    ["like('axb', 'a!%b', '!')", 0], ["like(null, 'a')", null], ["like('a.c', 'a.c')", 1], ["like('abc', 'a.c')", 0],
    ["parse_long('123')", 123], ["parse_long('ff', 16)", 255], ["parse_long('0xff', 16)", 255], ["parse_long('12a')", null],
    ["parse_long('-101', 2)", -5], ['parse_long(null)', null],
    ["regexp_extract('foo123bar', '\\\\d+')", '123'], ["regexp_extract('foo123', '([a-z]+)(\\\\d+)', 1)", 'foo'],
    ["regexp_extract('foo', '\\\\d+')", null], ["regexp_like('foo123', '^f.o')", 1], ["regexp_like('foo', 'x')", 0],
    ["regexp_like('FOO', '(?i)foo')", 1], ["regexp_replace('a1b22', '\\\\d+', '#')", 'a#b#'], ["regexp_replace('ab', '(a)(b)', '$2$1')", 'ba'],
    ["contains_string('Hello', 'ell')", 1], ["contains_string('Hello', 'ELL')", 0], ["icontains_string('Hello', 'ELL')", 1],
    ["replace('a.b.c', '.', '$')", 'a$b$c'], ["strlen('héllo')", 5], ["strlen('')", 0], ['strlen(null)', null],
    ["strpos('hello', 'l')", 2], ["strpos('hello', 'l', 3)", 3], ["strpos('hello', 'z')", -1],
    ["substring('hello', 1, 3)", 'ell'], ["substring('hello', 1, -1)", 'ello'], ["substring('hello', 3, 10)", 'lo'],
    ["substring('hello', 5, 1)", null], ["substring('hello', 0, 0)", ''],
    ["left('hello', 2)", 'he'], ["right('hello', 2)", 'lo'], ["right('hi', 5)", 'hi'],
    ["trim('  a b  ')", 'a b'], ["ltrim('xxaxx', 'x')", 'axx'], ["rtrim('xxaxx', 'x')", 'xxa'], ["trim('abcba', 'ab')", 'c'],
    ["lower('AbC')", 'abc'], ["upper('AbC')", 'ABC'], ["reverse('abc')", 'cba'], ["repeat('ab', 3)", 'ababab'], ["repeat('ab', 0)", null], ["lpad('abc', 0, 'x')", null], ["replace('abc', null, 'x')", 'abc'], ["replace(null, 'a', 'x')", null],
    ["lpad('abc', 5, 'xy')", 'xyabc'], ["rpad('abc', 6, 'xy')", 'abcxyx'], ["lpad('abc', 2, 'x')", 'ab'], ["lpad('abc', 5, '')", 'abc'],
    ["lpad('abc', 5, null)", null], ['upper(null)', null],
  ]);
  throwsInvalid("left('abc', -1)", /positive/);
  throwsInvalid("regexp_like('a', '(')", /Invalid regular expression/);
  throwsInvalid("like('a', x)", /pattern must be a literal/);
});

test('lookup() goes through the registered provider', () => {
  setLookupProvider(mapLookupProvider({ country: { US: 'United States', FR: 'France' } }));
  try {
    table([
      ["lookup('US', 'country')", 'United States'], ["lookup('XX', 'country')", null], ["lookup('XX', 'country', 'n/a')", 'n/a'],
      ["lookup(null, 'country', 'n/a')", 'n/a'],
    ]);
    throwsInvalid("lookup('US', 'nope')", /Lookup \[nope\] not found/);
  } finally {
    setLookupProvider(null);
  }
});

test('conditional functions and cast', () => {
  table([
    ["if(1, 'a', 'b')", 'a'], ["if(0, 'a', 'b')", 'b'], ["if(null, 'a', 'b')", 'b'], ["if(1, 1, 'b')", '1'], ['if(0, 1, 2.5)', 2.5],
    ["case_searched(1 > 2, 'a', 2 > 1, 'b', 'c')", 'b'], ["case_searched(1 > 2, 'a', 'c')", 'c'], ["case_searched(1 > 2, 'a')", null],
    ["case_simple(2, 1, 'one', 2, 'two', 'many')", 'two'], ["case_simple(3, 1, 'one', 'many')", 'many'], ["case_simple('2', 2, 'num')", 'num'],
    ["case_simple(null, 1, 'one', 'else')", 'else'],
    ["nvl(null, 'x')", 'x'], ["nvl('a', 'x')", 'a'], ['isnull(null)', 1], ['isnull(0)', 0], ['notnull(null)', 0], ["notnull('')", 1],
    ["coalesce(null, null, 3)", 3], ['coalesce(null, null)', null], ['coalesce()', null],
    ["cast('1.9', 'LONG')", 1], ["cast('1.5', 'DOUBLE')", 1.5], ["cast('x', 'LONG')", null], ["cast(1, 'STRING')", '1'],
    ["cast(1.0, 'STRING')", '1.0'], ["cast(2.7, 'LONG')", 2], ["cast(-2.7, 'LONG')", -2], ["cast(1, 'DOUBLE')", 1],
    ["cast(1, 'ARRAY<STRING>')", ['1']], ["cast([1, 2], 'ARRAY<DOUBLE>')", [1, 2]], ["cast(null, 'LONG')", null],
    ["cast(['1', 'x'], 'ARRAY<LONG>')", [1, null]],
  ]);
  assert.equal(outputType("if(x, 1, 'a')"), 'STRING');
  assert.equal(outputType('if(x, 1, 2.0)'), 'DOUBLE');
  assert.equal(outputType("cast(x, 'ARRAY<LONG>')"), 'ARRAY<LONG>');
  throwsInvalid("cast(1, 'FOO')", /invalid type/);
  throwsInvalid("cast(1, x)", /must be a literal/);
});

test('time functions', () => {
  const t = Date.UTC(2020, 2, 4, 5, 6, 7, 89);
  const row = { t };
  table([
    ["timestamp_floor(t, 'PT1H')", Date.UTC(2020, 2, 4, 5)], ["timestamp_floor(t, 'P1D', null, 'UTC')", Date.UTC(2020, 2, 4)],
    ["timestamp_floor(t, 'P1M')", Date.UTC(2020, 2, 1)], ["timestamp_floor(t, 'P3M')", Date.UTC(2020, 0, 1)],
    ["timestamp_floor(t, 'P1W')", Date.UTC(2020, 2, 2)], ["timestamp_floor(t, 'P1Y')", Date.UTC(2020, 0, 1)],
    ["timestamp_floor(t, 'P1D', null, 'America/Los_Angeles')", Date.UTC(2020, 2, 3, 8)],
    ["timestamp_floor(t, 'PT1H', 1800000)", Date.UTC(2020, 2, 4, 4, 30)],
    ["timestamp_ceil(t, 'PT1H')", Date.UTC(2020, 2, 4, 6)], ["timestamp_ceil(timestamp_floor(t, 'PT1H'), 'PT1H')", Date.UTC(2020, 2, 4, 5)],
    ["timestamp_shift(t, 'P1M', 1)", Date.UTC(2020, 3, 4, 5, 6, 7, 89)], ["timestamp_shift(t, 'PT1H', -2)", t - 7200000],
    ["timestamp_extract(t, 'YEAR')", 2020], ["timestamp_extract(t, 'MONTH')", 3], ["timestamp_extract(t, 'DAY')", 4],
    ["timestamp_extract(t, 'HOUR', 'America/Los_Angeles')", 21], ["timestamp_extract(t, 'DOW')", 3], ["timestamp_extract(t, 'EPOCH')", Math.floor(t / 1000)],
    ["timestamp_extract(t, 'QUARTER')", 1], ["timestamp_extract(t, 'DOY')", 64], ["timestamp_extract(t, 'WEEK')", 10],
    ["timestamp_format(t, 'yyyy-MM-dd HH:mm:ss')", '2020-03-04 05:06:07'], ['timestamp_format(t)', '2020-03-04T05:06:07.089Z'],
    ["timestamp_format(t, 'yyyy-MM-dd HH:mm', 'America/New_York')", '2020-03-04 00:06'],
    ["timestamp_parse('2020-03-04T05:06:07.089Z')", t], ["timestamp_parse('2020-03-04 05:06:07')", Date.UTC(2020, 2, 4, 5, 6, 7)],
    ["timestamp_parse('04/03/2020', 'dd/MM/yyyy')", Date.UTC(2020, 2, 4)], ["timestamp_parse('garbage')", null],
    ["timestamp_parse('2020-03-04 00:00:00', null, 'America/New_York')", Date.UTC(2020, 2, 4, 5)],
    ["timestamp('2020-03-04T05:06:07.089Z')", t], ["unix_timestamp('2020-03-04T05:06:07Z')", Math.floor(t / 1000)],
    ["timestamp_floor(null, 'PT1H')", null], ["timestamp_format(null)", null],
  ], row);
  throwsInvalid("timestamp_extract(0, 'FORTNIGHT')");
  throwsInvalid("timestamp('not a time')", /invalid value/);
  throwsInvalid('timestamp(123)', /should be a STRING/);
});

test('array functions and their mv_ spellings', () => {
  table([
    ["array(1, 2, 3)", [1, 2, 3]], ["array('a', null)", ['a', null]], ["array(1, 2.5)", [1, 2.5]],
    ['array_length([1, 2, 3])', 3], ['array_length(null)', null], ["array_length('a')", 1],
    ['array_offset([1, 2, 3], 1)', 2], ['array_offset([1, 2, 3], 5)', null], ['array_ordinal([1, 2, 3], 1)', 1], ['array_ordinal([1, 2, 3], 0)', null],
    ['array_contains([1, 2, 3], 2)', 1], ['array_contains([1, 2, 3], [2, 3])', 1], ['array_contains([1, 2, 3], [2, 4])', 0], ['array_contains(null, 1)', null],
    ['array_overlap([1, 2], [2, 3])', 1], ['array_overlap([1, 2], [3])', 0], ["scalar_in_array('b', ['a', 'b'])", 1], ['scalar_in_array(null, [1])', null],
    ["array_offset_of(['a', 'b'], 'b')", 1], ["array_offset_of(['a', 'b'], 'c')", null], ["array_ordinal_of(['a', 'b'], 'b')", 2],
    ['array_prepend(0, [1, 2])', [0, 1, 2]], ['array_append([1, 2], 3)', [1, 2, 3]], ['array_concat([1], [2, 3])', [1, 2, 3]],
    ['array_set_add([3, 1], 1)', [1, 3]], ['array_set_add_all([3, 1], [2, 3])', [1, 2, 3]],
    ['array_slice([1, 2, 3, 4], 1, 3)', [2, 3]], ['array_slice([1, 2, 3, 4], 2)', [3, 4]], ['array_slice([1, 2], 3, 4)', null],
    ["array_to_string(['a', 'b'], ',')", 'a,b'], ["array_to_string([1.0, 2.5], '|')", '1.0|2.5'], ["array_to_string(['a', null], ',')", 'a,null'],
    ["string_to_array('a,b,,c,,', ',')", ['a', 'b', '', 'c']], ["string_to_array('a1b22c', '\\\\d+')", ['a', 'b', 'c']],
    ["mv_length(['a', 'b'])", 2], ["mv_to_array('a')", ['a']], ["mv_to_string(['a', 'b'], '-')", 'a-b'], ["mv_contains(['a'], 'a')", 1],
    ["mv_append(['a'], 'b')", ['a', 'b']], ["string_to_mv('a,b', ',')", ['a', 'b']],
  ]);
  assert.equal(outputType('array(1, 2)'), 'ARRAY<LONG>');
  assert.equal(outputType("array_offset(['a'], 0)"), 'STRING');
  assert.equal(outputType('array_append([1], 2.5)'), 'ARRAY<LONG>', 'the array argument decides the type');
  assert.deepEqual(ev('array_append([1], 2.5)'), [1, 2]);
  assert.deepEqual(ev('array_slice([1, 2], 1, 4)'), [2, null, null], 'a slice past the end pads with nulls');
  assert.equal(ev("array_to_string([null], ',')"), null);
  assert.equal(outputType("array(1, 'a')"), 'ARRAY<STRING>');
});

test('apply functions with lambdas', () => {
  table([
    ['map((x) -> x * 2, [1, 2, 3])', [2, 4, 6]], ["map(x -> concat(x, '!'), ['a', 'b'])", ['a!', 'b!']],
    ['filter((x) -> x > 1, [1, 2, 3])', [2, 3]], ['filter((x) -> x > 5, [1, 2, 3])', null],
    ['fold((x, acc) -> x + acc, [1, 2, 3], 0)', 6], ["fold((x, acc) -> concat(acc, x), ['a', 'b'], '')", 'ab'],
    ['any((x) -> x > 2, [1, 2, 3])', 1], ['any((x) -> x > 3, [1, 2, 3])', 0], ['all((x) -> x > 0, [1, 2, 3])', 1], ['all((x) -> x > 1, [1, 2])', 0],
    ['cartesian_map((x, y) -> x * y, [1, 2], [10, 100])', [10, 100, 20, 200]],
    ['cartesian_fold((x, y, acc) -> x + y + acc, [1, 2], [10], 0)', 23],
    ['map((x) -> x + k, [1, 2])', [11, 12]], ['map((x) -> x + 1, null)', null], ['any((x) -> x > 0, null)', 0], ['all((x) -> x > 0, null)', 0],
    ['cartesian_map((x, y) -> x + y, <LONG>[], [1])', []], ['fold((x, acc) -> x + acc, null, 0)', null],
  ], { k: 10 });
  assert.deepEqual(ev('map((x) -> x + 1, x)', { x: [1, 2] }), [2, 3], 'lambda argument shadows the column');
  throwsInvalid('map((x, y) -> x, [1])', /lambda/);
  throwsInvalid('map(1, [1])', /lambda/);
  throwsInvalid('(x) -> x', /lambda/);
});

test('ip functions', () => {
  table([
    ["ipv4_match('192.168.0.5', '192.168.0.0/16')", 1], ["ipv4_match('10.0.0.1', '192.168.0.0/16')", 0], ["ipv4_match(3232235521, '192.168.0.0/24')", 1],
    ["ipv4_match('junk', '10.0.0.0/8')", 0], ["ipv4_parse('192.168.0.1')", 3232235521], ["ipv4_parse('300.1.1.1')", null], ['ipv4_parse(3232235521)', 3232235521],
    ['ipv4_stringify(3232235521)', '192.168.0.1'], ["ipv4_stringify('10.0.0.1')", '10.0.0.1'], ['ipv4_stringify(-1)', null],
  ]);
});

test('multi-value strings are implicitly mapped at scalar positions', () => {
  const row = { mv: ['a', 'b'], other: ['x', 'y'], empty: [] };
  assert.deepEqual(ev("concat(mv, '!')", row, { mv: 'STRING' }), ['a!', 'b!']);
  assert.deepEqual(ev('upper(mv)', row, { mv: 'STRING' }), ['A', 'B']);
  assert.deepEqual(ev("mv == 'a'", row, { mv: 'STRING' }), [1, 0]);
  assert.deepEqual(ev('array_length(mv)', row, { mv: 'STRING' }), 2);
  assert.deepEqual(ev("concat(mv, other)", row, { mv: 'STRING', other: 'STRING' }), ['ax', 'ay', 'bx', 'by']);
  assert.equal(ev("nvl(empty, 'none')", row, { empty: 'STRING' }), 'none');
  assert.equal(ev("concat(mv, '!')", { mv: 'a' }, { mv: 'STRING' }), 'a!');
});

test('unknown functions and wrong arity are rejected with the call position', () => {
  assert.throws(() => ev('1 + nope(2)'), (e: unknown) => e instanceof NemetonError && e.position === 5 && /Function\[nope\] is not supported/.test(e.message));
  assert.throws(() => ev('strlen()'), (e: unknown) => e instanceof NemetonError && /needs 1 argument, got 0/.test(e.message));
  assert.throws(() => ev("substring('a')"), (e: unknown) => e instanceof NemetonError && /needs 3 arguments/.test(e.message));
});

test('column types steer LONG vs DOUBLE and string formatting', () => {
  assert.equal(ev('x / 2', { x: 3 }, { x: 'DOUBLE' }), 1.5);
  assert.equal(ev('x / 2', { x: 3 }, { x: 'LONG' }), 1);
  assert.equal(ev('x / 2', { x: 3 }), 1, 'unknown type: integral number counts as LONG');
  assert.equal(ev('concat(x)', { x: 3 }, { x: 'DOUBLE' }), '3.0');
  assert.equal(ev('x + 1', { x: '41' }, { x: 'LONG' }), 42);
  assert.equal(ev('x + 1', { x: 41n }), 42);
  assert.equal(outputType('x + y', (n) => (n === 'x' ? 'LONG' : 'DOUBLE')), 'DOUBLE');
  assert.equal(outputType('x + y', (n) => (n === 'x' ? 'STRING' : 'STRING')), 'STRING');
  assert.equal(outputType('x + 1', () => undefined), 'LONG');
  assert.equal(outputType('x == y'), 'LONG');
  assert.equal(outputType('null'), null);
});

test('ipv6_match', () => {
  assert.equal(ev("ipv6_match('75e9:efa4:29c6:85f6::232c', '75e9:efa4:29c6:85f6::/64')"), 1);
  assert.equal(ev("ipv6_match('75e9:efa4:29c6:85f7::232c', '75e9:efa4:29c6:85f6::/64')"), 0);
  assert.equal(ev("ipv6_match('::ffff:192.168.0.1', '::ffff:192.168.0.0/120')"), 1);
  assert.equal(ev("ipv6_match('not an ip', '::/0')"), 0);
  assert.equal(ev("ipv6_match(null, '::/0')"), null);
  assert.throws(() => ev("ipv6_match('::1', 'junk')"), /invalid format/);
});

test('runaway results are refused with a resource-limit error', () => {
  const limit = (text: string) => assert.throws(() => ev(text), (e: unknown) => e instanceof NemetonError && e.code === 'Resource limit exceeded', text);
  limit("repeat('ab', 100000000)");
  limit("lpad('a', 100000000, 'x')");
  limit('array_slice([1], 0, 100000000)');
});

test('cast of a multi-value column to an ARRAY type takes the whole row, other casts map per value', () => {
  assert.deepEqual(ev("cast(mv, 'ARRAY<STRING>')", { mv: ['a', 'b'] }, { mv: 'STRING' }), ['a', 'b']);
  assert.deepEqual(ev("cast(mv, 'ARRAY<LONG>')", { mv: ['1', 'x'] }, { mv: 'STRING' }), [1, null]);
  assert.deepEqual(ev("cast(mv, 'LONG')", { mv: ['1', '2'] }, { mv: 'STRING' }), [1, 2]);
});
