/** Human-readable number formats (human_readable_*_format). */
import { fixed, functionError, registerFunctions, type FunctionDef } from './registry.ts';
import { toDouble, toLong } from '../values.ts';

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const DECIMAL_BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
const DECIMAL_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** Formats `value` scaled by `base` with `precision` decimals and a unit suffix (bytes below one unit print as integers). */
export function humanReadable(value: number, precision: number, base: number, units: readonly string[], bytes: boolean): string {
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  let u = 0;
  while (v >= base && u < units.length - 1) { v /= base; u++; }
  if (u === 0) return bytes ? `${sign}${Math.trunc(v)} ${units[0]}` : `${sign}${Math.trunc(v)}`;
  const text = `${sign}${v.toFixed(precision)}`;
  return bytes ? `${text} ${units[u]}` : `${text} ${units[u]}`;
}

function hr(name: string, base: number, units: readonly string[], bytes: boolean): FunctionDef {
  return {
    name, minArgs: 1, maxArgs: 2, returnType: fixed('STRING'),
    bind: () => (v) => {
      const x = toDouble(v[0]);
      if (x === null) return null;
      const p = v.length > 1 ? toLong(v[1]) : 2;
      if (p === null || p < 0 || p > 3) throw functionError(name, 'precision must be in the range of [0,3]');
      return humanReadable(Math.trunc(x), p, base, units, bytes);
    },
  };
}

registerFunctions([
  hr('human_readable_binary_byte_format', 1024, BINARY_UNITS, true),
  hr('human_readable_decimal_byte_format', 1000, DECIMAL_BYTE_UNITS, true),
  hr('human_readable_decimal_format', 1000, DECIMAL_UNITS, false),
]);
