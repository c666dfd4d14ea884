/**
 * Starting one statement: session statements run here, COPY wraps its inner
 * query, everything else goes to the SQL engine. The result is an Execution
 * whose rows are pulled one at a time, so large results stream.
 */
import { NemetonError } from '../../common/errors.ts';
import type { SqlColumn, SqlEngine, SqlSessionContext } from '../../planner/sql-engine.ts';
import { parseCopy, type CopyToStdout } from './copy-out.ts';
import {
  applySessionStatement,
  parseSessionStatement,
  type SessionOutcome,
  type SessionState,
  type SessionStatement,
} from './session-commands.ts';

/** What a statement is, decided once when it is parsed. */
export interface StatementPlan {
  readonly sql: string;
  /** Set for SET/SHOW/BEGIN/... handled by the protocol layer. */
  readonly session: SessionStatement | null;
  /** Set for COPY ... TO STDOUT. */
  readonly copy: CopyToStdout | null;
  /** True when the text has no statement at all (EmptyQueryResponse). */
  readonly empty: boolean;
}

/** A started statement. */
export interface Execution {
  /** Result columns, or null when the statement returns no rows. */
  readonly columns: readonly SqlColumn[] | null;
  readonly copy: CopyToStdout | null;
  readonly outcome: SessionOutcome | null;
  readonly rows: AsyncIterator<readonly unknown[]> | null;
  /** The CommandComplete tag once `rowsSent` rows went out. */
  tag(rowsSent: number): string;
}

/** True when `sql` holds only whitespace and comments. */
export function isBlank(sql: string): boolean {
  return sql.replace(/--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/|\s+|;/g, '') === '';
}

/** Classifies a statement text; may throw for malformed COPY. */
export function planStatement(sql: string): StatementPlan {
  if (isBlank(sql)) return { sql, session: null, copy: null, empty: true };
  return { sql, session: parseSessionStatement(sql), copy: parseCopy(sql), empty: false };
}

/** The CommandComplete tag PostgreSQL clients expect for a command verb. */
export function commandTag(command: string, rowsSent: number, rowCount?: number): string {
  const verb = command.trim().toUpperCase();
  switch (verb) {
    case 'SELECT': return `SELECT ${rowsSent}`;
    case 'INSERT': return `INSERT 0 ${rowCount ?? rowsSent}`;
    case 'UPDATE': case 'DELETE': case 'MERGE': case 'REPLACE': case 'FETCH': case 'MOVE': case 'COPY':
      return `${verb} ${rowCount ?? rowsSent}`;
    default: return verb === '' ? 'SELECT 0' : verb;
  }
}

function arrayIterator(rows: readonly (readonly unknown[])[]): AsyncIterator<readonly unknown[]> {
  let i = 0;
  return {
    next: async () => (i < rows.length ? { value: rows[i++], done: false } : { value: undefined, done: true }),
    return: async () => {
      i = rows.length;
      return { value: undefined, done: true };
    },
  };
}

/** Starts a planned statement. Session statements change `state` immediately. */
export async function startExecution(
  plan: StatementPlan,
  parameters: readonly unknown[],
  engine: SqlEngine,
  session: SqlSessionContext,
  state: SessionState,
): Promise<Execution> {
  if (plan.session) {
    const outcome = applySessionStatement(plan.session, state);
    const columns = outcome.columns ?? null;
    return {
      columns,
      copy: null,
      outcome,
      rows: columns ? arrayIterator(outcome.rows ?? []) : null,
      tag: (n) => (outcome.tag === 'SHOW' ? 'SHOW' : outcome.tag) + (outcome.tag === 'SELECT' ? ` ${n}` : ''),
    };
  }
  if (plan.copy) {
    const result = await engine.execute(plan.copy.query, parameters, session);
    return {
      columns: result.columns,
      copy: plan.copy,
      outcome: null,
      rows: result.rows[Symbol.asyncIterator](),
      tag: (n) => `COPY ${n}`,
    };
  }
  const result = await engine.execute(plan.sql, parameters, session);
  if (!result || !Array.isArray(result.columns)) {
    throw new NemetonError('engine returned no result', { code: 'Unknown exception' });
  }
  const returnsRows = result.columns.length > 0;
  const rows = result.rows[Symbol.asyncIterator]();
  if (!returnsRows) await rows.return?.();
  return {
    columns: returnsRows ? result.columns : null,
    copy: null,
    outcome: null,
    rows: returnsRows ? rows : null,
    tag: (n) => commandTag(result.command, n, result.rowCount),
  };
}
