/**
 * Statements answered at the protocol layer because they only touch session
 * state: SET / SHOW / RESET, transaction control (BEGIN, COMMIT, ROLLBACK,
 * SAVEPOINT...) and DISCARD ALL. Everything else goes to the SQL engine.
 * SET of a name that is not a PostgreSQL parameter sets a Druid query context
 * value (as Druid's own `SET key = value;` statement does).
 */
import { NemetonError } from '../../common/errors.ts';
import type { SqlColumn } from '../../planner/sql-engine.ts';
import { displayName, isKnownParameter, normaliseSetting } from './session-settings.ts';

/** The session state these statements read and change. */
export interface SessionState {
  /** PostgreSQL parameters, lower-case names. */
  readonly settings: Map<string, string>;
  /** Druid query context values set with SET. */
  readonly queryContext: Record<string, unknown>;
  /** Defaults that RESET returns to. */
  readonly defaults: ReadonlyMap<string, string>;
  /** Transaction status as reported in ReadyForQuery. */
  transaction: 'I' | 'T' | 'E';
}

/** A parsed session statement. */
export type SessionStatement =
  | { readonly kind: 'set'; readonly name: string; readonly value: SetValue | null }
  | { readonly kind: 'show'; readonly name: string }
  | { readonly kind: 'reset'; readonly name: string }
  | { readonly kind: 'begin' }
  | { readonly kind: 'commit' }
  | { readonly kind: 'rollback' }
  | { readonly kind: 'savepoint'; readonly tag: 'SAVEPOINT' | 'RELEASE' }
  | { readonly kind: 'rollbackTo' }
  | { readonly kind: 'discardAll' }
  | { readonly kind: 'setNoop' };

/** A SET value: its text and, for context values, the typed literal. */
export interface SetValue {
  readonly text: string;
  readonly typed: unknown;
}

/** What running a session statement produced. */
export interface SessionOutcome {
  readonly tag: string;
  readonly columns?: readonly SqlColumn[];
  readonly rows?: readonly (readonly unknown[])[];
  /** Reported parameters whose value changed (lower-case names). */
  readonly changed?: readonly string[];
  /** A warning to send as NoticeResponse. */
  readonly warning?: string;
  /** DISCARD ALL: the connection drops its prepared statements and portals. */
  readonly discardAll?: boolean;
}

/** Removes leading comments/whitespace and a trailing semicolon. */
function strip(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const close = t.indexOf('*/');
      s = close < 0 ? '' : t.slice(close + 2);
    } else {
      s = t;
      break;
    }
  }
  return s.replace(/[\s;]+$/, '');
}

