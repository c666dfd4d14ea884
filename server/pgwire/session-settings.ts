/**
 * The PostgreSQL run-time parameters a session carries: defaults, the names
 * that are reported to the client (ParameterStatus) when they change, and
 * validation of values set by SET or the startup packet.
 */
import { NemetonError } from '../../common/errors.ts';

/** Canonical spelling of each known parameter, keyed by its lower-case name. */
const canonical: Record<string, string> = {
  application_name: 'application_name',
  client_encoding: 'client_encoding',
  datestyle: 'DateStyle',
  default_transaction_read_only: 'default_transaction_read_only',
  in_hot_standby: 'in_hot_standby',
  integer_datetimes: 'integer_datetimes',
  intervalstyle: 'IntervalStyle',
  is_superuser: 'is_superuser',
  server_encoding: 'server_encoding',
  server_version: 'server_version',
  server_version_num: 'server_version_num',
  session_authorization: 'session_authorization',
  standard_conforming_strings: 'standard_conforming_strings',
  timezone: 'TimeZone',
  search_path: 'search_path',
  extra_float_digits: 'extra_float_digits',
  statement_timeout: 'statement_timeout',
  lock_timeout: 'lock_timeout',
  idle_in_transaction_session_timeout: 'idle_in_transaction_session_timeout',
  transaction_isolation: 'transaction_isolation',
  default_transaction_isolation: 'default_transaction_isolation',
  transaction_read_only: 'transaction_read_only',
  bytea_output: 'bytea_output',
  client_min_messages: 'client_min_messages',
  max_identifier_length: 'max_identifier_length',
  lc_messages: 'lc_messages',
  lc_monetary: 'lc_monetary',
  lc_numeric: 'lc_numeric',
  lc_time: 'lc_time',
  lc_collate: 'lc_collate',
  lc_ctype: 'lc_ctype',
  jit: 'jit',
  geqo: 'geqo',
  row_security: 'row_security',
  enable_seqscan: 'enable_seqscan',
  work_mem: 'work_mem',
  max_index_keys: 'max_index_keys',
  ssl: 'ssl',
  nemeton_version: 'nemeton_version',
};

/** The server_version reported to clients (drivers parse it as a PostgreSQL version). */
export const SERVER_VERSION = '15.0';
/** Our own product version, reported as ParameterStatus `nemeton_version`. */
export const NEMETON_VERSION = '0.1.0';

/** Defaults of the known parameters (lower-case names). */
export function defaultSettings(user: string, superuser: boolean): Map<string, string> {
  return new Map<string, string>([
    ['application_name', ''],
    ['client_encoding', 'UTF8'],
    ['datestyle', 'ISO, MDY'],
    ['default_transaction_read_only', 'off'],
    ['in_hot_standby', 'off'],
    ['integer_datetimes', 'on'],
    ['intervalstyle', 'postgres'],
    ['is_superuser', superuser ? 'on' : 'off'],
    ['server_encoding', 'UTF8'],
    ['server_version', SERVER_VERSION],
    ['server_version_num', '150000'],
    ['session_authorization', user],
    ['standard_conforming_strings', 'on'],
    ['timezone', 'UTC'],
    ['search_path', '"$user", public'],
    ['extra_float_digits', '1'],
    ['statement_timeout', '0'],
    ['lock_timeout', '0'],
    ['idle_in_transaction_session_timeout', '0'],
    ['transaction_isolation', 'read committed'],
    ['default_transaction_isolation', 'read committed'],
    ['transaction_read_only', 'off'],
    ['bytea_output', 'hex'],
    ['client_min_messages', 'notice'],
    ['max_identifier_length', '63'],
    ['lc_messages', 'C'],
    ['lc_monetary', 'C'],
    ['lc_numeric', 'C'],
    ['lc_time', 'C'],
    ['lc_collate', 'C'],
    ['lc_ctype', 'C'],
    ['jit', 'off'],
    ['geqo', 'on'],
    ['row_security', 'on'],
    ['enable_seqscan', 'on'],
    ['work_mem', '4MB'],
    ['max_index_keys', '32'],
    ['ssl', 'off'],
    ['nemeton_version', NEMETON_VERSION],
  ]);
}

