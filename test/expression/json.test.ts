import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { ev } from './helpers.ts';

const doc = { a: { b: [10, 20, { c: 'x' }], 'odd key': true }, n: null, s: 'str', arr: [1, 2] };

test('json_value extracts scalars (and arrays of scalars) with an optional cast', () => {
  assert.equal(ev("json_value(j, '$.a.b[1]')", { j: doc }, { j: 'COMPLEX<json>' }), 20);
  assert.equal(ev("json_value(j, '$.a.b[2].c')", { j: doc }), 'x');
  assert.equal(ev("json_value(j, '$.a[\\'odd key\\']')", { j: doc }), 'true');
  assert.equal(ev("json_value(j, '$.a.b[-1].c')", { j: doc }), 'x');
  assert.equal(ev("json_value(j, '$.a')", { j: doc }), null, 'objects are not scalars');
  assert.equal(ev("json_value(j, '$.missing')", { j: doc }), null);
  assert.equal(ev("json_value(j, '$.n')", { j: doc }), null);
  assert.equal(ev("json_value(j, '$.a.b[0]', 'STRING')", { j: doc }), '10');
  assert.equal(ev("json_value(j, '$.s', 'LONG')", { j: doc }), null);
  assert.deepEqual(ev("json_value(j, '$.arr')", { j: doc }), [1, 2]);
  assert.equal(ev("json_value(null, '$.a')"), null);
  assert.throws(() => ev("json_value(j, 'a.b')", { j: doc }), (e: unknown) => e instanceof NemetonError && /not a valid JSONPath/.test(e.message));
});

test('json_query, json_query_array, json_keys, json_paths', () => {
  assert.deepEqual(ev("json_query(j, '$.a.b')", { j: doc }), [10, 20, { c: 'x' }]);
  assert.deepEqual(ev("json_query_array(j, '$.a.b[2]')", { j: doc }), [{ c: 'x' }]);
  assert.deepEqual(ev("json_keys(j, '$.a')", { j: doc }), ['b', 'odd key']);
  assert.deepEqual(ev("json_keys(j, '$.s')", { j: doc }), null);
  assert.deepEqual(ev("json_paths(j)", { j: { x: 1, y: { z: 2 } } }), ['$.x', '$.y.z']);
});

test('json construction and parsing', () => {
  assert.deepEqual(ev("json_object('a', 1, 'b', 'x')"), { a: 1, b: 'x' });
  assert.deepEqual(ev("parse_json('{\"a\": [1, 2]}')"), { a: [1, 2] });
  assert.equal(ev("try_parse_json('{bad')"), null);
  assert.throws(() => ev("parse_json('{bad')"), NemetonError);
  assert.equal(ev("to_json_string(json_object('a', 1))"), '{"a":1}');
  assert.deepEqual(ev("json_merge('{\"a\":1,\"b\":2}', json_object('b', 3))"), { a: 1, b: 3 });
  assert.equal(ev("json_value(parse_json('{\"a\":{\"b\":5}}'), '$.a.b') + 1"), 6);
});

test('human readable formats', () => {
  assert.equal(ev('human_readable_binary_byte_format(1048576)'), '1.00 MiB');
  assert.equal(ev('human_readable_binary_byte_format(1048576, 3)'), '1.000 MiB');
  assert.equal(ev('human_readable_decimal_byte_format(1000000)'), '1.00 MB');
  assert.equal(ev('human_readable_decimal_format(1000000, 3)'), '1.000 M');
  assert.equal(ev('human_readable_binary_byte_format(512)'), '512 B');
  assert.equal(ev('human_readable_decimal_format(12)'), '12');
  assert.throws(() => ev('human_readable_decimal_format(1, 4)'), /precision/);
});
