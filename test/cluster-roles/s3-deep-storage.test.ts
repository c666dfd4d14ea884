/** S3DeepStorage against a real MinIO server. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3DeepStorage } from '../../cluster/deep-storage/s3-deep-storage.ts';
import { skipUnlessInstalled, startMinio, type MinioServer } from '../support/index.ts';

const skip = skipUnlessInstalled('minio');
let minio: MinioServer | undefined;
before(async () => { if (!skip) minio = await startMinio(); });
after(async () => { await minio?.stop(); });

const storage = (bucket: string, prefix?: string) => new S3DeepStorage({ ...minio!, bucket, prefix });

test('put creates the bucket, get returns the same bytes, delete removes the object', { skip }, async () => {
  const deep = storage('segments-a', 'druid/segments');
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) & 255);
  const spec = await deep.put('wiki/2020/v1/0/segment.nem', bytes);
  assert.deepEqual(spec, { type: 's3', bucket: 'segments-a', key: 'druid/segments/wiki/2020/v1/0/segment.nem' });
  assert.deepEqual(Buffer.from(await deep.get(spec)), Buffer.from(bytes));
  // A second instance (another process) reads the same object and sees the bucket already there.
  assert.deepEqual(Buffer.from(await storage('segments-a').get(spec)), Buffer.from(bytes));
  await deep.delete(spec);
  await assert.rejects(deep.get(spec), /does not exist in deep storage/);
});

test('overwriting a key replaces the object whole', { skip }, async () => {
  const deep = storage('segments-b');
  const spec = await deep.put('k/segment.nem', new Uint8Array([1, 2, 3]));
  await deep.put('k/segment.nem', new Uint8Array([9]));
  assert.deepEqual([...await deep.get(spec)], [9]);
});

test('bad bucket names, foreign load specs and dot keys are rejected clearly', { skip }, async () => {
  assert.throws(() => storage('Bad_Bucket'), /bucket name \[Bad_Bucket\] is invalid/);
  const deep = storage('segments-c');
  await assert.rejects(deep.get({ type: 'local', path: 'x' }), /not an S3 deep storage spec/);
  await assert.rejects(deep.put('a/../b', new Uint8Array([1])), /must not contain/);
});

test('an unreachable endpoint fails with a 503 deep-storage error', { skip }, async () => {
  const deep = new S3DeepStorage({ endPoint: '127.0.0.1', port: 1, useSSL: false, accessKey: 'a', secretKey: 'bbbbbbbb', bucket: 'nowhere' });
  await assert.rejects(deep.put('x', new Uint8Array([1])), (e: Error & { httpStatus?: number }) => /Deep storage \(S3\) could not/.test(e.message) && e.httpStatus === 503);
});
