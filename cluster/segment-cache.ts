/**
 * The local segment cache of a data node (historical): segment files copied
 * from deep storage, verified by checksum, kept in `<data-dir>/cache`. On
 * restart, cached files are served at once without touching deep storage.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../common/errors.ts';
import type { DeepStorage } from './deep-storage/deep-storage.ts';
import type { SegmentRecord } from './metadata/metadata-store.ts';
import { sha256 } from './segment-publisher.ts';

export class SegmentCache {
  constructor(private readonly dir: string, private readonly deep: DeepStorage) {}

  private fileFor(record: SegmentRecord): string {
    return join(this.dir, record.id.replace(/[^A-Za-z0-9._=-]/g, '_') + '.nem');
  }

  /**
   * The bytes of a segment in memory the worker threads share (SharedArrayBuffer):
   * from the cache when present and intact, else fetched from deep storage and cached.
   */
  async load(record: SegmentRecord): Promise<Uint8Array> {
    const expected = typeof record.payload.sha256 === 'string' ? record.payload.sha256 : null;
    const file = this.fileFor(record);
    const cached = await readFile(file).catch(() => null);
    if (cached && (expected === null || sha256(cached) === expected)) return toShared(cached);
    const bytes = await this.deep.get(record.loadSpec);
    if (expected !== null && sha256(bytes) !== expected) {
      throw errors.corrupt(`Segment [${record.id}] in deep storage`, 'checksum mismatch');
    }
    await mkdir(this.dir, { recursive: true });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return toShared(bytes);
  }

  async drop(record: SegmentRecord): Promise<void> {
    await rm(this.fileFor(record), { force: true });
  }
}

/** Copies bytes into a SharedArrayBuffer so worker threads read them without copying again. */
export function toShared(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}
