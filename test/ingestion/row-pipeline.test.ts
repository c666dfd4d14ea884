import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBatchIngestionSpec } from '../../cluster/ingestion/ingestion-spec.ts';
import { createRowPipeline } from '../../cluster/ingestion/row-pipeline.ts';

test('uncount takes back exactly the counter the last accepted row went to', () => {
  const spec = parseBatchIngestionSpec({
    type: 'index_parallel',
    spec: {
      dataSchema: { dataSource: 'x', timestampSpec: { column: 't', format: 'iso' }, dimensionsSpec: { dimensions: [{ type: 'long', name: 'n' }] }, granularitySpec: { rollup: false } },
      ioConfig: { inputSource: { type: 'inline', data: '' }, inputFormat: { type: 'json' } },
    },
  });
  const p = createRowPipeline(spec);
  assert.ok(p.accept({ ok: true, record: { t: '2020-01-01T00:00:00Z', n: 'not a number' } }));
  assert.equal(p.stats.processedWithError, 1);
  p.uncount();
  assert.deepEqual([p.stats.processed, p.stats.processedWithError], [0, 0]);
  assert.ok(p.accept({ ok: true, record: { t: '2020-01-01T00:00:00Z', n: 5 } }));
  p.uncount();
  p.uncount(); // a second call takes nothing more
  assert.deepEqual([p.stats.processed, p.stats.processedWithError], [0, 0]);
  assert.equal(p.accept({ ok: true, record: { t: 'yesterday', n: 1 } }), null);
  p.uncount(); // nothing was accepted: the unparseable count stays
  assert.equal(p.stats.unparseable, 1);
});
