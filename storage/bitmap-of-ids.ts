/** Builds inverted-index bitmaps from id streams, for columns stored without bitmap indexes. */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';

const { RoaringBitmap32: Bitmap } = roaring;

/** Rows whose id equals `id`: single-valued ids, or a multi-valued offsets/values pair. */
export function bitmapOfIds(source: Int32Array | { readonly offsets: Int32Array; readonly values: Int32Array }, id: number): RoaringBitmap32 {
  const rows: number[] = [];
  if (source instanceof Int32Array) {
    for (let r = 0; r < source.length; r++) if (source[r] === id) rows.push(r);
  } else {
    const { offsets, values } = source;
    const n = offsets.length - 1;
    for (let r = 0; r < n; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        if (values[k] === id) {
          rows.push(r);
          break;
        }
      }
    }
  }
  return new Bitmap(rows);
}
