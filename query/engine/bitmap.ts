/** The roaring bitmap class as a value (roaring is CommonJS; ESM sees only its default export). */
import roaring from 'roaring';
import type { RoaringBitmap32 } from 'roaring';

export type { RoaringBitmap32 };

/** Constructor of RoaringBitmap32 (CRoaring). */
export const Bitmap: typeof RoaringBitmap32 = (roaring as unknown as { RoaringBitmap32: typeof RoaringBitmap32 }).RoaringBitmap32;

/** Bitmap of the rows [start, end). */
export function rangeBitmap(start: number, end: number): RoaringBitmap32 {
  const b = new Bitmap();
  if (end > start) b.addRange(start, end);
  return b;
}

/** Members of `bitmap` within [start, end), ascending. */
export function bitmapRowsInRange(bitmap: RoaringBitmap32, start: number, end: number): Uint32Array {
  if (end <= start) return new Uint32Array(0);
  return Bitmap.and(bitmap, rangeBitmap(start, end)).toUint32Array();
}
