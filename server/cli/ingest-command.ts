/**
 * `nemeton ingest <spec.json> [--data-dir DIR] [--url http://host:port]`:
 * runs a Druid batch task spec. With --url it submits the spec to a running
 * server (POST /druid/indexer/v1/task) and polls its status and report;
 * without, it runs the task in this process on the data directory through
 * the same IngestionService the server uses. Shows progress on stderr, prints
 * the task report summary on stdout, and returns 0 on SUCCESS, 1 otherwise.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errors, asNemetonError } from '../../common/errors.ts';
import { setLogLevel } from '../../common/log.ts';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { LocalDeepStorage } from '../../cluster/deep-storage/local-deep-storage.ts';
import { SegmentCache } from '../../cluster/segment-cache.ts';
import { SegmentPublisher } from '../../cluster/segment-publisher.ts';
import { DataNode } from '../../cluster/data-node.ts';
import { IngestionService } from '../../cluster/ingestion/ingestion-service.ts';
import { parseBatchIngestionSpec } from '../../cluster/ingestion/ingestion-spec.ts';
import { inputSize } from '../../cluster/ingestion/input-reader.ts';
import { ProgressPrinter, reportPayload, reportSummary, type IngestProgressSnapshot } from '../../cluster/ingestion/task-progress-text.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { openSegment } from '../../storage/format/segment-reader.ts';
import { readConfigFile, resolveConfig } from '../config.ts';

export const ingestUsage = `Usage: nemeton ingest <spec.json> [--data-dir DIR] [--url http://host:port] [--config FILE] [--poll-ms N]

Runs a Druid batch ingestion task spec (index_parallel / index).
  --url URL        submit to a running server and follow the task there
  --data-dir DIR   without --url: run in this process on DIR             [./var]
  --config FILE    JSON config (its dataDir is used without --data-dir)
  --poll-ms N      --url: status poll interval                           [250]
Exit status: 0 when the task succeeded, 1 when it failed or could not start.
`;

/** Where the command writes: progress/errors to `err`, the summary to `out`. */
export interface IngestCommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
}

function readSpec(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw errors.invalidInput(`Cannot read spec file [${file}]: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.invalidInput(`Spec file [${file}] is not valid JSON: ${(e as Error).message}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the task in this process on the data directory; returns the exit code. */
async function runLocal(rawSpec: unknown, dataDir: string, io: IngestCommandIo): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const metadata = new SqliteMetadataStore(join(dataDir, 'metadata.db'));
  try {
    const deep = new LocalDeepStorage(join(dataDir, 'deep'));
    const segments = new LocalSegmentSource();
    const dataNode = new DataNode(metadata, new SegmentCache(join(dataDir, 'cache'), deep), segments, openSegment);
    const ingestion = new IngestionService({
      metadata, publisher: new SegmentPublisher(deep, metadata), segments, dataNode, tmpDir: join(dataDir, 'tmp'), maxRowsInMemory: 1_000_000,
    });
    const started = Date.now();
    const id = await ingestion.submitTask(rawSpec);
    const printer = new ProgressPrinter(io.err);
    const timer = setInterval(() => {
      const p = ingestion.taskProgress(id);
      if (p) printer.update(p);
    }, 200);
    try {
      await ingestion.waitForTask(id);
    } finally {
      clearInterval(timer);
    }
    const last = ingestion.taskProgress(id);
    if (last) printer.update(last);
    printer.finish();
    const status = ((await ingestion.taskStatus(id)).status as { status: string }).status;
    io.out.write(reportSummary(id, status, await ingestion.taskReport(id), Date.now() - started));
    return status === 'SUCCESS' ? 0 : 1;
  } finally {
    await metadata.close();
  }
}

async function httpJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw errors.invalidInput(`Cannot reach [${url}]: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch { /* keep the text */ }
  return { status: res.status, body };
}

/** Submits the spec to a server and follows the task; returns the exit code. */
async function runRemote(rawSpec: unknown, baseUrl: string, pollMs: number, io: IngestCommandIo): Promise<number> {
  const base = baseUrl.replace(/\/+$/, '');
  // Bytes of local input files, when this machine can see them (else progress shows rows only).
  let totalBytes = 0;
  try {
    totalBytes = inputSize(parseBatchIngestionSpec(rawSpec).inputSource);
  } catch { /* the server validates the spec */ }
  const started = Date.now();
  const submitted = await httpJson(`${base}/druid/indexer/v1/task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rawSpec) });
  const id = (submitted.body as { task?: string }).task;
  if (submitted.status !== 200 || typeof id !== 'string') {
    const b = submitted.body as { errorMessage?: string; error?: string };
    io.err.write(`nemeton ingest: the server refused the task (HTTP ${submitted.status}): ${b?.errorMessage ?? b?.error ?? JSON.stringify(submitted.body)}\n`);
    return 1;
  }
  const printer = new ProgressPrinter(io.err);
  const enc = encodeURIComponent(id);
  let status = 'RUNNING';
  let report: unknown = null;
  for (;;) {
    const st = await httpJson(`${base}/druid/indexer/v1/task/${enc}/status`);
    status = (st.body as { status?: { status?: string } }).status?.status ?? 'UNKNOWN';
    const rep = await httpJson(`${base}/druid/indexer/v1/task/${enc}/reports`);
    if (rep.status === 200) report = rep.body;
    const s = reportPayload(report).rowStats?.buildSegments ?? {};
    const snapshot: IngestProgressSnapshot = {
      phase: status === 'RUNNING' ? 'running' : 'done',
      rowsRead: (s.processed ?? 0) + (s.processedWithError ?? 0) + (s.unparseable ?? 0) + (s.thrownAway ?? 0),
      bytesRead: s.processedBytes ?? 0,
      totalBytes,
    };
    printer.update(snapshot);
    if (status !== 'RUNNING' && status !== 'PENDING' && status !== 'WAITING') break;
    await sleep(pollMs);
  }
  printer.finish();
  io.out.write(reportSummary(id, status, report, Date.now() - started));
  return status === 'SUCCESS' ? 0 : 1;
}

/**
 * The `ingest` command with its own arguments (after the word `ingest`).
 * Returns the exit code; bad arguments and unreadable specs print a message
 * and return 1.
 */
export async function runIngestCommand(argv: readonly string[], io: IngestCommandIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        config: { type: 'string' },
        'poll-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out.write(ingestUsage);
      return 0;
    }
    if (positionals.length !== 1) {
      io.err.write(`nemeton ingest: expected one spec file, got ${positionals.length}\n\n${ingestUsage}`);
      return 1;
    }
    const spec = readSpec(positionals[0]);
    if (values.url !== undefined) {
      if (values['data-dir'] !== undefined) throw errors.invalidInput('--url and --data-dir do not go together (the server owns its data directory)');
      const pollMs = values['poll-ms'] === undefined ? 250 : Number(values['poll-ms']);
      if (!Number.isFinite(pollMs) || pollMs < 10) throw errors.invalidInput(`--poll-ms expects a number of milliseconds >= 10, got [${values['poll-ms']}]`);
      return await runRemote(spec, values.url, pollMs, io);
    }
    const config = resolveConfig(values.config ? readConfigFile(values.config) : {}, { dataDir: values['data-dir'] });
    setLogLevel(config.logLevel === 'info' ? 'warn' : config.logLevel);
    return await runLocal(spec, config.dataDir, io);
  } catch (e) {
    io.err.write(`nemeton ingest: ${asNemetonError(e).message}\n`);
    return 1;
  }
}
