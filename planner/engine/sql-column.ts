/** The front-door column description of a bound output column. */
import type { SqlColumn, SqlType } from '../sql-engine.ts';
import type { RelColumn } from '../rel.ts';
import { nativeTypeOf } from '../types.ts';

/** SqlColumn for a bound output column. */
export function sqlColumn(c: RelColumn): SqlColumn {
  const sqlType: SqlType = c.type === 'NULL' ? 'VARCHAR' : c.type === 'DECIMAL' ? 'DOUBLE' : c.type;
  return { name: c.name, sqlType, nativeType: c.multiValue ? 'STRING' : nativeTypeOf(sqlType) };
}
