import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startManagedProcess } from '../support/managed-process.ts';

const node = process.execPath;
/** True while `pid` is a live (not zombie) process; polls briefly because SIGKILL delivery is asynchronous. */
async function stillRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return false;
    }
    if (state === 'Z' || state === 'X') return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

test('waitForOutput resolves when the ready line appears; stop() ends the process and removes temp dirs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-mp-'));
  const p = startManagedProcess({
    name: 'echo-server',
    command: node,
    args: ['-e', "setTimeout(() => console.error('server is READY'), 50); setInterval(() => {}, 1000)"],
    tempDirs: [dir],
  });
  await p.waitForOutput(/is READY/, 5000);
  assert.match(p.output(), /server is READY/);
  assert.equal(p.exited(), false);
  await p.stop();
  assert.equal(p.exited(), true);
  assert.equal(existsSync(dir), false);
  await p.stop(); // idempotent
});

test('waitForOutput rejects with the output tail when the process exits before it is ready', async () => {
  const p = startManagedProcess({ name: 'crasher', command: node, args: ['-e', "console.log('bad config: port'); process.exit(3)"] });
  await assert.rejects(p.waitForOutput(/ready/, 5000), /crasher: exited before it was ready[\s\S]*bad config: port/);
  await p.stop();
});

test('waitForOutput and waitUntil reject on timeout', async () => {
  const p = startManagedProcess({ name: 'silent', command: node, args: ['-e', 'setInterval(() => {}, 1000)'] });
  try {
    await assert.rejects(p.waitForOutput(/never/, 100), /silent: not ready after 100 ms/);
    let calls = 0;
    await assert.rejects(
      p.waitUntil(async () => ++calls > 1000, 150, 20),
      /not ready after 150 ms/,
    );
    assert.ok(calls >= 3);
    await p.waitUntil(async () => true, 100);
  } finally {
    await p.stop();
  }
});

test('stop() escalates to SIGKILL when the process ignores the stop signal', async () => {
  const p = startManagedProcess({
    name: 'stubborn',
    command: node,
    args: ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"],
  });
  await p.waitForOutput(/up/, 5000);
  const started = Date.now();
  await p.stop(300);
  assert.equal(p.child.signalCode, 'SIGKILL');
  assert.ok(Date.now() - started < 3000);
});

test('a spawn failure is reported, not hung on', async () => {
  const p = startManagedProcess({ name: 'ghost', command: '/nonexistent/binary', args: [] });
  await assert.rejects(p.waitForOutput(/x/, 5000), /ghost: exited before it was ready \(spawn \/nonexistent\/binary ENOENT\)/);
  await p.stop();
});

test('servers left running are killed and their temp dirs removed when the test process exits', async () => {
  const script = `
    import { mkdtempSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    import { startManagedProcess } from ${JSON.stringify(new URL('../support/managed-process.ts', import.meta.url).href)};
    const dir = mkdtempSync(join(tmpdir(), 'nemeton-mp-exit-'));
    const p = startManagedProcess({ name: 'orphan', command: 'sleep', args: ['60'], tempDirs: [dir] });
    console.log(JSON.stringify({ pid: p.child.pid, dir }));
    process.exit(0);
  `;
  const r = spawnSync(node, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  const { pid, dir } = JSON.parse(r.stdout.trim()) as { pid: number; dir: string };
  assert.equal(await stillRunning(pid), false, `orphan pid ${pid} still alive`);
  assert.equal(existsSync(dir), false);
});
