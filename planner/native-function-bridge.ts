/**
 * SQL scalar functions whose broker evaluation is the native expression
 * function of the same meaning (Druid's SQL → native mapping is one to one
 * for these): JSON functions, inverse trigonometry, bitwise complement,
 * human-readable formats, SCALAR_IN_ARRAY. Each entry names the native
 * function (so pushdown and broker agree by construction) and its SQL type.
 */
import type { SqlType } from './sql-engine.ts';
import type { ScalarFunction } from './scalar-function.ts';
import { NOT_CONSTANT, findFunction, type FunctionImpl } from '../query/expression/functions/registry.ts';
import '../query/expression/functions/index.ts';
import type { MaybeType } from '../query/expression/types.ts';

/** SQL name → [native name, SQL result type, min args, max args]. */
export const NATIVE_BACKED: Readonly<Record<string, readonly [string, SqlType, number, number]>> = {
  COT: ['cot', 'DOUBLE', 1, 1], ACOS: ['acos', 'DOUBLE', 1, 1], ASIN: ['asin', 'DOUBLE', 1, 1], ATAN: ['atan', 'DOUBLE', 1, 1],
  ATAN2: ['atan2', 'DOUBLE', 2, 2], RADIANS: ['toRadians', 'DOUBLE', 1, 1], DEGREES: ['toDegrees', 'DOUBLE', 1, 1],
  BITWISE_COMPLEMENT: ['bitwiseComplement', 'BIGINT', 1, 1],
  HUMAN_READABLE_BINARY_BYTE_FORMAT: ['human_readable_binary_byte_format', 'VARCHAR', 1, 2],
  HUMAN_READABLE_DECIMAL_BYTE_FORMAT: ['human_readable_decimal_byte_format', 'VARCHAR', 1, 2],
  HUMAN_READABLE_DECIMAL_FORMAT: ['human_readable_decimal_format', 'VARCHAR', 1, 2],
  SCALAR_IN_ARRAY: ['scalar_in_array', 'BOOLEAN', 2, 2],
  JSON_VALUE: ['json_value', 'VARCHAR', 2, 2], JSON_QUERY: ['json_query', 'OTHER', 2, 2], JSON_QUERY_ARRAY: ['json_query_array', 'ARRAY', 2, 2],
  JSON_KEYS: ['json_keys', 'ARRAY', 2, 2], JSON_PATHS: ['json_paths', 'ARRAY', 1, 1], TO_JSON_STRING: ['to_json_string', 'VARCHAR', 1, 1],
  PARSE_JSON: ['parse_json', 'OTHER', 1, 1], TRY_PARSE_JSON: ['try_parse_json', 'OTHER', 1, 1], JSON_OBJECT: ['json_object', 'OTHER', 0, 100],
};

const NATIVE_TYPE: Partial<Record<SqlType, MaybeType>> = {
  VARCHAR: 'STRING', BIGINT: 'LONG', INTEGER: 'LONG', SMALLINT: 'LONG', BOOLEAN: 'LONG', TIMESTAMP: 'LONG', DATE: 'LONG',
  DOUBLE: 'DOUBLE', FLOAT: 'DOUBLE', REAL: 'DOUBLE', DECIMAL: 'DOUBLE', ARRAY: 'ARRAY<STRING>', OTHER: 'COMPLEX<json>',
};

function bridged(sqlName: string, nativeName: string, type: SqlType, minArgs: number, maxArgs: number): ScalarFunction {
  const def = findFunction(nativeName);
  if (def === undefined) throw new Error(`native function ${nativeName} is not registered`);
  // One bound implementation per argument-type signature (arguments are never constant here).
  const bound = new Map<string, FunctionImpl>();
  return {
    minArgs, maxArgs, strict: false, returnType: () => type,
    fn: (args, _ctx, argTypes) => {
      const key = argTypes.join(',');
      let impl = bound.get(key);
      if (impl === undefined) {
        const types = argTypes.map((t) => NATIVE_TYPE[t] ?? null);
        impl = def.bind({ name: nativeName, argTypes: types, consts: args.map(() => NOT_CONSTANT), args: [] });
        bound.set(key, impl);
      }
      const r = impl(args.slice());
      if (type === 'BOOLEAN') return r === null || r === undefined ? null : Number(r) !== 0;
      return r ?? null;
    },
  };
}

/** The broker implementations of the native-backed SQL functions. */
export const NATIVE_BACKED_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = Object.fromEntries(
  Object.entries(NATIVE_BACKED).map(([sql, [nat, type, min, max]]) => [sql, bridged(sql, nat, type, min, max)]),
);

/** Native function name of a native-backed SQL function (for pushdown). */
export const NATIVE_BACKED_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(NATIVE_BACKED).map(([sql, [nat]]) => [sql, nat]));
