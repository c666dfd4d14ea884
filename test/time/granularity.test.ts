import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { NemetonError } from '../../common/errors.ts';
import { truncate, nextBucket, simpleGranularity } from '../../storage/time/granularity.ts';
import { parseGranularity, periodGranularity } from '../../storage/time/parse-granularity.ts';
import type { SimpleGranularity } from '../../storage/schema.ts';

const ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2040, 0, 1) }),
  fc.integer({ min: Date.UTC(2015, 2, 1), max: Date.UTC(2015, 3, 10) }),
  fc.integer({ min: Date.UTC(2015, 9, 1), max: Date.UTC(2015, 10, 10) }),
);
const iso = (t: number) => new Date(t).toISOString();

const LUXON_UNIT: Record<string, 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  PT1M: 'minute', PT1H: 'hour', P1D: 'day', P1W: 'week', P1M: 'month', P3M: 'quarter', P1Y: 'year',
};

for (const zone of ZONES) {
  for (const [period, unit] of Object.entries(LUXON_UNIT)) {
    test(`period ${period} in ${zone} floors like luxon startOf('${unit}') and next() is the following bucket`, () => {
      const g = parseGranularity({ type: 'period', period, timeZone: zone });
      fc.assert(fc.property(instant, (t) => {
        const expected = DateTime.fromMillis(t, { zone }).startOf(unit).toMillis();
        const s = g.bucketStart(t);
        assert.equal(s, expected, `${iso(t)}: ${iso(s)} vs ${iso(expected)}`);
        const n = g.next(s);
        assert.ok(n > t);
        const luxonNext = DateTime.fromMillis(s, { zone }).plus({ [unit === 'quarter' ? 'months' : `${unit}s`]: unit === 'quarter' ? 3 : 1 }).startOf(unit).toMillis();
        // Where a shift repeats part of a local hour (Lord Howe's 30-minute fall-back), luxon's "start of the next
        // hour" resolves to the earlier offset and lands back on s itself; the next bucket then starts where the
        // repeated half hour begins, which is what we return.
        if (luxonNext > s) assert.equal(n, luxonNext);
      }), { numRuns: 400, seed: 20151012 });
    });
  }
}

test('bucket contract bucketStart(t) <= t < next(bucketStart(t)) for multiples, origins and compound periods', () => {
  const specs = [
    { type: 'period', period: 'PT6H', timeZone: 'America/Los_Angeles' },
    { type: 'period', period: 'P2D', timeZone: 'Europe/Berlin' },
    { type: 'period', period: 'PT15M', timeZone: 'Asia/Kolkata' },
    { type: 'period', period: 'PT1H30M' },
    { type: 'period', period: 'P2W', origin: '2015-01-07T00:00:00Z' },
    { type: 'period', period: 'P1M', timeZone: 'Australia/Lord_Howe', origin: '2015-01-15T00:00:00Z' },
    { type: 'period', period: 'P5Y', timeZone: 'America/Los_Angeles' },
    { type: 'period', period: 'P1M15D', origin: '2014-01-01T00:00:00Z' },
    { type: 'period', period: 'PT3H', origin: '2015-01-01T00:30:00Z', timeZone: 'Australia/Lord_Howe' },
    { type: 'duration', duration: 7200000, origin: '1970-01-01T00:30:00Z' },
    'fifteen_minute', 'WEEK', 'quarter', 'none', 'all',
  ] as const;
  for (const spec of specs) {
    const g = parseGranularity(spec);
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2020, 0, 1) }), (t) => {
      const s = g.bucketStart(t);
      assert.ok(s <= t, `${JSON.stringify(spec)} ${iso(t)}`);
      assert.ok(g.next(s) > t, `${JSON.stringify(spec)} ${iso(t)} start ${s}`);
      if (Number.isFinite(s)) assert.equal(g.bucketStart(s), s);
    }), { numRuns: 300 });
  }
});

