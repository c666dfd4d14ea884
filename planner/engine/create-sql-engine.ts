/**
 * The SQL engine behind the PostgreSQL wire protocol and the HTTP SQL API:
 * parse -> bind -> native pushdown -> execute (native queries through the
 * runner, the rest on the broker) -> rows of SQL values.
 */
import { randomUUID } from 'node:crypto';
import type { SqlColumn, SqlDescription, SqlEngine, SqlResult, SqlSessionContext, SqlType } from '../sql-engine.ts';
import type { NativeQueryRunner } from '../../query/native-runner.ts';
import type { Catalog } from '../catalog.ts';
import type { Rel, RelColumn } from '../rel.ts';
import type { Statement } from '../ast.ts';
import type { SqlIngestion } from './sql-ingestion.ts';
import { parseStatement } from '../parser.ts';
import { bindQuery } from '../binder.ts';
import { pushDown } from '../native/push-down.ts';
import { explainRow } from '../native/explain.ts';
import { executeRel } from '../exec/executor.ts';
import { openRowStream } from '../exec/stream-native-scan.ts';
import { plannerSettings, type PlannerSettings } from './session-settings.ts';
import { splitStatements } from './split-statements.ts';
import { tokenize } from '../lexer.ts';
import { runInsert } from './insert.ts';
import { sqlColumn } from './sql-column.ts';
export { sqlColumn };
import { inlineSubqueries } from './inline-subqueries.ts';
import { pruneScans } from '../native/prune-scans.ts';
import type { ExecEnv } from '../exec/environment.ts';
import { errors } from '../../common/errors.ts';

export interface SqlEngineDeps {
  readonly runner: NativeQueryRunner;
  readonly catalog: Catalog;
  /**
   * INSERT/REPLACE support: an object with the SqlIngestion methods it offers
   * (checked at run time, so any service object may be passed); statements it
   * cannot serve are unsupported (0A000).
   */
  readonly ingestion?: SqlIngestion | object;
  /** Plan everything on the broker over plain scans (testing and diagnostics). Default false. */
  readonly brokerOnly?: boolean;
  /** Materialise every result, even native scans that could stream (testing and diagnostics). Default false. */
  readonly noStreaming?: boolean;
}

/** A planned SELECT: its plan after pushdown and its output columns. */
export interface PlannedQuery {
  readonly rel: Rel;
  readonly columns: readonly RelColumn[];
  readonly settings: PlannerSettings;
}

/** Binds a query statement (parse + bind, no pushdown). */
export function bindStatement(sql: string | Statement, parameters: readonly unknown[], session: SqlSessionContext, catalog: Catalog): PlannedQuery {
  const stmt = typeof sql === 'string' ? parseStatement(sql) : sql;
  const inner = stmt.kind === 'explain' ? stmt.statement : stmt;
  if (inner.kind !== 'query') throw errors.invalidInput(`Cannot plan a ${inner.kind} statement`);
  const settings = plannerSettings(session);
  const bound = bindQuery(inner.query, { catalog, parameters, timeZone: settings.timeZone, queryContext: settings.queryContext, now: settings.now, session: sessionInfo(session) });
  return { rel: bound.rel, columns: bound.columns, settings };
}

/** What session functions (current_user, current_setting()...) read. */
function sessionInfo(session: SqlSessionContext): { user: string; database: string; settings: ReadonlyMap<string, string> } {
  return { user: session.user, database: session.database, settings: session.settings };
}

/** Native pushdown of a bound plan with the session's settings. */
export function pushDownWith(rel: Rel, settings: PlannerSettings): Rel {
  return pushDown(rel, {
    timeZone: settings.timeZone, now: settings.now, useApproximateCountDistinct: settings.useApproximateCountDistinct,
    useApproximateTopN: settings.useApproximateTopN, context: nativeContext(settings),
  });
}

/** Plans a query statement (parse + bind + pushdown) without running it; subqueries stay as they are. */
export function planQuery(sql: string | Statement, parameters: readonly unknown[], session: SqlSessionContext, catalog: Catalog, brokerOnly = false): PlannedQuery {
  const bound = bindStatement(sql, parameters, session, catalog);
  return brokerOnly ? bound : { ...bound, rel: pushDownWith(bound.rel, bound.settings) };
}

function nativeContext(s: PlannerSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['sqlQueryId', 'timeout', 'priority', 'lane', 'useCache', 'populateCache', 'sqlTimeZone']) if (s.queryContext[k] !== undefined) out[k] = s.queryContext[k];
  return out;
}


