/**
 * A broker whose view is older than a segment move (the coordinator loads the
 * segment on the target, then drops it from the source) still answers: when
 * every replica it knows of no longer has a segment, it re-reads the view
 * once and asks the server that serves it now.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { buildSegments } from '../../storage/build-segments.ts';
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { startClusterNode, type ClusterNodeOptions, type RunningClusterNode } from '../../server/cluster-node.ts';

const T0 = Date.UTC(2024, 0, 1);
const rows: InputRow[] = Array.from({ length: 400 }, (_, i) => ({ __time: T0 + Math.floor(i / 200) * 86_400_000 + i * 1000, page: `p${i % 5}`, n: i }));
const schema: DataSchema = {
  dataSource: 'moves', rollup: false, queryGranularity: 'none', segmentGranularity: 'day',
  dimensionsSpec: { dimensions: [{ name: 'page', type: 'string' }] }, metricsSpec: [{ type: 'longSum', name: 'n', fieldName: 'n' }],
};
const query = { queryType: 'timeseries', dataSource: 'moves', intervals: ['2024-01-01/2024-01-03'], granularity: 'all',
  aggregations: [{ type: 'count', name: 'rows' }, { type: 'longSum', name: 'n', fieldName: 'n' }], context: { useCache: false, populateCache: false } };

let tmp = '';
const nodes: RunningClusterNode[] = [];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nemeton-moves-'));
  const dbPath = join(tmp, 'metadata.db');
  const store = new SqliteMetadataStore(dbPath);
  const built = buildSegments(rows, schema, { segmentVersion: '2024-02-01T00:00:00.000Z' });
  await new SegmentPublisher(new LocalDeepStorage(join(tmp, 'deep')), store).publish(built.map((b) => ({ id: b.id, bytes: b.bytes, numRows: 200 })));
  await store.close();
  const base: Omit<ClusterNodeOptions, 'roles' | 'dataDir'> = {
    metadata: { type: 'sqlite', path: dbPath }, deepStorage: { type: 'local', dir: join(tmp, 'deep') }, host: '127.0.0.1', httpPort: 0, workers: 0,
    brokerPollMs: 600_000, brokerCacheBytes: 0,
  };
  for (const [name, roles] of [['h1', ['historical']], ['h2', ['historical']], ['broker', ['broker']]] as const) {
    nodes.push(await startClusterNode({ ...base, roles, dataDir: join(tmp, name) }));
  }
});

after(async () => {
  for (const n of nodes.reverse()) await n.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('a query after a segment moved behind the broker\'s back asks the new server', async () => {
  const [h1, h2, broker] = nodes;
  const records = await h1.metadata.usedSegments('moves');
  assert.equal(records.length, 2);
  await h1.historical!.load(records);
  await broker.brokerView!.refresh();
  const expected = [{ timestamp: '2024-01-01T00:00:00.000Z', result: { rows: 400, n: (400 * 399) / 2 } }];
  assert.deepEqual(await broker.broker!.run(query), expected);
  // The move, unseen by the broker (it polls every 10 minutes here).
  await h2.historical!.load(records);
  await h1.historical!.drop(records.map((r) => r.id));
  const missingBefore = broker.broker!.stats.missingSegments;
  assert.deepEqual(await broker.broker!.run(query), expected);
  assert.equal(broker.broker!.stats.missingSegments - missingBefore, 2, 'h1 was asked first and no longer had them');
});
