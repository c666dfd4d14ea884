/** Shared helpers for storage tests: reading rows back out of any Segment. */
import type { Segment } from '../../storage/segment.ts';

export type Cell = string | null | (string | null)[] | number | bigint;

/** Every row of a segment as plain objects (strings, multi-values as arrays, numbers, null). */
export function readRows(seg: Segment): Record<string, unknown>[] {
  const n = seg.numRows;
  const time = seg.time();
  const rows: Record<string, unknown>[] = [];
  for (let r = 0; r < n; r++) rows.push({ __time: time[r] });
  for (const info of seg.columns()) {
    if (info.name === '__time') continue;
    if (info.type === 'STRING') {
      const col = seg.stringColumn(info.name)!;
      const { offsets, values } = col.multiValues();
      for (let r = 0; r < n; r++) {
        const vals = Array.from(values.subarray(offsets[r], offsets[r + 1]), (id) => col.value(id));
        rows[r][info.name] = col.hasMultipleValues ? (vals.length === 1 ? vals[0] : vals) : vals[0];
      }
    } else if (info.type === 'COMPLEX') {
      const col = seg.complexColumn(info.name)!;
      for (let r = 0; r < n; r++) rows[r][info.name] = Buffer.from(col.get(r)).toString('hex');
    } else {
      const col = seg.numericColumn(info.name)!;
      const v = col.values();
      const exact = col.exactLongs();
      const nulls = col.nulls();
      for (let r = 0; r < n; r++) rows[r][info.name] = nulls?.has(r) ? null : exact !== null ? exact[r] : v[r];
    }
  }
  return rows;
}

/** Sum of a numeric column. */
export function sumColumn(seg: Segment, name: string): number {
  const v = seg.numericColumn(name)!.values();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
