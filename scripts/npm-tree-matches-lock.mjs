#!/usr/bin/env node
// Exits 0 when ./node_modules holds exactly what ./package-lock.json describes, 1 (listing the first
// differences) otherwise. Used by scripts/install.sh to accept a node_modules that someone else installed
// from the same lockfile without re-running `npm ci`.
//
// Checks: npm's hidden lockfile (node_modules/.package-lock.json) lists the same version + integrity for
// every package it has; every package the lockfile has is installed unless it is optional (platform
// packages for other systems); each installed package.json carries the expected version; and the native
// addons load in this Node.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = process.cwd();
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const lock = readJson(join(root, 'package-lock.json')).packages ?? {};
const hidden = readJson(join(root, 'node_modules', '.package-lock.json')).packages ?? {};
const problems = [];

for (const [path, entry] of Object.entries(lock)) {
  if (path === '' || entry.link) continue;
  const have = hidden[path];
  if (!have) {
    if (!entry.optional && !entry.devOptional) problems.push(`${path}: not installed`);
    continue;
  }
  if (have.version !== entry.version) problems.push(`${path}: ${have.version} installed, ${entry.version} locked`);
  else if (entry.integrity && have.integrity && have.integrity !== entry.integrity) problems.push(`${path}: integrity differs`);
}
for (const path of Object.keys(hidden)) {
  if (path !== '' && !(path in lock)) problems.push(`${path}: installed but not in package-lock.json`);
}
for (const [path, entry] of Object.entries(hidden)) {
  if (path === '' || entry.link || problems.length > 20) continue;
  const pj = join(root, path, 'package.json');
  if (!existsSync(pj)) problems.push(`${path}: package.json missing`);
  else if (readJson(pj).version !== entry.version) problems.push(`${path}: package.json version differs`);
}

if (problems.length === 0) {
  const require = createRequire(join(root, 'package.json'));
  const probes = {
    'better-sqlite3': (m) => new m(':memory:').close(),
    roaring: (m) => new m.RoaringBitmap32([1, 2]).size,
    lz4: (m) => m.encodeBound(1),
  };
  for (const [addon, probe] of Object.entries(probes)) {
    if (!(`node_modules/${addon}` in lock)) continue;
    try {
      probe(require(addon));
    } catch (err) {
      problems.push(`${addon}: native addon does not load (${err.message.split('\n')[0]})`);
    }
  }
}

if (problems.length > 0) {
  console.error(`node_modules differs from package-lock.json:\n  ${problems.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log('node_modules matches package-lock.json');
