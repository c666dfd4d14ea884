import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaLibsDir, pinnedVersions, skipUnlessInstalled } from '../support/components.ts';
import { formatKraftStorage, randomKafkaUuid } from '../support/kraft-storage.ts';

test('randomKafkaUuid gives 22-char base64url ids that never start with "-"', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = randomKafkaUuid();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
    ids.add(id);
  }
  assert.equal(ids.size, 2000);
});

test('formatKraftStorage writes meta.properties and the bootstrap checkpoint', { skip: skipUnlessInstalled('kafka'), timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-kraft-'));
  try {
    const jvmArgs = ['-XX:TieredStopAtLevel=1', '-cp', join(kafkaLibsDir()!, '*')];
    const a = await formatKraftStorage({ kafkaVersion: pinnedVersions().KAFKA_VERSION, jvmArgs, logDir: join(dir, 'a'), nodeId: '7', timeoutMs: 60000 });
    const b = await formatKraftStorage({ kafkaVersion: pinnedVersions().KAFKA_VERSION, jvmArgs, logDir: join(dir, 'b'), nodeId: '1', timeoutMs: 60000 });
    assert.notEqual(a, b);
    const meta = readFileSync(join(dir, 'a', 'meta.properties'), 'utf8');
    assert.match(meta, /^node\.id=7$/m);
    assert.match(meta, new RegExp(`^cluster\\.id=${a}$`, 'm'));
    assert.match(meta, /^version=1$/m);
    assert.match(meta, /^directory\.id=[A-Za-z0-9_-]{22}$/m);
    assert.ok(existsSync(join(dir, 'b', 'bootstrap.checkpoint')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
