/**
 * Dictionary view of a JSON-valued column (nested JSON or typed array): a
 * per-row id into the column's distinct parsed values, so expressions over
 * the column run once per distinct value. Built once per immutable segment
 * and column; the incremental index (mutable) is rebuilt per call.
 */
import type { ComplexColumn, Segment } from '../../storage/segment.ts';

/** Per-row ids (every row of the segment) and the distinct values they point to (id 0 is NULL). */
export interface JsonDictionary {
  readonly ids: Int32Array;
  readonly dict: readonly unknown[];
}

const cache = new WeakMap<Segment, Map<string, JsonDictionary>>();
const decoder = new TextDecoder();

/** The dictionary view of JSON-valued column `name` of `segment` (read through `col`). */
export function jsonColumnDictionary(segment: Segment, name: string, col: ComplexColumn): JsonDictionary {
  if (segment.isMutable) return build(segment.numRows, col);
  let bySegment = cache.get(segment);
  if (bySegment === undefined) { bySegment = new Map(); cache.set(segment, bySegment); }
  let d = bySegment.get(name);
  if (d === undefined) { d = build(segment.numRows, col); bySegment.set(name, d); }
  return d;
}

function build(numRows: number, col: ComplexColumn): JsonDictionary {
  const ids = new Int32Array(numRows);
  const dict: unknown[] = [null];
  const idOfText = new Map<string, number>();
  let lastBytes: Uint8Array | null = null;
  let lastId = 0;
  for (let r = 0; r < numRows; r++) {
    const b = col.get(r) as unknown;
    if (b === lastBytes && b !== null) { ids[r] = lastId; continue; }
    let id: number;
    if (b instanceof Uint8Array) {
      lastBytes = b;
      if (b.length === 0) id = 0;
      else {
        const text = decoder.decode(b);
        const known = idOfText.get(text);
        if (known !== undefined) id = known;
        else { id = dict.length; dict.push(JSON.parse(text)); idOfText.set(text, id); }
      }
    } else {
      // In-memory row segments (inner query results) hold parsed values: one id per row.
      lastBytes = null;
      if (b === null || b === undefined) id = 0; else { id = dict.length; dict.push(b); }
    }
    ids[r] = id;
    lastId = id;
  }
  return { ids, dict };
}
