/** Dictionary compaction for slices of a string column. */

/**
 * Reduces a sorted dictionary to the ids `ids` uses (order kept, so it stays
 * sorted) and writes the renumbered ids into `out` (which may be `ids`).
 */
export function compactDictionary(dictionary: readonly (string | null)[], ids: Int32Array, out: Int32Array): (string | null)[] {
  const used = new Uint8Array(dictionary.length);
  for (let i = 0; i < ids.length; i++) used[ids[i]] = 1;
  const remap = new Int32Array(dictionary.length);
  const kept: (string | null)[] = [];
  for (let id = 0; id < used.length; id++) {
    if (used[id] === 1) {
      remap[id] = kept.length;
      kept.push(dictionary[id]);
    }
  }
  for (let i = 0; i < ids.length; i++) out[i] = remap[ids[i]];
  return kept;
}