async function* iterate(rows: readonly (readonly unknown[])[]): AsyncIterable<readonly unknown[]> {
  for (const r of rows) yield r;
}

/** Output conversion: multi-value strings as JSON text (sqlStringifyArrays), bigints kept, undefined as null. */
function outputRows(rows: readonly (readonly unknown[])[], columns: readonly RelColumn[], s: PlannerSettings): unknown[][] {
  return rows.map((r) => columns.map((c, i) => {
    const v = r[i];
    if (v === undefined) return null;
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    if (Array.isArray(v) && c.type === 'VARCHAR') return s.stringifyArrays ? JSON.stringify(v) : v;
    if (c.type === 'BOOLEAN' && typeof v === 'number') return v !== 0;
    if ((c.type === 'DOUBLE' || c.type === 'FLOAT' || c.type === 'REAL' || c.type === 'DECIMAL') && typeof v === 'bigint') return Number(v);
    return v;
  }));
}

/** Creates the SQL engine over a native runner and a catalog. */
export function createSqlEngine(deps: SqlEngineDeps): SqlEngine {
  const { runner, catalog } = deps;

  async function runQuery(stmt: Statement, parameters: readonly unknown[], session: SqlSessionContext, queryId: string) {
    const planned = bindStatement(stmt, parameters, session, catalog);
    const s = planned.settings;
    const env: ExecEnv = {
      runner, maxRows: s.maxRows, queryContext: s.queryContext, queryId,
      compile: { timeZone: s.timeZone, now: s.now, catalog, session: sessionInfo(session) }, ...(session.signal ? { signal: session.signal } : {}),
    };
    const rel = pruneScans(deps.brokerOnly ? planned.rel : pushDownWith(await inlineSubqueries(planned.rel, env, (r) => pruneScans(pushDownWith(r, s))), s));
    // Native scans (with column picking at most) stream; everything else is materialised.
    const stream = deps.noStreaming ? null : await openRowStream(rel, env, (batch) => outputRows(batch, planned.columns, s));
    if (stream !== null) return { columns: planned.columns, rows: [] as unknown[][], stream };
    const rows = await executeRel(rel, env);
    return { columns: planned.columns, rows: outputRows(rows, planned.columns, s), stream: null };
  }

  const engine: SqlEngine = {
    async execute(sql, parameters, session): Promise<SqlResult> {
      const queryId = String(session.queryContext.sqlQueryId ?? randomUUID());
      const stmt = parseStatement(sql);
      switch (stmt.kind) {
        case 'query': {
          const r = await runQuery(stmt, parameters, session, queryId);
          if (r.stream !== null) return { columns: r.columns.map(sqlColumn), rows: r.stream, command: 'SELECT', queryId };
          return { columns: r.columns.map(sqlColumn), rows: iterate(r.rows), command: 'SELECT', rowCount: r.rows.length, queryId };
        }
        case 'explain': {
          const inner = stmt.statement;
          const columns: SqlColumn[] = [
            { name: 'PLAN', sqlType: 'VARCHAR', nativeType: 'STRING' },
            { name: 'RESOURCES', sqlType: 'VARCHAR', nativeType: 'STRING' },
            { name: 'ATTRIBUTES', sqlType: 'VARCHAR', nativeType: 'STRING' },
          ];
          if (inner.kind === 'insert') {
            const planned = planQuery({ kind: 'query', pos: inner.pos, query: inner.source }, parameters, session, catalog, deps.brokerOnly ?? false);
            const row = explainRow(planned.rel, planned.columns, inner.mode);
            const attrs = { ...JSON.parse(row[2]), targetDataSource: inner.table[inner.table.length - 1], partitionedBy: inner.partitionedBy === 'ALL' ? 'ALL' : inner.partitionedBy && inner.partitionedBy.kind === 'symbol' ? inner.partitionedBy.name : null };
            return { columns, rows: iterate([[row[0], row[1], JSON.stringify(attrs)]]), command: 'EXPLAIN', rowCount: 1, queryId };
          }
          if (inner.kind !== 'query') throw errors.unsupported(`EXPLAIN of ${inner.kind}`);
          const planned = planQuery(inner, parameters, session, catalog, deps.brokerOnly ?? false);
          return { columns, rows: iterate([explainRow(planned.rel, planned.columns, 'SELECT')]), command: 'EXPLAIN', rowCount: 1, queryId };
        }
        case 'insert': {
          const w = await runInsert(stmt, parameters, session, { runner, catalog, ingestion: asSqlIngestion(deps.ingestion), queryId });
          const command = stmt.mode === 'INSERT' ? 'INSERT' : 'REPLACE';
          if (w.taskId !== undefined) {
            // Druid answers SQL ingestion with the id of the task that ran it.
            return { columns: [{ name: 'TASK', sqlType: 'VARCHAR', nativeType: 'STRING' }], rows: iterate([[w.taskId]]), command, rowCount: w.rowCount, queryId };
          }
          return { columns: [], rows: iterate([]), command, rowCount: w.rowCount, queryId };
        }
        case 'set':
          if (stmt.value === null) session.settings.delete(stmt.name); else session.settings.set(stmt.name, stmt.value);
          return { columns: [], rows: iterate([]), command: 'SET', queryId };
        case 'reset':
          if (stmt.name === 'all') session.settings.clear(); else session.settings.delete(stmt.name);
          return { columns: [], rows: iterate([]), command: 'RESET', queryId };
        case 'show': {
          const value = showValue(stmt.name, session);
          return { columns: [{ name: stmt.name, sqlType: 'VARCHAR', nativeType: 'STRING' }], rows: iterate([[value]]), command: 'SHOW', rowCount: 1, queryId };
        }
        case 'transaction':
          return { columns: [], rows: iterate([]), command: stmt.action, queryId };
      }
    },

    async describe(sql, session): Promise<SqlDescription> {
      const stmt = parseStatement(sql);
      const paramCount = countParameters(sql);
      const parameterTypes: SqlType[] = new Array(paramCount).fill('VARCHAR');
      if (stmt.kind === 'query') {
        const settings = plannerSettings(session);
        const inferred: SqlType[] = [];
        const bound = bindQuery(stmt.query, { catalog, parameters: [], timeZone: settings.timeZone, queryContext: settings.queryContext, now: settings.now, parameterTypes: inferred, session: sessionInfo(session) });
        for (let i = 0; i < paramCount; i++) if (inferred[i] !== undefined) parameterTypes[i] = inferred[i] === 'DECIMAL' ? 'DOUBLE' : inferred[i];
        return { columns: bound.columns.map(sqlColumn), parameterTypes, returnsRows: true };
      }
      if (stmt.kind === 'explain') {
        return { columns: ['PLAN', 'RESOURCES', 'ATTRIBUTES'].map((name) => ({ name, sqlType: 'VARCHAR' as const, nativeType: 'STRING' })), parameterTypes, returnsRows: true };
      }
      if (stmt.kind === 'show') return { columns: [{ name: stmt.name, sqlType: 'VARCHAR', nativeType: 'STRING' }], parameterTypes, returnsRows: true };
      return { columns: [], parameterTypes, returnsRows: false };
    },

    splitStatements,
  };
  return engine;
}

