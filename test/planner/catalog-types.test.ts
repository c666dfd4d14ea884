/** SQL typing of complex segment columns in the production catalogs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complexColumnType } from '../../planner/catalog.ts';

test('typed array columns are SQL ARRAYs of their element type; json and sketches stay COMPLEX', () => {
  assert.deepEqual(complexColumnType('ARRAY<STRING>'), { sqlType: 'ARRAY', nativeType: 'ARRAY<STRING>', elementType: 'VARCHAR' });
  assert.deepEqual(complexColumnType('ARRAY<LONG>'), { sqlType: 'ARRAY', nativeType: 'ARRAY<LONG>', elementType: 'BIGINT' });
  assert.deepEqual(complexColumnType('ARRAY<DOUBLE>'), { sqlType: 'ARRAY', nativeType: 'ARRAY<DOUBLE>', elementType: 'DOUBLE' });
  assert.deepEqual(complexColumnType('json'), { sqlType: 'OTHER', nativeType: 'COMPLEX<json>' });
  assert.deepEqual(complexColumnType('hyperUnique'), { sqlType: 'OTHER', nativeType: 'COMPLEX<hyperUnique>' });
  assert.deepEqual(complexColumnType(undefined), { sqlType: 'OTHER', nativeType: 'COMPLEX<unknown>' });
});
