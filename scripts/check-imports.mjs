#!/usr/bin/env node
// Enforces the import direction of DEVELOPERS.md over every .ts file of the product:
//
//   common <- storage <- query <- planner | cluster <- server <- bin
//
// A layer may import itself and the layers to its left; planner and cluster never import each other;
// nothing but bin imports server. Product code also may not import tests, benchmarks, scripts or anything
// outside the repository (e.g. ../shared), and its relative imports carry their file extension.
// test/, bench/, scripts/ and sql-tests/ are exempt as importers.
//
// Usage: node scripts/check-imports.mjs [repo-root]   (exit 1 listing violations)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Layer -> layers it may import (besides itself). */
export const ALLOWED_IMPORTS = {
  common: [],
  storage: ['common'],
  query: ['common', 'storage'],
  planner: ['common', 'storage', 'query'],
  cluster: ['common', 'storage', 'query'],
  server: ['common', 'storage', 'query', 'planner', 'cluster'],
  bin: ['common', 'storage', 'query', 'planner', 'cluster', 'server'],
};

/** Top-level folders whose files may import anything (they are not product code). */
export const EXEMPT_DIRS = ['test', 'bench', 'scripts', 'sql-tests'];

const SKIP_DIRS = new Set(['node_modules', '.git', 'var', '.cache', '.ci']);

/**
 * Blanks comments (keeping line breaks and string contents) so import-looking text inside comments is
 * ignored and line numbers stay right.
 */
export function stripComments(source) {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      const quote = c;
      out += c;
      i++;
      while (i < n && source[i] !== quote) {
        if (source[i] === '\\') {
          out += source[i] + (source[i + 1] ?? '');
          i += 2;
          continue;
        }
        if (quote !== '`' && source[i] === '\n') break;
        out += source[i];
        i++;
      }
      if (i < n) out += source[i];
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_PATTERNS = [
  // import x from '...'; import type { X } from '...'; export * from '...'; export { x } from '...'
  // (statements start a line or follow a semicolon, so import-like text inside strings is not taken)
  /(?:^|;)[ \t]*(?:import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?(['"])([^'"\n]+)\2/gm,
  // import('...') and require('...')
  /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
];

/** Every module specifier `source` imports or re-exports, with its 1-based line and whether it is type-only. */
export function findImports(source) {
  const code = stripComments(source);
  const found = [];
  const lineOf = (index) => code.slice(0, index).split('\n').length;
  for (const m of code.matchAll(IMPORT_PATTERNS[0])) {
    found.push({ specifier: m[3], line: lineOf(m.index), typeOnly: Boolean(m[1]) });
  }
  for (const m of code.matchAll(IMPORT_PATTERNS[1])) {
    found.push({ specifier: m[2], line: lineOf(m.index), typeOnly: false });
  }
  return found.sort((a, b) => a.line - b.line);
}

function listTsFiles(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) listTsFiles(path, out);
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The top-level folder of repo-relative `rel` ('' for files at the root). */
function topFolder(rel) {
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/**
 * Checks every product .ts file under `root`. Returns violations (strings "file:line: message") and the
 * number of files and imports examined.
 */
export function checkImports(root) {
  const violations = [];
  let files = 0;
  let imports = 0;
  for (const file of listTsFiles(root, [])) {
    const rel = relative(root, file);
    const layer = topFolder(rel);
    if (EXEMPT_DIRS.includes(layer)) continue;
    files++;
    const allowed = ALLOWED_IMPORTS[layer];
    for (const imp of findImports(readFileSync(file, 'utf8'))) {
      imports++;
      const where = `${rel}:${imp.line}`;
      const spec = imp.specifier;
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue; // package import
      if (spec.startsWith('.') && !/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(spec)) {
        violations.push(`${where}: relative import '${spec}' needs its file extension (.ts)`);
      }
      const target = relative(root, resolve(dirname(file), spec));
      if (target.startsWith('..') || isAbsolute(target)) {
        violations.push(`${where}: imports '${spec}' from outside the repository`);
        continue;
      }
      const targetLayer = topFolder(target);
      if (allowed === undefined) {
        if (targetLayer === 'server') violations.push(`${where}: '${layer || '(root)'}' imports server ('${spec}'); only bin may`);
        continue;
      }
      if (targetLayer === layer) continue;
      if (EXEMPT_DIRS.includes(targetLayer)) {
        violations.push(`${where}: product code imports ${targetLayer}/ ('${spec}')`);
      } else if (!allowed.includes(targetLayer)) {
        const rule =
          targetLayer === 'server'
            ? 'nothing but bin imports server'
            : (layer === 'planner' && targetLayer === 'cluster') || (layer === 'cluster' && targetLayer === 'planner')
              ? 'planner and cluster never import each other'
              : `${layer} may import only ${allowed.length ? allowed.join(', ') : 'nothing of ours'}`;
        violations.push(`${where}: ${layer} imports ${targetLayer || target} ('${spec}'): ${rule}`);
      }
    }
  }
  return { violations, files, imports };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { violations, files, imports } = checkImports(root);
  if (violations.length > 0) {
    console.error(`check-imports: ${violations.length} layering violation(s):`);
    for (const v of violations) console.error(`  ${v}`);
    process.exit(1);
  }
  console.log(`check-imports: ok (${files} files, ${imports} imports)`);
}
