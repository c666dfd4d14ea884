/**
 * openSegment: a Segment over the bytes of a segment file. Opening validates
 * the header, metadata and block directory; column data is decoded lazily,
 * block by block, with checksums verified at decode time.
 */
import type { ColumnInfo, ComplexColumn, NumericColumn, Segment, SegmentId, StringColumn } from '../segment.ts';
import { segmentIdToString } from '../segment.ts';
import type { Interval } from '../../common/interval.ts';
import { SegmentFile } from './segment-file.ts';
import { FileStringColumn } from './file-string-column.ts';
import { FileNumericColumn, NumericBlocks } from './file-numeric-column.ts';
import type { ColumnMeta } from './layout.ts';

class FileComplexColumn implements ComplexColumn {
  readonly type = 'COMPLEX' as const;
  constructor(private readonly file: SegmentFile, private readonly meta: Extract<ColumnMeta, { kind: 'complex' }>) {}
  get complexType(): string {
    return this.meta.complexType;
  }
  get(row: number): Uint8Array {
    return this.file.varItem(`c/${this.meta.name}/x`, this.meta.chunks, row);
  }
}

/** A persisted, immutable segment read from its file bytes. */
export class FileSegment implements Segment {
  readonly numRows: number;
  readonly dataInterval: Interval;
  readonly dimensions: readonly string[];
  readonly metrics: readonly string[];
  readonly sizeBytes: number;
  readonly isMutable = false;
  private readonly infos: ColumnInfo[];
  private readonly infoByName = new Map<string, ColumnInfo>();
  private readonly byName = new Map<string, ColumnMeta>();
  private readonly cols = new Map<string, StringColumn | NumericColumn | ComplexColumn>();
  private readonly timeBlocks: NumericBlocks;

  constructor(readonly id: SegmentId, readonly file: SegmentFile) {
    const m = file.meta;
    this.numRows = m.numRows;
    this.sizeBytes = file.bytes.byteLength;
    this.dataInterval = m.numRows === 0 ? { start: id.interval.start, end: id.interval.start } : { start: m.minTime, end: m.maxTime + 1 };
    this.timeBlocks = new NumericBlocks(file, m.time.blocks, false, 't/');
    this.infos = [{ name: '__time', type: 'LONG', hasMultipleValues: false, hasNulls: false }];
    const dims: string[] = [];
    const mets: string[] = [];
    for (const c of m.columns) {
      this.byName.set(c.name, c);
      if (c.kind === 'string') {
        dims.push(c.name);
        this.infos.push({ name: c.name, type: 'STRING', hasMultipleValues: c.multi, hasNulls: c.hasNulls });
      } else if (c.kind === 'numeric') {
        mets.push(c.name);
        this.infos.push({ name: c.name, type: c.type, hasMultipleValues: false, hasNulls: c.hasNulls });
      } else {
        mets.push(c.name);
        this.infos.push({ name: c.name, type: 'COMPLEX', complexType: c.complexType, hasMultipleValues: false, hasNulls: false });
      }
    }
    this.dimensions = dims;
    this.metrics = mets;
    for (const info of this.infos) if (!this.infoByName.has(info.name)) this.infoByName.set(info.name, info);
  }

  columns(): readonly ColumnInfo[] {
    return this.infos;
  }

  column(name: string): ColumnInfo | undefined {
    return this.infoByName.get(name);
  }

  /** The role of a numeric column: 'dimension' (part of the rollup key) or 'metric'. */
  numericRole(name: string): 'dimension' | 'metric' | undefined {
    const c = this.byName.get(name);
    return c?.kind === 'numeric' ? c.role : undefined;
  }

  time(): Float64Array {
    return this.timeBlocks.all() as Float64Array;
  }

  private col<T>(name: string, kind: ColumnMeta['kind'], make: (m: ColumnMeta) => T): T | undefined {
    const m = this.byName.get(name);
    if (m === undefined || m.kind !== kind) return undefined;
    let c = this.cols.get(name) as T | undefined;
    if (c === undefined) {
      c = make(m);
      this.cols.set(name, c as StringColumn);
    }
    return c;
  }

  stringColumn(name: string): StringColumn | undefined {
    return this.col(name, 'string', (m) => new FileStringColumn(this.file, m as Extract<ColumnMeta, { kind: 'string' }>));
  }

  numericColumn(name: string): NumericColumn | undefined {
    return this.col(name, 'numeric', (m) => {
      const n = m as Extract<ColumnMeta, { kind: 'numeric' }>;
      return new FileNumericColumn(this.file, n.type, n.name, n.exact, n.nulls, n.blocks, n.min, n.max);
    });
  }

  complexColumn(name: string): ComplexColumn | undefined {
    return this.col(name, 'complex', (m) => new FileComplexColumn(this.file, m as Extract<ColumnMeta, { kind: 'complex' }>));
  }

  /** Drops this segment's decoded data from the process-wide cache. */
  release(): void {
    this.file.release();
  }
}

/**
 * Opens segment bytes (which may live in a SharedArrayBuffer; they are never
 * copied or modified). Throws errors.corrupt naming the segment when the
 * bytes are truncated or damaged.
 */
export function openSegment(bytes: Uint8Array, id: SegmentId): FileSegment {
  return new FileSegment(id, new SegmentFile(bytes, segmentIdToString(id)));
}
