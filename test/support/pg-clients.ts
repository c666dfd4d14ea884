import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir.ts';
import { hasJava, javaCommand } from './java.ts';

/**
 * Real PostgreSQL client programs (installed by `scripts/install.sh --only apt`) driven from tests, so a
 * wire-protocol server can be checked against psql, psycopg2, SQLAlchemy, pgJDBC, psqlODBC and pgbench.
 * Each *Query function runs one SQL statement in a fresh client process and returns the result as text.
 */

/** Where a PostgreSQL-protocol server listens and how to log in. */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/** Rows of a query as the client rendered them: values as text, SQL NULL as null (see each function). */
export interface ClientResult {
  columns: string[];
  rows: (string | null)[][];
}

/** A client reported an error; `sqlState` is the SQLSTATE when the client printed one. */
export class PgClientError extends Error {
  constructor(
    message: string,
    readonly client: string,
    readonly sqlState: string | undefined,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'PgClientError';
  }
}

/** Paths of the client tools; a member is undefined when that tool is not installed. */
export interface PgClientTools {
  psql?: string;
  pgbench?: string;
  isql?: string;
  /** Debian's /usr/bin/python3 (which has python3-psycopg2 and python3-sqlalchemy), when those import. */
  python3?: string;
  jdbcJar?: string;
  odbcDriver?: string;
}

let toolsCache: PgClientTools | undefined;

/** Locates the client tools (cached after the first call). */
export function pgClientTools(): PgClientTools {
  if (toolsCache) return toolsCache;
  const first = (...paths: string[]) => paths.find((p) => existsSync(p));
  const python = first('/usr/bin/python3');
  const pythonOk =
    python !== undefined && spawnSync(python, ['-c', 'import psycopg2, sqlalchemy'], { stdio: 'ignore', timeout: 20000 }).status === 0;
  toolsCache = {
    psql: first('/usr/bin/psql', '/usr/lib/postgresql/15/bin/psql'),
    pgbench: first('/usr/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'),
    isql: first('/usr/bin/isql'),
    python3: pythonOk ? python : undefined,
    jdbcJar: hasJava() ? first('/usr/share/java/postgresql.jar') : undefined,
    odbcDriver: first('/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so', '/usr/lib/aarch64-linux-gnu/odbc/psqlodbcw.so'),
  };
  return toolsCache;
}

