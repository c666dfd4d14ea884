/**
 * Serializes columnar rows (ColumnarData) into the segment file format
 * described in layout.ts.
 */
import { bitWidthFor, pack } from './bitpack.ts';
import { BodyBuilder, bytesOf } from './body-builder.ts';
import { crc32 } from './block-codec.ts';
import {
  DEFAULT_BLOCK_ROWS, FORMAT_VERSION, HEADER_BYTES, MAGIC, encodeNum,
  type ColumnMeta, type NumericMeta, type SegmentMeta, type StringMeta,
} from './layout.ts';
import { writeNumericBlocks } from './numeric-blocks.ts';
import { serializePortable } from './roaring-portable.ts';
import { addBitmapItems, addStringItems } from './var-items-writer.ts';
import type { ColumnarData, NumericColumnData, StringColumnData } from '../columnar-data.ts';

export interface WriteOptions {
  /** Rows per numeric/id block (default 65536). Small values are for tests. */
  readonly blockRows?: number;
}

const utf8 = new TextEncoder();

/** Rows of each dictionary id, ascending: a counting sort over the id stream. */
function rowsById(col: StringColumnData, numRows: number): { starts: Int32Array; rows: Int32Array } {
  const card = col.dictionary.length;
  const counts = new Int32Array(card + 1);
  if (col.ids !== null) {
    const ids = col.ids;
    for (let r = 0; r < numRows; r++) counts[ids[r] + 1]++;
  } else {
    const { offsets, values } = col as { offsets: Int32Array; values: Int32Array };
    const last = new Int32Array(card).fill(-1);
    for (let r = 0; r < numRows; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        const id = values[k];
        if (last[id] !== r) {
          last[id] = r;
          counts[id + 1]++;
        }
      }
    }
  }
  for (let i = 0; i < card; i++) counts[i + 1] += counts[i];
  const starts = counts.slice();
  const rows = new Int32Array(counts[card]);
  const fill = counts.subarray(0, card).slice();
  if (col.ids !== null) {
    const ids = col.ids;
    for (let r = 0; r < numRows; r++) rows[fill[ids[r]]++] = r;
  } else {
    const { offsets, values } = col as { offsets: Int32Array; values: Int32Array };
    const last = new Int32Array(card).fill(-1);
    for (let r = 0; r < numRows; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        const id = values[k];
        if (last[id] !== r) {
          last[id] = r;
          rows[fill[id]++] = r;
        }
      }
    }
  }
  return { starts, rows };
}

function writeString(body: BodyBuilder, col: StringColumnData, numRows: number, blockRows: number): StringMeta {
  const dict = col.dictionary;
  const hasNulls = dict.length > 0 && dict[0] === null;
  const nonNull = hasNulls ? 1 : 0;
  const dictRefs = addStringItems(body, dict, nonNull);
  const bitWidth = bitWidthFor(dict.length - 1);
  const multi = col.ids === null;
  const ids: StringMeta['ids'] = [];
  const values: StringMeta['values'] = [];
  let numValues = 0;
  let countWidth = 0;
  if (!multi) {
    for (let s = 0; s < numRows; s += blockRows) {
      const n = Math.min(blockRows, numRows - s);
      ids.push(body.add(bytesOf(pack(col.ids!, s, n, bitWidth))));
    }
  } else {
    const offsets = col.offsets!;
    const vals = col.values!;
    numValues = offsets[numRows];
    const counts = new Int32Array(numRows);
    let maxCount = 0;
    for (let r = 0; r < numRows; r++) {
      counts[r] = offsets[r + 1] - offsets[r];
      if (counts[r] > maxCount) maxCount = counts[r];
    }
    countWidth = bitWidthFor(maxCount);
    for (let s = 0; s < numRows; s += blockRows) {
      ids.push(body.add(bytesOf(pack(counts, s, Math.min(blockRows, numRows - s), countWidth))));
    }
    for (let s = 0; s < numValues; s += blockRows) {
      values.push(body.add(bytesOf(pack(vals, s, Math.min(blockRows, numValues - s), bitWidth))));
    }
  }
  let bitmaps: StringMeta['bitmaps'] = [];
  if (col.createBitmapIndex) {
    const { starts, rows } = rowsById(col, numRows);
    bitmaps = addBitmapItems(body, starts, rows, dict.length);
  }
  return {
    kind: 'string', name: col.name, multi, hasNulls, cardinality: dict.length, bitWidth,
    bitmapIndex: col.createBitmapIndex, dict: dictRefs, ids, values, numValues, countWidth, bitmaps,
  };
}

function writeNumeric(body: BodyBuilder, col: NumericColumnData, numRows: number, blockRows: number): NumericMeta {
  const blocks = writeNumericBlocks(body, col.type, col.values, col.exact, col.nulls, numRows, blockRows);
  let mn = Infinity;
  let mx = -Infinity;
  for (const b of blocks) {
    const bmn = Number(b.mn);
    const bmx = Number(b.mx);
    if (bmn < mn) mn = bmn;
    if (bmx > mx) mx = bmx;
  }
  let nulls = null;
  let hasNulls = false;
  if (col.nulls !== null) {
    const rows: number[] = [];
    for (let r = 0; r < numRows; r++) if (col.nulls[r] === 1) rows.push(r);
    if (rows.length > 0) {
      hasNulls = true;
      nulls = body.add(serializePortable(rows));
    }
  }
  return {
    kind: 'numeric', name: col.name, type: col.type, role: col.role, hasNulls, exact: col.exact !== null,
    min: encodeNum(mn), max: encodeNum(mx), blocks, nulls,
  };
}

/** Serializes `data` into a self-describing, checksummed segment file. */
export function writeSegment(data: ColumnarData, options: WriteOptions = {}): Uint8Array {
  const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
  const numRows = data.numRows;
  const body = new BodyBuilder();
  const timeBlocks = writeNumericBlocks(body, 'LONG', data.time, null, null, numRows, blockRows);
  const columns: ColumnMeta[] = [];
  for (const col of data.columns) {
    if (col.kind === 'string') columns.push(writeString(body, col, numRows, blockRows));
    else if (col.kind === 'numeric') columns.push(writeNumeric(body, col, numRows, blockRows));
    else {
      const chunks = body.addVarItems(numRows, (r) => col.values[r]);
      columns.push({ kind: 'complex', name: col.name, complexType: col.complexType, chunks });
    }
  }
  const meta: SegmentMeta = {
    numRows, blockRows,
    minTime: numRows > 0 ? data.time[0] : 0,
    maxTime: numRows > 0 ? data.time[numRows - 1] : 0,
    time: { kind: 'time', name: '__time', blocks: timeBlocks },
    columns,
  };
  const metaBytes = utf8.encode(JSON.stringify(meta));
  const total = HEADER_BYTES + metaBytes.length + body.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  dv.setUint16(8, FORMAT_VERSION, true);
  dv.setUint16(10, 0, true);
  dv.setUint32(12, metaBytes.length, true);
  dv.setUint32(16, total >>> 0, true);
  dv.setUint32(20, Math.floor(total / 4294967296), true);
  dv.setUint32(24, crc32(metaBytes), true);
  dv.setUint32(28, crc32(out.subarray(0, 28)), true);
  out.set(metaBytes, HEADER_BYTES);
  let at = HEADER_BYTES + metaBytes.length;
  for (const p of body.parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
