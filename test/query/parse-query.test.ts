/** Validation of raw native query JSON: clear 'Invalid input' errors naming the field, and defaults. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NemetonError } from '../../common/errors.ts';
import { parseIntervals, parseQuery } from '../../query/parse-query.ts';

function rejects(raw: unknown, pattern: RegExp): void {
  assert.throws(() => parseQuery(raw), (e: unknown) => {
    assert.ok(e instanceof NemetonError, String(e));
    assert.equal(e.code, 'Invalid input');
    assert.equal(e.httpStatus, 400);
    assert.match(e.message, pattern);
    return true;
  });
}

const base = { queryType: 'timeseries', dataSource: 'wiki', intervals: ['2015-09-12/2015-09-13'], granularity: 'all' };

test('rejects malformed queries with a message naming the field', () => {
  rejects(null, /JSON object/);
  rejects({ dataSource: 'x' }, /queryType/);
  rejects({ ...base, queryType: 'nope' }, /Unknown queryType \[nope\]/);
  rejects({ ...base, dataSource: undefined }, /dataSource/);
  rejects({ ...base, intervals: undefined }, /intervals/);
  rejects({ ...base, intervals: ['2015-09-13/2015-09-12'] }, /interval/i);
  rejects({ ...base, intervals: ['garbage'] }, /interval/i);
  rejects({ ...base, granularity: 'fortnight' }, /granularity/i);
  rejects({ ...base, aggregations: [{ type: 'longSum', name: 's' }] }, /\[s\].*fieldName/);
  rejects({ ...base, aggregations: [{ type: 'wat', name: 's' }] }, /Unknown aggregator type \[wat\]/);
  rejects({ ...base, aggregations: [{ type: 'count', name: 'a' }, { type: 'count', name: 'a' }] }, /Duplicate output name \[a\]/);
  rejects({ ...base, filter: { type: 'and', fields: [] } }, /and filter/);
  rejects({ ...base, filter: { type: 'selector', value: 'x' } }, /dimension/);
  rejects({ ...base, filter: { type: 'regex', dimension: 'd', pattern: '(' } }, /regex filter/);
  rejects({ ...base, limit: -1 }, /limit/);
  rejects({ ...base, postAggregations: [{ type: 'arithmetic', name: 'p', fn: '%', fields: [{ type: 'constant', value: 1 }] }] }, /unknown fn/);
  rejects({ ...base, queryType: 'topN', dimension: 'd', metric: 'm', threshold: 0 }, /threshold/);
  rejects({ ...base, queryType: 'topN', metric: 'm', threshold: 3 }, /dimension/);
  rejects({ ...base, queryType: 'groupBy', dimensions: [{ type: 'default' }] }, /dimension/);
  rejects({ ...base, queryType: 'scan', resultFormat: 'valueVector' }, /resultFormat/);
  rejects({ ...base, queryType: 'search' }, /search.*query/);
  rejects({ ...base, dataSource: { type: 'lookup', lookup: 'x' } }, /unsupported data source type/);
  rejects({ ...base, context: 'fast' }, /context/);
});

test('applies defaults and accepts Druid forms', () => {
  const q = parseQuery({ queryType: 'groupBy', dataSource: { type: 'table', name: 'w' }, intervals: { type: 'intervals', intervals: ['2015-09-12/P1D'] } });
  assert.equal((q as { granularity: unknown }).granularity, 'all');
  assert.deepEqual((q as { dimensions: unknown }).dimensions, []);
  assert.doesNotThrow(() => parseQuery({ queryType: 'timeBoundary', dataSource: 'w' }));
  assert.doesNotThrow(() => parseQuery({ ...base, granularity: { type: 'period', period: 'PT1H', timeZone: 'America/Los_Angeles' } }));
});

test('intervals are parsed, sorted and merged; missing means eternity', () => {
  const ivs = parseIntervals(['2015-09-13/2015-09-14', '2015-09-12/2015-09-13T12:00', '2015-09-20/P1D']);
  assert.deepEqual(ivs.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]), [
    ['2015-09-12T00:00:00.000Z', '2015-09-14T00:00:00.000Z'],
    ['2015-09-20T00:00:00.000Z', '2015-09-21T00:00:00.000Z'],
  ]);
  assert.equal(parseIntervals(undefined).length, 1);
});