/** The names of missing client tools (empty when all are installed). */
export function missingPgClientTools(): string[] {
  return Object.entries(pgClientTools())
    .filter(([, path]) => path === undefined)
    .map(([name]) => name);
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(new Error(`${command}: ${err.message}\n${stderr}`));
        else resolve({ status: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

function need(tool: keyof PgClientTools): string {
  const path = pgClientTools()[tool];
  if (!path) throw new Error(`${tool} is not installed (run: scripts/install.sh --only apt)`);
  return path;
}

const UNIT = '\x1f';
const NULL_MARK = '\\N';

/**
 * Runs `sql` with `psql -c` (no psqlrc, ON_ERROR_STOP, unaligned output). NULL comes back as null; values
 * must not contain newlines or U+001F. Statements without a result set return no columns and no rows.
 */
export async function psqlQuery(target: PgTarget, sql: string): Promise<ClientResult> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'VERBOSITY=verbose', '-A', '-F', UNIT, '-P', 'footer=off', '-P', `null=${NULL_MARK}`];
  args.push('-h', target.host, '-p', String(target.port), '-U', target.user, '-d', target.database, '-c', sql);
  const r = await run(need('psql'), args, { env: clientEnv(target) });
  if (r.status !== 0) throw clientError('psql', r, /ERROR:\s+([0-9A-Z]{5}):/);
  return parseDelimited(r.stdout, NULL_MARK);
}

/** Runs `sql` through psycopg2 (autocommit). Values are Python's str() of the fetched objects. */
export function psycopg2Query(target: PgTarget, sql: string): Promise<ClientResult> {
  return pythonQuery('psycopg2', target, sql);
}

/** Runs `sql` through SQLAlchemy 1.4 (`postgresql+psycopg2` engine, `text(sql)`). */
export function sqlalchemyQuery(target: PgTarget, sql: string): Promise<ClientResult> {
  return pythonQuery('sqlalchemy', target, sql);
}

async function pythonQuery(driver: string, target: PgTarget, sql: string): Promise<ClientResult> {
  const script = fileURLToPath(new URL('./clients/py_query.py', import.meta.url));
  const args = [script, driver, target.host, String(target.port), target.user, target.password ?? '', target.database, sql];
  const r = await run(need('python3'), args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status !== 0) throw clientError(driver, r, /SQLSTATE ([0-9A-Z]{5}):/);
  return toResult(JSON.parse(r.stdout));
}

/**
 * Runs `sql` through pgJDBC (Statement.execute; values via ResultSet.getString). Each call starts a JVM;
 * JdbcQuery.java is compiled once into the install cache when javac exists (else run as a source file).
 */
export async function jdbcQuery(target: PgTarget, sql: string): Promise<ClientResult> {
  const url = `jdbc:postgresql://${target.host}:${target.port}/${encodeURIComponent(target.database)}`;
  const classDir = await compiledJdbcQuery();
  const main = classDir ? ['-cp', `${need('jdbcJar')}:${classDir}`, 'JdbcQuery'] : ['-cp', need('jdbcJar'), JDBC_SOURCE];
  const args = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', ...main, url, target.user, target.password ?? '', sql];
  const r = await run(javaCommand(), args, { timeoutMs: 120000 });
  if (r.status !== 0) throw clientError('jdbc', r, /SQLSTATE ([0-9A-Z]{5}):/);
  return toResult(JSON.parse(r.stdout));
}

const JDBC_SOURCE = fileURLToPath(new URL('./clients/JdbcQuery.java', import.meta.url));
let jdbcClassDir: Promise<string | undefined> | undefined;

/** Directory holding JdbcQuery.class compiled from the current source, or undefined without javac. */
function compiledJdbcQuery(): Promise<string | undefined> {
  jdbcClassDir ??= (async () => {
    const javac = javaCommand().replace(/java$/, 'javac');
    const javacPath = javac.includes('/') ? javac : undefined;
    const hasJavac = javacPath ? existsSync(javacPath) : spawnSync('javac', ['-version'], { stdio: 'ignore' }).status === 0;
    if (!hasJavac) return undefined;
    const hash = createHash('sha256').update(readFileSync(JDBC_SOURCE)).digest('hex').slice(0, 16);
    const dir = join(cacheDir(), 'test-clients', `jdbc-${hash}`);
    if (existsSync(join(dir, 'JdbcQuery.class'))) return dir;
    const tmp = `${dir}.tmp${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    const r = await run(javac, ['-d', tmp, JDBC_SOURCE], { timeoutMs: 120000 });
    if (r.status !== 0) throw new Error(`javac JdbcQuery.java failed: ${r.stderr}`);
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process finished first
    }
    return dir;
  })();
  return jdbcClassDir;
}

/**
 * Runs `sql` through psqlODBC (Unicode driver) with unixODBC's `isql -k` (SQLDriverConnect, no DSN file).
 * isql prints SQL NULL as an empty string, so nulls come back as ''.
 */
export async function odbcQuery(target: PgTarget, sql: string): Promise<ClientResult> {
  if (/[\r\n]/.test(sql)) throw new Error('odbcQuery: isql reads one statement per line; put the SQL on one line');
  const conn = [
    `DRIVER=${need('odbcDriver')}`,
    `SERVER=${target.host}`,
    `PORT=${target.port}`,
    `DATABASE=${target.database}`,
    `UID=${target.user}`,
    `PWD=${target.password ?? ''}`,
  ].join(';');
  const r = await run(need('isql'), ['-k', conn, '-b', '-v', '-x0x1f', '-c'], { input: `${sql}\n` });
  const failed = r.status !== 0 || /\[ISQL\]ERROR/.test(r.stdout + r.stderr);
  if (failed) throw clientError('odbc', { ...r, stderr: `${r.stderr}${r.stdout}` }, /\[([0-9A-Z]{5})\]/);
  return parseDelimited(r.stdout, undefined);
}

/** Runs pgbench with `args` (e.g. ['-i', '-s', '1'] or ['-c', '2', '-t', '10', '-S']) against `target`. */
export async function runPgbench(target: PgTarget, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const full = ['-h', target.host, '-p', String(target.port), '-U', target.user, ...args, target.database];
  const r = await run(need('pgbench'), full, { env: clientEnv(target), timeoutMs: 300000 });
  if (r.status !== 0) throw clientError('pgbench', r, /ERROR:\s+([0-9A-Z]{5}):/);
  return { stdout: r.stdout, stderr: r.stderr };
}

function clientEnv(target: PgTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10', PGAPPNAME: 'nemeton-test' };
  if (target.password !== undefined) env.PGPASSWORD = target.password;
  else delete env.PGPASSWORD;
  return env;
}

function clientError(client: string, r: Run, sqlStatePattern: RegExp): PgClientError {
  const text = r.stderr.trim();
  const sqlState = sqlStatePattern.exec(text)?.[1];
  return new PgClientError(`${client} failed (exit ${r.status}): ${text.split('\n').slice(0, 5).join('\n')}`, client, sqlState, r.stderr);
}

function parseDelimited(stdout: string, nullMark: string | undefined): ClientResult {
  const lines = stdout.split('\n').filter((l) => l !== '');
  if (lines.length === 0) return { columns: [], rows: [] };
  const [header, ...body] = lines;
  return {
    columns: header.split(UNIT),
    rows: body.map((l) => l.split(UNIT).map((v) => (nullMark !== undefined && v === nullMark ? null : v))),
  };
}

function toResult(json: { columns?: string[]; rows?: (string | null)[][] }): ClientResult {
  return { columns: json.columns ?? [], rows: json.rows ?? [] };
}
