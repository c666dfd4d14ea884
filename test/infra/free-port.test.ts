import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort, isPortInUseError, retryOnPortClash } from '../support/free-port.ts';

test('freePort returns distinct ports that can be bound on 127.0.0.1', async () => {
  const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length);
  for (const port of ports) {
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  }
});

test('retryOnPortClash retries only port clashes, up to the attempt limit', async () => {
  let calls = 0;
  const flaky = async () => {
    calls++;
    if (calls < 3) throw new Error('postgres: exited before it was ready\nLOG: could not bind IPv4 address "127.0.0.1": Address already in use');
    return 'up';
  };
  assert.equal(await retryOnPortClash(flaky), 'up');
  assert.equal(calls, 3);

  calls = 0;
  await assert.rejects(retryOnPortClash(async () => { calls++; throw new Error('initdb failed'); }), /initdb failed/);
  assert.equal(calls, 1);

  calls = 0;
  await assert.rejects(retryOnPortClash(async () => { calls++; throw new Error('listen EADDRINUSE'); }, 2), /EADDRINUSE/);
  assert.equal(calls, 2);
  assert.equal(isPortInUseError(new Error('java.net.BindException: Address already in use')), true);
  assert.equal(isPortInUseError(new Error('ERROR Specified port is already in use')), true);
  assert.equal(isPortInUseError('timeout'), false);
});
