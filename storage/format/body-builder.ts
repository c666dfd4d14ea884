/**
 * Accumulates the blocks of a segment body and hands out their references
 * (offsets relative to the start of the body).
 */
import { encodeBlock, type BlockRef } from './block-codec.ts';
import { VAR_CHUNK_BYTES, type VarChunkRef } from './layout.ts';

export class BodyBuilder {
  readonly parts: Uint8Array[] = [];
  length = 0;

  /** Encodes raw bytes (LZ4 when worthwhile) and appends them as one block. */
  add(raw: Uint8Array, compress = true): BlockRef {
    const b = encodeBlock(raw, compress);
    const ref: BlockRef = { o: this.length, n: b.stored.length, r: b.rawLength, c: b.crc, z: b.codec };
    this.parts.push(b.stored);
    this.length += b.stored.length;
    return ref;
  }

  /**
   * Stores `count` variable-length items in chunks of about VAR_CHUNK_BYTES:
   * each chunk is [u32 k][u32 offsets * (k+1)][item bytes].
   */
  addVarItems(count: number, item: (i: number) => Uint8Array, compress = true): VarChunkRef[] {
    const refs: VarChunkRef[] = [];
    let first = 0;
    while (first < count) {
      const items: Uint8Array[] = [];
      let bytes = 0;
      let i = first;
      while (i < count && (items.length === 0 || bytes < VAR_CHUNK_BYTES)) {
        const it = item(i);
        items.push(it);
        bytes += it.length;
        i++;
      }
      const k = items.length;
      const raw = new Uint8Array(4 + 4 * (k + 1) + bytes);
      const dv = new DataView(raw.buffer);
      dv.setUint32(0, k, true);
      let off = 0;
      let at = 4 + 4 * (k + 1);
      for (let j = 0; j < k; j++) {
        dv.setUint32(4 + 4 * j, off, true);
        raw.set(items[j], at);
        at += items[j].length;
        off += items[j].length;
      }
      dv.setUint32(4 + 4 * k, off, true);
      refs.push({ ...this.add(raw, compress), f: first, k });
      first = i;
    }
    return refs;
  }
}

/** Raw bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
