import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLeakedServers } from '../../scripts/check-leaks.mjs';

const fakeServer = join(tmpdir(), `nemeton-minio-leaktest${process.pid}`, 'minio');

test('an orphaned server holding a test temp dir is reported as leaked', async () => {
  // The middle shell exits at once, so the server-like process loses its parent.
  const r = spawnSync('bash', ['-c', `(exec -a ${fakeServer} sleep 30) >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
  const pid = Number(r.stdout.trim());
  assert.ok(pid > 0, r.stderr);
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const leak = findLeakedServers().find((l) => l.pid === pid);
    assert.ok(leak, 'orphan not reported');
    assert.match(leak.command, /nemeton-minio-leaktest/);
  } finally {
    process.kill(pid, 'SIGKILL');
  }
});

test('a server whose test process is still running is not a leak', async () => {
  const child = spawn('bash', ['-c', `exec -a ${fakeServer} sleep 30`], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(findLeakedServers().some((l) => l.pid === child.pid), false);
  } finally {
    child.kill('SIGKILL');
  }
});
