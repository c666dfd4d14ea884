/**
 * Opening a segment file: header, checksum and structure validation, and
 * access to its blocks through the process-wide decoded-block cache.
 */
import { errors } from '../../common/errors.ts';
import { decodeBlock, type BlockRef } from './block-codec.ts';
import { crc32 } from './block-codec.ts';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, type SegmentMeta, type VarChunkRef } from './layout.ts';
import { segmentCache } from '../block-cache.ts';

let nextUid = 1;

/** A validated segment file: parsed metadata with absolute block offsets. */
export class SegmentFile {
  /** Unique per open; prefixes this file's cache keys. */
  readonly uid = nextUid++;
  readonly meta: SegmentMeta;
  readonly keyPrefix: string;

  /** Validates everything that can be checked without decoding blocks; throws errors.corrupt naming `name`. */
  constructor(readonly bytes: Uint8Array, readonly name: string) {
    this.keyPrefix = `s${this.uid}/`;
    if (bytes.length < HEADER_BYTES) throw this.corrupt(`only ${bytes.length} bytes, shorter than the header`);
    for (let i = 0; i < MAGIC.length; i++) {
      if (bytes[i] !== MAGIC.charCodeAt(i)) throw this.corrupt('bad magic; not a Nemeton segment');
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (crc32(bytes.subarray(0, 28)) !== dv.getUint32(28, true)) throw this.corrupt('header checksum mismatch');
    const version = dv.getUint16(8, true);
    if (version !== FORMAT_VERSION) throw this.corrupt(`unsupported format version ${version}`);
    if (dv.getUint16(10, true) !== 0) throw this.corrupt('unknown header flags');
    const metaLength = dv.getUint32(12, true);
    const total = dv.getUint32(16, true) + dv.getUint32(20, true) * 4294967296;
    if (total !== bytes.length) throw this.corrupt(`file is ${bytes.length} bytes, header says ${total} (truncated?)`);
    if (HEADER_BYTES + metaLength > total) throw this.corrupt('metadata runs past the end of the file');
    const metaBytes = bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength);
    if (crc32(metaBytes) !== dv.getUint32(24, true)) throw this.corrupt('metadata checksum mismatch');
    let meta: SegmentMeta;
    try {
      meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes)) as SegmentMeta;
    } catch (e) {
      throw this.corrupt(`metadata is not valid JSON: ${(e as Error).message}`);
    }
    this.meta = meta;
    this.validate(HEADER_BYTES + metaLength, total);
  }

  /** A corruption error naming this segment. */
  corrupt(why: string): Error {
    return errors.corrupt(`Segment [${this.name}]`, why);
  }

  private validate(bodyStart: number, total: number): void {
    const m = this.meta;
    const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (m === null || typeof m !== 'object' || !isCount(m.numRows) || !isCount(m.blockRows) || m.blockRows === 0) {
      throw this.corrupt('metadata lacks row counts');
    }
    if (!Array.isArray(m.columns) || m.time === undefined || !Array.isArray(m.time.blocks)) throw this.corrupt('metadata lacks columns');
    const refs: BlockRef[] = [];
    const rowBlocks = Math.ceil(m.numRows / m.blockRows);
    const expectBlocks = (list: unknown, n: number, what: string): void => {
      if (!Array.isArray(list) || list.length !== n) throw this.corrupt(`${what}: expected ${n} blocks`);
      refs.push(...(list as BlockRef[]));
    };
    const expectChunks = (list: unknown, n: number, what: string): void => {
      if (!Array.isArray(list)) throw this.corrupt(`${what}: missing chunks`);
      let next = 0;
      for (const c of list as VarChunkRef[]) {
        if (c.f !== next || !isCount(c.k) || c.k === 0) throw this.corrupt(`${what}: chunk directory is inconsistent`);
        next += c.k;
        refs.push(c);
      }
      if (next !== n) throw this.corrupt(`${what}: chunks hold ${next} items, expected ${n}`);
    };
    expectBlocks(m.time.blocks, rowBlocks, '__time');
    const names = new Set<string>();
    for (const c of m.columns) {
      if (typeof c.name !== 'string' || c.name === '__time' || names.has(c.name)) throw this.corrupt('bad or duplicate column name');
      names.add(c.name);
      if (c.kind === 'string') {
        if (!isCount(c.cardinality) || (m.numRows > 0 && c.cardinality === 0)) throw this.corrupt(`column ${c.name}: bad cardinality`);
        expectChunks(c.dict, c.cardinality - (c.hasNulls ? 1 : 0), `column ${c.name} dictionary`);
        expectBlocks(c.ids, rowBlocks, `column ${c.name}`);
        if (c.multi) expectBlocks(c.values, Math.ceil(c.numValues / m.blockRows), `column ${c.name} values`);
        if (c.bitmapIndex) expectChunks(c.bitmaps, c.cardinality, `column ${c.name} bitmaps`);
      } else if (c.kind === 'numeric') {
        if (c.type !== 'LONG' && c.type !== 'FLOAT' && c.type !== 'DOUBLE') throw this.corrupt(`column ${c.name}: bad type`);
        expectBlocks(c.blocks, rowBlocks, `column ${c.name}`);
        if (c.hasNulls) {
          if (c.nulls === null || typeof c.nulls !== 'object') throw this.corrupt(`column ${c.name}: missing null bitmap`);
          refs.push(c.nulls);
        }
      } else if (c.kind === 'complex') {
        expectChunks(c.chunks, m.numRows, `column ${c.name}`);
      } else {
        throw this.corrupt('unknown column kind');
      }
    }
    // Blocks must tile the body exactly: every byte belongs to one checksummed block.
    const bodyLength = total - bodyStart;
    const sorted = refs.slice().sort((a, b) => a.o - b.o);
    let at = 0;
    for (const r of sorted) {
      if (!isCount(r.o) || !isCount(r.n) || !isCount(r.r) || !isCount(r.c) || r.o !== at) {
        throw this.corrupt(`block directory does not tile the body at ${at}`);
      }
      at += r.n;
    }
    if (at !== bodyLength) throw this.corrupt(`blocks cover ${at} of ${bodyLength} body bytes`);
    for (const r of refs) r.o += bodyStart;
  }

  /** Decoded bytes of a block (checksum verified), cached under key. */
  block(key: string, ref: BlockRef): Uint8Array {
    return segmentCache.getOrCompute(this.keyPrefix + key, () => decodeBlock(this.bytes, ref, `Segment [${this.name}]`), (b) => b.byteLength + 64);
  }

  /** Item `index` of a chunked variable-length list (a view into the cached chunk). */
  varItem(key: string, chunks: readonly VarChunkRef[], index: number): Uint8Array {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (chunks[mid].f <= index) lo = mid;
      else hi = mid - 1;
    }
    const c = chunks[lo];
    const { data, offsets } = this.varChunk(key, lo, c);
    const j = index - c.f;
    return data.subarray(offsets[j], offsets[j + 1]);
  }

  /** A decoded chunk: item bytes and k+1 offsets into them, validated. */
  varChunk(key: string, i: number, c: VarChunkRef): { data: Uint8Array; offsets: Uint32Array } {
    return segmentCache.getOrCompute(this.keyPrefix + `${key}/${i}`, () => {
      const raw = decodeBlock(this.bytes, c, `Segment [${this.name}]`);
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const head = 4 + 4 * (c.k + 1);
      if (raw.length < head || dv.getUint32(0, true) !== c.k) throw this.corrupt(`${key}: chunk header mismatch`);
      const offsets = new Uint32Array(c.k + 1);
      for (let j = 0; j <= c.k; j++) offsets[j] = dv.getUint32(4 + 4 * j, true);
      for (let j = 0; j < c.k; j++) if (offsets[j] > offsets[j + 1]) throw this.corrupt(`${key}: chunk offsets decrease`);
      if (offsets[0] !== 0 || head + offsets[c.k] !== raw.length) throw this.corrupt(`${key}: chunk length mismatch`);
      return { data: raw.subarray(head), offsets };
    }, (v) => v.data.byteLength + v.offsets.byteLength + 64);
  }

  /** Drops this file's decoded data from the cache. */
  release(): void {
    segmentCache.dropPrefix(this.keyPrefix);
  }
}
