/** DeepStorage on a local directory: write to a temporary file, fsync, rename. */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errors } from '../../common/errors.ts';
import type { DeepStorage } from './deep-storage.ts';

export class LocalDeepStorage implements DeepStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathFor(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw errors.invalidInput(`Deep storage key [${key}] escapes the storage directory`);
    return path;
  }

  async put(key: string, bytes: Uint8Array): Promise<Record<string, unknown>> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    return { type: 'local', path: key };
  }

  async get(loadSpec: Readonly<Record<string, unknown>>): Promise<Uint8Array> {
    if (loadSpec.type !== 'local' || typeof loadSpec.path !== 'string') {
      throw errors.invalidInput(`Load spec ${JSON.stringify(loadSpec)} is not a local deep storage spec`);
    }
    const buf = await readFile(this.pathFor(loadSpec.path));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async delete(loadSpec: Readonly<Record<string, unknown>>): Promise<void> {
    if (typeof loadSpec.path !== 'string') return;
    await rm(this.pathFor(loadSpec.path), { force: true });
  }
}
