/**
 * DeepStorage on S3 (MinIO or AWS) through the `minio` client. The bucket is
 * created on first use when absent. A PUT is atomic in S3, so readers never
 * see a partial object. Load spec: {type:'s3', bucket, key}.
 *
 * The client library is loaded on first use (it costs ~0.25 s of process
 * start-up otherwise), so processes that never touch S3 do not pay for it.
 */
import type { Client } from 'minio';
import { errors, NemetonError } from '../../common/errors.ts';
import type { DeepStorage } from './deep-storage.ts';

export interface S3DeepStorageOptions {
  readonly endPoint: string;
  readonly port?: number;
  readonly useSSL?: boolean;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  /** Key prefix inside the bucket (default none), e.g. "druid/segments". */
  readonly prefix?: string;
  readonly region?: string;
}

export class S3DeepStorage implements DeepStorage {
  private clientPromise: Promise<Client> | undefined;
  private bucketReady: Promise<void> | undefined;

  constructor(private readonly options: S3DeepStorageOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
      throw errors.invalidInput(`S3 bucket name [${options.bucket}] is invalid (3-63 lowercase letters, digits, dots, hyphens)`);
    }
  }

  /** The S3 client, created (and its library loaded) on first use. */
  private client(): Promise<Client> {
    this.clientPromise ??= import('minio').then(({ Client }) => new Client({
      endPoint: this.options.endPoint,
      port: this.options.port,
      useSSL: this.options.useSSL ?? false,
      accessKey: this.options.accessKey,
      secretKey: this.options.secretKey,
      region: this.options.region,
    }));
    return this.clientPromise;
  }

  /** Creates the bucket when it does not exist (once per instance; retried after a failure). */
  ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      const client = await this.client();
      if (!(await client.bucketExists(this.options.bucket))) {
        try {
          await client.makeBucket(this.options.bucket, this.options.region ?? '');
        } catch (e) {
          // Another process may have created it meanwhile.
          const code = (e as { code?: string }).code;
          if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw e;
        }
      }
    })().catch((e) => {
      this.bucketReady = undefined;
      throw unavailable('create or check the bucket', this.options.bucket, e);
    });
    return this.bucketReady;
  }

  private objectKey(key: string): string {
    if (key.split('/').some((p) => p === '..' || p === '.')) throw errors.invalidInput(`Deep storage key [${key}] must not contain "." or ".." parts`);
    const p = this.options.prefix?.replace(/\/+$/, '');
    return p ? `${p}/${key}` : key;
  }

  async put(key: string, bytes: Uint8Array): Promise<Record<string, unknown>> {
    await this.ensureBucket();
    const objectKey = this.objectKey(key);
    try {
      await (await this.client()).putObject(this.options.bucket, objectKey, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength);
    } catch (e) {
      throw unavailable('write', `${this.options.bucket}/${objectKey}`, e);
    }
    return { type: 's3', bucket: this.options.bucket, key: objectKey };
  }

  async get(loadSpec: Readonly<Record<string, unknown>>): Promise<Uint8Array> {
    const { bucket, key } = s3Location(loadSpec);
    let stream;
    try {
      stream = await (await this.client()).getObject(bucket, key);
    } catch (e) {
      if ((e as { code?: string }).code === 'NoSuchKey') {
        throw new NemetonError(`Segment object s3://${bucket}/${key} does not exist in deep storage`, { code: 'Not found' });
      }
      throw unavailable('read', `${bucket}/${key}`, e);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const buf = Buffer.concat(chunks);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async delete(loadSpec: Readonly<Record<string, unknown>>): Promise<void> {
    const { bucket, key } = s3Location(loadSpec);
    try {
      await (await this.client()).removeObject(bucket, key);
    } catch (e) {
      throw unavailable('delete', `${bucket}/${key}`, e);
    }
  }
}

function s3Location(loadSpec: Readonly<Record<string, unknown>>): { bucket: string; key: string } {
  if (loadSpec.type !== 's3' || typeof loadSpec.bucket !== 'string' || typeof loadSpec.key !== 'string') {
    throw errors.invalidInput(`Load spec ${JSON.stringify(loadSpec)} is not an S3 deep storage spec ({type:'s3', bucket, key})`);
  }
  return { bucket: loadSpec.bucket, key: loadSpec.key };
}

function unavailable(what: string, where: string, cause: unknown): NemetonError {
  return new NemetonError(`Deep storage (S3) could not ${what} [${where}]: ${(cause as Error).message}`, { cause, httpStatus: 503 });
}
