/** Turns the results of an inner query into a segment that an outer query reads (query data sources). */
import type { Segment } from '../../storage/segment.ts';
import { segmentFromRecords } from '../engine/rows-segment.ts';
import type { NativeQuery } from '../model/query.ts';
import { parseIsoInstant } from '../time/iso-time.ts';

function collectColumns(records: readonly Record<string, unknown>[]): string[] {
  const names = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) names.add(k);
  names.delete('__time');
  return [...names];
}

/** A segment holding the rows of an inner query's results, with `__time` from each row's timestamp. */
export function innerResultsToSegment(inner: NativeQuery, results: readonly unknown[]): Segment {
  const records: Record<string, unknown>[] = [];
  const times: number[] = [];
  const push = (r: Record<string, unknown>, ts: unknown) => {
    records.push(r);
    times.push(typeof ts === 'number' ? ts : typeof ts === 'string' ? parseIsoInstant(ts) : 0);
  };
  for (const raw of results) {
    const row = raw as Record<string, unknown>;
    switch (inner.queryType) {
      case 'groupBy': push(row.event as Record<string, unknown>, row.timestamp); break;
      case 'timeseries': push(row.result as Record<string, unknown>, row.timestamp); break;
      case 'topN': for (const r of row.result as Record<string, unknown>[]) push(r, row.timestamp); break;
      case 'scan': {
        const cols = row.columns as string[];
        for (const e of row.events as unknown[]) {
          const rec: Record<string, unknown> = Array.isArray(e) ? Object.fromEntries(cols.map((c, i) => [c, e[i]])) : (e as Record<string, unknown>);
          push(rec, rec.__time);
        }
        break;
      }
      default: push(row, row.timestamp);
    }
  }
  return segmentFromRecords('__subquery', records, collectColumns(records), times);
}
