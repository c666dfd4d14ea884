import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { checkImports, findImports } from '../../scripts/check-imports.mjs';

const script = new URL('../../scripts/check-imports.mjs', import.meta.url).pathname;

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nemeton-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('findImports sees static, type-only, re-export and dynamic imports but not comments', () => {
  const src = [
    "import { a } from './a.ts';",
    "import type { B } from '../b.ts';",
    "export * from './c.ts';",
    '// import x from "./commented.ts";',
    '/* import y from "./block.ts"; */',
    "const m = await import('./d.ts');",
    'import {',
    '  e,',
    '  f,',
    "} from './ef.ts';",
    "import './side-effect.ts';",
    "const s = 'import z from \"./in-string.ts\"';",
  ].join('\n');
  const found = findImports(src).map((i) => [i.specifier, i.line, i.typeOnly]);
  assert.deepEqual(found, [
    ['./a.ts', 1, false],
    ['../b.ts', 2, true],
    ['./c.ts', 3, false],
    ['./d.ts', 6, false],
    ['./ef.ts', 7, false],
    ['./side-effect.ts', 11, false],
  ]);
});

test('checkImports accepts imports that flow down the layers', () => {
  const root = repo({
    'common/errors.ts': 'export const e = 1;',
    'storage/segment.ts': "import { e } from '../common/errors.ts';\nimport { Bitmap } from 'roaring';",
    'query/run.ts': "import type { S } from '../storage/segment.ts';\nimport { e } from '../common/errors.ts';",
    'planner/plan.ts': "import '../query/run.ts';",
    'cluster/broker.ts': "export * from '../query/run.ts';",
    'server/main.ts': "import '../planner/plan.ts';\nimport '../cluster/broker.ts';",
    'bin/nemeton.ts': "import '../server/main.ts';",
    'test/x.test.ts': "import '../server/main.ts';\nimport '../../shared/data/x.ts';",
    'bench/b.ts': "import '../server/main.ts';",
  });
  try {
    const result = checkImports(root);
    assert.deepEqual(result.violations, []);
    assert.equal(result.files, 7);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('checkImports reports every kind of layering violation with file and line', () => {
  const root = repo({
    'common/log.ts': "import '../storage/segment.ts';",
    'storage/segment.ts': "\nimport type { Q } from '../query/model/q.ts';",
    'query/model/q.ts': "export type Q = 1;\nimport { x } from '../../server/http.ts';",
    'planner/p.ts': "import { c } from '../cluster/c.ts';",
    'cluster/c.ts': "const p = await import('../planner/p.ts');",
    'server/http.ts': "import '../test/support/index.ts';\nimport '../../shared/data/x.ts';\nimport './no-extension';",
  });
  try {
    const { violations } = checkImports(root);
    const text = violations.join('\n');
    assert.equal(violations.length, 8, text);
    assert.match(text, /common\/log\.ts:1: common imports storage .*nothing of ours/);
    assert.match(text, /storage\/segment\.ts:2: storage imports query/);
    assert.match(text, /query\/model\/q\.ts:2: query imports server .*nothing but bin imports server/);
    assert.match(text, /planner\/p\.ts:1: planner imports cluster .*never import each other/);
    assert.match(text, /cluster\/c\.ts:1: cluster imports planner/);
    assert.match(text, /server\/http\.ts:1: product code imports test\//);
    assert.match(text, /server\/http\.ts:2: imports '..\/..\/shared\/data\/x\.ts' from outside the repository/);
    assert.match(text, /server\/http\.ts:3: relative import '.\/no-extension' needs its file extension/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('check-imports CLI exits 1 on a violation and 0 on a clean tree', () => {
  const bad = repo({ 'common/a.ts': "import '../server/s.ts';", 'server/s.ts': '' });
  const good = repo({ 'common/a.ts': '', 'server/s.ts': "import '../common/a.ts';" });
  try {
    const b = spawnSync(process.execPath, [script, bad], { encoding: 'utf8' });
    assert.equal(b.status, 1);
    assert.match(b.stderr, /1 layering violation/);
    const g = spawnSync(process.execPath, [script, good], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    assert.match(g.stdout, /ok \(2 files/);
  } finally {
    rmSync(bad, { recursive: true, force: true });
    rmSync(good, { recursive: true, force: true });
  }
});