const ident = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$.]*)`;
const setPattern = new RegExp(String.raw`^SET\s+(?:(?:SESSION|LOCAL)\s+)?(${ident})\s*(?:=|\s+TO\s+|\s+TO$)\s*([\s\S]*)$`, 'i');

function unquoteIdent(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** Parses a SET value list: quoted strings, numbers, identifiers, DEFAULT. */
function parseValue(text: string): SetValue | null {
  const items: { text: string; typed: unknown }[] = [];
  const re = /\s*(?:E?'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"]|"")*")|([A-Za-z_][\w$.\-/:+]*))\s*(,|$)/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new NemetonError(`syntax error in SET value: ${text}`, { code: 'SQL parse failed', sqlState: '42601' });
    if (m[1] !== undefined) items.push({ text: m[1].replace(/''/g, "'"), typed: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) items.push({ text: m[2], typed: Number(m[2]) });
    else if (m[3] !== undefined) items.push({ text: m[3], typed: unquoteIdent(m[3]) });
    else {
      const word = m[4];
      const lower = word.toLowerCase();
      if (lower === 'default' && items.length === 0 && re.lastIndex >= text.length) return null;
      items.push({ text: word, typed: lower === 'true' || lower === 'on' ? true : lower === 'false' || lower === 'off' ? false : word });
    }
    pos = re.lastIndex;
    if (m[5] === '') break;
  }
  if (items.length === 0) throw new NemetonError('SET requires a value', { code: 'SQL parse failed', sqlState: '42601' });
  if (items.length === 1) return items[0];
  return { text: items.map((i) => i.text).join(', '), typed: items.map((i) => i.text).join(', ') };
}

/** Recognises a session statement; null when the statement is for the engine. */
export function parseSessionStatement(sql: string): SessionStatement | null {
  const s = strip(sql);
  const head = /^[A-Za-z]+/.exec(s)?.[0].toUpperCase();
  switch (head) {
    case 'SET': {
      if (/^SET\s+(SESSION\s+CHARACTERISTICS|TRANSACTION)\b/i.test(s)) return { kind: 'setNoop' };
      const tz = /^SET\s+(?:(?:SESSION|LOCAL)\s+)?TIME\s+ZONE\s+([\s\S]+)$/i.exec(s);
      if (tz) {
        const value = /^LOCAL$/i.test(tz[1].trim()) ? null : parseValue(tz[1]);
        return { kind: 'set', name: 'timezone', value };
      }
      const m = setPattern.exec(s);
      if (!m) return null;
      return { kind: 'set', name: unquoteIdent(m[1]), value: parseValue(m[2]) };
    }
    case 'SHOW': {
      const m = new RegExp(String.raw`^SHOW\s+(${ident}|TIME\s+ZONE|TRANSACTION\s+ISOLATION\s+LEVEL)$`, 'i').exec(s);
      if (!m) return null;
      const raw = m[1].replace(/\s+/g, ' ').toLowerCase();
      const name = raw === 'time zone' ? 'timezone' : raw === 'transaction isolation level' ? 'transaction_isolation' : unquoteIdent(m[1]);
      return { kind: 'show', name };
    }
    case 'RESET': {
      const m = new RegExp(String.raw`^RESET\s+(${ident}|TIME\s+ZONE)$`, 'i').exec(s);
      if (!m) return null;
      return { kind: 'reset', name: /^time\s+zone$/i.test(m[1]) ? 'timezone' : unquoteIdent(m[1]) };
    }
    case 'BEGIN':
      return /^BEGIN(\s+(WORK|TRANSACTION)\b[\s\S]*|\s+ISOLATION[\s\S]*|\s+READ[\s\S]*|\s+(NOT\s+)?DEFERRABLE[\s\S]*)?$/i.test(s) ? { kind: 'begin' } : null;
    case 'START':
      return /^START\s+TRANSACTION\b/i.test(s) ? { kind: 'begin' } : null;
    case 'COMMIT': case 'END':
      return /^(COMMIT|END)(\s+(WORK|TRANSACTION))?(\s+AND\s+(NO\s+)?CHAIN)?$/i.test(s) ? { kind: 'commit' } : null;
    case 'ROLLBACK': case 'ABORT':
      if (/^ROLLBACK(\s+(WORK|TRANSACTION))?\s+TO\s+(SAVEPOINT\s+)?\S+$/i.test(s)) return { kind: 'rollbackTo' };
      return /^(ROLLBACK|ABORT)(\s+(WORK|TRANSACTION))?(\s+AND\s+(NO\s+)?CHAIN)?$/i.test(s) ? { kind: 'rollback' } : null;
    case 'SAVEPOINT':
      return /^SAVEPOINT\s+\S+$/i.test(s) ? { kind: 'savepoint', tag: 'SAVEPOINT' } : null;
    case 'RELEASE':
      return /^RELEASE(\s+SAVEPOINT)?\s+\S+$/i.test(s) ? { kind: 'savepoint', tag: 'RELEASE' } : null;
    case 'DISCARD':
      return /^DISCARD\s+(ALL|PLANS|SEQUENCES|TEMP|TEMPORARY)$/i.test(s) ? { kind: 'discardAll' } : null;
    default:
      return null;
  }
}

/** True for statements still allowed in a failed transaction ('E'). */
export function allowedInFailedTransaction(stmt: SessionStatement | null): boolean {
  return stmt !== null && (stmt.kind === 'commit' || stmt.kind === 'rollback' || stmt.kind === 'rollbackTo');
}

/** The result columns of a session statement (SHOW has one or three), or null for none. */
export function sessionStatementColumns(stmt: SessionStatement): readonly SqlColumn[] | null {
  if (stmt.kind !== 'show') return null;
  if (stmt.name.toLowerCase() === 'all') {
    return [
      { name: 'name', sqlType: 'VARCHAR' },
      { name: 'setting', sqlType: 'VARCHAR' },
      { name: 'description', sqlType: 'VARCHAR' },
    ];
  }
  const lower = stmt.name.toLowerCase();
  return [{ name: isKnownParameter(lower) ? displayName(lower) : stmt.name, sqlType: 'VARCHAR' }];
}

function unrecognised(name: string): NemetonError {
  return new NemetonError(`unrecognized configuration parameter "${name}"`, { code: 'Not found', sqlState: '42704' });
}

function contextText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Runs a session statement against the state. Throws NemetonError for bad names and values. */
export function applySessionStatement(stmt: SessionStatement, state: SessionState): SessionOutcome {
  switch (stmt.kind) {
    case 'set': {
      const lower = stmt.name.toLowerCase();
      if (isKnownParameter(lower)) {
        const next = stmt.value === null ? (state.defaults.get(lower) ?? '') : normaliseSetting(lower, stmt.value.text);
        const changed = state.settings.get(lower) !== next;
        state.settings.set(lower, next);
        return { tag: 'SET', changed: changed ? [lower] : [] };
      }
      if (stmt.value === null) delete state.queryContext[stmt.name];
      else state.queryContext[stmt.name] = stmt.value.typed;
      return { tag: 'SET' };
    }
    case 'reset': {
      const lower = stmt.name.toLowerCase();
      if (lower === 'all') {
        const changed: string[] = [];
        for (const [k, v] of state.defaults) {
          if (state.settings.get(k) !== v) changed.push(k);
          state.settings.set(k, v);
        }
        for (const k of Object.keys(state.queryContext)) delete state.queryContext[k];
        return { tag: 'RESET', changed };
      }
      if (isKnownParameter(lower)) {
        normaliseSetting(lower, state.defaults.get(lower) ?? '');
        const next = state.defaults.get(lower) ?? '';
        const changed = state.settings.get(lower) !== next;
        state.settings.set(lower, next);
        return { tag: 'RESET', changed: changed ? [lower] : [] };
      }
      delete state.queryContext[stmt.name];
      return { tag: 'RESET' };
    }
    case 'show': {
      const lower = stmt.name.toLowerCase();
      const columns = sessionStatementColumns(stmt) ?? [];
      if (lower === 'all') {
        const rows: unknown[][] = [...state.settings].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [displayName(k), v, '']);
        for (const [k, v] of Object.entries(state.queryContext)) rows.push([k, contextText(v), 'Druid query context']);
        return { tag: 'SHOW', columns, rows };
      }
      if (state.settings.has(lower)) return { tag: 'SHOW', columns, rows: [[state.settings.get(lower)]] };
      if (stmt.name in state.queryContext) return { tag: 'SHOW', columns, rows: [[contextText(state.queryContext[stmt.name])]] };
      throw unrecognised(stmt.name);
    }
    case 'begin': {
      if (state.transaction !== 'I') return { tag: 'BEGIN', warning: 'there is already a transaction in progress' };
      state.transaction = 'T';
      return { tag: 'BEGIN' };
    }
    case 'commit': {
      const was = state.transaction;
      state.transaction = 'I';
      if (was === 'I') return { tag: 'COMMIT', warning: 'there is no transaction in progress' };
      return { tag: was === 'E' ? 'ROLLBACK' : 'COMMIT' };
    }
    case 'rollback': {
      const was = state.transaction;
      state.transaction = 'I';
      return was === 'I' ? { tag: 'ROLLBACK', warning: 'there is no transaction in progress' } : { tag: 'ROLLBACK' };
    }
    case 'rollbackTo': {
      if (state.transaction === 'I') {
        throw new NemetonError('ROLLBACK TO SAVEPOINT can only be used in transaction blocks', { code: 'Invalid input', sqlState: '25P01' });
      }
      state.transaction = 'T';
      return { tag: 'ROLLBACK' };
    }
    case 'savepoint': {
      if (state.transaction === 'I') {
        throw new NemetonError(`${stmt.tag} can only be used in transaction blocks`, { code: 'Invalid input', sqlState: '25P01' });
      }
      return { tag: stmt.tag };
    }
    case 'setNoop':
      return { tag: 'SET' };
    case 'discardAll': {
      const outcome = applySessionStatement({ kind: 'reset', name: 'all' }, state);
      return { tag: 'DISCARD ALL', changed: outcome.changed ?? [], discardAll: true };
    }
  }
}
