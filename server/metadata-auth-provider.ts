/**
 * pgwire authentication backed by the metadata store's `users` table.
 * Policy: with no users configured, loopback connections are trusted and
 * others refused (unless trust beyond loopback was explicitly allowed); once
 * a user exists, every connection authenticates with SCRAM-SHA-256.
 */
import type { MetadataStore, UserRecord } from '../cluster/metadata/metadata-store.ts';
import { md5PasswordHash, scramSecretFromPassword, type PgAuthMethod, type PgAuthProvider, type PgAuthRequest } from './pgwire/auth-provider.ts';
import { errors } from '../common/errors.ts';

export function createMetadataAuthProvider(metadata: MetadataStore, options: { allowTrustBeyondLoopback: boolean }): PgAuthProvider {
  let cachedCount: { at: number; count: number } | null = null;
  const userCount = async (): Promise<number> => {
    const now = Date.now();
    if (cachedCount && now - cachedCount.at < 1000) return cachedCount.count;
    const count = (await metadata.users()).length;
    cachedCount = { at: now, count };
    return count;
  };
  return {
    async methodFor(request: PgAuthRequest): Promise<PgAuthMethod> {
      if ((await userCount()) > 0) return 'scram-sha-256';
      return request.loopback || options.allowTrustBeyondLoopback ? 'trust' : 'reject';
    },
    async scramSecret(user: string) {
      const u = await metadata.user(user);
      if (!u) return null;
      return {
        iterations: u.scramIterations,
        salt: Buffer.from(u.scramSalt, 'base64'),
        storedKey: Buffer.from(u.scramStoredKey, 'base64'),
        serverKey: Buffer.from(u.scramServerKey, 'base64'),
      };
    },
    async md5Hash(user: string) {
      return (await metadata.user(user))?.md5Hash ?? null;
    },
    isSuperuser: () => true,
  };
}

/** Creates or updates a user with a password, stored only as salted SCRAM secrets and an MD5 hash. */
export async function setUserPassword(metadata: MetadataStore, name: string, password: string): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/.test(name)) throw errors.invalidInput(`User name [${name}] is not valid`);
  if (password.length < 1) throw errors.invalidInput('Password must not be empty');
  const secret = scramSecretFromPassword(password);
  const record: UserRecord = {
    name,
    scramIterations: secret.iterations,
    scramSalt: secret.salt.toString('base64'),
    scramStoredKey: secret.storedKey.toString('base64'),
    scramServerKey: secret.serverKey.toString('base64'),
    md5Hash: md5PasswordHash(name, password),
  };
  await metadata.upsertUser(record);
}
