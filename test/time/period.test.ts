import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { NemetonError } from '../../common/errors.ts';
import { addPeriod, formatPeriod, parsePeriod, standardMillis, subtractPeriod } from '../../storage/time/period.ts';
import { getTimeZone, UTC } from '../../storage/time/zone.ts';

test('parses ISO-8601 periods', () => {
  assert.deepEqual({ ...parsePeriod('P1Y2M3DT4H5M6.5S') }, { years: 1, months: 2, weeks: 0, days: 3, hours: 4, minutes: 5, seconds: 6, millis: 500 });
  assert.deepEqual({ ...parsePeriod('P1W') }, { years: 0, months: 0, weeks: 1, days: 0, hours: 0, minutes: 0, seconds: 0, millis: 0 });
  assert.equal(parsePeriod('PT15M').minutes, 15);
  assert.equal(parsePeriod('pt1h').hours, 1);
  assert.equal(parsePeriod('PT-1H').hours, -1);
  assert.equal(parsePeriod('PT0.25S').millis, 250);
  assert.equal(parsePeriod('PT1,5S').millis, 500);
  assert.equal(standardMillis(parsePeriod('P1DT1H')), 25 * 3600000);
  assert.equal(standardMillis(parsePeriod('P1M')), null);
});

test('formats periods back to ISO text', () => {
  for (const s of ['P1Y2M3DT4H5M6.500S', 'P1W', 'PT15M', 'P3M', 'PT1H30M', 'P1DT12H']) assert.equal(formatPeriod(parsePeriod(s)), s);
  assert.equal(formatPeriod(parsePeriod('PT0S')), 'PT0S');
});

test('bad periods are Invalid input errors', () => {
  for (const s of ['', 'P', 'PT', '1D', 'P1H', 'P1.5D', 'PT1Y', 'P1DT', 'hello', 'P1D2Y']) {
    assert.throws(() => parsePeriod(s), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input', s);
  }
});

const ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
  fc.integer({ min: Date.UTC(2015, 2, 1), max: Date.UTC(2015, 3, 10) }),
  fc.integer({ min: Date.UTC(2015, 9, 1), max: Date.UTC(2015, 10, 10) }),
);

for (const zone of ZONES) {
  test(`addPeriod matches luxon plus() in ${zone} (calendar units local, time units elapsed)`, () => {
    const z = getTimeZone(zone);
    const cases: [string, Record<string, number>][] = [
      ['P1D', { days: 1 }], ['P1M', { months: 1 }], ['P1Y', { years: 1 }], ['P1W', { weeks: 1 }],
      ['PT1H', { hours: 1 }], ['PT90M', { minutes: 90 }], ['P3M', { months: 3 }], ['P2D', { days: 2 }],
    ];
    fc.assert(fc.property(instant, fc.integer({ min: -3, max: 3 }), (t, k) => {
      for (const [p, obj] of cases) {
        const scaled = Object.fromEntries(Object.entries(obj).map(([key, v]) => [key, v * k]));
        const got = addPeriod(t, parsePeriod(p), z, k);
        const want = DateTime.fromMillis(t, { zone }).plus(scaled).toMillis();
        if (got !== want) {
          // Only an ambiguous wall time may differ: same local time, ours the earlier instant (Joda).
          assert.equal(got + z.offsetAt(got), want + z.offsetAt(want), `${p} x${k} from ${new Date(t).toISOString()}`);
          assert.ok(got < want);
        }
      }
    }), { numRuns: 300 });
  });
}

test('month arithmetic clamps to the month end; subtractPeriod inverts simple cases', () => {
  assert.equal(new Date(addPeriod(Date.UTC(2015, 0, 31), parsePeriod('P1M'), UTC)).toISOString(), '2015-02-28T00:00:00.000Z');
  assert.equal(new Date(addPeriod(Date.UTC(2016, 1, 29), parsePeriod('P1Y'), UTC)).toISOString(), '2017-02-28T00:00:00.000Z');
  assert.equal(new Date(subtractPeriod(Date.UTC(2015, 2, 31), parsePeriod('P1M'), UTC)).toISOString(), '2015-02-28T00:00:00.000Z');
  // A local day across spring-forward is 23 hours long.
  const la = getTimeZone('America/Los_Angeles');
  assert.equal(addPeriod(Date.UTC(2015, 2, 8, 8), parsePeriod('P1D'), la) - Date.UTC(2015, 2, 8, 8), 23 * 3600000);
  assert.equal(addPeriod(Date.UTC(2015, 2, 8, 8), parsePeriod('PT24H'), la) - Date.UTC(2015, 2, 8, 8), 24 * 3600000);
});
