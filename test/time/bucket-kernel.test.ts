import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bucketSortedTimes, fillBucketStarts, forEachSortedBucket, gallopLowerBound, lowerBound } from '../../storage/time/bucket-kernel.ts';
import { parseGranularity } from '../../storage/time/parse-granularity.ts';

const SPECS = ['hour', 'day', 'all', 'none', 'month', { type: 'period', period: 'P1D', timeZone: 'America/Los_Angeles' },
  { type: 'period', period: 'PT30M', timeZone: 'Australia/Lord_Howe' }, { type: 'duration', duration: 1234567 }] as const;

const sortedTimes = fc.array(fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2015, 11, 31) }), { maxLength: 400 })
  .map((a) => Float64Array.from(a.sort((x, y) => x - y)));

test('lowerBound and gallopLowerBound agree with a linear scan', () => {
  fc.assert(fc.property(sortedTimes, fc.integer({ min: Date.UTC(2014, 11, 1), max: Date.UTC(2016, 0, 31) }), (times, v) => {
    let want = 0;
    while (want < times.length && times[want] < v) want++;
    assert.equal(lowerBound(times, 0, times.length, v), want);
    assert.equal(gallopLowerBound(times, 0, times.length, v), want);
  }));
});

test('bucketSortedTimes matches per-row bucketStart on sorted ranges', () => {
  for (const spec of SPECS) {
    const g = parseGranularity(spec);
    fc.assert(fc.property(sortedTimes, fc.nat(20), (times, cut) => {
      const lo = Math.min(cut, times.length);
      const b = bucketSortedTimes(times, lo, times.length, g);
      const perRow: number[] = [];
      for (let i = lo; i < times.length; i++) perRow.push(g.bucketStart(times[i]));
      const fromKernel: number[] = [];
      for (let k = 0; k < b.count; k++) {
        assert.ok(b.rowStarts[k] < b.rowStarts[k + 1], 'buckets are non-empty');
        if (k > 0) assert.ok(b.starts[k] > b.starts[k - 1], 'buckets ascend');
        for (let i = b.rowStarts[k]; i < b.rowStarts[k + 1]; i++) fromKernel.push(b.starts[k]);
      }
      assert.equal(b.rowStarts[b.count], times.length);
      assert.deepEqual(fromKernel, perRow, JSON.stringify(spec));
      let visited = 0;
      const n = forEachSortedBucket(times, lo, times.length, g, (s, a, z) => { visited += z - a; assert.equal(g.bucketStart(times[a]), s); });
      assert.equal(n, b.count);
      assert.equal(visited, times.length - lo);
    }), { numRuns: 60 });
  }
});

test('fillBucketStarts matches per-row bucketStart on unsorted data', () => {
  const g = parseGranularity({ type: 'period', period: 'PT1H', timeZone: 'Asia/Kolkata' });
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4e12 }), { maxLength: 200 }), (a) => {
    const times = Float64Array.from(a);
    const out = new Float64Array(times.length);
    fillBucketStarts(times, 0, times.length, g, out);
    for (let i = 0; i < times.length; i++) assert.equal(out[i], g.bucketStart(times[i]));
  }));
});