/** Parameters sent as ParameterStatus at startup and whenever they change (PostgreSQL's GUC_REPORT set plus ours). */
export const REPORTED_PARAMETERS: readonly string[] = [
  'application_name', 'client_encoding', 'datestyle', 'default_transaction_read_only', 'in_hot_standby',
  'integer_datetimes', 'intervalstyle', 'is_superuser', 'server_encoding', 'server_version',
  'session_authorization', 'standard_conforming_strings', 'timezone', 'nemeton_version',
];

const readOnly = new Set([
  'server_version', 'server_version_num', 'server_encoding', 'integer_datetimes', 'in_hot_standby', 'is_superuser',
  'max_identifier_length', 'lc_collate', 'lc_ctype', 'ssl', 'max_index_keys', 'nemeton_version', 'session_authorization',
]);

/** True for a PostgreSQL parameter this server knows (lower-case name). */
export function isKnownParameter(name: string): boolean {
  return name in canonical;
}

/** The display name of a known parameter (e.g. 'TimeZone' for 'timezone'). */
export function displayName(name: string): string {
  return canonical[name] ?? name;
}

function invalidValue(name: string, value: string, why = ''): NemetonError {
  return new NemetonError(`invalid value for parameter "${displayName(name)}": "${value}"`, {
    code: 'Invalid input',
    sqlState: '22023',
    ...(why ? { detail: why } : {}),
  });
}

/** Validates and normalises a value for a known parameter; throws 22023 / 55P02 / 0A000 for bad ones. */
export function normaliseSetting(name: string, value: string): string {
  if (readOnly.has(name)) {
    throw new NemetonError(`parameter "${displayName(name)}" cannot be changed`, { code: 'Invalid input', sqlState: '55P02' });
  }
  switch (name) {
    case 'client_encoding': {
      const v = value.replace(/[-_\s]/g, '').toUpperCase();
      if (v === 'UTF8' || v === 'UNICODE') return 'UTF8';
      throw new NemetonError(`client encoding "${value}" is not supported; only UTF8 is`, { code: 'Unsupported operation', sqlState: '0A000' });
    }
    case 'datestyle': {
      const parts = value.split(',').map((p) => p.trim().toUpperCase()).filter((p) => p !== '');
      if (parts.some((p) => !['ISO', 'MDY', 'DMY', 'YMD', 'US', 'EUROPEAN', 'NONEURO', 'NONEUROPEAN', 'DEFAULT'].includes(p))) {
        throw new NemetonError(`DateStyle "${value}" is not supported; only ISO output is`, { code: 'Unsupported operation', sqlState: '0A000' });
      }
      const order = parts.find((p) => p === 'MDY' || p === 'DMY' || p === 'YMD') ?? (parts.includes('EUROPEAN') ? 'DMY' : 'MDY');
      return `ISO, ${order}`;
    }
    case 'timezone': {
      const v = value.trim();
      if (/^(utc|gmt|z|zulu|universal)$/i.test(v)) return 'UTC';
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: v });
        return v;
      } catch {
        throw invalidValue(name, value, 'unknown time zone');
      }
    }
    case 'statement_timeout': case 'lock_timeout': case 'idle_in_transaction_session_timeout':
      if (parseDurationMs(value) === null) throw invalidValue(name, value);
      return value.trim();
    case 'extra_float_digits': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < -15 || n > 3) throw invalidValue(name, value);
      return String(n);
    }
    default:
      return value;
  }
}

/** Milliseconds for a PostgreSQL duration setting ('5000', '5s', '2min', '1h'); null when invalid. */
export function parseDurationMs(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit === 'us' ? 0.001 : unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return Math.round(n * factor);
}
