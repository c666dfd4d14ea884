/**
 * Deep storage: the durable home of segment files. Historicals pull from it
 * into their local cache. Local directory for one machine; S3 (MinIO) for a
 * cluster. Keys are relative paths like `wikipedia/2015-09-12.../v1/0/segment.nem`.
 */
export interface DeepStorage {
  /** Writes atomically: readers never see a partial object. Returns the load spec to record. */
  put(key: string, bytes: Uint8Array): Promise<Record<string, unknown>>;
  /** Reads the object named by a load spec this storage produced. */
  get(loadSpec: Readonly<Record<string, unknown>>): Promise<Uint8Array>;
  delete(loadSpec: Readonly<Record<string, unknown>>): Promise<void>;
}
