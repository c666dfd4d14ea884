/**
 * Secondary partitioning (hashed, range, dynamic) of built segments: the
 * union of a time chunk's partitions is exactly its rows, keys never straddle
 * partitions, range partitions are ordered and near the target size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { IncrementalIndex } from '../../storage/incremental/incremental-index.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import type { Partitioning } from '../../storage/merge/partition-rows.ts';
import { hashString } from '../../storage/merge/partition-rows.ts';
import { compareNullableUtf8 } from '../../storage/dictionary-order.ts';
import { readRows } from './helpers.ts';

const T0 = Date.UTC(2024, 0, 1);
const schema: DataSchema = {
  dataSource: 'p',
  dimensionsSpec: { dimensions: [{ name: 'country', type: 'string' }, { name: 'city', type: 'string' }, { name: 'n', type: 'long' }] },
  metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'v', fieldName: 'v' }],
  queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
};

function rows(): InputRow[] {
  const out: InputRow[] = [];
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < 3000; i++) {
    out.push({
      __time: T0 + Math.floor(rnd() * 2 * 86_400_000), // two days
      country: rnd() < 0.05 ? null : `c${Math.floor(rnd() * 40)}`,
      city: `city${Math.floor(rnd() * 200)}`,
      n: Math.floor(rnd() * 5),
      v: i,
    } as InputRow);
  }
  return out;
}

const key = (r: Record<string, unknown>) => JSON.stringify([r.__time, r.country, r.city, r.n, r.v]);

function build(input: InputRow[], p: Partitioning, version = 'v1') {
  const index = new IncrementalIndex(schema);
  for (const r of input) index.add(r);
  return index.handoff(version, p);
}

function built(p: Partitioning) {
  return build(rows(), p).map((b) => ({ id: b.id, seg: openSegment(b.bytes, b.id) }));
}

function checkUnion(parts: ReturnType<typeof built>): void {
  const all = buildSegments(rows(), schema, { segmentVersion: 'v0' }).flatMap((b) => readRows(openSegment(b.bytes, b.id)).map(key)).sort();
  const got = parts.flatMap((p) => readRows(p.seg).map(key)).sort();
  assert.deepEqual(got, all);
  // Partition numbers per interval are 0..k-1 of one version.
  const byInterval = new Map<number, number[]>();
  for (const p of parts) byInterval.set(p.id.interval.start, [...(byInterval.get(p.id.interval.start) ?? []), p.id.partitionNum]);
  for (const nums of byInterval.values()) assert.deepEqual(nums, nums.map((_, i) => i));
  assert.ok(parts.every((p) => p.id.version === 'v1'));
  // Rows in every partition stay sorted by time.
  for (const p of parts) {
    const t = p.seg.time();
    for (let i = 1; i < t.length; i++) assert.ok(t[i - 1] <= t[i]);
  }
}

test('hashed with numShards: every value of the partition dimension lives in one shard', () => {
  const parts = built({ type: 'hashed', numShards: 4, partitionDimensions: ['country'] });
  assert.equal(parts.length, 8, 'two days x four shards');
  checkUnion(parts);
  for (const day of [T0, T0 + 86_400_000]) {
    const owner = new Map<string | null, number>();
    for (const p of parts.filter((x) => x.id.interval.start === day)) {
      for (const r of readRows(p.seg)) {
        const c = r.country as string | null;
        assert.equal(owner.get(c) ?? p.id.partitionNum, p.id.partitionNum, `country ${c} in two shards`);
        owner.set(c, p.id.partitionNum);
      }
    }
  }
});

test('hashed without partitionDimensions hashes time plus all dimensions; targetRowsPerSegment sets the shard count', () => {
  const parts = built({ type: 'hashed', targetRowsPerSegment: 500 });
  const perDay = new Map<number, number>();
  for (const p of parts) perDay.set(p.id.interval.start, (perDay.get(p.id.interval.start) ?? 0) + p.seg.numRows);
  for (const [day, n] of perDay) assert.equal(parts.filter((p) => p.id.interval.start === day).length, Math.ceil(n / 500));
  checkUnion(parts);
  for (const p of parts) assert.ok(p.seg.numRows > 250 && p.seg.numRows < 750, `shard of ${p.seg.numRows} rows is far from 500`);
});

test('range on two dimensions: ordered, non-overlapping, near target, keys kept whole', () => {
  const parts = built({ type: 'range', partitionDimensions: ['country', 'city'], targetRowsPerSegment: 400 });
  checkUnion(parts);
  for (const day of [T0, T0 + 86_400_000]) {
    const dayParts = parts.filter((x) => x.id.interval.start === day).sort((a, b) => a.id.partitionNum - b.id.partitionNum);
    assert.ok(dayParts.length >= 3);
    const cmpKey = (a: [string | null, string | null], b: [string | null, string | null]) => compareNullableUtf8(a[0], b[0]) || compareNullableUtf8(a[1], b[1]);
    let prevMax: [string | null, string | null] | null = null;
    for (const [i, p] of dayParts.entries()) {
      const keys = readRows(p.seg).map((r) => [r.country, r.city] as [string | null, string | null]).sort(cmpKey);
      if (prevMax !== null) assert.ok(cmpKey(prevMax, keys[0]) < 0, 'ranges overlap');
      prevMax = keys[keys.length - 1];
      if (i < dayParts.length - 1) assert.ok(p.seg.numRows >= 400 && p.seg.numRows < 420, `range partition of ${p.seg.numRows} rows`);
    }
  }
});

test('single dimension range keeps all rows of a value together; a multi-valued dimension is refused', () => {
  const parts = built({ type: 'range', partitionDimensions: ['country'], targetRowsPerSegment: 300 });
  checkUnion(parts);
  const seen = new Map<string, string>();
  for (const p of parts) {
    for (const r of readRows(p.seg)) {
      const k = `${p.id.interval.start}:${String(r.country)}`;
      assert.equal(seen.get(k) ?? String(p.id.partitionNum), String(p.id.partitionNum));
      seen.set(k, String(p.id.partitionNum));
    }
  }
  assert.throws(() => build([{ __time: T0, country: ['a', 'b'], v: 1 } as unknown as InputRow], { type: 'range', partitionDimensions: ['country'], targetRowsPerSegment: 1 }), /multi-valued dimension \[country\]/);
  assert.throws(() => build(rows(), { type: 'range', partitionDimensions: ['n'], targetRowsPerSegment: 10 }), /string dimensions; \[n\] is LONG/);
  assert.throws(() => build(rows(), { type: 'hashed', numShards: 2, partitionDimensions: ['nope'] }), /\[nope\] is not a dimension/);
});

test('dynamic partitioning and one-shard hashing keep the bucket whole; the string hash is stable', () => {
  checkUnion(built({ type: 'dynamic', maxRowsPerSegment: 700 }));
  assert.equal(built({ type: 'hashed', numShards: 1 }).length, 2);
  assert.equal(hashString(''), 0x811c9dc5);
  assert.equal(hashString('a'), 0xe40c292c);
});
