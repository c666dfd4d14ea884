/** INFORMATION_SCHEMA tables (SCHEMATA, TABLES, COLUMNS) generated from the Catalog. */
import type { Catalog, CatalogTable } from './catalog.ts';
import type { SqlType } from './sql-engine.ts';

const SCHEMAS = ['druid', 'INFORMATION_SCHEMA', 'lookup', 'sys', 'view'];

function cols(names: readonly string[], types?: Partial<Record<string, SqlType>>) {
  return names.map((name) => ({ name, sqlType: types?.[name] ?? ('VARCHAR' as SqlType) }));
}

/** The INFORMATION_SCHEMA table `name` (upper case), or undefined. */
export function informationSchemaTable(name: string, catalog: Catalog): CatalogTable | undefined {
  switch (name) {
    case 'SCHEMATA':
      return {
        schema: 'INFORMATION_SCHEMA', name, kind: 'system',
        columns: cols(['CATALOG_NAME', 'SCHEMA_NAME', 'SCHEMA_OWNER', 'DEFAULT_CHARACTER_SET_CATALOG', 'DEFAULT_CHARACTER_SET_SCHEMA', 'DEFAULT_CHARACTER_SET_NAME', 'SQL_PATH']),
        rows: () => SCHEMAS.map((s) => ['druid', s, null, null, null, null, null]),
      };
    case 'TABLES':
      return {
        schema: 'INFORMATION_SCHEMA', name, kind: 'system',
        columns: cols(['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'IS_JOINABLE', 'IS_BROADCAST']),
        rows: () => [
          ...catalog.listTables().map((t) => [
            'druid', t.schema, t.name, t.kind === 'system' ? 'SYSTEM_TABLE' : 'TABLE',
            t.joinable || t.kind === 'lookup' ? 'YES' : 'NO', t.joinable || t.kind === 'lookup' ? 'YES' : 'NO',
          ]),
          ...['SCHEMATA', 'TABLES', 'COLUMNS'].map((n) => ['druid', 'INFORMATION_SCHEMA', n, 'SYSTEM_TABLE', 'NO', 'NO']),
        ],
      };
    case 'COLUMNS':
      return {
        schema: 'INFORMATION_SCHEMA', name, kind: 'system',
        columns: cols(['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'ORDINAL_POSITION', 'COLUMN_DEFAULT', 'IS_NULLABLE', 'DATA_TYPE', 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_PRECISION_RADIX', 'NUMERIC_SCALE', 'DATETIME_PRECISION', 'CHARACTER_SET_NAME', 'COLLATION_NAME', 'JDBC_TYPE'], { ORDINAL_POSITION: 'BIGINT', JDBC_TYPE: 'BIGINT' }),
        rows: () => catalog.listTables().flatMap((t) => t.columns.map((c, i) => [
          'druid', t.schema, t.name, c.name, i + 1, null, c.name === '__time' ? 'NO' : 'YES', c.sqlType,
          null, null, null, null, null, null, null, null, JDBC_TYPES[c.sqlType] ?? 1111,
        ])),
      };
    default: return undefined;
  }
}

const JDBC_TYPES: Partial<Record<SqlType, number>> = {
  VARCHAR: 12, BIGINT: -5, INTEGER: 4, SMALLINT: 5, DOUBLE: 8, FLOAT: 6, REAL: 7, DECIMAL: 3, BOOLEAN: 16, TIMESTAMP: 93, DATE: 91, ARRAY: 2003, OTHER: 1111,
};
