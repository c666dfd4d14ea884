/**
 * Bulk writers of variable-length item chunks (dictionaries, bitmap
 * indexes): items are sized first, then written straight into each chunk's
 * buffer, with the same chunking as BodyBuilder.addVarItems (items are taken
 * until a chunk holds at least VAR_CHUNK_BYTES; at least one item each), so
 * the bytes are identical to building each item separately.
 */
import type { BodyBuilder } from './body-builder.ts';
import { VAR_CHUNK_BYTES, type VarChunkRef } from './layout.ts';
import { portableBytes, writePortableBytes } from './portable-bitmap-writer.ts';

/** Writes item i into out at `at` (out has sizes[i] bytes of room there, zeroed). */
type ItemWriter = (i: number, out: Uint8Array, at: number) => void;

/** Stores `count` items of the given byte sizes, each written in place by `write`. */
export function addSizedItems(body: BodyBuilder, sizes: Int32Array, write: ItemWriter, compress = true): VarChunkRef[] {
  const refs: VarChunkRef[] = [];
  const count = sizes.length;
  let first = 0;
  while (first < count) {
    let bytes = 0;
    let i = first;
    while (i < count && (i === first || bytes < VAR_CHUNK_BYTES)) bytes += sizes[i++];
    const k = i - first;
    const raw = new Uint8Array(4 + 4 * (k + 1) + bytes);
    const words = new DataView(raw.buffer);
    words.setUint32(0, k, true);
    let off = 0;
    const base = 4 + 4 * (k + 1);
    for (let j = 0; j < k; j++) {
      words.setUint32(4 + 4 * j, off, true);
      write(first + j, raw, base + off);
      off += sizes[first + j];
    }
    words.setUint32(4 + 4 * k, off, true);
    refs.push({ ...body.add(raw, compress), f: first, k });
    first = i;
  }
  return refs;
}

/** Stores strings[from..] as UTF-8 items, each sized first and then encoded straight into its chunk. */
export function addStringItems(body: BodyBuilder, strings: readonly (string | null)[], from: number): VarChunkRef[] {
  const count = strings.length - from;
  const sizes = new Int32Array(count);
  for (let i = 0; i < count; i++) sizes[i] = Buffer.byteLength(strings[from + i] as string, 'utf8');
  let chunk: Uint8Array | null = null;
  let view: Buffer | null = null;
  return addSizedItems(body, sizes, (i, out, at) => {
    if (out !== chunk) {
      chunk = out;
      view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    }
    view!.write(strings[from + i] as string, at, sizes[i], 'utf8');
  });
}

/**
 * Stores one portable Roaring bitmap per id: the rows of id are
 * rows[starts[id]..starts[id+1]), ascending and distinct.
 */
export function addBitmapItems(body: BodyBuilder, starts: Int32Array, rows: Int32Array, ids: number): VarChunkRef[] {
  const sizes = new Int32Array(ids);
  for (let id = 0; id < ids; id++) sizes[id] = portableBytes(rows, starts[id], starts[id + 1]);
  return addSizedItems(body, sizes, (id, out, at) => {
    writePortableBytes(rows, starts[id], starts[id + 1], out, at);
  });
}
