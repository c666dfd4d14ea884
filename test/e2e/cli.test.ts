/** The `nemeton` command as a user runs it: start, serve, stop on SIGTERM, restart with data kept; clear errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nemeton.js');

interface Started { child: ChildProcess; httpPort: number; pgPort: number; output: () => string }

function start(args: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEMETON_LOG_LEVEL: 'info' } });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line in time:\n${out}`)); }, 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /PostgreSQL on [\d.]+:(\d+).*HTTP on http:\/\/[\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, pgPort: Number(m[1]), httpPort: Number(m[2]), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before listening:\n${out}`)); });
  });
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/status/health`).then((r) => r.json()).catch(() => false);
    if (ok === true) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('never became healthy');
}

async function count(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/druid/v2/sql`, { method: 'POST', body: JSON.stringify({ query: 'SELECT COUNT(*) AS c FROM wikipedia' }) });
  return ((await res.json()) as { c: number }[])[0].c;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

test('quickstart loads once, survives SIGTERM and a restart', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-cli-'));
  try {
    const args = ['quickstart', '--rows', '3000', '--data-dir', dir, '--pg-port', '0', '--http-port', '0'];
    const first = await start(args);
    await waitHealthy(first.httpPort);
    assert.equal(await count(first.httpPort), 3000);
    first.child.kill('SIGTERM');
    assert.equal(await exitOf(first.child), 0);

    const second = await start(args);
    await waitHealthy(second.httpPort);
    assert.match(second.output(), /already loaded/);
    assert.equal(await count(second.httpPort), 3000);
    second.child.kill('SIGINT');
    assert.equal(await exitOf(second.child), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a port already in use makes the CLI exit non-zero naming the port', { timeout: 60_000 }, async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-cli-'));
  try {
    const child = spawn(process.execPath, [BIN, 'start', '--data-dir', dir, '--http-port', String(port), '--pg-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await exitOf(child);
    assert.notEqual(code, 0);
    assert.match(err, new RegExp(`port ${port}.*in use`));
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags give a clear message', async () => {
  const child = spawn(process.execPath, [BIN, 'start', '--pg-port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  assert.equal(await exitOf(child), 1);
  assert.match(err, /--pg-port expects a port number/);
});
