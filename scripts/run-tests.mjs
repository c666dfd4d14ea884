#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test (through tsx), or only the files/folders given.
// Node 20's --test does not expand globs, so the files are found here.
// Arguments starting with "--" go to node's test runner (e.g. --test-name-pattern=kafka).
// Env: NEMETON_TEST_CONCURRENCY (files run in parallel, default 2), NEMETON_TEST_TIMEOUT (default per-test
// timeout in ms, default 300000, so a hung test fails instead of stalling CI).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      collect(join(path, name), out);
    }
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const runnerFlags = args.filter((a) => a.startsWith('--'));
const paths = args.filter((a) => !a.startsWith('--'));
const roots = paths.length > 0 ? paths : ['test'];
const files = roots.flatMap((r) => collect(resolve(r), []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' '));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.NEMETON_TEST_CONCURRENCY || 2}`,
    `--test-timeout=${process.env.NEMETON_TEST_TIMEOUT || 300000}`,
    ...runnerFlags,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NEMETON_LOG_LEVEL: process.env.NEMETON_LOG_LEVEL ?? 'warn' } },
);
process.exit(result.status ?? 1);
