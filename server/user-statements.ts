/**
 * User management over SQL, as PostgreSQL clients write it:
 *   CREATE USER name [WITH] [LOGIN] [ENCRYPTED] PASSWORD 'secret'
 *   ALTER USER name [WITH] [ENCRYPTED] PASSWORD 'secret'        (ROLE works in place of USER)
 * Handled in front of the SQL engine the wire protocol serves; passwords are
 * stored only as salted SCRAM secrets and an MD5 hash, and never logged.
 */
import { errors } from '../common/errors.ts';
import type { SqlEngine, SqlResult } from '../planner/sql-engine.ts';

const USER_STATEMENT = /^\s*(CREATE|ALTER)\s+(USER|ROLE)\s+("([^"]+)"|([A-Za-z_][\w.-]*))\s+(?:WITH\s+)?(?:LOGIN\s+)?(?:ENCRYPTED\s+)?PASSWORD\s+'((?:[^']|'')*)'\s*(?:LOGIN\s*)?;?\s*$/i;
const LOOKS_LIKE_USER_STATEMENT = /^\s*(CREATE|ALTER|DROP)\s+(USER|ROLE)\b/i;

export interface UserStatement {
  readonly verb: 'CREATE' | 'ALTER';
  readonly name: string;
  readonly password: string;
}

/** The user statement in `sql`, null when it is not one; a malformed one is a clear error. */
export function parseUserStatement(sql: string): UserStatement | null {
  if (!LOOKS_LIKE_USER_STATEMENT.test(sql)) return null;
  const m = USER_STATEMENT.exec(sql);
  if (!m) throw errors.unsupported(`This form of ${/^\s*(\w+\s+\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'user statement'} (use CREATE USER name WITH PASSWORD '...' or ALTER USER name WITH PASSWORD '...')`);
  return { verb: m[1].toUpperCase() as 'CREATE' | 'ALTER', name: m[4] ?? m[5], password: m[6].replace(/''/g, "'") };
}

async function* noRows(): AsyncIterable<readonly unknown[]> {}

/** The engine with CREATE/ALTER USER handled by `setPassword`. */
export function withUserStatements(engine: SqlEngine, setPassword: (name: string, password: string) => Promise<void>): SqlEngine {
  return {
    async execute(sql, parameters, session): Promise<SqlResult> {
      const stmt = parseUserStatement(sql);
      if (stmt === null) return engine.execute(sql, parameters, session);
      await setPassword(stmt.name, stmt.password);
      return { columns: [], rows: noRows(), command: `${stmt.verb} ROLE`, queryId: String(session.queryContext.sqlQueryId ?? '') };
    },
    async describe(sql, session) {
      if (parseUserStatement(sql) !== null) return { columns: [], parameterTypes: [], returnsRows: false };
      return engine.describe(sql, session);
    },
    splitStatements: (sql) => engine.splitStatements(sql),
  };
}
