import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatIso, formatIsoInZone, formatSqlDate, formatSqlTimestamp } from '../../storage/time/format.ts';
import { compileFormatter, getFormatter } from '../../storage/time/joda-pattern.ts';
import { getTimeZone, UTC } from '../../storage/time/zone.ts';

const ZONES = ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Lord_Howe'];

test('formatIso equals Date.toISOString for years 0..9999 and Joda style outside', () => {
  fc.assert(fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (t) => {
    assert.equal(formatIso(t), new Date(t).toISOString());
    assert.equal(formatIso(t), new Date(t).toISOString()); // cached path
  }), { numRuns: 5000 });
  assert.equal(formatIso(Date.UTC(-1, 0, 1)), '-0001-01-01T00:00:00.000Z');
  assert.equal(formatIso(Date.UTC(10000, 0, 1)), '10000-01-01T00:00:00.000Z');
});

for (const zone of ZONES) {
  test(`zoned ISO and SQL text match luxon in ${zone}`, () => {
    const z = getTimeZone(zone);
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2050, 0, 1) }), (t) => {
      const d = DateTime.fromMillis(t, { zone });
      assert.equal(formatIsoInZone(t, z), d.toISO());
      assert.equal(formatSqlTimestamp(t, z), d.toFormat('yyyy-MM-dd HH:mm:ss.SSS'));
      assert.equal(formatSqlTimestamp(t, z, false), d.toFormat('yyyy-MM-dd HH:mm:ss'));
      assert.equal(formatSqlDate(t, z), d.toFormat('yyyy-MM-dd'));
      // Joda pattern letters that luxon spells the same way.
      assert.equal(getFormatter('yyyy-MM-dd HH:mm:ss.SSS ZZ', z)(t), d.toFormat('yyyy-MM-dd HH:mm:ss.SSS ZZ'));
      assert.equal(getFormatter('EEE, d MMM yyyy hh:mm a', z)(t), d.toFormat('ccc, d LLL yyyy hh:mm a'));
      assert.equal(getFormatter('EEEE MMMM D w x', z)(t), d.toFormat('cccc LLLL o W kkkk').replace(/ 0*(\d+) /, ' $1 '));
      assert.equal(getFormatter('Z', z)(t), d.toFormat('ZZZ'));
    }), { numRuns: 500 });
  });
}

test('Joda pattern details', () => {
  const t = Date.UTC(2015, 8, 12, 13, 4, 5, 67);
  const f = (p: string, zone = UTC, locale?: string) => compileFormatter(p, zone, locale)(t);
  assert.equal(f('yyyy-MM-dd'), '2015-09-12');
  assert.equal(f('yy/M/d H:m:s'), '15/9/12 13:4:5');
  assert.equal(f("'Quarter' 'o''clock' HH"), "Quarter o'clock 13");
  assert.equal(f('S SS SSS SSSS'), '0 06 067 0670');
  assert.equal(f('h K k a'), '1 1 13 PM');
  assert.equal(f('Z ZZ ZZZ z'), '+0000 +00:00 UTC UTC');
  assert.equal(f('Z ZZ ZZZ z', getTimeZone('America/Los_Angeles')), '-0700 -07:00 America/Los_Angeles PDT');
  assert.equal(f('G C Y'), 'AD 20 2015');
  assert.equal(f('e E EEEE'), '6 Sat Saturday');
  assert.equal(f('MMMM', UTC, 'de'), 'September');
  assert.equal(f('EEEE d MMMM', UTC, 'fr'), 'samedi 12 septembre');
  assert.equal(compileFormatter('HH:mm')(Date.UTC(2015, 8, 12, 0, 0)), '00:00');
  assert.equal(compileFormatter('k')(Date.UTC(2015, 8, 12, 0, 0)), '24');
  assert.equal(compileFormatter('h a')(Date.UTC(2015, 8, 12, 0, 0)), '12 AM');
});
