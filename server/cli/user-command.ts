/**
 * `nemeton user NAME [--data-dir DIR] [--config FILE] [--password P]`: creates a user or changes its password
 * in the metadata store. The password comes from --password, else NEMETON_PASSWORD, else the first line of
 * standard input, so it need not appear in the shell history.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NemetonError } from '../../common/errors.ts';
import { SqliteMetadataStore } from '../../cluster/metadata/sqlite-metadata-store.ts';
import { PostgresMetadataStore } from '../../cluster/metadata/postgres-metadata-store.ts';
import type { MetadataStore } from '../../cluster/metadata/metadata-store.ts';
import { readConfigFile, resolveConfig } from '../config.ts';
import { setUserPassword } from '../metadata-auth-provider.ts';

async function firstStdinLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

export async function runUserCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, password: { type: 'string' } },
  });
  const name = positionals[0];
  if (name === undefined) throw new NemetonError('usage: nemeton user NAME [--data-dir DIR] [--config FILE] [--password P]', { code: 'Invalid input' });
  const config = resolveConfig(values.config ? readConfigFile(values.config) : {}, { dataDir: values['data-dir'] });
  const password = values.password ?? process.env.NEMETON_PASSWORD ?? (await firstStdinLine());
  const metadata: MetadataStore = config.metadata?.type === 'postgres'
    ? await PostgresMetadataStore.open({ url: config.metadata.url })
    : new SqliteMetadataStore(config.metadata?.type === 'sqlite' ? config.metadata.path : join(config.dataDir, 'metadata.db'));
  try {
    const existed = (await metadata.user(name)) !== undefined;
    await setUserPassword(metadata, name, password);
    process.stdout.write(`${existed ? 'changed the password of' : 'created'} user ${name}; connections now authenticate with SCRAM-SHA-256\n`);
    return 0;
  } finally {
    await metadata.close();
  }
}
