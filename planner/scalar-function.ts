/** The contract of a SQL scalar function evaluated on the broker. */
import type { Catalog } from './catalog.ts';
import type { SqlType } from './sql-engine.ts';

export interface EvalContext {
  readonly timeZone: string;
  readonly now: number;
  /** The catalog, for PostgreSQL functions that look into pg_catalog (pg_get_userbyid, ::regclass...). */
  readonly catalog?: Catalog;
  /** Who is asking, for current_user, current_database(), current_setting()... */
  readonly session?: { readonly user: string; readonly database: string; readonly settings: ReadonlyMap<string, string> };
}

export interface ScalarFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly returnType: (argTypes: readonly SqlType[]) => SqlType;
  /** Default true: any null argument gives null without calling `fn`. */
  readonly strict?: boolean;
  readonly fn: (args: unknown[], ctx: EvalContext, argTypes: readonly SqlType[]) => unknown;
}
