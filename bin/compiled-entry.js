// Whether the JavaScript build in dist/ (scripts/build.mjs) is present and not older than the TypeScript
// sources, so launchers can run it instead of compiling the sources at start-up through tsx.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding bin/). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Folders compiled into dist/ (kept in step with tsconfig.build.json). */
export const COMPILED_DIRS = ['common', 'storage', 'query', 'planner', 'cluster', 'server', 'bin'];

/** The file scripts/build.mjs writes last (under dist/), holding the build's start time (epoch ms). */
export const BUILD_STAMP_NAME = '.build-stamp';

/** Newest modification time (epoch ms) of the .ts files under the compiled folders. */
export function newestSourceMtime(root = REPO_ROOT) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); }
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of COMPILED_DIRS) if (existsSync(join(root, d))) walk(join(root, d));
  return newest;
}

/**
 * The compiled counterpart of a source file (path relative to the repository root, e.g.
 * 'server/cluster-node.ts') when dist/ was built after the last change to any source; otherwise
 * undefined (run the source through tsx). NEMETON_FROM_SOURCE=1 forces undefined.
 */
export function compiledEntry(sourcePath, root = REPO_ROOT) {
  if (process.env.NEMETON_FROM_SOURCE === '1') return undefined;
  const target = join(root, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  const stamp = join(root, 'dist', BUILD_STAMP_NAME);
  if (!existsSync(stamp) || !existsSync(target)) return undefined;
  const builtAt = Number(readFileSync(stamp, 'utf8'));
  if (!Number.isFinite(builtAt) || newestSourceMtime(root) > builtAt) return undefined;
  return target;
}
