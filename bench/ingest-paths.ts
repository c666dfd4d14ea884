/**
 * One measured run of each ingestion path on an in-process node, for one shape: the incremental index
 * alone, SQL INSERT ... VALUES in batches (streaming insert), SQL INSERT ... SELECT FROM
 * TABLE(EXTERN(local JSON)), and a batch JSON task. Each returns CPU milliseconds of this process
 * (user + system: per core, robust to a loaded machine) for `n` events, checked by a real COUNT(*).
 */
import fs from 'node:fs';
import { IncrementalIndex } from '../storage/incremental/incremental-index.ts';
import type { InputRow } from '../storage/schema.ts';
import type { RunningNode } from '../server/node.ts';
import { shapeSchema, type Shape } from './ingest-shapes.ts';

/** A measured run: CPU and wall milliseconds. */
export interface Run { readonly cpuMs: number; readonly wallMs: number }

/** Runs `work`, returning its CPU and wall time. */
export async function measured(work: () => Promise<void> | void): Promise<Run> {
  const c = process.cpuUsage();
  const t = performance.now();
  await work();
  const wallMs = performance.now() - t;
  const u = process.cpuUsage(c);
  return { cpuMs: (u.user + u.system) / 1000, wallMs };
}

const SESSION = { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map<string, string>() };

/** Runs one SQL statement on the node; returns its rows. */
export async function sql(node: RunningNode, text: string): Promise<Record<string, unknown>[]> {
  const r = await node.sql.execute(text, [], SESSION) as { columns?: readonly { name: string }[]; rows?: AsyncIterable<readonly unknown[]> | readonly (readonly unknown[])[] };
  const out: Record<string, unknown>[] = [];
  if (!r.rows || !r.columns) return out;
  const cols = r.columns;
  for await (const row of r.rows as AsyncIterable<readonly unknown[]>) out.push(Object.fromEntries(cols.map((c, i) => [c.name, row[i]])));
  return out;
}

/** COUNT(*) of a data source through a real SQL query (0 while the data source does not exist yet). */
export async function countRows(node: RunningNode, ds: string): Promise<number> {
  try {
    const rows = await sql(node, `SELECT COUNT(*) AS n FROM "${ds}"`);
    return Number(rows[0]?.n ?? 0);
  } catch (e) {
    if ((e as { sqlState?: string }).sqlState === '42P01') return 0;
    throw e;
  }
}

/** Writes events [0, n) of a shape as newline-delimited JSON. */
export function writeJsonFile(shape: Shape, file: string, n: number): void {
  const out = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < n; i += 10_000) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(n, i + 10_000); j++) lines.push(JSON.stringify(shape.record(j)));
      fs.writeSync(out, `${lines.join('\n')}\n`);
    }
  } finally {
    fs.closeSync(out);
  }
}

/**
 * The incremental index alone, through handoff (sorted, serialized segments; no reading, no
 * publishing). Rows are made as a reader makes them — JSON.parse of each event's line, before
 * timing — so they have the same object layout the other paths hand the index.
 */
export async function indexOnly(shape: Shape, n: number): Promise<Run> {
  const rows: InputRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = JSON.parse(JSON.stringify(shape.record(i))) as Record<string, unknown>;
    r.__time = r.ts;
    rows.push(r as InputRow);
  }
  return measured(() => {
    const index = new IncrementalIndex(shapeSchema(shape, 'x'), { maxRowsInMemory: 4_000_000, maxBytesInMemory: 1 << 30, excludeFields: ['ts'] });
    try {
      for (let i = 0; i < rows.length; i++) index.add(rows[i]);
      index.handoff('v');
    } finally {
      index.close();
    }
  });
}

function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** SQL INSERT ... VALUES in statements of `batch` rows (the streaming insert: visible at once). Statement text is built before timing. */
export async function sqlValues(node: RunningNode, shape: Shape, ds: string, n: number, batch = 500): Promise<Run> {
  const names = shape.columns.slice(1).map((c) => c.name);
  const head = `INSERT INTO "${ds}" (__time${names.map((c) => `, "${c}"`).join('')}) VALUES `;
  const statements: string[] = [];
  for (let i = 0; i < n; i += batch) {
    const tuples: string[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const r = shape.record(j);
      tuples.push(`(MILLIS_TO_TIMESTAMP(${r.ts as number})${names.map((c) => `, ${sqlLiteral(r[c])}`).join('')})`);
    }
    statements.push(head + tuples.join(', '));
  }
  return measured(async () => {
    for (const s of statements) await sql(node, s);
  });
}

/** The SELECT list reading a shape's EXTERN columns (`ts` as __time). */
function selectList(shape: Shape): string {
  return ['MILLIS_TO_TIMESTAMP(ts) AS __time', ...shape.columns.slice(1).map((c) => `"${c.name}"`)].join(', ');
}

/** SQL INSERT ... SELECT FROM TABLE(EXTERN(local JSON file)) PARTITIONED BY DAY. */
export async function sqlExtern(node: RunningNode, shape: Shape, ds: string, file: string): Promise<Run> {
  const signature = JSON.stringify(shape.columns);
  const text = `INSERT INTO "${ds}" SELECT ${selectList(shape)} FROM TABLE(EXTERN('{"type":"local","files":["${file}"]}', '{"type":"json"}', '${signature}')) PARTITIONED BY DAY`;
  return measured(async () => { await sql(node, text); });
}

/** A batch task (index_parallel) over the local JSON file, through the node's ingestion service. */
export async function batchTask(node: RunningNode, shape: Shape, ds: string, file: string): Promise<Run> {
  const schema = shapeSchema(shape, ds);
  const spec = {
    type: 'index_parallel',
    spec: {
      dataSchema: {
        dataSource: ds, timestampSpec: { column: 'ts', format: 'millis' }, dimensionsSpec: schema.dimensionsSpec, metricsSpec: schema.metricsSpec,
        granularitySpec: { segmentGranularity: 'day', queryGranularity: 'none', rollup: false },
      },
      ioConfig: { inputSource: { type: 'local', files: [file] }, inputFormat: { type: 'json' } },
    },
  };
  return measured(async () => {
    const id = await node.ingestion.submitTask(spec);
    await node.ingestion.waitForTask(id);
    const status = await node.ingestion.taskStatus(id) as { status: { status: string; errorMsg: string | null } };
    if (status.status.status !== 'SUCCESS') throw new Error(`batch task failed: ${status.status.errorMsg}`);
  });
}
