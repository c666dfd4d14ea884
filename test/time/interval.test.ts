import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import {
  condenseIntervals, formatInterval, intersectInterval, intersectIntervalLists, parseInterval, parseIntervals, subtractIntervals,
} from '../../storage/time/interval-parse.ts';
import { getTimeZone } from '../../storage/time/zone.ts';

const f = (s: string) => formatInterval(parseInterval(s));

test('parses Druid interval forms', () => {
  assert.equal(f('2015-09-12/2015-09-13'), '2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z');
  assert.equal(f('2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z'), '2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z');
  assert.equal(f('2015-09-12T00Z/P1D'), '2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z');
  assert.equal(f('P1D/2015-09-13'), '2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z');
  assert.equal(f('1000/3000'), '1000-01-01T00:00:00.000Z/3000-01-01T00:00:00.000Z');
  assert.equal(f('2015-09-12T00:00:00+05:00/2015-09-12T12:00:00-0300'), '2015-09-11T19:00:00.000Z/2015-09-12T15:00:00.000Z');
  assert.equal(f('2015-09-12T10:20:30.5Z/2015-09-12T10:20:31.123456Z'), '2015-09-12T10:20:30.500Z/2015-09-12T10:20:31.123Z');
  assert.equal(f('2015-09/P1M'), '2015-09-01T00:00:00.000Z/2015-10-01T00:00:00.000Z');
  assert.equal(f('2015-W37/P1W'), '2015-09-07T00:00:00.000Z/2015-09-14T00:00:00.000Z');
  assert.equal(f('2015-255/P1D'), '2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z');
  assert.equal(f('2015-09-12/2015-09-12'), '2015-09-12T00:00:00.000Z/2015-09-12T00:00:00.000Z');
  assert.equal(f('-0001-01-01/0001-01-01'), '-0001-01-01T00:00:00.000Z/0001-01-01T00:00:00.000Z');
});

test('instants without offset are read in the given zone', () => {
  const i = parseInterval('2015-09-12/P1D', getTimeZone('America/Los_Angeles'));
  assert.equal(formatInterval(i), '2015-09-12T07:00:00.000Z/2015-09-13T07:00:00.000Z');
  assert.equal(formatInterval(i, getTimeZone('America/Los_Angeles')), '2015-09-12T00:00:00.000-07:00/2015-09-13T00:00:00.000-07:00');
});

test('bad intervals are Invalid input errors', () => {
  for (const s of ['', '2015-09-12', '2015-09-13/2015-09-12', 'P1D/P1D', '2015-02-30/2015-03-01', 'a/b', '2015-09-12/2015-09-13/x', '2015-09-12T25:00Z/P1D', '2015-09-12/P1X']) {
    assert.throws(() => parseInterval(s), (e: unknown) => e instanceof NemetonError && e.code === 'Invalid input', s);
  }
});

test('condense sorts and merges overlapping and abutting intervals', () => {
  const list = parseIntervals(['2015-09-14/2015-09-15', '2015-09-12/2015-09-13', '2015-09-12T12Z/2015-09-13T06Z', '2015-09-13T06Z/2015-09-13T07Z', '2015-09-20/2015-09-20']);
  assert.deepEqual(condenseIntervals(list).map((i) => formatInterval(i)), [
    '2015-09-12T00:00:00.000Z/2015-09-13T07:00:00.000Z',
    '2015-09-14T00:00:00.000Z/2015-09-15T00:00:00.000Z',
  ]);
});

test('intersect and subtract', () => {
  const a = parseInterval('2015-09-12/2015-09-14');
  const b = parseInterval('2015-09-13/2015-09-20');
  assert.equal(formatInterval(intersectInterval(a, b)!), '2015-09-13T00:00:00.000Z/2015-09-14T00:00:00.000Z');
  assert.equal(intersectInterval(a, parseInterval('2015-09-14/2015-09-15')), null);
  const x = parseIntervals(['2015-09-01/2015-09-05', '2015-09-10/2015-09-20']);
  const y = parseIntervals(['2015-09-03/2015-09-12', '2015-09-15/2015-09-16', '2015-09-19/2015-10-01']);
  assert.deepEqual(intersectIntervalLists(x, y).map((i) => formatInterval(i)), [
    '2015-09-03T00:00:00.000Z/2015-09-05T00:00:00.000Z',
    '2015-09-10T00:00:00.000Z/2015-09-12T00:00:00.000Z',
    '2015-09-15T00:00:00.000Z/2015-09-16T00:00:00.000Z',
    '2015-09-19T00:00:00.000Z/2015-09-20T00:00:00.000Z',
  ]);
  assert.deepEqual(subtractIntervals(x, y).map((i) => formatInterval(i)), [
    '2015-09-01T00:00:00.000Z/2015-09-03T00:00:00.000Z',
    '2015-09-12T00:00:00.000Z/2015-09-15T00:00:00.000Z',
    '2015-09-16T00:00:00.000Z/2015-09-19T00:00:00.000Z',
  ]);
});
