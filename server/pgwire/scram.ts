/**
 * Server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL speaks it:
 * no channel binding (SCRAM-SHA-256 only; clients send gs2 header 'n' or 'y').
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ScramSecret } from './auth-provider.ts';

/** State kept between the server-first and the client-final messages. */
export interface ScramExchange {
  readonly clientFirstBare: string;
  readonly serverFirst: string;
  readonly nonce: string;
  readonly gs2Header: string;
  readonly secret: ScramSecret;
}

/** Thrown for malformed SCRAM messages; the caller reports 08P01 or 28P01. */
export class ScramFormatError extends Error {}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw new ScramFormatError(`malformed SCRAM attribute "${part}"`);
    out.set(part[0], part.slice(2));
  }
  return out;
}

/** Reads the client-first message and produces the server-first message. */
export function scramServerFirst(clientFirst: string, secret: ScramSecret): ScramExchange {
  const m = /^([ny]|p=[^,]*),([^,]*),(.*)$/.exec(clientFirst);
  if (!m) throw new ScramFormatError('malformed SCRAM client-first-message');
  if (m[1].startsWith('p=')) throw new ScramFormatError('channel binding is not supported by this server');
  const gs2Header = `${m[1]},${m[2]},`;
  const clientFirstBare = m[3];
  const attrs = attributes(clientFirstBare);
  const clientNonce = attrs.get('r');
  if (!clientNonce || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce)) throw new ScramFormatError('invalid SCRAM client nonce');
  const nonce = clientNonce + randomBytes(18).toString('base64');
  const serverFirst = `r=${nonce},s=${secret.salt.toString('base64')},i=${secret.iterations}`;
  return { clientFirstBare, serverFirst, nonce, gs2Header, secret };
}

/**
 * Checks the client-final message. Returns the server-final message ('v=...') when
 * the proof is right, null when the password is wrong.
 */
export function scramServerFinal(exchange: ScramExchange, clientFinal: string): string | null {
  const proofAt = clientFinal.lastIndexOf(',p=');
  if (proofAt < 0) throw new ScramFormatError('SCRAM client-final-message has no proof');
  const withoutProof = clientFinal.slice(0, proofAt);
  const attrs = attributes(withoutProof);
  if (attrs.get('c') !== Buffer.from(exchange.gs2Header).toString('base64')) {
    throw new ScramFormatError('SCRAM channel binding data does not match');
  }
  if (attrs.get('r') !== exchange.nonce) throw new ScramFormatError('SCRAM nonce does not match');
  const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
  if (proof.length !== 32) throw new ScramFormatError('malformed SCRAM proof');
  const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${withoutProof}`;
  const signature = createHmac('sha256', exchange.secret.storedKey).update(authMessage).digest();
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = proof[i] ^ signature[i];
  const stored = createHash('sha256').update(clientKey).digest();
  if (!timingSafeEqual(stored, exchange.secret.storedKey)) return null;
  const serverSignature = createHmac('sha256', exchange.secret.serverKey).update(authMessage).digest();
  return `v=${serverSignature.toString('base64')}`;
}
