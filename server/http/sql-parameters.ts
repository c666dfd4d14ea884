/** Druid's HTTP SQL `parameters`: [{"type":"VARCHAR","value":"x"}, ...] -> plain values. */
import { errors } from '../../common/errors.ts';

export function sqlParameterValues(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw errors.invalidInput('"parameters" must be an array of {type, value} objects');
  return raw.map((p, i) => {
    if (typeof p !== 'object' || p === null || !('value' in p)) {
      throw errors.invalidInput(`Parameter ${i + 1} must be an object with "type" and "value"`);
    }
    const { type, value } = p as { type?: unknown; value: unknown };
    if (value === null) return null;
    switch (String(type ?? 'VARCHAR').toUpperCase()) {
      case 'BIGINT': case 'INTEGER': case 'SMALLINT': case 'TINYINT': case 'DOUBLE': case 'FLOAT': case 'REAL': case 'DECIMAL':
        return typeof value === 'number' ? value : Number(value);
      case 'BOOLEAN':
        return value === true || value === 'true';
      case 'TIMESTAMP': case 'DATE':
        return typeof value === 'number' ? value : Date.parse(String(value).replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(String(value)) ? '' : 'Z'));
      default:
        return value;
    }
  });
}
