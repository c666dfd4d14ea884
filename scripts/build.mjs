#!/usr/bin/env node
// Compiles the product (common, storage, query, planner, cluster, server, bin) to JavaScript in dist/ with
// tsconfig.build.json, so processes start without compiling TypeScript (bin/nemeton.js and the cluster
// launchers use dist/ while it is newer than every source; see bin/compiled-entry.js).
//
// Emits into a scratch folder and swaps it in, so a running process never sees a half-written dist/.
// Type errors are reported but do not stop the build (the emitted JavaScript does not depend on types;
// `npm run typecheck` is the gate for them).
//
// Usage: node scripts/build.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_STAMP_NAME, REPO_ROOT } from '../bin/compiled-entry.js';

const quiet = process.argv.includes('--quiet');
const startedAt = Date.now();
const scratch = join(REPO_ROOT, '.dist-build');
const dist = join(REPO_ROOT, 'dist');
rmSync(scratch, { recursive: true, force: true });

const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', scratch], { cwd: REPO_ROOT, encoding: 'utf8' });
if (!existsSync(join(scratch, 'bin', 'nemeton.js'))) {
  process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}build failed: the compiler emitted nothing (exit ${r.status})\n`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}
if (r.status !== 0 && !quiet) {
  const count = (r.stdout.match(/error TS\d+/g) ?? []).length;
  process.stderr.write(`${r.stdout}build: ${count} type error(s) reported above; JavaScript emitted anyway (run npm run typecheck)\n`);
}
// The stamp holds the start time, so a source edited during the build counts as newer than the build.
writeFileSync(join(scratch, BUILD_STAMP_NAME), String(startedAt));
rmSync(dist, { recursive: true, force: true });
renameSync(scratch, dist);
if (!quiet) process.stdout.write(`built dist/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
