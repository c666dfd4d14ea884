import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { NemetonError } from '../../common/errors.ts';
import { extractField, parseTimeUnit, timeCeil, timeFloor, timeShift } from '../../storage/time/extract.ts';
import { getTimeZone } from '../../storage/time/zone.ts';

const ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC'];

for (const zone of ZONES) {
  test(`extractField matches luxon fields in ${zone}`, () => {
    const z = getTimeZone(zone);
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
      const d = DateTime.fromMillis(t, { zone });
      assert.equal(extractField(t, 'MILLISECOND', z), d.millisecond);
      assert.equal(extractField(t, 'MICROSECOND', z), d.millisecond * 1000);
      assert.equal(extractField(t, 'SECOND', z), d.second);
      assert.equal(extractField(t, 'MINUTE', z), d.minute);
      assert.equal(extractField(t, 'HOUR', z), d.hour);
      assert.equal(extractField(t, 'DAY', z), d.day);
      assert.equal(extractField(t, 'DOW', z), d.weekday);
      assert.equal(extractField(t, 'ISODOW', z), d.weekday);
      assert.equal(extractField(t, 'DOY', z), d.ordinal);
      assert.equal(extractField(t, 'WEEK', z), d.weekNumber);
      assert.equal(extractField(t, 'ISOYEAR', z), d.weekYear);
      assert.equal(extractField(t, 'MONTH', z), d.month);
      assert.equal(extractField(t, 'QUARTER', z), d.quarter);
      assert.equal(extractField(t, 'YEAR', z), d.year);
      assert.equal(extractField(t, 'EPOCH', z), Math.trunc(t / 1000));
    }), { numRuns: 1000 });
  });
}

test('decade, century, millennium', () => {
  const t = Date.UTC(2015, 8, 12);
  assert.equal(extractField(t, 'DECADE'), 201);
  assert.equal(extractField(t, 'CENTURY'), 21);
  assert.equal(extractField(t, 'MILLENNIUM'), 3);
  assert.equal(extractField(Date.UTC(2000, 0, 1), 'MILLENNIUM'), 2);
  assert.equal(parseTimeUnit('dow'), 'DOW');
  assert.throws(() => parseTimeUnit('FORTNIGHT'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
});

test('TIME_FLOOR / TIME_CEIL / TIME_SHIFT', () => {
  const t = Date.parse('2015-09-12T05:34:56.789Z');
  const iso = (x: number) => new Date(x).toISOString();
  assert.equal(iso(timeFloor(t, 'PT1H')), '2015-09-12T05:00:00.000Z');
  assert.equal(iso(timeFloor(t, 'P1D', null, 'America/Los_Angeles')), '2015-09-11T07:00:00.000Z');
  assert.equal(iso(timeFloor(t, 'PT1H', Date.parse('2015-01-01T00:30:00Z'))), '2015-09-12T05:30:00.000Z');
  assert.equal(iso(timeFloor(t, 'P1M', null, getTimeZone('Asia/Kolkata'))), '2015-08-31T18:30:00.000Z');
  assert.equal(iso(timeCeil(t, 'PT1H')), '2015-09-12T06:00:00.000Z');
  assert.equal(iso(timeCeil(Date.parse('2015-09-12T05:00:00Z'), 'PT1H')), '2015-09-12T05:00:00.000Z');
  assert.equal(iso(timeCeil(t, 'P1D', null, 'America/Los_Angeles')), '2015-09-12T07:00:00.000Z');
  assert.equal(iso(timeShift(t, 'P1D', 2)), '2015-09-14T05:34:56.789Z');
  assert.equal(iso(timeShift(Date.parse('2015-03-31T00:00:00Z'), 'P1M', -1)), '2015-02-28T00:00:00.000Z');
  assert.equal(iso(timeShift(Date.parse('2015-03-08T08:00:00Z'), 'P1D', 1, 'America/Los_Angeles')), '2015-03-09T07:00:00.000Z');
  assert.throws(() => timeFloor(t, 'P1X'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
  assert.throws(() => timeFloor(t, 'P1D', null, 'Bad/Zone'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
  assert.throws(() => timeShift(t, 'P1D', 1.5), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
});
