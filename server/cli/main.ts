/**
 * The `nemeton` command line:
 *   nemeton start       [--data-dir DIR] [--pg-port N] [--http-port N] [--host H] [--config FILE]
 *   nemeton quickstart  (start options) [--rows N]
 *   nemeton ingest      <spec.json> [--data-dir DIR] [--url http://host:port]
 *   nemeton user        NAME [--data-dir DIR] [--password P]   (password also from NEMETON_PASSWORD or stdin)
 */
import { runUserCommand } from './user-command.ts';
import { parseArgs } from 'node:util';
import { NemetonError } from '../../common/errors.ts';
import { setLogLevel } from '../../common/log.ts';
import { parseLanesFlag, readConfigFile, resolveConfig, type NemetonConfig } from '../config.ts';
import { startNode, type RunningNode } from '../node.ts';
import { loadQuickstartSample } from '../quickstart/load-quickstart.ts';
import { startClusterNode } from '../cluster-node.ts';
import type { NodeRole } from '../../cluster/roles/cluster-store.ts';
import { join } from 'node:path';
import { runIngestCommand } from './ingest-command.ts';

const knownRoles: readonly NodeRole[] = ['broker', 'historical', 'realtime', 'coordinator'];

/** `nemeton start --role ...`: the same code as one process, split into cluster roles. */
async function startRoles(config: NemetonConfig, roleList: string): Promise<number> {
  const roles = roleList.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  for (const r of roles) {
    if (!knownRoles.includes(r as NodeRole)) {
      throw new NemetonError(`unknown role '${r}'; use ${knownRoles.join(', ')}`, { code: 'Invalid input' });
    }
  }
  const node = await startClusterNode({
    roles: roles as NodeRole[],
    metadata: config.metadata ?? { type: 'sqlite', path: join(config.dataDir, 'metadata.db') },
    deepStorage: config.deepStorage ?? { type: 'local', dir: join(config.dataDir, 'deep') },
    host: config.host,
    httpPort: config.httpPort,
    dataDir: config.dataDir,
    ...(config.tier ? { tier: config.tier } : {}),
    ...(roles.includes('broker') ? { pgPort: config.pgPort } : {}),
    allowTrustBeyondLoopback: config.allowTrustBeyondLoopback,
    maxRowsInMemory: config.maxRowsInMemory,
    maxConcurrentQueries: config.maxConcurrentQueries,
    maxQueuedQueries: config.maxQueuedQueries,
    queryLanes: config.queryLanes,
    interactiveQueryCost: config.interactiveQueryCost,
  });
  const pg = node.pgPort ? `, PostgreSQL on ${config.host}:${node.pgPort}` : '';
  process.stderr.write(`nemeton: ${roles.join(', ')} listening on http://${config.host}:${node.httpPort}/${pg} as ${node.name}\n`);
  const stop = async () => { await node.stop(); process.exit(0); };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return -1;
}

const usage = `Usage: nemeton <command> [options]

Commands:
  start         run all roles in one process with embedded defaults
  quickstart    start, and on first run generate the sample data source 'wikipedia'
  ingest        run a Druid batch task spec: nemeton ingest <spec.json> [--data-dir DIR | --url URL]
  user          create a user or set its password: nemeton user NAME [--data-dir DIR] (password on stdin)

Options:
  --data-dir DIR     local state (metadata.db, deep/, cache/)   [./var]
  --pg-port N        PostgreSQL wire protocol port               [5433]
  --http-port N      HTTP API port                               [8888]
  --host H           listen address                              [127.0.0.1]
  --max-concurrent-queries N   queries running at once, 0 = no limit      [64]
  --max-queued-queries N       queries waiting beyond that; more get 429  [256]
  --query-lanes L=N[,L=N...]   lanes and their limits (context 'lane'; 'low' takes priority < 0)
  --config FILE      JSON file with the options above (camelCase keys)
  --rows N           quickstart: rows to generate                [100000]
  --role R[,R...]    run only these roles: broker, historical, realtime, coordinator
                     (a cluster: metadata and deepStorage come from --config;
                     PostgreSQL and S3/MinIO there, SQLite and ./var/deep by default)
  --help             this text
`;

function parsePort(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new NemetonError(`${flag} expects a port number, got [${v}]`, { code: 'Invalid input' });
  return n;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'ingest') return runIngestCommand(argv.slice(1));
  if (argv[0] === 'user') return runUserCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'pg-port': { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      rows: { type: 'string' },
      role: { type: 'string' },
      'max-concurrent-queries': { type: 'string' },
      'max-queued-queries': { type: 'string' },
      'query-lanes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return command === undefined && !values.help ? 1 : 0;
  }
  if (command !== 'start' && command !== 'quickstart') {
    process.stderr.write(`nemeton: unknown command '${command}'\n\n${usage}`);
    return 1;
  }
  const config: NemetonConfig = resolveConfig(values.config ? readConfigFile(values.config) : {}, {
    dataDir: values['data-dir'],
    pgPort: parsePort(values['pg-port'], '--pg-port'),
    httpPort: parsePort(values['http-port'], '--http-port'),
    host: values.host,
    maxConcurrentQueries: values['max-concurrent-queries'] === undefined ? undefined : Number(values['max-concurrent-queries']),
    maxQueuedQueries: values['max-queued-queries'] === undefined ? undefined : Number(values['max-queued-queries']),
    queryLanes: values['query-lanes'] === undefined ? undefined : parseLanesFlag(values['query-lanes']),
  });
  setLogLevel(config.logLevel);
  const rows = values.rows === undefined ? 100_000 : Number(values.rows);
  if (!Number.isInteger(rows) || rows < 0) throw new NemetonError(`--rows expects a whole number, got [${values.rows}]`, { code: 'Invalid input' });

  if (values.role !== undefined && values.role !== 'all') {
    if (command !== 'start') throw new NemetonError('--role goes with `nemeton start`', { code: 'Invalid input' });
    return startRoles(config, values.role);
  }
  const node: RunningNode = await startNode(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nnemeton: ${signal} received, persisting fresh data and shutting down...\n`);
    await node.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (command === 'quickstart') await loadQuickstartSample(node, rows);
  node.markReady();
  return -1; // keep running
}
