/**
 * Dictionary-encoded evaluation: when an expression reads exactly one
 * single-valued string column, its values over a row range can be returned
 * as ids into a new sorted dictionary, so engines can group or filter on
 * integers (a virtual column like substring(page, 0, 1) keeps dictionary speed).
 */
import type { Segment } from '../../storage/segment.ts';
import type { Expr } from './ast.ts';
import { expressionColumns, isConstant } from './analysis.ts';
import { compileTopLevel } from './compile.ts';
import { parseExpression } from './parser.ts';
import { segmentColumnType } from './vector-evaluator.ts';
import { toStr } from './values.ts';

/** Row values as dictionary ids: value of row i is dictionary[ids[i]]. Dictionary sorted, null first when present. */
export interface DictionaryEncodedVector {
  readonly ids: Int32Array;
  readonly dictionary: readonly (string | null)[];
}

/**
 * Evaluates `expr` over rows [startRow, endRow) of `segment` as dictionary ids
 * when it reads exactly one single-valued STRING column and produces scalars
 * (numbers are rendered as strings, as a STRING virtual column would);
 * returns null otherwise. The expression runs once per distinct input value in the range.
 */
export function evaluateDictionaryEncoded(expr: Expr | string, segment: Segment, startRow: number, endRow: number): DictionaryEncodedVector | null {
  const ast = typeof expr === 'string' ? parseExpression(expr) : expr;
  if (isConstant(ast)) return null;
  const cols = expressionColumns(ast);
  if (cols.length !== 1) return null;
  const col = segment.stringColumn(cols[0]);
  if (col === undefined || col.hasMultipleValues) return null;
  const start = Math.max(0, startRow), end = Math.min(segment.numRows, Math.max(start, endRow));
  const compiled = compileTopLevel(ast, { columnType: (n) => (n === '__time' ? 'LONG' : segmentColumnType(segment.column(n))) });
  const srcIds = col.ids().subarray(start, end);
  const dict = col.dictionary();
  const mapped = new Array<string | null | undefined>(dict.length);
  let current: unknown = null;
  const get = () => current;
  for (let i = 0; i < srcIds.length; i++) {
    const id = srcIds[i];
    if (mapped[id] !== undefined) continue;
    current = dict[id];
    const v = compiled.eval(get);
    if (Array.isArray(v)) return null;
    mapped[id] = toStr(v, compiled.type);
  }
  const distinct = [...new Set(mapped.filter((v): v is string | null => v !== undefined))];
  distinct.sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
  const newId = new Map(distinct.map((v, i) => [v, i]));
  const remap = new Int32Array(dict.length);
  for (let k = 0; k < dict.length; k++) if (mapped[k] !== undefined) remap[k] = newId.get(mapped[k] as string | null)!;
  const ids = new Int32Array(srcIds.length);
  remapKernel(srcIds, remap, ids);
  return { ids, dictionary: distinct };
}

function remapKernel(src: Int32Array, remap: Int32Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = remap[src[i]];
}
