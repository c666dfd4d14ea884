/**
 * The incremental index's allocation-free fast path (single strings, safe
 * numbers) and its generic path (multi-values, exact longs) must agree: the
 * same rows give the same segment whether the rows that force the generic
 * path arrive first (so every later row takes it) or last.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { readRows } from './helpers.ts';

const schema = (rollup: boolean): DataSchema => ({
  dataSource: 'f',
  dimensionsSpec: { dimensions: [{ name: 's', type: 'string' }, { name: 'n', type: 'long' }, { name: 'd', type: 'double' }] },
  metricsSpec: [
    { type: 'count', name: 'cnt' }, { type: 'longSum', name: 'lsum', fieldName: 'v' }, { type: 'longMin', name: 'lmin', fieldName: 'v' },
    { type: 'doubleSum', name: 'dsum', fieldName: 'w' }, { type: 'floatMax', name: 'fmax', fieldName: 'w' }, { type: 'doubleMax', name: 'dmax', fieldName: 'v' },
  ],
  queryGranularity: 'minute', segmentGranularity: 'day', rollup,
});

const plainArb = fc.record({
  __time: fc.integer({ min: 0, max: 5 * 60_000 }),
  s: fc.constantFrom<unknown>('a', 'b', '', null, undefined, 1, true),
  n: fc.constantFrom<unknown>(1, 2, -0, null, '3', 'x', 2.7),
  d: fc.constantFrom<unknown>(0.5, 1, null, '2.5', Number.NaN),
  v: fc.constantFrom<unknown>(1, -3, 0, null, '7', 'bad', 1.9, Number.NaN, 2 ** 52),
  w: fc.constantFrom<unknown>(1, 2, 0.25, null, '4', Number.POSITIVE_INFINITY),
});
/** Rows that need the generic path: multi-values and longs beyond 2^53. */
const specialArb = fc.record({
  __time: fc.integer({ min: 0, max: 5 * 60_000 }),
  s: fc.constantFrom<unknown>(['b', 'a'], ['a'], [], ['a', null]),
  n: fc.constantFrom<unknown>(1, '9007199254740993', 2 ** 60),
  d: fc.constant(1),
  v: fc.constantFrom<unknown>(1, '9007199254740993'),
  w: fc.constant(1),
});

const canon = (rows: Record<string, unknown>[]): string[] => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();

function indexed(rows: readonly Record<string, unknown>[], rollup: boolean): string[] {
  const index = new IncrementalIndex(schema(rollup));
  for (const r of rows) index.add({ ...r } as InputRow);
  return canon(readRows(index.snapshot()));
}

test('fast and generic paths agree, with and without rollup', () => {
  fc.assert(fc.property(fc.array(plainArb, { maxLength: 60 }), fc.array(specialArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (plain, special, rollup) => {
    const last = indexed([...plain, ...special], rollup);
    const first = indexed([...special, ...plain], rollup);
    assert.deepEqual(last, first);
  }), { numRuns: 200 });
});

test('fast path: numbers and booleans in string dimensions, bad numbers as null, -0 as 0', () => {
  const index = new IncrementalIndex(schema(true));
  index.add({ __time: 0, s: 1, n: -0, d: 'x', v: 'bad', w: 2 } as InputRow);
  index.add({ __time: 1, s: '1', n: 0, d: null, v: 5, w: '3' } as InputRow);
  index.add({ __time: 2, s: true, n: null, d: 1, v: Number.NaN, w: null } as InputRow);
  const rows = readRows(index.snapshot()).map((r) => ({ ...r }));
  assert.deepEqual(rows, [
    { __time: 0, s: '1', n: 0, d: null, cnt: 2, lsum: 5, lmin: 5, dsum: 5, fmax: 3, dmax: 5 },
    { __time: 0, s: 'true', n: null, d: 1, cnt: 1, lsum: null, lmin: null, dsum: null, fmax: null, dmax: null },
  ]);
});
