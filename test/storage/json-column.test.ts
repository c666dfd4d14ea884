/** JSON-valued dimensions ('json' nested, 'auto' typed arrays) through ingestion, the segment file and back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { jsonColumnReader, normalizeJsonValue, JsonTypeInference } from '../../storage/json-column.ts';
import type { DataSchema } from '../../storage/schema.ts';

const schema = (rollup: boolean, discovery = false): DataSchema => ({
  dataSource: 'j', queryGranularity: 'none', segmentGranularity: 'all', rollup,
  dimensionsSpec: discovery
    ? { dimensions: [], useSchemaDiscovery: true, autoTypedDiscovery: true }
    : { dimensions: [{ name: 'obj', type: 'json' }, { name: 'tags', type: 'auto', castToType: 'ARRAY<STRING>' }, { name: 's', type: 'string' }] },
  metricsSpec: [{ type: 'count', name: 'cnt' }],
});

test('json and ARRAY<STRING> dimensions round-trip through a segment file', () => {
  const rows = [
    { __time: 1, obj: { a: 1, b: { c: 'x' } }, tags: ['z', 'a', null], s: 'p' },
    { __time: 2, obj: null, tags: 'solo', s: 'q' },
    { __time: 3, tags: [], s: 'r' },
  ];
  const [built] = buildSegments(rows, schema(false), { segmentVersion: 'v1' });
  const seg = openSegment(built.bytes, built.id);
  assert.deepEqual(seg.column('obj'), { name: 'obj', type: 'COMPLEX', complexType: 'json', hasMultipleValues: false, hasNulls: false });
  assert.equal(seg.column('tags')?.complexType, 'ARRAY<STRING>');
  const obj = jsonColumnReader(seg.complexColumn('obj')!);
  const tags = jsonColumnReader(seg.complexColumn('tags')!);
  assert.deepEqual([0, 1, 2].map(obj), [{ a: 1, b: { c: 'x' } }, null, null]);
  // Array order and null elements are kept; a scalar becomes a one-element array.
  assert.deepEqual([0, 1, 2].map(tags), [['z', 'a', null], ['solo'], []]);
});

test('rollup groups rows by equal JSON values', () => {
  const rows = [{ __time: 0, obj: { a: 1 }, s: 'x' }, { __time: 0, obj: { a: 1 }, s: 'x' }, { __time: 0, obj: { a: 2 }, s: 'x' }];
  const [built] = buildSegments(rows, schema(true), { segmentVersion: 'v1' });
  const seg = openSegment(built.bytes, built.id);
  assert.equal(seg.numRows, 2);
  const cnt = seg.numericColumn('cnt')!.values();
  const obj = jsonColumnReader(seg.complexColumn('obj')!);
  assert.deepEqual([0, 1].map((r) => [obj(r), cnt[r]]), [[{ a: 1 }, 2], [{ a: 2 }, 1]]);
});

test('type-aware discovery types arrays by their elements', () => {
  const rows = [
    { __time: 0, l: [1, 2], d: [1.5, null], s: ['a'], m: ['a', 1], o: { x: 1 }, plain: 'v' },
    { __time: 1, l: [3], d: [999], s: ['b', null], m: [], o: null, plain: 'w' },
  ];
  const [built] = buildSegments(rows, schema(false, true), { segmentVersion: 'v1' });
  const seg = openSegment(built.bytes, built.id);
  assert.deepEqual(['l', 'd', 's', 'm', 'o'].map((c) => seg.column(c)?.complexType), ['ARRAY<LONG>', 'ARRAY<DOUBLE>', 'ARRAY<STRING>', 'json', 'json']);
  assert.equal(seg.column('plain')?.type, 'STRING');
  assert.deepEqual(jsonColumnReader(seg.complexColumn('d')!)(1), [999]);
});

test('normalisation and inference helpers', () => {
  assert.deepEqual(normalizeJsonValue(['1', 'x', 2.7], 'ARRAY<LONG>'), [1, null, 2]);
  assert.deepEqual(normalizeJsonValue([1, { a: 1 }], 'ARRAY<STRING>'), ['1', '{"a":1}']);
  const inf = new JsonTypeInference();
  inf.observe([1, 2]);
  inf.observe([1.5]);
  assert.equal(inf.result(), 'ARRAY<DOUBLE>');
});
