/** segmentMetadata reports typed array and nested json columns with Druid's type names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import type { DataSchema } from '../../storage/schema.ts';
import { createQueryExecutor } from '../../query/index.ts';
import { columnTypeNames } from '../../query/engines/segment-metadata.ts';
import { listSource } from './fixtures/array-segment.ts';

const schema: DataSchema = {
  dataSource: 'nested', queryGranularity: 'none', segmentGranularity: 'all', rollup: false,
  dimensionsSpec: {
    dimensions: [
      { name: 'obj', type: 'json' },
      { name: 'tags', type: 'auto', castToType: 'ARRAY<STRING>' },
      { name: 'nums', type: 'auto', castToType: 'ARRAY<LONG>' },
      { name: 'ratios', type: 'auto', castToType: 'ARRAY<DOUBLE>' },
      { name: 's', type: 'string' },
    ],
  },
  metricsSpec: [{ type: 'count', name: 'cnt' }],
};

const rows = [
  { __time: 1, obj: { a: 1, b: { c: 'x' } }, tags: ['z', 'a'], nums: [1, 2], ratios: [0.5], s: 'p' },
  { __time: 2, obj: null, tags: [], nums: [3], ratios: [1.5, 2.5], s: 'q' },
];

test('typed arrays are ARRAY / ARRAY<...>, json is json / COMPLEX<json>', async () => {
  const [built] = buildSegments(rows, schema, { segmentVersion: 'v1' });
  const seg = openSegment(built!.bytes, built!.id);
  const ex = createQueryExecutor({ segments: listSource([seg]) });
  const [meta] = await ex.run({ queryType: 'segmentMetadata', dataSource: 'nested', intervals: ['1970/2000'] }) as any[];
  const sig = (c: string) => [meta.columns[c].type, meta.columns[c].typeSignature];
  assert.deepEqual(sig('tags'), ['ARRAY', 'ARRAY<STRING>']);
  assert.deepEqual(sig('nums'), ['ARRAY', 'ARRAY<LONG>']);
  assert.deepEqual(sig('ratios'), ['ARRAY', 'ARRAY<DOUBLE>']);
  assert.deepEqual(sig('obj'), ['json', 'COMPLEX<json>']);
  assert.deepEqual(sig('s'), ['STRING', 'STRING']);
  assert.deepEqual(sig('cnt'), ['LONG', 'LONG']);
  assert.equal(meta.columns.tags.cardinality, null);
  assert.equal(meta.columns.tags.minValue, null);
});

test('merging segments whose column signatures differ reports the signatures', async () => {
  const a = buildSegments(rows, schema, { segmentVersion: 'v1' })[0]!;
  const other: DataSchema = { ...schema, dimensionsSpec: { dimensions: [{ name: 'tags', type: 'auto', castToType: 'ARRAY<LONG>' }] } };
  const b = buildSegments([{ __time: 5, tags: [1] }], other, { segmentVersion: 'v2' })[0]!;
  const segs = [openSegment(a.bytes, a.id), openSegment(b.bytes, b.id)];
  const ex = createQueryExecutor({ segments: listSource(segs) });
  const [meta] = await ex.run({ queryType: 'segmentMetadata', dataSource: 'nested', intervals: ['1970/2000'], merge: true }) as any[];
  assert.equal(meta.columns.tags.errorMessage, 'error:cannot_merge_diff_types: [ARRAY<STRING>] and [ARRAY<LONG>]');
  assert.deepEqual(meta.columns.nums.typeSignature, 'ARRAY<LONG>');
});

test('columnTypeNames covers primitives, arrays and other complex types', () => {
  assert.deepEqual(columnTypeNames('DOUBLE', undefined), { type: 'DOUBLE', typeSignature: 'DOUBLE' });
  assert.deepEqual(columnTypeNames('COMPLEX', 'hyperUnique'), { type: 'hyperUnique', typeSignature: 'COMPLEX<hyperUnique>' });
  assert.deepEqual(columnTypeNames('COMPLEX', 'ARRAY<LONG>'), { type: 'ARRAY', typeSignature: 'ARRAY<LONG>' });
});
