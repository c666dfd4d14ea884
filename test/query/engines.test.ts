/** Behaviour of each native query type over the sample segments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryExecutor } from '../../query/index.ts';
import { mapLookupProvider, setLookupProvider } from '../../query/expression/lookup.ts';
import { listSource } from './fixtures/array-segment.ts';
import { sampleSegments } from './fixtures/sample-data.ts';

const ex = createQueryExecutor({ segments: listSource(sampleSegments()) });
const IV = ['2015-09-12/2015-09-14'];
const run = (q: Record<string, unknown>) => ex.run({ dataSource: 'wiki', intervals: IV, ...q }) as Promise<any[]>;

test('timeseries: zero-filled buckets within the data, descending, limit, grandTotal', async () => {
  const res = await run({ queryType: 'timeseries', granularity: 'hour', intervals: ['2015-09-12/2015-09-13'], aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }] });
  assert.deepEqual(res.map((r) => [r.timestamp.slice(11, 13), r.result.c, r.result.s]), [['00', 1, 10], ['01', 2, 25], ['02', 0, null], ['03', 1, 7], ['04', 0, null], ['05', 1, 1]]);
  const desc = await run({ queryType: 'timeseries', granularity: 'day', descending: true, limit: 1, aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(desc, [{ timestamp: '2015-09-13T00:00:00.000Z', result: { c: 2 } }]);
  const gt = await run({ queryType: 'timeseries', granularity: 'day', context: { grandTotal: true }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(gt.at(-1), { timestamp: null, result: { c: 7 } });
  // The cursor starts at the query interval start when the segment has data before it.
  const clipped = await run({ queryType: 'timeseries', granularity: 'hour', intervals: ['2015-09-12T02:00/2015-09-12T05:00'], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(clipped.map((r) => [r.timestamp.slice(11, 13), r.result.c]), [['02', 0], ['03', 1], ['04', 0]]);
  const la = await run({ queryType: 'timeseries', granularity: { type: 'period', period: 'P1D', timeZone: 'America/Los_Angeles' }, context: { skipEmptyBuckets: true }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(la.map((r) => [r.timestamp, r.result.c]), [['2015-09-11T07:00:00.000Z', 5], ['2015-09-12T07:00:00.000Z', 2]]);
  const iv = await run({ queryType: 'timeseries', granularity: 'all', filter: { type: 'interval', dimension: '__time', intervals: ['2015-09-12T01:00/2015-09-12T04:00'] }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.equal(iv[0].result.c, 3);
  const skip = await run({ queryType: 'timeseries', granularity: 'hour', intervals: ['2015-09-12/2015-09-13'], context: { skipEmptyBuckets: true }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.equal(skip.length, 4);
});

test('timeseries over no data with granularity all returns one empty row', async () => {
  const res = await run({ queryType: 'timeseries', granularity: 'all', intervals: ['2000-01-01/2000-01-02'], aggregations: [{ type: 'count', name: 'c' }, { type: 'doubleSum', name: 'd', fieldName: 'price' }] });
  assert.deepEqual(res, [{ timestamp: '2000-01-01T00:00:00.000Z', result: { c: 0, d: null } }]);
});

test('aggregators: nulls skipped by sums/min/max, first/last by time, filtered, cardinality', async () => {
  const [row] = await run({
    queryType: 'timeseries', granularity: 'all',
    aggregations: [
      { type: 'doubleSum', name: 'ps', fieldName: 'price' }, { type: 'doubleMin', name: 'pmin', fieldName: 'price' },
      { type: 'longMax', name: 'amax', fieldName: 'added' }, { type: 'stringFirst', name: 'fp', fieldName: 'page' },
      { type: 'stringLast', name: 'lp', fieldName: 'page' }, { type: 'longLast', name: 'la', fieldName: 'added' },
      { type: 'filtered', filter: { type: 'selector', dimension: 'channel', value: '#en' }, aggregator: { type: 'longSum', name: 'en', fieldName: 'added' } },
      { type: 'cardinality', name: 'card', fields: ['channel'], round: true }, { type: 'doubleSum', name: 'missing', fieldName: 'nope' },
      { type: 'longSum', name: 'lps', fieldName: 'price' },
    ],
  });
  assert.deepEqual(row.result, { lps: 1 + 2 + 4 + 0 + 10, ps: 18.5, pmin: 0.5, amax: 100, fp: 'Apple', lp: 'Apple', la: 50, en: 130, card: 3, missing: null });
  assert.equal(row.timestamp, '2015-09-12T00:00:00.000Z');
});

test('post-aggregators: arithmetic with divide-by-zero = 0, greatest/least, constant', async () => {
  const [row] = await run({
    queryType: 'timeseries', granularity: 'all', aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }],
    postAggregations: [
      { type: 'arithmetic', name: 'avg', fn: '/', fields: [{ type: 'fieldAccess', fieldName: 's' }, { type: 'fieldAccess', fieldName: 'c' }] },
      { type: 'arithmetic', name: 'div0', fn: '/', fields: [{ type: 'fieldAccess', fieldName: 's' }, { type: 'constant', value: 0 }] },
      { type: 'arithmetic', name: 'q0', fn: 'quotient', fields: [{ type: 'fieldAccess', fieldName: 's' }, { type: 'constant', value: 0 }] },
      { type: 'doubleGreatest', name: 'g', fields: [{ type: 'fieldAccess', fieldName: 's' }, { type: 'constant', value: 1000 }] },
      { type: 'longLeast', name: 'l', fields: [{ type: 'fieldAccess', fieldName: 's' }, { type: 'constant', value: 3.7 }] },
    ],
  });
  assert.deepEqual(row.result, { c: 7, s: 193, avg: 193 / 7, div0: 0, q0: Infinity, g: 1000, l: 3 });
});

test('topN: numeric metric, inverted, lexicographic with previousStop, threshold', async () => {
  const aggs = [{ type: 'longSum', name: 's', fieldName: 'added' }];
  const [top] = await run({ queryType: 'topN', granularity: 'all', dimension: 'channel', metric: 's', threshold: 2, aggregations: aggs });
  assert.deepEqual(top.result, [{ channel: '#en', s: 130 }, { channel: '#fr', s: 55 }]);
  const [inv] = await run({ queryType: 'topN', granularity: 'all', dimension: 'channel', metric: { type: 'inverted', metric: 's' }, threshold: 2, aggregations: aggs });
  assert.deepEqual(inv.result, [{ channel: null, s: 1 }, { channel: '#de', s: 7 }]);
  const [lex] = await run({ queryType: 'topN', granularity: 'all', dimension: { type: 'default', dimension: 'channel', outputName: 'ch' }, metric: { type: 'lexicographic', previousStop: '#de' }, threshold: 5, aggregations: aggs });
  assert.deepEqual(lex.result.map((r: any) => r.ch), ['#en', '#fr']);
  const byDay = await run({ queryType: 'topN', granularity: 'day', dimension: 'page', metric: 's', threshold: 1, aggregations: aggs });
  assert.deepEqual(byDay.map((b) => [b.timestamp, b.result[0].page]), [['2015-09-12T00:00:00.000Z', 'Banana'], ['2015-09-13T00:00:00.000Z', 'Date']]);
});

test('groupBy: default ordering by dimensions, limitSpec ordering/offset/limit, having filter', async () => {
  const base = { queryType: 'groupBy', granularity: 'all', dimensions: ['channel'], aggregations: [{ type: 'count', name: 'c' }, { type: 'longSum', name: 's', fieldName: 'added' }] };
  const res = await run(base);
  assert.deepEqual(res.map((r) => r.event.channel), [null, '#de', '#en', '#fr']);
  assert.ok(res.every((r) => r.version === 'v1' && r.timestamp === '2015-09-12T00:00:00.000Z'));
  const lim = await run({ ...base, limitSpec: { type: 'default', columns: [{ dimension: 's', direction: 'descending' }], offset: 1, limit: 2 } });
  assert.deepEqual(lim.map((r) => r.event), [{ channel: '#fr', c: 2, s: 55 }, { channel: '#de', c: 1, s: 7 }]);
  const hav = await run({ ...base, having: { type: 'filter', filter: { type: 'bound', dimension: 's', lower: '10', ordering: 'numeric' } } });
  assert.deepEqual(hav.map((r) => r.event.channel), ['#en', '#fr']);
  const andHaving = await run({ ...base, having: { type: 'and', havingSpecs: [{ type: 'greaterThan', aggregation: 'c', value: 1 }, { type: 'not', havingSpec: { type: 'dimSelector', dimension: 'channel', value: '#fr' } }] } });
  assert.deepEqual(andHaving.map((r) => r.event.channel), ['#en']);
});

test('groupBy: multi-value rows count once per value; listFiltered keeps listed values', async () => {
  const res = await run({ queryType: 'groupBy', granularity: 'all', dimensions: ['tags'], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(res.map((r) => [r.event.tags, r.event.c]), [[null, 2], ['t1', 3], ['t2', 3], ['t3', 1]]);
  const filtered = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [{ type: 'listFiltered', delegate: 'tags', values: ['t1'] }], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(filtered.map((r) => [r.event.tags, r.event.c]), [[null, 4], ['t1', 3]]);
  const regex = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [{ type: 'regexFiltered', delegate: 'tags', pattern: '^t[23]$' }], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(regex.map((r) => [r.event.tags, r.event.c]), [[null, 3], ['t2', 3], ['t3', 1]]);
});

test('groupBy: extraction dimensions, numeric dimensions, time granularity, subtotals', async () => {
  const ext = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [
    { type: 'extraction', dimension: 'page', outputName: 'p1', extractionFn: { type: 'substring', index: 0, length: 1 } },
  ], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(ext.map((r) => [r.event.p1, r.event.c]), [['A', 4], ['B', 1], ['C', 1], ['D', 1]]);
  const casc = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [
    { type: 'extraction', dimension: 'page', outputName: 'x', extractionFn: { type: 'cascade', extractionFns: [{ type: 'lookup', lookup: { type: 'map', map: { Apple: 'fruit', Banana: 'fruit' } }, retainMissingValue: false, replaceMissingValueWith: 'other' }, { type: 'upper' }] } },
  ], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(casc.map((r) => [r.event.x, r.event.c]), [['FRUIT', 5], ['OTHER', 2]]);
  setLookupProvider(mapLookupProvider({ fruit: { Apple: 'red', Cherry: 'red', Banana: 'yellow' } }));
  const reg = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [{ type: 'extraction', dimension: 'page', outputName: 'color', extractionFn: { type: 'registeredLookup', lookup: 'fruit', retainMissingValue: true } }], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(reg.map((r) => [r.event.color, r.event.c]), [['Date', 1], ['red', 5], ['yellow', 1]]);
  setLookupProvider(null);
  const numeric = await run({ queryType: 'groupBy', granularity: 'day', dimensions: [{ type: 'default', dimension: 'added', outputType: 'LONG' }], filter: { type: 'bound', dimension: 'added', lower: '20', ordering: 'numeric' }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(numeric.map((r) => [r.timestamp.slice(0, 10), r.event.added]), [['2015-09-12', 20], ['2015-09-13', 50], ['2015-09-13', 100]]);
  const timeFmt = await run({ queryType: 'groupBy', granularity: 'all', dimensions: [{ type: 'extraction', dimension: '__time', outputName: 'h', extractionFn: { type: 'timeFormat', format: 'HH' } }], aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(timeFmt.map((r) => [r.event.h, r.event.c]), [['00', 2], ['01', 2], ['02', 1], ['03', 1], ['05', 1]]);
  const sub = await run({ queryType: 'groupBy', granularity: 'all', dimensions: ['channel', 'page'], subtotalsSpec: [['channel'], []], aggregations: [{ type: 'count', name: 'c' }] });
  assert.equal(sub.length, 5);
  assert.deepEqual(sub.at(-1).event, { c: 7 });
});

test('groupBy over a query data source (nested) and over an inline data source', async () => {
  const nested = await run({
    queryType: 'groupBy', granularity: 'all', dimensions: [],
    dataSource: { type: 'query', query: { queryType: 'groupBy', dataSource: 'wiki', intervals: IV, granularity: 'all', dimensions: ['channel', 'page'], aggregations: [{ type: 'longSum', name: 's', fieldName: 'added' }] } },
    aggregations: [{ type: 'longSum', name: 'total', fieldName: 's' }, { type: 'count', name: 'groups' }],
  });
  assert.deepEqual(nested.map((r) => r.event), [{ total: 193, groups: 6 }]);
  const inline = await ex.run({ queryType: 'groupBy', dataSource: { type: 'inline', columnNames: ['k', 'v'], rows: [['a', 1], ['b', 2], ['a', 3]] }, intervals: ['1970/2100'], granularity: 'all', dimensions: ['k'], aggregations: [{ type: 'longSum', name: 's', fieldName: 'v' }] }) as any[];
  assert.deepEqual(inline.map((r) => r.event), [{ k: 'a', s: 4 }, { k: 'b', s: 2 }]);
});

test('scan: list and compactedList, ordering by time, offset/limit, columns, batchSize', async () => {
  const list = await run({ queryType: 'scan', columns: ['__time', 'page'], limit: 3, resultFormat: 'list' });
  assert.deepEqual(list.flatMap((b) => b.events).map((e: any) => e.page), ['Apple', 'Banana', 'Apple']);
  assert.match(list[0].segmentId, /^wiki_2015-09-12T00:00:00.000Z_2015-09-13T00:00:00.000Z_v1$/);
  const desc = await run({ queryType: 'scan', columns: ['page'], order: 'descending', offset: 1, limit: 2, resultFormat: 'compactedList' });
  assert.deepEqual(desc.flatMap((b) => b.events), [['Date'], ['Apple']]);
  const byCols = await run({ queryType: 'scan', columns: ['page', 'added'], orderBy: [{ columnName: 'page', order: 'descending' }, { columnName: 'added', order: 'ascending' }], limit: 4, resultFormat: 'compactedList' });
  assert.deepEqual(byCols.flatMap((b) => b.events), [['Date', 100], ['Cherry', 7], ['Banana', 20], ['Apple', 1]]);
  const batches = await run({ queryType: 'scan', columns: ['tags'], batchSize: 2, resultFormat: 'compactedList', filter: { type: 'selector', dimension: 'tags', value: 't1' } });
  assert.deepEqual(batches.map((b) => b.events), [[[['t1', 't2']], [['t3', 't1']]], [['t1']]]);
});

test('search, timeBoundary, segmentMetadata, dataSourceMetadata', async () => {
  const [s] = await run({ queryType: 'search', searchDimensions: ['page', 'channel'], query: { type: 'insensitive_contains', value: 'A' } });
  assert.deepEqual(s.result, [{ dimension: 'page', value: 'Apple', count: 4 }, { dimension: 'page', value: 'Banana', count: 1 }, { dimension: 'page', value: 'Date', count: 1 }]);
  const tb = await ex.run({ queryType: 'timeBoundary', dataSource: 'wiki' });
  assert.deepEqual(tb, [{ timestamp: '2015-09-12T00:00:00.000Z', result: { minTime: '2015-09-12T00:00:00.000Z', maxTime: '2015-09-13T02:00:00.000Z' } }]);
  const maxOnly = await ex.run({ queryType: 'timeBoundary', dataSource: 'wiki', bound: 'maxTime', filter: { type: 'selector', dimension: 'channel', value: '#de' } });
  assert.deepEqual(maxOnly, [{ timestamp: '2015-09-12T03:00:00.000Z', result: { maxTime: '2015-09-12T03:00:00.000Z' } }]);
  const meta = await ex.run({ queryType: 'segmentMetadata', dataSource: 'wiki', merge: true }) as any[];
  assert.equal(meta.length, 1);
  assert.equal(meta[0].numRows, 7);
  assert.deepEqual(meta[0].intervals, ['2015-09-12T00:00:00.000Z/2015-09-14T00:00:00.000Z']);
  assert.equal(meta[0].columns.channel.cardinality, 4);
  assert.equal(meta[0].columns.tags.hasMultipleValues, true);
  const dsm = await ex.run({ queryType: 'dataSourceMetadata', dataSource: 'wiki' });
  assert.deepEqual(dsm, [{ timestamp: '2015-09-13T02:00:00.000Z', result: { maxIngestedEventTime: '2015-09-13T02:00:00.000Z' } }]);
});

test('virtual columns and expression filters/post-aggregators use the expression engine', async () => {
  const [row] = await run({
    queryType: 'timeseries', granularity: 'all',
    virtualColumns: [{ type: 'expression', name: 'double_added', expression: 'added * 2', outputType: 'LONG' }],
    filter: { type: 'expression', expression: "page == 'Apple'" },
    aggregations: [{ type: 'longSum', name: 's', fieldName: 'double_added' }, { type: 'count', name: 'c' }],
    postAggregations: [{ type: 'expression', name: 'avg', expression: 's / c' }],
  });
  assert.deepEqual(row.result, { s: 132, c: 4, avg: 33 });
  const [agg] = await run({ queryType: 'timeseries', granularity: 'all', aggregations: [
    { type: 'expression', name: 'sumsq', fields: ['added'], initialValue: '0', fold: '__acc + added * added', combine: '__acc + sumsq' },
  ] });
  assert.equal(agg.result.sumsq, 10 * 10 + 20 * 20 + 5 * 5 + 7 * 7 + 1 + 100 * 100 + 50 * 50);
  const gb = await run({ queryType: 'groupBy', granularity: 'all', virtualColumns: [{ type: 'expression', name: 'up', expression: 'upper(page)' }], dimensions: ['up'], filter: { type: 'selector', dimension: 'up', value: 'APPLE' }, aggregations: [{ type: 'count', name: 'c' }] });
  assert.deepEqual(gb.map((r) => r.event), [{ up: 'APPLE', c: 4 }]);
});
