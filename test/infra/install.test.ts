import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const scriptsDir = new URL('../../scripts/', import.meta.url).pathname;

/**
 * A scratch repo holding copies of install.sh and its helpers, a package.json/lockfile, and a fake `npm`
 * on PATH that logs its arguments and the npm_config_* it sees, then "installs" by copying the lockfile
 * to node_modules/.package-lock.json. Nothing touches the real node_modules or the network.
 */
function scratchRepo(withLock = true) {
  const root = mkdtempSync(join(tmpdir(), 'nemeton-install-'));
  mkdirSync(join(root, 'scripts'));
  for (const f of ['install.sh', 'versions.env', 'npm-tree-matches-lock.mjs']) copyFileSync(join(scriptsDir, f), join(root, 'scripts', f));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', dependencies: { leftpad: '1.0.0' } }));
  const lock = { name: 'scratch', lockfileVersion: 3, packages: { '': { name: 'scratch' }, 'node_modules/leftpad': { version: '1.0.0', integrity: 'sha512-x' } } };
  if (withLock) writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
  const bin = join(root, 'fakebin');
  mkdirSync(bin);
  const npmLog = join(root, 'npm-calls.log');
  writeFileSync(
    join(bin, 'npm'),
    [
      '#!/bin/sh',
      `echo "$* nodedir=$npm_config_nodedir fromsource=$npm_config_build_from_source" >> ${npmLog}`,
      'if [ "$1" = ci ] && [ -n "$FAKE_NPM_CI_FAILS" ]; then echo "npm error $FAKE_NPM_CI_FAILS" >&2; exit 1; fi',
      `[ -f package-lock.json ] || echo '${JSON.stringify(lock)}' > package-lock.json`,
      'mkdir -p node_modules/leftpad',
      `echo '{"version":"1.0.0"}' > node_modules/leftpad/package.json`,
      'cp package-lock.json node_modules/.package-lock.json',
    ].join('\n'),
  );
  chmodSync(join(bin, 'npm'), 0o755);
  const run = (...args: string[]) => runWith({}, ...args);
  const runWith = (env: Record<string, string>, ...args: string[]) =>
    spawnSync('bash', [join(root, 'scripts', 'install.sh'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NEMETON_CACHE: join(root, 'cache'), ...env },
      timeout: 30000,
    });
  const npmCalls = () => (existsSync(npmLog) ? readFileSync(npmLog, 'utf8').trim().split('\n') : []);
  return { root, run, runWith, npmCalls, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('install.sh rejects unknown components and arguments, and prints help', () => {
  const repo = scratchRepo();
  try {
    const bad = repo.run('--only', 'postgresql');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown component 'postgresql' \(known: apt npm kafka minio\)/);
    assert.equal(repo.run('--frobnicate').status, 2);
    const help = repo.run('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--only npm/);
  } finally {
    repo.cleanup();
  }
});

test('npm step: runs npm ci with local-header native builds, then skips on the stamp', () => {
  const repo = scratchRepo();
  try {
    const first = repo.run('--only', 'npm');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /\[install\] npm: npm ci done/);
    const calls = repo.npmCalls();
    assert.equal(calls.length, 1);
    const nodedir = spawnSync(process.execPath, ['-p', "require('path').resolve(process.execPath,'../..')"], { encoding: 'utf8' }).stdout.trim();
    assert.equal(calls[0], `ci --no-progress nodedir=${nodedir} fromsource=true`);

    const second = repo.run('--only', 'npm');
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /npm: node_modules up to date \(stamp\)/);
    assert.equal(repo.npmCalls().length, 1);

    // A lockfile change invalidates the stamp; node_modules no longer matches, so npm ci runs again.
    const lockPath = join(repo.root, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    lock.packages['node_modules/leftpad'].version = '1.0.1';
    writeFileSync(lockPath, JSON.stringify(lock));
    const third = repo.run('--only', 'npm');
    assert.equal(third.status, 1, 'fake npm leaves leftpad at 1.0.0, so the post-install check must fail');
    assert.match(third.stderr, /leftpad: package.json version differs/);
    assert.equal(repo.npmCalls().length, 2);
  } finally {
    repo.cleanup();
  }
});

test('npm step: accepts a node_modules someone else installed from the same lockfile without running npm', () => {
  const repo = scratchRepo();
  try {
    mkdirSync(join(repo.root, 'node_modules', 'leftpad'), { recursive: true });
    writeFileSync(join(repo.root, 'node_modules', 'leftpad', 'package.json'), '{"version":"1.0.0"}');
    copyFileSync(join(repo.root, 'package-lock.json'), join(repo.root, 'node_modules', '.package-lock.json'));
    const r = repo.run('--only', 'npm');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /matches package-lock.json, stamp written/);
    assert.deepEqual(repo.npmCalls(), []);
    assert.ok(existsSync(join(repo.root, 'node_modules', '.nemeton-npm-stamp')));
  } finally {
    repo.cleanup();
  }
});

test('npm step: falls back to npm install without a lockfile', () => {
  const repo = scratchRepo(false);
  try {
    const r = repo.run('--only=npm');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /npm: npm install done/);
    assert.match(repo.npmCalls()[0], /^install --no-progress /);
  } finally {
    repo.cleanup();
  }
});

test('npm step: when npm ci refuses an out-of-sync lockfile it warns and uses npm install --no-save', () => {
  const repo = scratchRepo();
  try {
    const sync = '`npm ci` can only install packages when your package.json and package-lock.json are in sync. Missing: @x/y-darwin@ from lock file';
    const r = repo.runWith({ FAKE_NPM_CI_FAILS: sync }, '--only', 'npm');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: npm ci says package-lock.json is out of sync .*Missing: @x\/y-darwin@/);
    assert.match(r.stdout, /npm: npm install --no-save \(npm ci refused the lockfile\) done/);
    assert.deepEqual(repo.npmCalls().map((c) => c.split(' nodedir=')[0]), ['ci --no-progress', 'install --no-save --no-progress']);
  } finally {
    repo.cleanup();
  }
});

test('npm step: any other npm ci failure fails the install', () => {
  const repo = scratchRepo();
  try {
    const r = repo.runWith({ FAKE_NPM_CI_FAILS: 'code E403 forbidden' }, '--only', 'npm');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /'npm ci' failed[\s\S]*E403 forbidden/);
    assert.equal(repo.npmCalls().length, 1);
  } finally {
    repo.cleanup();
  }
});
