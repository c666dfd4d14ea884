/**
 * The launchers' choice between the JavaScript build in dist/ and the
 * TypeScript sources: dist/ is used only while its build stamp is newer than
 * every source file, and never when NEMETON_FROM_SOURCE=1.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledEntry, newestSourceMtime } from '../../bin/compiled-entry.js';

const root = mkdtempSync(join(tmpdir(), 'nemeton-compiled-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string, mtimeMs: number): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
  utimesSync(join(root, path), mtimeMs / 1000, mtimeMs / 1000);
}

test('dist/ is used only while it is newer than every source', () => {
  const t = Date.UTC(2024, 0, 1);
  write('server/cluster-node.ts', 'export {};', t);
  write('query/deep/nested.ts', 'export {};', t + 1000);
  assert.equal(compiledEntry('server/cluster-node.ts', root), undefined, 'no build yet');
  write('dist/server/cluster-node.js', 'export {};', t + 2000);
  write('dist/.build-stamp', String(t + 2000), t + 2000);
  assert.equal(newestSourceMtime(root), t + 1000);
  assert.equal(compiledEntry('server/cluster-node.ts', root), join(root, 'dist', 'server', 'cluster-node.js'));
  assert.equal(compiledEntry('server/missing.ts', root), undefined, 'a file the build does not have');
  process.env.NEMETON_FROM_SOURCE = '1';
  try {
    assert.equal(compiledEntry('server/cluster-node.ts', root), undefined);
  } finally {
    delete process.env.NEMETON_FROM_SOURCE;
  }
  // A source edited after the build (even deep down, even a non-entry file) makes dist/ stale.
  write('query/deep/nested.ts', 'export const x = 1;', t + 3000);
  assert.equal(compiledEntry('server/cluster-node.ts', root), undefined);
  // Folders outside the product (tests, benchmarks) do not count.
  write('dist/.build-stamp', String(t + 4000), t + 4000);
  write('test/later.ts', 'export {};', t + 5000);
  assert.equal(compiledEntry('server/cluster-node.ts', root), join(root, 'dist', 'server', 'cluster-node.js'));
});
