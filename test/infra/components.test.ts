import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheDir, isCI, locateComponent, pinnedVersions, skipUnlessInstalled } from '../support/components.ts';

/** Runs `fn` with some environment variables replaced, restoring them afterwards. */
function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('pinnedVersions reads scripts/versions.env', () => {
  const v = pinnedVersions();
  assert.match(v.KAFKA_VERSION, /^\d+\.\d+\.\d+$/);
  assert.match(v.MINIO_VERSION, /^v\d+\.\d+\.\d+/);
  assert.match(v.PG_MAJOR, /^\d+$/);
});

test('cacheDir honours NEMETON_CACHE', () => {
  withEnv({ NEMETON_CACHE: '/some/cache' }, () => assert.equal(cacheDir(), '/some/cache'));
  withEnv({ NEMETON_CACHE: undefined }, () => assert.match(cacheDir(), /\.cache\/nemeton$/));
});

test('isCI follows the CI variable', () => {
  withEnv({ CI: 'true' }, () => assert.equal(isCI(), true));
  withEnv({ CI: '1' }, () => assert.equal(isCI(), true));
  withEnv({ CI: 'false' }, () => assert.equal(isCI(), false));
  withEnv({ CI: undefined }, () => assert.equal(isCI(), false));
});

test('a missing component skips with an install hint outside CI and fails in CI', () => {
  withEnv({ NEMETON_MINIO_BIN: '/nonexistent/minio', CI: undefined }, () => {
    assert.equal(locateComponent('minio'), undefined);
    assert.equal(skipUnlessInstalled('minio'), 'minio is not installed (run: scripts/install.sh --only minio)');
  });
  withEnv({ NEMETON_MINIO_BIN: '/nonexistent/minio', CI: 'true' }, () => {
    assert.throws(() => skipUnlessInstalled('minio'), /CI=true and minio is not installed/);
  });
  withEnv({ NEMETON_PG_BIN: '/nonexistent', CI: undefined }, () => {
    assert.match(String(skipUnlessInstalled('postgres')), /--only apt/);
  });
});

test('a present component is located and not skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-comp-'));
  try {
    const bin = join(dir, 'minio');
    writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    withEnv({ NEMETON_MINIO_BIN: bin, CI: 'true' }, () => {
      assert.equal(locateComponent('minio'), bin);
      assert.equal(skipUnlessInstalled('minio'), false);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
