/**
 * Approximate distinct counts:
 *  - cardinality / hyperUnique: the storage layer's HyperLogLog
 *    (storage/sketches/hll.ts); the partial is its serialized bytes in base64
 *    (JSON- and msgpack-safe); hyperUnique columns (COMPLEX) merge directly.
 *  - thetaSketch / HLLSketchBuild / HLLSketchMerge: a hand-written KMV theta
 *    sketch (the k smallest normalised hashes), exact below k distinct values.
 */
import { HyperLogLog, HLL_REGISTERS, addIdsKernel } from '../../storage/sketches/hll.ts';
import { hashDictionary, hashString } from '../../storage/sketches/hash.ts';
import { deserializeTheta, thetaSketchEstimate, trimTheta, type ThetaSketchData } from '../../storage/sketches/theta-sketch.ts';
import type { SegmentView } from '../engine/segment-view.ts';
import type { Selection } from '../engine/selection.ts';
import { compareNullableNumbers, type AggregatorFactory, type SegmentAggregator } from './aggregator-factory.ts';

const TWO53 = 2 ** 53;

/** Per-row hashing of one input column: calls `add(hash)` for each non-null value of row r. */
type RowHasher = (r: number, add: (h: number) => void) => void;

function rowHasher(view: SegmentView, field: string): RowHasher | { complex: (r: number) => Uint8Array } {
  const type = view.columnType(field);
  if (type === 'STRING') {
    const col = view.stringColumn(field)!;
    const hashes = hashDictionary(col.dictionary());
    const { offsets, values } = col.multiValues();
    return (r, add) => {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        const h = hashes[values[k]];
        if (h >= 0) add(h);
      }
    };
  }
  if (type === 'COMPLEX') {
    const col = view.segment.complexColumn(field)!;
    return { complex: (r) => col.get(r) };
  }
  if (type === undefined) return () => {};
  const read = view.rowValue(field);
  return (r, add) => {
    const v = read(r);
    if (v !== null && v !== undefined) add(hashString(String(v)));
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function hllOf(p: unknown): HyperLogLog {
  return typeof p === 'string' && p !== '' ? HyperLogLog.deserialize(new Uint8Array(Buffer.from(p, 'base64'))) : new HyperLogLog();
}

/** cardinality (fields, byRow) and hyperUnique over HyperLogLog. */
export function hllAggregator(name: string, type: 'cardinality' | 'hyperUnique', fields: readonly string[], byRow: boolean, round: boolean): AggregatorFactory {
  return {
    name, type, columns: fields,
    forSegment(view): SegmentAggregator {
      const hashers = fields.map((f) => rowHasher(view, f));
      const sketches: (HyperLogLog | null)[] = [];
      const fastCol = fields.length === 1 && view.columnType(fields[0]) === 'STRING' ? view.stringColumn(fields[0])! : null;
      const fastHashes = fastCol !== null && !fastCol.hasMultipleValues ? hashDictionary(fastCol.dictionary()) : null;
      return {
        aggregate(sel: Selection, groups: Int32Array | null, numGroups: number) {
          while (sketches.length < numGroups) sketches.push(null);
          const get = (g: number) => (sketches[g] ??= new HyperLogLog());
          if (groups === null && sel.rows === null && fastHashes !== null) {
            addIdsKernel(get(0).registers, fastCol!.ids(), fastHashes, sel.start, sel.end);
            return;
          }
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          for (let k = 0; k < n; k++) {
            const r = sel.rows === null ? sel.start + k : sel.rows[k];
            const sketch = get(groups === null ? 0 : groups[k]);
            if (byRow && hashers.length > 1) {
              const parts: number[] = [];
              for (const h of hashers) if (typeof h === 'function') h(r, (x) => parts.push(x));
              if (parts.length > 0) sketch.add(hashString(parts.join(',')));
              continue;
            }
            for (const h of hashers) {
              if (typeof h === 'function') h(r, (x) => sketch.add(x));
              else {
                const bytes = h.complex(r);
                if (bytes.byteLength > 0) sketch.merge(HyperLogLog.deserialize(bytes));
              }
            }
          }
        },
        partial: (g) => (sketches[g] == null ? '' : toBase64(sketches[g]!.serialize())),
      };
    },
    empty: () => '',
    combine: (a, b) => {
      if (a === '' || a === null) return b;
      if (b === '' || b === null) return a;
      return toBase64(hllOf(a).merge(hllOf(b)).serialize());
    },
    finalize: (p) => {
      const e = hllOf(p).estimate();
      return round ? Math.round(e) : e;
    },
    compare: compareNullableNumbers,
  };
}

/** KMV theta sketch partial: the retained normalised hashes (ascending, all < theta) and theta. */
export type ThetaPartial = ThetaSketchData;

/** Estimated distinct count of a theta partial. */
export function thetaEstimate(p: unknown): number {
  if (p === null || typeof p !== 'object' || !('hashes' in p)) return 0;
  return thetaSketchEstimate(p as ThetaPartial);
}

const trim = trimTheta;

/** thetaSketch and HLLSketchBuild/Merge as a KMV sketch of nominal size k. */
export function thetaAggregator(name: string, type: string, field: string, k: number): AggregatorFactory {
  return {
    name, type, columns: [field],
    forSegment(view): SegmentAggregator {
      const hasher = rowHasher(view, field);
      const sets: Set<number>[] = [];
      const thetas: number[] = [];
      return {
        aggregate(sel, groups, numGroups) {
          while (sets.length < numGroups) { sets.push(new Set()); thetas.push(1); }
          if (typeof hasher !== 'function') {
            // Ingested sketch column (thetaSketch / HLLSketch): union the stored sketches.
            const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
            for (let i = 0; i < n; i++) {
              const r = sel.rows === null ? sel.start + i : sel.rows[i];
              const g = groups === null ? 0 : groups[i];
              const other = deserializeTheta(hasher.complex(r), k);
              if (other.theta < thetas[g]) {
                thetas[g] = other.theta;
                for (const h of sets[g]) if (h >= other.theta) sets[g].delete(h);
              }
              const set = sets[g];
              for (const x of other.hashes) if (x < thetas[g]) set.add(x);
              if (set.size > 2 * k) {
                const t = trim([...set], k, thetas[g]);
                thetas[g] = t.theta;
                sets[g] = new Set(t.hashes);
              }
            }
            return;
          }
          const n = sel.rows === null ? sel.end - sel.start : sel.rows.length;
          for (let i = 0; i < n; i++) {
            const r = sel.rows === null ? sel.start + i : sel.rows[i];
            const g = groups === null ? 0 : groups[i];
            const set = sets[g];
            hasher(r, (h) => {
              const x = h / TWO53;
              if (x < thetas[g]) set.add(x);
            });
            if (set.size > 2 * k) {
              const t = trim([...set], k, thetas[g]);
              thetas[g] = t.theta;
              sets[g] = new Set(t.hashes);
            }
          }
        },
        partial: (g) => trim([...(sets[g] ?? [])], k, thetas[g] ?? 1),
      };
    },
    empty: () => ({ k, theta: 1, hashes: [] }),
    combine: (a, b) => {
      const x = a as ThetaPartial;
      const y = b as ThetaPartial;
      return trim([...new Set([...x.hashes, ...y.hashes])], Math.min(x.k, y.k), Math.min(x.theta, y.theta));
    },
    finalize: (p) => thetaEstimate(p),
    compare: compareNullableNumbers,
  };
}

export { HLL_REGISTERS };