/** The SqlIngestion methods an arbitrary service object offers. */
function asSqlIngestion(x: unknown): SqlIngestion | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const out: { -readonly [K in keyof SqlIngestion]: SqlIngestion[K] } = {};
  if (typeof o.writeRows === 'function') out.writeRows = (o.writeRows as NonNullable<SqlIngestion['writeRows']>).bind(x);
  if (typeof o.readExternal === 'function') out.readExternal = (o.readExternal as NonNullable<SqlIngestion['readExternal']>).bind(x);
  if (typeof o.readExternalBatches === 'function') out.readExternalBatches = (o.readExternalBatches as NonNullable<SqlIngestion['readExternalBatches']>).bind(x);
  if (typeof o.writeRowStream === 'function') out.writeRowStream = (o.writeRowStream as NonNullable<SqlIngestion['writeRowStream']>).bind(x);
  return out;
}

function countParameters(sql: string): number {
  let max = 0;
  for (const t of tokenize(sql)) if (t.kind === 'param') max = Math.max(max, t.paramIndex ?? 0);
  return max;
}

function showValue(name: string, session: SqlSessionContext): string {
  const v = session.settings.get(name);
  if (v !== undefined) return v;
  switch (name) {
    case 'timezone': case 'time zone': return String(session.queryContext.sqlTimeZone ?? 'UTC');
    case 'server_version': return '14.0';
    case 'transaction isolation level': case 'transaction_isolation': return 'read committed';
    case 'standard_conforming_strings': return 'on';
    case 'client_encoding': case 'server_encoding': return 'UTF8';
    case 'datestyle': return 'ISO, MDY';
    case 'search_path': return 'druid';
    default: return '';
  }
}
