import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBatchIngestionSpec } from '../../cluster/ingestion/ingestion-spec.ts';
import { readInput, type RawItem } from '../../cluster/ingestion/input-reader.ts';
import { compileJsonPath, evaluateJsonPath, flattenRecord } from '../../cluster/ingestion/flatten.ts';
import { timestampParser } from '../../cluster/ingestion/timestamp-parser.ts';

const baseSpec = {
  type: 'index_parallel',
  spec: {
    dataSchema: {
      dataSource: 'wiki',
      timestampSpec: { column: 'time', format: 'iso' },
      dimensionsSpec: { dimensions: ['channel', { type: 'long', name: 'added' }] },
      metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'deleted', fieldName: 'deleted' }],
      granularitySpec: { segmentGranularity: 'day', queryGranularity: 'HOUR', rollup: true, intervals: ['2015-09-12/2015-09-13'] },
    },
    ioConfig: { type: 'index_parallel', inputSource: { type: 'inline', data: '{"time":"2015-09-12T01:00:00Z"}' }, inputFormat: { type: 'json' } },
    tuningConfig: { type: 'index_parallel', maxRowsPerSegment: 1000 },
  },
};

test('a Druid index_parallel spec validates into a typed spec', () => {
  const spec = parseBatchIngestionSpec(baseSpec);
  assert.equal(spec.dataSchema.dataSource, 'wiki');
  assert.equal(spec.dataSchema.queryGranularity, 'hour');
  assert.equal(spec.dataSchema.rollup, true);
  assert.deepEqual(spec.dataSchema.dimensionsSpec.dimensions, [{ name: 'channel', type: 'string' }, { name: 'added', type: 'long' }]);
  assert.deepEqual(spec.dataSchema.metricsSpec[1], { type: 'longSum', name: 'deleted', fieldName: 'deleted' });
  assert.equal(spec.tuningConfig.maxRowsPerSegment, 1000);
  assert.deepEqual(spec.intervals, ['2015-09-12/2015-09-13']);
});

test('bad specs fail with messages naming the field', () => {
  const withSchema = (patch: Record<string, unknown>) => ({ ...baseSpec, spec: { ...baseSpec.spec, dataSchema: { ...baseSpec.spec.dataSchema, ...patch } } });
  assert.throws(() => parseBatchIngestionSpec({ type: 'kafka' }), /Task type \[kafka\] is not supported/);
  assert.throws(() => parseBatchIngestionSpec(withSchema({ dataSource: '' })), /dataSource/);
  assert.throws(() => parseBatchIngestionSpec(withSchema({ metricsSpec: [{ type: 'fancySketch', name: 'x' }] })), /fancySketch/);
  assert.throws(() => parseBatchIngestionSpec(withSchema({ granularitySpec: { segmentGranularity: 'fortnight' } })), /fortnight/);
  assert.throws(() => parseBatchIngestionSpec({ ...baseSpec, spec: { ...baseSpec.spec, ioConfig: { inputSource: { type: 'http' } } } }), /inputSource type \[http\]/);
});

async function collect(items: AsyncIterable<RawItem>): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

test('json lines: good rows, bad rows counted as errors, gzip files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-input-'));
  try {
    writeFileSync(join(dir, 'a.json'), '{"x":1}\n\n{bad json\n[1,2]\n');
    writeFileSync(join(dir, 'b.json.gz'), gzipSync('{"x":2}\n{"x":3}'));
    writeFileSync(join(dir, 'ignored.txt'), 'nope');
    const items = await collect(readInput({ type: 'local', baseDir: dir, filter: '*.json*' }, { type: 'json' }));
    assert.deepEqual(items.filter((i) => i.ok).map((i) => (i as unknown as { record: { x: number } }).record.x), [1, 2, 3]);
    const bad = items.filter((i) => !i.ok);
    assert.equal(bad.length, 2);
    assert.match((bad[0] as { error: string }).error, /Unable to parse row/);
    await assert.rejects(collect(readInput({ type: 'local', baseDir: dir, filter: '*.csv' }, { type: 'json' })), /No files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('csv and tsv: columns from the spec or the header, empty cells are null, list delimiter', async () => {
  const csv = await collect(readInput({ type: 'inline', data: 't,page,n\n2020-01-01,"A, b",3\n2020-01-02,,4\n' }, { type: 'csv', findColumnsFromHeader: true }));
  assert.deepEqual(csv.map((i) => (i as { record: unknown }).record), [{ t: '2020-01-01', page: 'A, b', n: '3' }, { t: '2020-01-02', page: null, n: '4' }]);
  const tsv = await collect(readInput({ type: 'inline', data: '2020\ta|b\n' }, { type: 'tsv', columns: ['t', 'tags'], listDelimiter: '|' }));
  assert.deepEqual((tsv[0] as { record: unknown }).record, { t: '2020', tags: ['a', 'b'] });
  await assert.rejects(collect(readInput({ type: 'inline', data: 'a,b\n' }, { type: 'csv' })), /needs "columns"/);
});

test('flattenSpec: root and JSONPath fields with functions', () => {
  const rec = { t: 1, values: [3, 1, 2], nest: { a: { b: 'x' } }, arr: [{ k: 'v' }] };
  assert.equal(evaluateJsonPath(compileJsonPath('$.values.length()'), rec), 3);
  assert.equal(evaluateJsonPath(compileJsonPath('$.values.min()'), rec), 1);
  assert.equal(evaluateJsonPath(compileJsonPath('$.values.max()'), rec), 3);
  assert.equal(evaluateJsonPath(compileJsonPath('$.values.sum()'), rec), 6);
  assert.equal(evaluateJsonPath(compileJsonPath("$['nest'].a.b"), rec), 'x');
  assert.equal(evaluateJsonPath(compileJsonPath('$.arr[0].k'), rec), 'v');
  assert.equal(evaluateJsonPath(compileJsonPath('$.missing.deep'), rec), null);
  assert.throws(() => compileJsonPath('values'), /must start with \$/);
  const flat = flattenRecord(rec, { fields: [{ type: 'path', name: 'len', expr: '$.values.length()' }, { type: 'root', name: 'tt', expr: 't' }] });
  assert.deepEqual(flat, { t: 1, values: [3, 1, 2], len: 3, tt: 1 });
});

test('timestampSpec formats', () => {
  const parse = (format: string, v: unknown, missingValue: string | null = null) => timestampParser({ column: 't', format, missingValue })(v);
  assert.equal(parse('iso', '2015-09-12T00:46:58.771Z'), Date.UTC(2015, 8, 12, 0, 46, 58, 771));
  assert.equal(parse('iso', 'not a time'), null);
  assert.equal(parse('millis', 1442016000000), 1442016000000);
  assert.equal(parse('millis', '1442016000000'), 1442016000000);
  assert.equal(parse('posix', 1442016000), 1442016000000);
  assert.equal(parse('micro', 1442016000000000), 1442016000000);
  assert.equal(parse('nano', '1442016000000000000'), 1442016000000);
  assert.equal(parse('auto', '2020-01-01 01:01:01.000'), Date.UTC(2020, 0, 1, 1, 1, 1));
  assert.equal(parse('auto', 946684800000), 946684800000);
  assert.equal(parse('auto', null, '2000-01-01'), Date.UTC(2000, 0, 1));
  assert.equal(parse('dd/MM/yyyy HH:mm', '02/01/2020 03:04'), Date.UTC(2020, 0, 2, 3, 4));
  assert.equal(parse('iso', '2020-01-01 01:01:01'), null); // iso needs the T; auto is lenient
});
