#!/usr/bin/env node
// Lists external test servers (PostgreSQL, Kafka, MinIO started by test/support) that outlived their test
// process: a process whose command line names a test/support temp dir (<tmp>/nemeton-pg-*, nemeton-kafka-*,
// nemeton-minio-*) and whose parent is gone (re-parented away from any live test runner). Servers of test
// runs still in progress keep their parent and are not reported.
//
// Usage: node scripts/check-leaks.mjs   (exit 1 when leaks are found; Linux /proc only, no-op elsewhere)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Leaked test servers: { pid, ppid, command } for each orphaned process holding a test temp dir. */
export function findLeakedServers(procRoot = '/proc', tmp = tmpdir()) {
  if (!existsSync(procRoot)) return [];
  const marker = new RegExp(`${escape(join(tmp, 'nemeton-'))}(pg|kafka|minio)-`);
  const procs = new Map();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(join(procRoot, name, 'cmdline'), 'utf8').split('\0').join(' ').trim();
      const stat = readFileSync(join(procRoot, name, 'stat'), 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { pid: Number(name), ppid: Number(fields[1]), state: fields[0], command: cmd });
    } catch {
      // the process ended while we looked
    }
  }
  const leaks = [];
  for (const p of procs.values()) {
    if (p.state === 'Z' || !marker.test(p.command)) continue;
    const parent = procs.get(p.ppid);
    // A server whose parent is another server process (postgres backends) is judged by that parent.
    if (parent && marker.test(parent.command)) continue;
    const parentIsRunner = parent !== undefined && p.ppid > 1 && /node|tsx/.test(parent.command);
    if (!parentIsRunner) leaks.push({ pid: p.pid, ppid: p.ppid, command: p.command.slice(0, 200) });
  }
  return leaks;
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const leaks = findLeakedServers();
  if (leaks.length > 0) {
    console.error(`check-leaks: ${leaks.length} test server(s) outlived their tests:`);
    for (const l of leaks) console.error(`  pid ${l.pid} (parent ${l.ppid}): ${l.command}`);
    process.exit(1);
  }
  console.log('check-leaks: no leaked test servers');
}
