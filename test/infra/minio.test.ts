import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Client } from 'minio';
import { skipUnlessInstalled } from '../support/components.ts';
import { startMinio } from '../support/minio.ts';

const skip = skipUnlessInstalled('minio');

test('startMinio serves S3 on loopback: put then get an object', { skip, timeout: 60000 }, async () => {
  const server = await startMinio();
  try {
    const client = new Client({
      endPoint: server.endPoint,
      port: server.port,
      useSSL: server.useSSL,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
    });
    await client.makeBucket('segments');
    const body = Buffer.from('nemeton segment bytes \u00e9');
    await client.putObject('segments', 'ds/2024-01-01/0/index.bin', body, body.length);
    const stream = await client.getObject('segments', 'ds/2024-01-01/0/index.bin');
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), body);

    const wrong = new Client({ endPoint: server.endPoint, port: server.port, useSSL: false, accessKey: server.accessKey, secretKey: 'not-the-secret' });
    await assert.rejects(wrong.listBuckets(), /signature|SignatureDoesNotMatch/i);
  } finally {
    await server.stop();
  }
  assert.equal(existsSync(server.dataDir), false);
});
