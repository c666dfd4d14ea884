/**
 * How the pgwire server learns who may connect. The lead backs PgAuthProvider
 * with the metadata store; `createStaticAuthProvider` serves tests and single-user setups.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** How a user must authenticate. 'reject' refuses the connection (28000). */
export type PgAuthMethod = 'trust' | 'cleartext' | 'md5' | 'scram-sha-256' | 'reject';

/** SCRAM-SHA-256 stored secrets (PostgreSQL's `SCRAM-SHA-256$iter:salt$StoredKey:ServerKey`). */
export interface ScramSecret {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** Who is connecting. */
export interface PgAuthRequest {
  readonly user: string;
  readonly database: string;
  readonly remoteAddress: string;
  /** True when the client connected from 127.0.0.0/8 or ::1. */
  readonly loopback: boolean;
  readonly tls: boolean;
}

export interface PgAuthProvider {
  /** The method required for this connection. 'trust' beyond loopback needs `allowTrustBeyondLoopback`. */
  methodFor(request: PgAuthRequest): PgAuthMethod | Promise<PgAuthMethod>;
  /** Cleartext: true when the password is right. Unknown users return false. */
  verifyPassword?(user: string, password: string): boolean | Promise<boolean>;
  /** MD5: the stored 'md5' + md5hex(password + user), or null for unknown users. */
  md5Hash?(user: string): string | null | Promise<string | null>;
  /** SCRAM: the stored secrets, or null for unknown users (a mock exchange then fails with 28P01). */
  scramSecret?(user: string): ScramSecret | null | Promise<ScramSecret | null>;
  /** Whether the user is a superuser (reported as ParameterStatus is_superuser). */
  isSuperuser?(user: string): boolean;
}

/** Derives SCRAM-SHA-256 secrets from a password (PostgreSQL's defaults: 16-byte salt, 4096 iterations). */
export function scramSecretFromPassword(password: string, salt: Buffer = randomBytes(16), iterations = 4096): ScramSecret {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return { iterations, salt, storedKey, serverKey };
}

/** Formats secrets as PostgreSQL stores them in pg_authid.rolpassword. */
export function formatScramVerifier(s: ScramSecret): string {
  return `SCRAM-SHA-256$${s.iterations}:${s.salt.toString('base64')}$${s.storedKey.toString('base64')}:${s.serverKey.toString('base64')}`;
}

/** Parses a PostgreSQL SCRAM verifier; null when the text is not one. */
export function parseScramVerifier(text: string): ScramSecret | null {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (!m) return null;
  const storedKey = Buffer.from(m[3], 'base64');
  const serverKey = Buffer.from(m[4], 'base64');
  if (storedKey.length !== 32 || serverKey.length !== 32) return null;
  return { iterations: Number(m[1]), salt: Buffer.from(m[2], 'base64'), storedKey, serverKey };
}

/** PostgreSQL's stored MD5 password: 'md5' + md5hex(password + user). */
export function md5PasswordHash(user: string, password: string): string {
  return 'md5' + createHash('md5').update(password + user).digest('hex');
}

export interface StaticAuthOptions {
  /** user -> password. */
  readonly users: Readonly<Record<string, string>>;
  /** Method for users connecting from beyond loopback (default scram-sha-256). */
  readonly method?: Exclude<PgAuthMethod, 'trust' | 'reject'>;
  /** Let loopback connections in without a password (default true). */
  readonly trustLoopback?: boolean;
  readonly superusers?: readonly string[];
}

/** An auth provider over a fixed user/password table; secrets are derived once. */
export function createStaticAuthProvider(options: StaticAuthOptions): PgAuthProvider {
  const method = options.method ?? 'scram-sha-256';
  const trustLoopback = options.trustLoopback ?? true;
  const secrets = new Map<string, ScramSecret>();
  const passwords = new Map(Object.entries(options.users));
  const superusers = new Set(options.superusers ?? []);
  return {
    methodFor: (r) => (trustLoopback && r.loopback ? 'trust' : method),
    verifyPassword: (user, password) => passwords.has(user) && passwords.get(user) === password,
    md5Hash: (user) => {
      const p = passwords.get(user);
      return p === undefined ? null : md5PasswordHash(user, p);
    },
    scramSecret: (user) => {
      const p = passwords.get(user);
      if (p === undefined) return null;
      let s = secrets.get(user);
      if (!s) {
        s = scramSecretFromPassword(p);
        secrets.set(user, s);
      }
      return s;
    },
    isSuperuser: (user) => superusers.has(user),
  };
}

/** Trusts everyone: only for loopback listeners and tests. */
export const trustAuthProvider: PgAuthProvider = { methodFor: () => 'trust' };
