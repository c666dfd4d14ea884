/**
 * Loads the Druid conformance datasets (shared/data/druid-cases/datasets.json)
 * with the storage layer's batch ingestion (rollup, query granularity) into a
 * LocalSegmentSource. Ingest-time aggregators the storage layer does not have
 * are dropped and reported in `dropped`.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { compileRowEvaluator, parseExpression } from '../../../query/expression/index.ts';
import type { NativeQueryRunner } from '../../../query/native-runner.ts';
import { buildSegments } from '../../../storage/build-segments.ts';
import { openSegment } from '../../../storage/format/segment-reader.ts';
import { LocalSegmentSource } from '../../../storage/local-segment-source.ts';
import { INGEST_AGGREGATOR_TYPES, type DataSchema, type DimensionSchema, type IngestAggregator, type InputRow, type SimpleGranularity } from '../../../storage/schema.ts';
import { parseAutoTimestamp } from '../../../storage/time/timestamp-parse.ts';

export const SHARED = resolve(import.meta.dirname, '../../../../shared');

interface DatasetSpec {
  datasource?: string;
  files?: string[];
  source?: { type: 'druid'; dataSource: string; interval: string };
  inputFormat?: { type: string; flattenSpec?: { fields: { name: string; expr: string }[] } };
  timestampSpec: { column: string; format: string };
  dimensionsSpec: { dimensions?: (string | { name: string; type?: string; createBitmapIndex?: boolean })[]; dimensionExclusions?: string[] };
  transformSpec?: { transforms: { name: string; expression: string }[] };
  metricsSpec: { type: string; name: string; fieldName?: string }[];
  granularitySpec: { segmentGranularity: string; queryGranularity: string; rollup?: boolean };
}

const SUPPORTED_METRICS = new Set<string>(INGEST_AGGREGATOR_TYPES);

export function readDatasetSpecs(): Record<string, DatasetSpec> {
  return JSON.parse(readFileSync(resolve(SHARED, 'data/druid-cases/datasets.json'), 'utf8')) as Record<string, DatasetSpec>;
}

function readJsonLines(file: string): Record<string, unknown>[] {
  const path = resolve(SHARED, '..', file.startsWith('shared/') ? file : `shared/${file}`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  return buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The tiny JSONPath subset the json_path dataset uses: $.field.fn() with fn in length/min/max/sum. */
function flatten(row: Record<string, unknown>, fields: { name: string; expr: string }[]): Record<string, unknown> {
  const out = { ...row };
  for (const f of fields) {
    const m = /^\$\.(\w+)\.(length|min|max|sum)\(\)$/.exec(f.expr);
    if (m === null) continue;
    const arr = (row[m[1]] as number[]) ?? [];
    out[f.name] = m[2] === 'length' ? arr.length : m[2] === 'min' ? Math.min(...arr) : m[2] === 'max' ? Math.max(...arr) : arr.reduce((a, b) => a + b, 0);
  }
  return out;
}

export interface LoadedDataset {
  readonly dataSource: string;
  readonly rows: number;
  readonly dropped: string[];
}

/** Ingests one dataset into `source`. `runner` reads back a source data source for 'druid' input sources. */
export async function loadDataset(name: string, spec: DatasetSpec, source: LocalSegmentSource, runner: NativeQueryRunner): Promise<LoadedDataset> {
  const dataSource = spec.datasource ?? name;
  let raw: Record<string, unknown>[] = [];
  if (spec.source?.type === 'druid') {
    const res = (await runner.run({ queryType: 'scan', dataSource: spec.source.dataSource, intervals: [spec.source.interval], resultFormat: 'list' } as never)) as { events: Record<string, unknown>[] }[];
    raw = res.flatMap((b) => b.events).map((e) => ({ ...e, timestamp: new Date(e.__time as number).toISOString() }));
    for (const r of raw) delete r.__time;
  } else {
    for (const f of spec.files ?? []) raw.push(...readJsonLines(f));
  }
  if (spec.inputFormat?.flattenSpec !== undefined) raw = raw.map((r) => flatten(r, spec.inputFormat!.flattenSpec!.fields));
  const transforms = (spec.transformSpec?.transforms ?? []).map((t) => ({ name: t.name, fn: compileRowEvaluator(parseExpression(t.expression)) }));
  const rows: InputRow[] = raw.map((r) => {
    const t = parseAutoTimestamp(r[spec.timestampSpec.column]);
    const row: Record<string, unknown> = { ...r, __time: t ?? 0 };
    for (const tr of transforms) row[tr.name] = tr.fn((n) => r[n] ?? null);
    return row as InputRow;
  });
  const dims: DimensionSchema[] = (spec.dimensionsSpec.dimensions ?? []).map((d) =>
    typeof d === 'string' ? { name: d, type: 'string' } : { name: d.name, type: (d.type ?? 'string') as DimensionSchema['type'], createBitmapIndex: d.createBitmapIndex });
  const dropped = spec.metricsSpec.filter((m) => !SUPPORTED_METRICS.has(m.type)).map((m) => `${m.name}(${m.type})`);
  const metrics = spec.metricsSpec.filter((m) => SUPPORTED_METRICS.has(m.type)) as unknown as IngestAggregator[];
  const excluded = [spec.timestampSpec.column, ...(spec.dimensionsSpec.dimensionExclusions ?? [])];
  const schema: DataSchema = {
    dataSource,
    dimensionsSpec: { dimensions: dims, dimensionExclusions: excluded, useSchemaDiscovery: dims.length === 0 },
    metricsSpec: metrics,
    queryGranularity: spec.granularitySpec.queryGranularity.toLowerCase() as SimpleGranularity,
    segmentGranularity: spec.granularitySpec.segmentGranularity.toLowerCase() as SimpleGranularity,
    rollup: spec.granularitySpec.rollup ?? true,
  };
  // Fields that feed only dropped metrics, or no listed dimension, are not discovered as dimensions.
  const built = buildSegments(rows, schema, { segmentVersion: '2024-01-01T00:00:00.000Z', excludeFields: [...new Set(spec.metricsSpec.map((m) => m.fieldName).filter((f): f is string => f !== undefined)), 'tags', 'values'] });
  let n = 0;
  for (const b of built) {
    const seg = openSegment(b.bytes, b.id);
    n += seg.numRows;
    source.addSegment(b.id, seg);
  }
  return { dataSource, rows: n, dropped };
}
