import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { skipUnlessInstalled } from '../support/components.ts';
import { startKafka } from '../support/kafka.ts';
import { event, openStack, produce, visibleIds } from './fixtures.ts';

const skip = skipUnlessInstalled('kafka');
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

function startChild(dir: string, bootstrap: string, expected: number): { proc: ChildProcess; started: Promise<void>; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, bootstrap, 'crash', String(expected)], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEMETON_LOG_LEVEL: 'warn' },
  });
  let err = '';
  proc.stderr!.on('data', (d) => { err += String(d); });
  const started = new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => { if (String(d).includes('started')) resolve(); });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before starting: ${err}`)));
  });
  started.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, started, exited };
}

test('kill -9 at arbitrary points, restart: every event counted exactly once', { skip, timeout: 90000 }, async () => {
  const kafka = await startKafka({ topics: [{ name: 'crash', partitions: 4 }] });
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-kafka-crash-'));
  try {
    let produced = 0;
    const batch = (n: number) => {
      const values = Array.from({ length: n }, (_, i) => event(produced + i));
      produced += n;
      return produce(kafka.bootstrap, 'crash', values, 4);
    };
    // Kill points after start (ms): mid-read, around hand-offs (every 0.5 s), right at start.
    for (const killAfter of [350, 900, 1600, 60]) {
      const c = startChild(dir, kafka.bootstrap, 0);
      await c.started;
      const feeding = (async () => {
        for (let i = 0; i < 4; i++) {
          await batch(250);
          await new Promise((r) => setTimeout(r, killAfter / 4));
        }
      })();
      await new Promise((r) => setTimeout(r, killAfter));
      c.proc.kill('SIGKILL');
      await c.exited;
      await feeding;
    }
    const finalRun = startChild(dir, kafka.bootstrap, produced);
    await finalRun.started;
    assert.equal(await finalRun.exited, 0);

    const stack = await openStack(dir);
    try {
      const used = await stack.metadata.usedSegments('crash');
      assert.equal(used.reduce((n, s) => n + s.numRows, 0), produced, 'published rows equal produced events');
      const ids = visibleIds(stack.segments, 'crash');
      assert.equal(ids.length, produced);
      assert.equal(new Set(ids).size, produced, 'no event counted twice');
    } finally {
      await stack.metadata.close();
    }
  } finally {
    await kafka.stop();
  }
});
