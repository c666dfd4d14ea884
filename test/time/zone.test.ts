import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { NemetonError } from '../../common/errors.ts';
import { getTimeZone, UTC, fixedOffsetZone, formatOffset } from '../../storage/time/zone.ts';

const ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];
/** 1900..2100 in ms. */
const anyInstant = fc.integer({ min: -2208988800000, max: 4102444800000 });
/** Around DST changes of 2015 and 2024 (dense sampling near transitions). */
const dstInstant = fc.oneof(
  fc.integer({ min: Date.UTC(2015, 2, 1), max: Date.UTC(2015, 3, 10) }),
  fc.integer({ min: Date.UTC(2015, 9, 1), max: Date.UTC(2015, 10, 10) }),
  fc.integer({ min: Date.UTC(2024, 2, 25), max: Date.UTC(2024, 3, 10) }),
);

for (const id of ZONES) {
  test(`offsetAt matches luxon in ${id}`, () => {
    const z = getTimeZone(id);
    fc.assert(fc.property(fc.oneof(anyInstant, dstInstant), (t) => {
      assert.equal(z.offsetAt(t), DateTime.fromMillis(t, { zone: id }).offset * 60000);
    }), { numRuns: 3000 });
  });

  test(`localToUtc round-trips and agrees with luxon in ${id}`, () => {
    const z = getTimeZone(id);
    fc.assert(fc.property(dstInstant, (t) => {
      const local = t + z.offsetAt(t);
      const u = z.localToUtc(local, z.offsetAt(t));
      assert.equal(u, t);
      // Without preference: gaps resolve forward (as luxon); overlaps take the earlier instant (Joda; luxon varies).
      const d = new Date(local);
      const lux = DateTime.fromObject({
        year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
        hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
      }, { zone: id }).toMillis();
      const mine = z.localToUtc(local);
      if (mine !== lux) {
        // Only in an overlap may they differ: both are the same wall time, and ours (Joda's) is the earlier.
        assert.equal(mine + z.offsetAt(mine), lux + z.offsetAt(lux));
        assert.ok(mine < lux);
      }
    }), { numRuns: 2000 });
  });
}

test('spring-forward gap in Los Angeles pushes forward, fall-back overlap takes the earlier instant', () => {
  const la = getTimeZone('America/Los_Angeles');
  // 2015-03-08 02:30 local does not exist -> 03:30 PDT = 10:30Z
  assert.equal(la.localToUtc(Date.UTC(2015, 2, 8, 2, 30)), Date.UTC(2015, 2, 8, 10, 30));
  // 2015-11-01 01:30 local happens twice: earlier is PDT (08:30Z), later PST (09:30Z)
  assert.equal(la.localToUtc(Date.UTC(2015, 10, 1, 1, 30)), Date.UTC(2015, 10, 1, 8, 30));
  assert.equal(la.localToUtc(Date.UTC(2015, 10, 1, 1, 30), -8 * 3600000), Date.UTC(2015, 10, 1, 9, 30));
});

test('Lord Howe half-hour transition is located exactly', () => {
  const lh = getTimeZone('Australia/Lord_Howe');
  // DST ends 2015-04-05 02:00 local (+11) = 2015-04-04T15:00Z; back to +10:30
  const tr = Date.UTC(2015, 3, 4, 15, 0);
  assert.equal(lh.offsetAt(tr - 1), 11 * 3600000);
  assert.equal(lh.offsetAt(tr), 10.5 * 3600000);
  // DST starts 2015-10-04 02:00 local (+10:30) = 2015-10-03T15:30Z
  const tr2 = Date.UTC(2015, 9, 3, 15, 30);
  assert.equal(lh.offsetAt(tr2 - 1), 10.5 * 3600000);
  assert.equal(lh.offsetAt(tr2), 11 * 3600000);
});

test('UTC aliases and fixed offsets', () => {
  for (const id of ['UTC', 'Z', 'utc', 'Etc/UTC', 'GMT', null, undefined, '']) assert.equal(getTimeZone(id), UTC);
  assert.equal(getTimeZone('+05:30').offsetAt(0), 5.5 * 3600000);
  assert.equal(getTimeZone('-08').offsetAt(123), -8 * 3600000);
  assert.equal(getTimeZone('UTC+01:00').fixedOffset, 3600000);
  assert.equal(getTimeZone('-0330').id, '-03:30');
  assert.equal(fixedOffsetZone(0), UTC);
  assert.equal(getTimeZone('Asia/Kolkata').fixedOffset, null);
  assert.equal(formatOffset(-8 * 3600000), '-08:00');
  assert.equal(formatOffset(5.5 * 3600000, false), '+0530');
  assert.equal(formatOffset(0), '+00:00');
});

test('unknown zones are Invalid input errors', () => {
  for (const id of ['Mars/Olympus', 'America/Nowhere', '+25:00', 'not a zone']) {
    assert.throws(() => getTimeZone(id), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input' && e.message.includes(id));
  }
});

test('offsets before 1900 (local mean time) and far future agree with luxon', () => {
  for (const id of ['Asia/Kolkata', 'Europe/Berlin']) {
    const z = getTimeZone(id);
    for (const t of [Date.UTC(1850, 5, 1), Date.UTC(1893, 3, 1), Date.UTC(2300, 6, 1)]) {
      assert.equal(z.offsetAt(t), DateTime.fromMillis(t, { zone: id }).offset * 60000, `${id} ${t}`);
    }
  }
});