test('Druid alignment of multi-unit periods: PT6H counts from local 1970 midnight, P3M from the origin', () => {
  const g = parseGranularity({ type: 'period', period: 'PT6H', timeZone: 'America/Los_Angeles' });
  // origin 1970-01-01T00:00-08:00 = 08:00Z; buckets every 6 elapsed hours => ...02:00Z, 08:00Z...
  assert.equal(iso(g.bucketStart(Date.parse('2015-09-12T05:00:00Z'))), '2015-09-12T02:00:00.000Z');
  const q = parseGranularity({ type: 'period', period: 'P3M', timeZone: 'America/Los_Angeles', origin: '2012-02-01T00:00:00-08:00' });
  assert.equal(iso(q.bucketStart(Date.parse('2015-09-12T05:00:00Z'))), '2015-08-01T07:00:00.000Z');
  assert.equal(iso(q.bucketStart(Date.parse('2011-12-12T05:00:00Z'))), '2011-11-01T07:00:00.000Z');
  const d2 = parseGranularity({ type: 'period', period: 'P2D', origin: '2015-09-11T00:00:00Z' });
  assert.equal(iso(d2.bucketStart(Date.parse('2015-09-12T05:00:00Z'))), '2015-09-11T00:00:00.000Z');
  assert.equal(iso(d2.bucketStart(Date.parse('2015-09-10T05:00:00Z'))), '2015-09-09T00:00:00.000Z');
  const kolkataHour = parseGranularity({ type: 'period', period: 'PT1H', timeZone: 'Asia/Kolkata' });
  assert.equal(iso(kolkataHour.bucketStart(Date.parse('2015-09-12T05:10:00Z'))), '2015-09-12T04:30:00.000Z');
  const dur = parseGranularity({ type: 'duration', duration: 7200000, origin: '1970-01-01T00:30:00Z' });
  assert.equal(iso(dur.bucketStart(Date.parse('2015-09-12T05:00:00Z'))), '2015-09-12T04:30:00.000Z');
  assert.equal(iso(dur.bucketStart(Date.parse('1969-12-31T23:00:00Z'))), '1969-12-31T22:30:00.000Z');
});

test('simple names are case-insensitive and equal UTC truncate/nextBucket', () => {
  const names: SimpleGranularity[] = ['second', 'minute', 'five_minute', 'ten_minute', 'fifteen_minute', 'thirty_minute',
    'hour', 'six_hour', 'eight_hour', 'day', 'week', 'month', 'quarter', 'year'];
  const periods: Record<string, string> = { second: 'PT1S', minute: 'PT1M', five_minute: 'PT5M', ten_minute: 'PT10M',
    fifteen_minute: 'PT15M', thirty_minute: 'PT30M', hour: 'PT1H', six_hour: 'PT6H', eight_hour: 'PT8H', day: 'P1D',
    week: 'P1W', month: 'P1M', quarter: 'P3M', year: 'P1Y' };
  for (const name of names) {
    const g = parseGranularity(name.toUpperCase());
    const p = periodGranularity(periods[name]);
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 4e12 }), (t) => {
      const s = g.bucketStart(t);
      assert.equal(s, truncate(t, name));
      assert.equal(s, p.bucketStart(t), `${name} ${iso(t)}`);
      assert.equal(g.next(s), nextBucket(s, name));
      assert.equal(g.next(s), p.next(s));
    }), { numRuns: 200 });
  }
  assert.equal(parseGranularity('all').bucketStart(5), Number.NEGATIVE_INFINITY);
  assert.equal(parseGranularity({ type: 'none' }).bucketStart(5), 5);
  assert.deepEqual(simpleGranularity('day').toJSON(), { type: 'period', period: 'day' });
});

test('toJSON of period and duration granularities', () => {
  assert.deepEqual(parseGranularity({ type: 'period', period: 'P1D', timeZone: 'America/Los_Angeles' }).toJSON(),
    { type: 'period', period: 'P1D', timeZone: 'America/Los_Angeles' });
  assert.deepEqual(parseGranularity({ type: 'period', period: 'PT1H', origin: '2015-01-01T00:30:00Z' }).toJSON(),
    { type: 'period', period: 'PT1H', origin: '2015-01-01T00:30:00Z' });
  assert.deepEqual(parseGranularity({ type: 'duration', duration: 60000 }).toJSON(), { type: 'duration', duration: 60000 });
});

test('bad granularity specs are Invalid input errors', () => {
  const bad: unknown[] = [
    'fortnight', { type: 'period', period: 'P0D' }, { type: 'period', period: 'bogus' }, { type: 'period' },
    { type: 'period', period: 'P1D', timeZone: 'Mars/Olympus' }, { type: 'period', period: 'PT-1H' },
    { type: 'duration', duration: -1 }, { type: 'duration', duration: 1.5 }, { type: 'weird' },
    { type: 'period', period: 'P1D', origin: 'yesterday' }, 42,
  ];
  for (const spec of bad) {
    assert.throws(() => parseGranularity(spec as never), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input', JSON.stringify(spec));
  }
});
