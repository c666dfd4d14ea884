/** A real ingestion stack for tests: SQLite metadata in memory, local deep storage, a data node and a query executor. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentCache } from '../../cluster/segment-cache.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { DataNode } from '../../cluster/data-node.ts';
import { IngestionService } from '../../cluster/ingestion/ingestion-service.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { createQueryExecutor, type QueryExecutor } from '../../query/executor/query-executor.ts';

export interface IngestionFixture {
  readonly dir: string;
  readonly metadata: SqliteMetadataStore;
  readonly ingestion: IngestionService;
  readonly executor: QueryExecutor;
  /** Submits a task spec, waits for it, and returns its id, status and report payload. */
  runTask(spec: unknown): Promise<{ id: string; status: string; payload: Record<string, any> }>;
  close(): Promise<void>;
}

export function ingestionFixture(): IngestionFixture {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-ingest-'));
  const metadata = new SqliteMetadataStore(':memory:');
  const deep = new LocalDeepStorage(join(dir, 'deep'));
  const segments = new LocalSegmentSource();
  const dataNode = new DataNode(metadata, new SegmentCache(join(dir, 'cache'), deep), segments, openSegment);
  const ingestion = new IngestionService({ metadata, publisher: new SegmentPublisher(deep, metadata), segments, dataNode, tmpDir: join(dir, 'tmp'), maxRowsInMemory: 100_000 });
  const executor = createQueryExecutor({ segments, workers: 0 });
  return {
    dir, metadata, ingestion, executor,
    async runTask(spec) {
      const id = await ingestion.submitTask(spec);
      await ingestion.waitForTask(id);
      const status = ((await ingestion.taskStatus(id)).status as { status: string }).status;
      const report = (await ingestion.taskReport(id)) as { ingestionStatsAndErrors: { payload: Record<string, any> } };
      return { id, status, payload: report.ingestionStatsAndErrors.payload };
    },
    async close() {
      await executor.close();
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
