import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** How to start a server process that tests own. */
export interface ManagedProcessOptions {
  /** Short label used in error messages, e.g. "postgres". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user/group (only possible when the test runs as root). */
  uid?: number;
  gid?: number;
  /** Signal that asks the server to shut down cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Temporary directories removed after the process is gone (also on test-process exit). */
  tempDirs?: string[];
}

/** A running server child process with its recent output. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last ~64 KiB of combined stdout/stderr, for diagnostics. */
  output(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Resolves when `pattern` appears in the output; rejects on timeout or if the process exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Polls `check` every `intervalMs` until it returns true; rejects on timeout or process exit. */
  waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs?: number): Promise<void>;
  /**
   * Sends the stop signal, waits up to `graceMs` (default 5000) for exit, then SIGKILLs; removes the temp
   * dirs. Idempotent.
   */
  stop(graceMs?: number): Promise<void>;
  /** Error describing a failed start, carrying the output tail. */
  failure(message: string): Error;
}

const OUTPUT_LIMIT = 64 * 1024;
const live = new Set<{ child: ChildProcess; tempDirs: string[] }>();
let exitHooksInstalled = false;

/**
 * Starts `options.command` as a child process that is killed (SIGKILL) and whose temp dirs are removed when
 * the test process exits or is interrupted, even if the test never calls stop().
 */
export function startManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  installExitHooks();
  const child = spawn(options.command, options.args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { child, tempDirs: options.tempDirs ?? [] };
  live.add(entry);

  let buffered = '';
  let exitedFlag = false;
  let spawnError: Error | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  const append = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    if (buffered.length > OUTPUT_LIMIT) buffered = buffered.slice(buffered.length - OUTPUT_LIMIT);
    notify();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exitedFlag = true;
      notify();
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exitedFlag = true;
      notify();
      resolve();
    });
  });

  const failure = (message: string): Error => {
    const tail = buffered.split('\n').slice(-30).join('\n');
    const cause = spawnError ? ` (${spawnError.message})` : '';
    return new Error(`${options.name}: ${message}${cause}\n--- last output ---\n${tail}`);
  };

  let stopping: Promise<void> | undefined;
  const handle: ManagedProcess = {
    name: options.name,
    child,
    output: () => buffered,
    exited: () => exitedFlag,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(failure(`not ready after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (pattern.test(buffered)) finish();
          else if (exitedFlag) finish(failure('exited before it was ready'));
        };
        function finish(err?: Error) {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        }
        listeners.add(check);
        check();
      });
    },
    async waitUntil(check, timeoutMs, intervalMs = 100) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exitedFlag) throw failure('exited before it was ready');
        if (await check().catch(() => false)) return;
        if (Date.now() > deadline) throw failure(`not ready after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        if (!exitedFlag) {
          child.kill(options.stopSignal ?? 'SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exitPromise;
          clearTimeout(killer);
        }
        removeDirs(entry.tempDirs);
        live.delete(entry);
      })();
      return stopping;
    },
    failure,
  };
  return handle;
}

function removeDirs(dirs: string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function killAllNow(): void {
  for (const entry of live) {
    if (entry.child.exitCode === null && entry.child.signalCode === null) {
      try {
        entry.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      removeDirs(entry.tempDirs);
    } catch {
      // best effort on exit; the dirs are under the OS temp dir
    }
  }
  live.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.kill(process.pid, signal);
    });
  }
}
