/**
 * Writer-side kernels for the portable Roaring serialization of sorted row
 * numbers, writing bytes directly (no DataView, no per-bitmap allocation).
 * Output is byte-identical to roaring-portable.ts's serializePortable: array
 * containers up to 4096 values per 64K chunk, bitmap containers above, no
 * run containers.
 */

const COOKIE_NO_RUN = 12346;
const ARRAY_MAX = 4096;

/** Serialized size of the ascending, distinct rows[start..end). */
export function portableBytes(rows: Int32Array, start: number, end: number): number {
  let size = 8;
  let i = start;
  while (i < end) {
    const next = ((rows[i] >>> 16) + 1) * 65536;
    let j = i + 1;
    // Rows are ascending: skip to the first row of the next 64K chunk.
    if (rows[end - 1] < next) j = end;
    else while (rows[j] < next) j++;
    const card = j - i;
    size += 8 + (card <= ARRAY_MAX ? card * 2 : 8192);
    i = j;
  }
  return size;
}

function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 255;
  out[at + 1] = (v >>> 8) & 255;
  out[at + 2] = (v >>> 16) & 255;
  out[at + 3] = v >>> 24;
}

/**
 * Writes the ascending, distinct rows[start..end) at out[at..] (which must
 * have portableBytes(...) bytes of room, zeroed for bitmap containers);
 * returns the offset just past them.
 */
export function writePortableBytes(rows: Int32Array, start: number, end: number, out: Uint8Array, at: number): number {
  let n = 0;
  for (let i = start; i < end;) {
    const next = ((rows[i] >>> 16) + 1) * 65536;
    if (rows[end - 1] < next) i = end;
    else while (rows[i] < next) i++;
    n++;
  }
  put32(out, at, COOKIE_NO_RUN);
  put32(out, at + 4, n);
  let desc = at + 8;
  let offs = desc + 4 * n;
  let data = offs + 4 * n;
  for (let i = start; i < end;) {
    const key = rows[i] >>> 16;
    const next = (key + 1) * 65536;
    let j = i + 1;
    if (rows[end - 1] < next) j = end;
    else while (rows[j] < next) j++;
    const card = j - i;
    out[desc] = key & 255;
    out[desc + 1] = key >>> 8;
    out[desc + 2] = (card - 1) & 255;
    out[desc + 3] = (card - 1) >>> 8;
    desc += 4;
    put32(out, offs, data - at);
    offs += 4;
    if (card <= ARRAY_MAX) {
      for (let k = i; k < j; k++) {
        const r = rows[k];
        out[data] = r & 255;
        out[data + 1] = (r >>> 8) & 255;
        data += 2;
      }
    } else {
      for (let k = i; k < j; k++) {
        const low = rows[k] & 0xffff;
        out[data + (low >>> 3)] |= 1 << (low & 7);
      }
      data += 8192;
    }
    i = j;
  }
  return data;
}
