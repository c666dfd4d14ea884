/**
 * `nemeton ingest`: the real CLI spawned on small specs, in process on a data
 * directory and against a running server (--url); exit codes, the printed
 * report summary and progress, and the data queryable afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../server/config.ts';
import { startNode, type RunningNode } from '../../server/node.ts';
import { progressLine, reportSummary } from '../../cluster/ingestion/task-progress-text.ts';
import { runIngestCommand } from '../../server/cli/ingest-command.ts';

/** Runs the command in this process with captured output. */
async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => ({ write: (c: string) => { append(String(c)); return true; } }) as unknown as NodeJS.WritableStream;
  const code = await runIngestCommand(args, { out: sink((c) => { stdout += c; }), err: sink((c) => { stderr += c; }) });
  return { code, stdout, stderr };
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nemeton.js');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nemeton-ingest-cli-'));
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) lines.push(JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, i % 24)).toISOString(), shop: `s${i % 3}`, amount: i }));
  lines.splice(10, 0, '{broken json');
  lines.splice(20, 0, JSON.stringify({ ts: 'not a time', shop: 's0', amount: 1 }));
  writeFileSync(join(dir, 'sales.json'), `${lines.join('\n')}\n`);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function spec(dataSource: string, baseDir: string): string {
  const file = join(dir, `${dataSource}.spec.json`);
  writeFileSync(file, JSON.stringify({
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource,
        timestampSpec: { column: 'ts', format: 'iso' },
        dimensionsSpec: { dimensions: ['shop'] },
        metricsSpec: [{ type: 'count', name: 'count' }, { type: 'longSum', name: 'amount', fieldName: 'amount' }],
        granularitySpec: { segmentGranularity: 'day', queryGranularity: 'hour', rollup: true },
      },
      ioConfig: { type: 'index_parallel', inputSource: { type: 'local', baseDir, filter: 'sales.json' }, inputFormat: { type: 'json' } },
      tuningConfig: { type: 'index_parallel', maxSavedParseExceptions: 5 },
    },
  }));
  return file;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function totals(node: RunningNode, dataSource: string): Promise<{ rows: number; amount: number }> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/druid/v2`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queryType: 'timeseries', dataSource, intervals: ['2000/3000'], granularity: 'all', aggregations: [{ type: 'longSum', name: 'rows', fieldName: 'count' }, { type: 'longSum', name: 'amount', fieldName: 'amount' }] }),
  });
  assert.equal(res.status, 200);
  const body = await res.json() as { result: { rows: number; amount: number } }[];
  return body[0]?.result ?? { rows: 0, amount: 0 };
}

const EXPECTED_AMOUNT = (299 * 300) / 2;

test('in process: exit 0, report summary with parse error reasons, data queryable by a server afterwards', async () => {
  const dataDir = join(dir, 'var-local');
  const r = await runCli(['ingest', spec('sales_local', dir), '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /: SUCCESS in /);
  assert.match(r.stdout, /processed: 300 {2}processedWithError: 0 {2}unparseable: 2 {2}thrownAway: 0/);
  assert.match(r.stdout, /segments published: 1/);
  assert.match(r.stdout, /\[unparseable\] Unable to parse row \[\{broken json\]/);
  assert.match(r.stdout, /\[unparseable\] Unparseable timestamp found!.*not a time/);
  assert.match(r.stderr, /302 rows/, 'progress line counts every record read');
  assert.match(r.stderr, /100\.0%/);

  const node = await startNode(resolveConfig({}, { dataDir, pgPort: 0, httpPort: 0 }));
  try {
    assert.deepEqual(await totals(node, 'sales_local'), { rows: 300, amount: EXPECTED_AMOUNT });
  } finally {
    await node.stop();
  }
});

test('--url: submits to a running server, follows the task, data queryable there', async () => {
  const dataDir = join(dir, 'var-server');
  const node = await startNode(resolveConfig({}, { dataDir, pgPort: 0, httpPort: 0 }));
  try {
    const r = await runCli(['ingest', spec('sales_remote', dir), '--url', `http://127.0.0.1:${node.httpPort}`, '--poll-ms', '50']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /processed: 300 .*unparseable: 2/);
    assert.match(r.stdout, /Unable to parse row/);
    assert.match(r.stderr, /rows\/s/);
    assert.deepEqual(await totals(node, 'sales_remote'), { rows: 300, amount: EXPECTED_AMOUNT });

    const failing = await runCli(['ingest', spec('sales_missing', join(dir, 'no-such-dir')), '--url', `http://127.0.0.1:${node.httpPort}`, '--poll-ms', '50']);
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /FAILED/);
    assert.match(failing.stdout, /error: .*no-such-dir/);
  } finally {
    await node.stop();
  }
});

test('failures exit non-zero with a clear message', async () => {
  const missing = await runInProcess([join(dir, 'nope.json'), '--data-dir', join(dir, 'var-x')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Cannot read spec file/);

  const badFile = join(dir, 'bad.spec.json');
  writeFileSync(badFile, JSON.stringify({ type: 'index_parallel', spec: { dataSchema: { dataSource: 'x' } } }));
  const bad = await runInProcess([badFile, '--data-dir', join(dir, 'var-x')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /timestampSpec|ioConfig/);

  const failed = await runCli(['ingest', spec('sales_gone', join(dir, 'no-such-dir')), '--data-dir', join(dir, 'var-x')]);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /FAILED/);

  const noServer = await runInProcess([spec('sales_x', dir), '--url', 'http://127.0.0.1:1']);
  assert.equal(noServer.code, 1);
  assert.match(noServer.stderr, /Cannot reach/);
});

test('progress line and summary text', () => {
  assert.equal(progressLine({ phase: 'reading', rowsRead: 1000, bytesRead: 512 * 1024, totalBytes: 1024 * 1024 }, 2000, 10),
    '[#####.....]  50.0%  1,000 rows  0.5/1.0 MB  500 rows/s  reading');
  assert.equal(progressLine({ phase: 'running', rowsRead: 10, bytesRead: 0, totalBytes: 0 }, 1000, 10), '10 rows  0.0 MB  10 rows/s  running');
  const text = reportSummary('t1', 'SUCCESS', { ingestionStatsAndErrors: { payload: {
    rowStats: { buildSegments: { processed: 5, processedWithError: 1, unparseable: 2, thrownAway: 3, processedBytes: 99 } },
    unparseableEvents: { buildSegments: [{ errorType: 'processedWithError', details: ['bad [x]'], input: '{}' }] }, segmentsPublished: 2, errorMsg: null,
  } } }, 1500);
  assert.match(text, /^Task t1: SUCCESS in 1\.5 s\n {2}processed: 5 {2}processedWithError: 1 {2}unparseable: 2 {2}thrownAway: 3 {2}processedBytes: 99\n {2}segments published: 2\n {2}first parse errors \(1 saved\):\n {4}- \[processedWithError\] bad \[x\]\n$/);
});
