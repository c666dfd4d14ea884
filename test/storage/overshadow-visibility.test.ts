/**
 * A newer version over part of an older segment's interval hides exactly the
 * older rows in that part: queries see older rows elsewhere and newer rows
 * inside, through every engine path (full scans, bitmap filters, scans).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegments } from '../../storage/build-segments.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { RowRangeSegment, clipSegmentToInterval } from '../../storage/row-range-segment.ts';
import { createQueryExecutor } from '../../query/executor/query-executor.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import type { Segment, SegmentId } from '../../storage/segment.ts';
import { readRows } from './helpers.ts';

const H = 3_600_000;
const DAY0 = Date.UTC(2024, 0, 1);

function schema(sg: DataSchema['segmentGranularity']): DataSchema {
  return {
    dataSource: 'ov', dimensionsSpec: { dimensions: [{ name: 'who', type: 'string' }, { name: 'tag', type: 'string' }] },
    metricsSpec: [{ type: 'count', name: 'cnt' }, { type: 'longSum', name: 'v', fieldName: 'v' }],
    queryGranularity: 'none', segmentGranularity: sg, rollup: false,
  };
}

function segmentOf(rows: InputRow[], sg: DataSchema['segmentGranularity'], version: string): { id: SegmentId; seg: Segment } {
  const [b] = buildSegments(rows, schema(sg), { segmentVersion: version, blockRows: 4 });
  return { id: b.id, seg: openSegment(b.bytes, b.id) };
}

/** v1: one row per hour of the day (who=old); v2: hours 6..11 as HOUR segments (who=new), v=100. */
function setup(): { source: LocalSegmentSource; v2: { id: SegmentId; seg: Segment }[] } {
  const source = new LocalSegmentSource();
  const old = segmentOf(Array.from({ length: 24 }, (_, h) => ({ __time: DAY0 + h * H + 1000, who: 'old', tag: h % 2 === 0 ? 'even' : ['odd', 'x'], v: 1 })), 'day', 'v1');
  source.addSegment(old.id, old.seg);
  const v2 = [];
  for (let h = 6; h < 12; h++) {
    const s = segmentOf([{ __time: DAY0 + h * H + 2000, who: 'new', tag: 'even', v: 100 }], 'hour', 'v2');
    source.addSegment(s.id, s.seg);
    v2.push(s);
  }
  return { source, v2 };
}

test('older rows under a newer partial version never appear', async () => {
  const { source, v2 } = setup();
  const ex = createQueryExecutor({ segments: source, workers: 0 });
  const ts = (await ex.run({ queryType: 'timeseries', dataSource: 'ov', granularity: 'all', intervals: ['2024-01-01/2024-01-02'],
    aggregations: [{ type: 'longSum', name: 'cnt', fieldName: 'cnt' }, { type: 'longSum', name: 'v', fieldName: 'v' }] } as never)) as { result: Record<string, number> }[];
  assert.deepEqual(ts[0].result, { cnt: 18 + 6, v: 18 + 600 });
  // Bitmap filter path on a multi-value column of the clipped segment.
  const gb = (await ex.run({ queryType: 'groupBy', dataSource: 'ov', granularity: 'all', intervals: ['2024-01-01/2024-01-02'], dimensions: ['who'],
    filter: { type: 'selector', dimension: 'tag', value: 'x' },
    aggregations: [{ type: 'longSum', name: 'cnt', fieldName: 'cnt' }] } as never)) as { event: Record<string, unknown> }[];
  // Odd hours outside 6..11: 1,3,5,13,...,23 -> 9 rows.
  assert.deepEqual(gb.map((r) => r.event), [{ who: 'old', cnt: 9 }]);
  const scan = (await ex.run({ queryType: 'scan', dataSource: 'ov', intervals: ['2024-01-01T05/2024-01-01T13'], columns: ['__time', 'who'], resultFormat: 'compactedList' } as never)) as { events: unknown[][] }[];
  const events = scan.flatMap((b) => b.events).sort((a, b) => (a[0] as number) - (b[0] as number));
  assert.deepEqual(events.map((e) => e[1]), ['old', 'new', 'new', 'new', 'new', 'new', 'new', 'old']);
  // Retiring the newer version makes the whole older segment visible again.
  for (const s of v2) source.remove(s.id);
  const again = (await ex.run({ queryType: 'timeseries', dataSource: 'ov', granularity: 'all', intervals: ['2024-01-01/2024-01-02'],
    aggregations: [{ type: 'longSum', name: 'cnt', fieldName: 'cnt' }] } as never)) as { result: Record<string, number> }[];
  assert.equal(again[0].result.cnt, 24);
  await ex.close();
});

test('a fully visible segment is served whole; a split one as row ranges of the visible parts', () => {
  const { source } = setup();
  const segs = source.segmentsFor('ov', [{ start: DAY0, end: DAY0 + 24 * H }]);
  const parts = segs.filter((s) => s instanceof RowRangeSegment) as RowRangeSegment[];
  assert.equal(parts.length, 2);
  assert.deepEqual(parts.map((p) => [p.numRows, p.dataInterval.start]), [[6, DAY0 + 1000], [12, DAY0 + 12 * H + 1000]]);
  assert.equal(segs.length, 2 + 6);
});

test('row-range segments read the same rows as the base, re-based', () => {
  const { seg } = segmentOf(Array.from({ length: 30 }, (_, i) => ({ __time: DAY0 + i * 1000, who: `w${i % 5}`, tag: i % 3 === 0 ? ['a', 'b'] : null, v: i % 4 === 0 ? null : i })), 'day', 'v1');
  const clipped = clipSegmentToInterval(seg, { start: DAY0 + 7000, end: DAY0 + 21000 });
  assert.equal(clipped.numRows, 14);
  assert.deepEqual(readRows(clipped), readRows(seg).slice(7, 21));
  const col = clipped.stringColumn('who')!;
  assert.deepEqual(col.bitmap(col.lookupId('w2')).toArray(), [0, 5, 10]);
  assert.deepEqual(clipped.numericColumn('v')!.nulls()!.toArray(), [1, 5, 9, 13]);
  assert.equal(clipSegmentToInterval(seg, { start: DAY0, end: DAY0 + 30000 }), seg);
});
