import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from './cache-dir.ts';
import { javaCommand } from './java.ts';

const execFileAsync = promisify(execFile);

/** A random Kafka Uuid in its string form (22 base64url chars), never starting with '-' (CLI-safe). */
export function randomKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats `logDir` as the KRaft storage of node `nodeId` in a new cluster and returns the cluster id. The
 * version-specific bootstrap.checkpoint comes from a template made once per Kafka version by
 * `kafka.tools.StorageTool format` (kept under the install cache); meta.properties is written here, so a
 * broker start costs no extra JVM.
 */
export async function formatKraftStorage(options: {
  kafkaVersion: string;
  jvmArgs: string[];
  logDir: string;
  nodeId: string;
  timeoutMs: number;
}): Promise<string> {
  const template = await bootstrapTemplate(options.kafkaVersion, options.jvmArgs, options.timeoutMs);
  const clusterId = randomKafkaUuid();
  mkdirSync(options.logDir, { recursive: true });
  copyFileSync(join(template, 'bootstrap.checkpoint'), join(options.logDir, 'bootstrap.checkpoint'));
  const meta = [
    '#',
    `#written by nemeton test/support ${new Date().toISOString()}`,
    `node.id=${options.nodeId}`,
    `directory.id=${randomKafkaUuid()}`,
    'version=1',
    `cluster.id=${clusterId}`,
    '',
  ].join('\n');
  writeFileSync(join(options.logDir, 'meta.properties'), meta);
  return clusterId;
}

const templates = new Map<string, Promise<string>>();

function bootstrapTemplate(kafkaVersion: string, jvmArgs: string[], timeoutMs: number): Promise<string> {
  let pending = templates.get(kafkaVersion);
  if (!pending) {
    pending = makeTemplate(kafkaVersion, jvmArgs, timeoutMs);
    pending.catch(() => templates.delete(kafkaVersion));
    templates.set(kafkaVersion, pending);
  }
  return pending;
}

async function makeTemplate(kafkaVersion: string, jvmArgs: string[], timeoutMs: number): Promise<string> {
  const root = join(cacheDir(), 'kafka', kafkaVersion);
  const dir = join(root, 'kraft-bootstrap-template');
  if (existsSync(join(dir, 'bootstrap.checkpoint'))) return dir;
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, 'kraft-format-'));
  try {
    const props = join(work, 'server.properties');
    writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        'controller.quorum.voters=1@127.0.0.1:9093',
        'listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'controller.listener.names=CONTROLLER',
        `log.dirs=${join(work, 'data')}`,
        '',
      ].join('\n'),
    );
    try {
      await execFileAsync(javaCommand(), [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', randomKafkaUuid(), '-c', props], {
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      throw new Error(`startKafka: formatting the KRaft storage failed: ${(err as Error).message}`);
    }
    if (!existsSync(join(work, 'data', 'bootstrap.checkpoint'))) {
      throw new Error('startKafka: StorageTool format wrote no bootstrap.checkpoint');
    }
    try {
      renameSync(join(work, 'data'), dir);
    } catch {
      if (!existsSync(join(dir, 'bootstrap.checkpoint'))) throw new Error(`startKafka: could not create ${dir}`);
      // another process made the template first
    }
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
