/**
 * REPLACE publishes the new version and retires the old segments in one metadata transaction: a failed
 * publish leaves the old data in use, a successful one never shows both versions or neither.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { PostgresMetadataStore } from '../../cluster/metadata/postgres-metadata-store.ts';
import type { MetadataStore, SegmentRecord } from '../../cluster/metadata/metadata-store.ts';
import { skipUnlessInstalled, startPostgres, type PostgresServer } from '../support/index.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { ingestionFixture } from './service-fixture.ts';

function record(id: string, version: string): SegmentRecord {
  return {
    id, dataSource: 'ds', interval: { start: 0, end: 86_400_000 }, version, partitionNum: 0, numPartitions: 1, numRows: 1,
    sizeBytes: 1, loadSpec: { type: 'local', path: id }, payload: {}, used: true, createdAt: '2024-01-01T00:00:00.000Z',
  };
}

/** Publishing with `retire` on a store: a failed insert rolls the retirement back; a good one swaps the versions. */
async function retireInOneTransaction(m: MetadataStore): Promise<void> {
  assert.equal(await m.publishSegments([record('old', 'v1')]), true);
  // The second record repeats an existing id: the insert fails, and the retirement is rolled back with it.
  await assert.rejects(m.publishSegments([record('new', 'v2'), record('old', 'v2')], undefined, ['old']));
  assert.deepEqual((await m.usedSegments('ds')).map((s) => s.id), ['old']);
  assert.equal(await m.publishSegments([record('new', 'v2')], undefined, ['old']), true);
  assert.deepEqual((await m.usedSegments('ds')).map((s) => s.id), ['new']);
}

test('SQLite: publishSegments retires segments in the same transaction, or not at all when the publish fails', async () => {
  const m = new SqliteMetadataStore(':memory:');
  try {
    await retireInOneTransaction(m);
  } finally {
    await m.close();
  }
});

const pgSkip = skipUnlessInstalled('postgres');
let server: PostgresServer | undefined;
before(async () => { if (!pgSkip) server = await startPostgres(); }, { timeout: 60000 });
after(async () => { await server?.stop(); });

test('PostgreSQL: publishSegments retires segments in the same transaction, or not at all when the publish fails', { skip: pgSkip }, async () => {
  const m = await PostgresMetadataStore.open({ url: server!.url });
  try {
    await retireInOneTransaction(m);
  } finally {
    await m.close();
  }
});

const schema: DataSchema = {
  dataSource: 'ds', dimensionsSpec: { dimensions: [{ name: 'k', type: 'string' }] }, metricsSpec: [],
  queryGranularity: 'none', segmentGranularity: 'day', rollup: false,
};
const day = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 2) };
const rows = (k: string, n: number): InputRow[] => Array.from({ length: n }, (_, i) => ({ __time: day.start + i * 1000, k }));

test('replaceRows publishes and retires in one metadata call; a bad streamed row leaves the old data in use', async () => {
  const f = ingestionFixture();
  try {
    await f.ingestion.ingestRows(schema, rows('old', 3));
    const before = (await f.metadata.usedSegments('ds')).map((s) => s.id);
    let markUnusedCalls = 0;
    let publishCalls = 0;
    const markUnused = f.metadata.markUnused.bind(f.metadata);
    const publishSegments = f.metadata.publishSegments.bind(f.metadata);
    f.metadata.markUnused = async (ids) => { markUnusedCalls++; return markUnused(ids); };
    f.metadata.publishSegments = async (...a) => { publishCalls++; return publishSegments(...a); };

    // A streamed REPLACE whose third row is outside the intervals: nothing is published or retired.
    await assert.rejects(f.ingestion.replaceRows(schema, async (add) => {
      add(rows('new', 1)[0]);
      add(rows('new', 1)[0]);
      add({ __time: day.end + 1, k: 'late' } as InputRow);
    }, [day]), /outside the REPLACE intervals/);
    assert.deepEqual((await f.metadata.usedSegments('ds')).map((s) => s.id), before);
    assert.equal(publishCalls, 0);

    const result = await f.ingestion.replaceRows(schema, async (add) => { for (const r of rows('new', 2)) add(r); }, [day]);
    assert.equal(result.rows, 2);
    assert.equal(publishCalls, 1, 'one metadata transaction');
    assert.equal(markUnusedCalls, 0, 'no separate retirement step');
    const used = await f.metadata.usedSegments('ds');
    assert.deepEqual(used.map((s) => s.id), result.segments.map((s) => s.id));
    assert.ok(used.every((s) => !before.includes(s.id)));
    const scan = await f.executor.run({
      queryType: 'scan', dataSource: { type: 'table', name: 'ds' }, intervals: { type: 'intervals', intervals: ['2024-01-01/2024-01-02'] },
      columns: ['k'], resultFormat: 'compactedList', legacy: false,
    } as never) as { events: unknown[][] }[];
    assert.deepEqual(scan.flatMap((r) => r.events), [['new'], ['new']]);
  } finally {
    await f.close();
  }
});
