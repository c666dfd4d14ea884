import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const script = new URL('../../scripts/npm-tree-matches-lock.mjs', import.meta.url).pathname;

type Entry = { version: string; integrity?: string; optional?: boolean };

function check(lock: Record<string, Entry>, installed: Record<string, Entry>, onDisk: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'nemeton-lock-'));
  try {
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...lock } }));
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: installed }));
    for (const [path, entry] of Object.entries(installed)) {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'package.json'), JSON.stringify({ version: onDisk[path] ?? entry.version }));
    }
    return spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const a = { version: '1.0.0', integrity: 'sha512-a' };
const b = { version: '2.0.0', integrity: 'sha512-b' };

test('matching trees pass, optional packages for other platforms may be absent', () => {
  const r = check({ 'node_modules/a': a, 'node_modules/b-linux-arm64': { ...b, optional: true } }, { 'node_modules/a': a });
  assert.equal(r.status, 0, r.stderr);
});

test('version, integrity, missing, extra and on-disk differences fail', () => {
  assert.match(check({ 'node_modules/a': a }, { 'node_modules/a': { ...a, version: '1.0.1' } }).stderr, /1\.0\.1 installed, 1\.0\.0 locked/);
  assert.match(check({ 'node_modules/a': a }, { 'node_modules/a': { ...a, integrity: 'sha512-z' } }).stderr, /integrity differs/);
  assert.match(check({ 'node_modules/a': a, 'node_modules/b': b }, { 'node_modules/a': a }).stderr, /node_modules\/b: not installed/);
  assert.match(check({ 'node_modules/a': a }, { 'node_modules/a': a, 'node_modules/b': b }).stderr, /b: installed but not in package-lock/);
  const r = check({ 'node_modules/a': a }, { 'node_modules/a': a }, { 'node_modules/a': '0.9.0' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /package.json version differs/);
});
