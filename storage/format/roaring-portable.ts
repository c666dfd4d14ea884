/**
 * Writes Roaring bitmaps in the portable serialization (the format CRoaring,
 * Java's RoaringBitmap and Druid share) straight from sorted row numbers,
 * without building native bitmap objects: array containers for up to 4096
 * values per 64K chunk, bitmap containers above that. No run containers.
 */

const COOKIE_NO_RUN = 12346;
const ARRAY_MAX = 4096;

/** Serialized size of the sorted rows[start..end). */
export function portableSize(rows: ArrayLike<number>, start: number, end: number): number {
  let size = 4 + 4;
  let i = start;
  while (i < end) {
    const key = rows[i] >>> 16;
    let j = i;
    while (j < end && rows[j] >>> 16 === key) j++;
    const card = j - i;
    size += 4 + 4 + (card <= ARRAY_MAX ? card * 2 : 8192);
    i = j;
  }
  return size;
}

/**
 * Serializes the ascending, distinct rows[start..end) into out at `at`;
 * returns the offset just past the written bytes. `out` must have room
 * (see portableSize).
 */
export function writePortable(rows: ArrayLike<number>, start: number, end: number, out: Uint8Array, at: number): number {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  // Count containers first.
  let n = 0;
  for (let i = start; i < end;) {
    const key = rows[i] >>> 16;
    while (i < end && rows[i] >>> 16 === key) i++;
    n++;
  }
  dv.setUint32(at, COOKIE_NO_RUN, true);
  dv.setUint32(at + 4, n, true);
  let desc = at + 8;
  let offs = desc + 4 * n;
  let data = offs + 4 * n;
  for (let i = start; i < end;) {
    const key = rows[i] >>> 16;
    let j = i;
    while (j < end && rows[j] >>> 16 === key) j++;
    const card = j - i;
    dv.setUint16(desc, key, true);
    dv.setUint16(desc + 2, card - 1, true);
    desc += 4;
    dv.setUint32(offs, data - at, true);
    offs += 4;
    if (card <= ARRAY_MAX) {
      for (let k = i; k < j; k++) {
        dv.setUint16(data, rows[k] & 0xffff, true);
        data += 2;
      }
    } else {
      out.fill(0, data, data + 8192);
      for (let k = i; k < j; k++) {
        const low = rows[k] & 0xffff;
        const byte = data + (low >>> 3);
        out[byte] |= 1 << (low & 7);
      }
      data += 8192;
    }
    i = j;
  }
  return data;
}

/** Serializes sorted distinct rows into a fresh byte array. */
export function serializePortable(rows: ArrayLike<number>, start = 0, end = rows.length): Uint8Array {
  const out = new Uint8Array(portableSize(rows, start, end));
  writePortable(rows, start, end, out, 0);
  return out;
}
