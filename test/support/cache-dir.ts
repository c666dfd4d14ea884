import { homedir } from 'node:os';
import { join } from 'node:path';

/** Root of the install cache: $NEMETON_CACHE, else ~/.cache/nemeton (same rule as scripts/install.sh). */
export function cacheDir(): string {
  return process.env.NEMETON_CACHE || join(homedir(), '.cache', 'nemeton');
}
