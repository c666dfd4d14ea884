/**
 * The authentication exchange after the startup packet: trust, cleartext,
 * MD5 or SCRAM-SHA-256, as the PgAuthProvider chooses for the user.
 * Failures throw NemetonError 28P01 (wrong password) or 28000 (not allowed).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NemetonError } from '../../common/errors.ts';
import type { PgAuthMethod, PgAuthProvider, PgAuthRequest, ScramSecret } from './auth-provider.ts';
import { scramSecretFromPassword } from './auth-provider.ts';
import { authentication } from './backend-messages.ts';
import { decodePassword, decodeSaslInitial } from './frontend-messages.ts';
import type { FrontendMessage } from './message-reader.ts';
import { ScramFormatError, scramServerFinal, scramServerFirst } from './scram.ts';
import { protocolViolation, type WireWriter } from './wire-buffer.ts';

/** The connection's side of the exchange. */
export interface AuthChannel {
  /** Encodes messages into the output and flushes them. */
  send(build: (w: WireWriter) => void): Promise<void>;
  /** The next frontend message; null when the client went away. */
  read(): Promise<FrontendMessage | null>;
}

const PASSWORD_MESSAGE = 0x70; // 'p'

function passwordFailed(user: string, method: string): NemetonError {
  return new NemetonError(`password authentication failed for user "${user}"`, {
    code: 'Forbidden',
    sqlState: '28P01',
    detail: `authentication method ${method}`,
  });
}

async function readPasswordMessage(ch: AuthChannel): Promise<Buffer> {
  const msg = await ch.read();
  if (msg === null) throw new NemetonError('client closed the connection during authentication', { code: 'Forbidden', sqlState: '08006' });
  if (msg.type !== PASSWORD_MESSAGE) throw protocolViolation(`expected password response, got message type ${msg.type}`);
  return msg.body;
}

/** A fixed fake secret per user, so unknown users go through the same exchange as known ones. */
function mockSecret(user: string): ScramSecret {
  const salt = createHash('sha256').update('nemeton-mock-salt:' + user).digest().subarray(0, 16);
  return scramSecretFromPassword(randomBytes(16).toString('hex'), salt, 4096);
}

/** Runs the exchange; resolves when the client is authenticated (AuthenticationOk not yet sent). */
export async function authenticate(
  ch: AuthChannel,
  provider: PgAuthProvider,
  request: PgAuthRequest,
  allowTrustBeyondLoopback: boolean,
): Promise<PgAuthMethod> {
  const method = await provider.methodFor(request);
  const { user } = request;
  switch (method) {
    case 'trust':
      if (!request.loopback && !allowTrustBeyondLoopback) {
        throw new NemetonError(`no password-less access for user "${user}" from ${request.remoteAddress}: trust is allowed only on loopback`, {
          code: 'Forbidden',
          sqlState: '28000',
        });
      }
      return method;
    case 'reject':
      throw new NemetonError(`connection rejected for user "${user}", database "${request.database}"`, { code: 'Forbidden', sqlState: '28000' });
    case 'cleartext': {
      await ch.send((w) => authentication(w, 3));
      const password = decodePassword(await readPasswordMessage(ch));
      const ok = provider.verifyPassword ? await provider.verifyPassword(user, password) : false;
      if (!ok) throw passwordFailed(user, 'password');
      return method;
    }
    case 'md5': {
      const salt = randomBytes(4);
      await ch.send((w) => authentication(w, 5, salt));
      const answer = decodePassword(await readPasswordMessage(ch));
      const stored = provider.md5Hash ? await provider.md5Hash(user) : null;
      if (stored === null) throw passwordFailed(user, 'md5');
      const expected = 'md5' + createHash('md5').update(Buffer.concat([Buffer.from(stored.slice(3)), salt])).digest('hex');
      const a = Buffer.from(answer);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw passwordFailed(user, 'md5');
      return method;
    }
    case 'scram-sha-256': {
      await ch.send((w) => authentication(w, 10, Buffer.from('SCRAM-SHA-256\0\0')));
      const initial = decodeSaslInitial(await readPasswordMessage(ch));
      if (initial.mechanism !== 'SCRAM-SHA-256') {
        throw protocolViolation(`client selected an invalid SASL authentication mechanism: ${initial.mechanism}`);
      }
      if (initial.data === null) throw protocolViolation('SASL initial response has no data');
      const known = provider.scramSecret ? await provider.scramSecret(user) : null;
      const secret = known ?? mockSecret(user);
      try {
        const exchange = scramServerFirst(initial.data.toString('utf8'), secret);
        await ch.send((w) => authentication(w, 11, Buffer.from(exchange.serverFirst)));
        const final = (await readPasswordMessage(ch)).toString('utf8');
        const serverFinal = scramServerFinal(exchange, final);
        if (serverFinal === null || known === null) throw passwordFailed(user, 'SCRAM-SHA-256');
        await ch.send((w) => authentication(w, 12, Buffer.from(serverFinal)));
      } catch (e) {
        if (e instanceof ScramFormatError) throw protocolViolation(e.message);
        throw e;
      }
      return method;
    }
  }
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}
