/** Reads planner settings from a session: query context first, then SET values. */
import type { SqlSessionContext } from '../sql-engine.ts';
import { errors } from '../../common/errors.ts';
import { parseTimestamp, zoneOf } from '../time-functions.ts';

export interface PlannerSettings {
  readonly timeZone: string;
  readonly now: number;
  readonly useApproximateCountDistinct: boolean;
  readonly useApproximateTopN: boolean;
  readonly maxRows: number;
  readonly stringifyArrays: boolean;
  readonly queryContext: Readonly<Record<string, unknown>>;
}

function flag(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  return String(v).toLowerCase() === 'true';
}

/** Resolves sqlTimeZone, sqlCurrentTimestamp, useApproximateCountDistinct, maxSubqueryRows... */
export function plannerSettings(session: SqlSessionContext): PlannerSettings {
  const ctx: Record<string, unknown> = { ...session.queryContext };
  for (const [k, v] of session.settings) {
    if (k in ctx) continue;
    if (k === 'timezone' || k === 'TimeZone') { if (ctx.sqlTimeZone === undefined) ctx.sqlTimeZone = v; continue; }
    ctx[k] = v;
  }
  const tz = String(ctx.sqlTimeZone ?? 'UTC');
  zoneOf(tz);
  let now = Date.now();
  if (ctx.sqlCurrentTimestamp !== undefined) {
    const t = parseTimestamp(String(ctx.sqlCurrentTimestamp), 'UTC');
    if (t === null) throw errors.invalidInput(`Invalid sqlCurrentTimestamp [${String(ctx.sqlCurrentTimestamp)}]`);
    now = t;
  }
  const maxRows = Number(ctx.maxSubqueryRows ?? 1_000_000);
  return {
    timeZone: tz === 'Etc/UTC' || tz === 'Z' ? 'UTC' : tz,
    now,
    useApproximateCountDistinct: flag(ctx.useApproximateCountDistinct, true),
    useApproximateTopN: flag(ctx.useApproximateTopN, true),
    maxRows: Number.isFinite(maxRows) && maxRows > 0 ? maxRows : 1_000_000,
    stringifyArrays: flag(ctx.sqlStringifyArrays, true),
    queryContext: ctx,
  };
}
