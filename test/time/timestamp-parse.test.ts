import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NemetonError } from '../../common/errors.ts';
import { parseIsoTimestamp } from '../../storage/time/iso-parse.ts';
import { parseAutoTimestamp, parseSqlDateLiteral, parseSqlTimestampLiteral, timeParse, timestampParser } from '../../storage/time/timestamp-parse.ts';
import { getTimeZone } from '../../storage/time/zone.ts';

const U = Date.UTC;

test('ISO parser: forms, offsets, fractions, impossible dates', () => {
  assert.equal(parseIsoTimestamp('2015-09-12T00:00:00.000Z'), U(2015, 8, 12));
  assert.equal(parseIsoTimestamp('2015-09-12'), U(2015, 8, 12));
  assert.equal(parseIsoTimestamp('2015'), U(2015, 0, 1));
  assert.equal(parseIsoTimestamp('2015-09-12T10:20Z'), U(2015, 8, 12, 10, 20));
  assert.equal(parseIsoTimestamp('2015-09-12T10:20:30.1+05:30'), U(2015, 8, 12, 4, 50, 30, 100));
  assert.equal(parseIsoTimestamp('2015-09-12T10:20:30.123456789-0800'), U(2015, 8, 12, 18, 20, 30, 123));
  assert.equal(parseIsoTimestamp('2015-09-12T10-08'), U(2015, 8, 12, 18));
  assert.equal(parseIsoTimestamp('2016-02-29T00:00:00Z'), U(2016, 1, 29));
  assert.equal(parseIsoTimestamp('2015-09-12 10:20:30'), null);
  assert.equal(parseIsoTimestamp('2015-09-12 10:20:30', { allowSpace: true }), U(2015, 8, 12, 10, 20, 30));
  for (const bad of ['', 'x', '2015-02-29', '2015-13-01', '2015-09-12T24:00Z', '2015-09-12T10:61Z', '2015-09-12T10:20:30.Z', '2015-09-12T10:20:30Zjunk', '2015-09-12T']) {
    assert.equal(parseIsoTimestamp(bad), null, bad);
  }
});

test('ISO parser round-trips Date.toISOString for any instant in years 0..9999', () => {
  fc.assert(fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (t) => {
    assert.equal(parseIsoTimestamp(new Date(t).toISOString()), t);
  }), { numRuns: 5000 });
});

test('text without offset is local time in the given zone', () => {
  const la = getTimeZone('America/Los_Angeles');
  assert.equal(parseIsoTimestamp('2015-09-12T00:00:00', { zone: la }), U(2015, 8, 12, 7));
  assert.equal(parseIsoTimestamp('2015-09-12T00:00:00Z', { zone: la }), U(2015, 8, 12));
});

test('timestampSpec formats', () => {
  assert.equal(timestampParser('iso')('2015-09-12T01:02:03Z'), U(2015, 8, 12, 1, 2, 3));
  assert.equal(timestampParser('iso')(1442016000000), null);
  assert.equal(timestampParser('millis')(1442016000000), 1442016000000);
  assert.equal(timestampParser('millis')('1442016000000'), 1442016000000);
  assert.equal(timestampParser('posix')(1442016000), 1442016000000);
  assert.equal(timestampParser('posix')('1442016000'), 1442016000000);
  assert.equal(timestampParser('ruby')(1442016000.25), 1442016000250);
  assert.equal(timestampParser('micro')(1442016000123456), 1442016000123);
  assert.equal(timestampParser('nano')('1442016000123456789'), 1442016000123);
  assert.equal(timestampParser('nano')(1442016000123456789n), 1442016000123);
  assert.equal(timestampParser('millis')('abc'), null);
  assert.equal(timestampParser('posix')(null), null);
  const auto = timestampParser('auto');
  assert.equal(auto('2015-09-12T00:00:00.000Z'), U(2015, 8, 12));
  assert.equal(auto('2015-09-12 01:00:00'), U(2015, 8, 12, 1));
  assert.equal(auto('1442016000000'), 1442016000000);
  assert.equal(auto(1442016000000), 1442016000000);
  assert.equal(auto('"2015-09-12"'), U(2015, 8, 12));
  assert.equal(auto('2015-09-12 01:00:00 America/Los_Angeles'), U(2015, 8, 12, 8));
  assert.equal(auto('garbage'), null);
  assert.equal(timestampParser(undefined), parseAutoTimestamp);
});

