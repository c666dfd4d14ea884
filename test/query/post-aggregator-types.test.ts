import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryExecutor } from '../../query/executor/query-executor.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';

test('expression post-aggregators see aggregator output types (doubleSum 3.0 / 2 = 1.5, longSum 3 / 2 = 1)', async () => {
  const segments = new LocalSegmentSource();
  const schema = {
    dataSource: 't', dimensionsSpec: { dimensions: [{ name: 'd', type: 'string' as const }, { name: 'x', type: 'long' as const }] }, metricsSpec: [],
    queryGranularity: 'none' as const, segmentGranularity: 'day' as const, rollup: false,
  };
  for (const b of buildSegments([{ __time: 0, d: 'a', x: 1 }, { __time: 1, d: 'a', x: 2 }], schema)) segments.addSegment(b.id, openSegment(b.bytes, b.id));
  const executor = createQueryExecutor({ segments, workers: 0 });
  try {
    const [row] = await executor.run({
      queryType: 'timeseries', dataSource: 't', intervals: ['1970/1971'], granularity: 'all',
      aggregations: [{ type: 'doubleSum', name: 'ds', fieldName: 'x' }, { type: 'longSum', name: 'ls', fieldName: 'x' }],
      postAggregations: [
        { type: 'expression', name: 'half_double', expression: 'ds / 2' },
        { type: 'expression', name: 'half_long', expression: 'ls / 2' },
        { type: 'arithmetic', name: 'ratio', fn: '/', fields: [{ type: 'fieldAccess', fieldName: 'ls' }, { type: 'constant', value: 2 }] },
        { type: 'expression', name: 'ratio_half', expression: 'ratio / 2' },
      ],
    }) as { result: Record<string, number> }[];
    assert.equal(row.result.half_double, 1.5);
    assert.equal(row.result.half_long, 1);
    assert.equal(row.result.ratio, 1.5);
    assert.equal(row.result.ratio_half, 0.75);
  } finally {
    await executor.close();
  }
});
