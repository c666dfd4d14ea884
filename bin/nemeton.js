#!/usr/bin/env node
// Launches the CLI: the JavaScript build in dist/ when it is up to date with the sources (fast start-up;
// `npm run build` makes it), otherwise the TypeScript sources under tsx, whose loader worker threads
// inherit through execArgv. Signals are forwarded so that SIGINT/SIGTERM reach the server, which persists
// fresh data before exiting.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { compiledEntry } from './compiled-entry.js';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = compiledEntry('bin/nemeton.ts');
const args = compiled !== undefined ? [compiled] : ['--import', 'tsx', join(here, 'nemeton.ts')];
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