test('custom Joda patterns', () => {
  assert.equal(timestampParser('yyyy-MM-dd HH:mm:ss')('2015-09-12 01:02:03'), U(2015, 8, 12, 1, 2, 3));
  assert.equal(timestampParser('dd/MMM/yyyy:HH:mm:ss Z')('10/Oct/2000:13:55:36 -0700'), U(2000, 9, 10, 20, 55, 36));
  assert.equal(timestampParser('yyyyMMddHHmmss')('20150912010203'), U(2015, 8, 12, 1, 2, 3));
  assert.equal(timestampParser('MM/dd/yyyy hh:mm a')('09/12/2015 01:30 PM'), U(2015, 8, 12, 13, 30));
  assert.equal(timestampParser('MM/dd/yyyy hh:mm a')('09/12/2015 12:30 AM'), U(2015, 8, 12, 0, 30));
  assert.equal(timestampParser('EEE, d MMMM yyyy HH:mm:ss.SSS')('Sat, 12 September 2015 01:02:03.456'), U(2015, 8, 12, 1, 2, 3, 456));
  assert.equal(timestampParser("yyyy-MM-dd'T'HH:mm:ssZZ")('2015-09-12T01:02:03+05:30'), U(2015, 8, 11, 19, 32, 3));
  assert.equal(timestampParser('yyyy-MM-dd HH:mm:ss', getTimeZone('Asia/Kolkata'))('2015-09-12 05:30:00'), U(2015, 8, 12));
  assert.equal(timestampParser('yyyy-MM-dd')('2015-02-30'), null);
  assert.equal(timestampParser('yyyy-MM-dd')('2015-09-12 trailing'), null);
  assert.equal(timestampParser('yyyy-MM-dd HH:mm:ss z')('2015-09-12 01:02:03 PDT'), U(2015, 8, 12, 8, 2, 3));
  const yy = timestampParser('yy-MM-dd')('15-09-12');
  assert.equal(yy, U(2015, 8, 12));
  assert.throws(() => timestampParser('yyyy-MM-dd qq'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
  assert.throws(() => timestampParser("yyyy 'unclosed"), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
});

test('SQL TIME_PARSE and literals', () => {
  assert.equal(timeParse('2000-01-02T03:04:05Z'), U(2000, 0, 2, 3, 4, 5));
  assert.equal(timeParse('2000-01-02 03:04:05'), U(2000, 0, 2, 3, 4, 5));
  assert.equal(timeParse('2000-01-02 03:04:05', null, 'America/Los_Angeles'), U(2000, 0, 2, 11, 4, 5));
  assert.equal(timeParse('02/01/2000', 'dd/MM/yyyy', 'Asia/Kolkata'), U(2000, 0, 1, 18, 30));
  assert.equal(timeParse('not a time'), null);
  assert.throws(() => timeParse('2000', null, 'Nowhere/Land'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
  assert.equal(parseSqlTimestampLiteral('2000-01-01 00:00:00'), U(2000, 0, 1));
  assert.equal(parseSqlTimestampLiteral('2000-01-01'), U(2000, 0, 1));
  assert.equal(parseSqlTimestampLiteral('2000-01-01 12:34:56.789'), U(2000, 0, 1, 12, 34, 56, 789));
  assert.equal(parseSqlTimestampLiteral('2000-01-01 00:00:00', getTimeZone('+05:30')), U(1999, 11, 31, 18, 30));
  assert.equal(parseSqlDateLiteral('2000-01-01'), U(2000, 0, 1));
  assert.throws(() => parseSqlTimestampLiteral('yesterday'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
  assert.throws(() => parseSqlDateLiteral('2000-01-01 00:00:00'), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input');
});
