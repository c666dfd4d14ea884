/**
 * Druid's Kafka supervisor spec ({type:'kafka', spec:{dataSchema, ioConfig, tuningConfig}}, or the
 * flat legacy form with the three at top level), validated into a typed form. The dataSchema, the
 * inputFormat and the parse-related tuning are read by the batch spec parser, so both paths accept
 * the same shapes; every error is a 400 naming the field.
 */
import { errors } from '../../common/errors.ts';
import type { DataSchema } from '../../storage/schema.ts';
import { parsePeriod, standardMillis } from '../../storage/time/period.ts';
import { parseBatchIngestionSpec, type BatchIngestionSpec, type InputFormatSpec } from '../ingestion/ingestion-spec.ts';

export interface KafkaSupervisorSpec {
  /** Supervisor id: the data source name (one supervisor per data source, as in Druid). */
  readonly id: string;
  readonly dataSchema: DataSchema;
  /** The same settings in the batch form, for the row pipeline (timestamp, transforms, parse errors). */
  readonly rowSpec: BatchIngestionSpec;
  readonly topic: string;
  readonly bootstrapServers: readonly string[];
  readonly taskCount: number;
  readonly replicas: number;
  readonly taskDurationMs: number;
  readonly useEarliestOffset: boolean;
  readonly lateMessageRejectionPeriodMs: number | null;
  readonly earlyMessageRejectionPeriodMs: number | null;
  readonly inputFormat: InputFormatSpec;
  readonly maxRowsInMemory: number;
  readonly maxBytesInMemory: number | undefined;
  readonly maxRowsPerSegment: number;
  readonly intermediatePersistPeriodMs: number;
  readonly maxParseExceptions: number;
  /** How long one poll waits for records (ms); bounds produce→visible latency when idle. */
  readonly pollTimeoutMs: number;
  /** The spec as submitted (returned by GET /supervisor/{id}). */
  readonly raw: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.invalidInput(`${where} must be a JSON object`);
  return v as Json;
}

function positiveInt(v: unknown, where: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw errors.invalidInput(`${where} must be a positive integer, got [${JSON.stringify(v)}]`);
  return n;
}

function bool(v: unknown, where: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw errors.invalidInput(`${where} must be true or false, got [${JSON.stringify(v)}]`);
  return v;
}

/** An ISO-8601 period (e.g. PT1H) as ms; years and months are not allowed (no fixed length). */
function periodMs(v: unknown, where: string, fallback: number | null): number | null {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw errors.invalidInput(`${where} must be an ISO-8601 period such as PT1H, got [${JSON.stringify(v)}]`);
  let ms: number | null;
  try {
    ms = standardMillis(parsePeriod(v));
  } catch {
    throw errors.invalidInput(`${where} [${v}] is not an ISO-8601 period such as PT1H`);
  }
  if (ms === null || ms <= 0) throw errors.invalidInput(`${where} [${v}] must be a positive period without years or months`);
  return ms;
}

/** Validates a supervisor spec as POSTed to /druid/indexer/v1/supervisor. */
export function parseKafkaSupervisorSpec(raw: unknown): KafkaSupervisorSpec {
  const top = obj(raw, 'Supervisor spec');
  const type = top.type ?? 'kafka';
  if (type !== 'kafka') throw errors.invalidInput(`Supervisor type [${String(type)}] is not supported; use kafka`);
  const spec = obj(top.spec ?? top, 'spec');
  const ioConfig = obj(spec.ioConfig, 'spec.ioConfig');
  const tuning = spec.tuningConfig === undefined || spec.tuningConfig === null ? {} : obj(spec.tuningConfig, 'spec.tuningConfig');
  if (tuning.type !== undefined && tuning.type !== 'kafka') throw errors.invalidInput(`tuningConfig.type must be kafka, got [${String(tuning.type)}]`);
  if (ioConfig.type !== undefined && ioConfig.type !== 'kafka') throw errors.invalidInput(`ioConfig.type must be kafka, got [${String(ioConfig.type)}]`);
  const topic = ioConfig.topic;
  if (typeof topic !== 'string' || topic.length === 0) {
    if (ioConfig.topicPattern !== undefined) throw errors.invalidInput('ioConfig.topicPattern is not supported; name one topic in ioConfig.topic');
    throw errors.invalidInput('ioConfig.topic must be a non-empty string');
  }
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw errors.invalidInput(`ioConfig.topic [${topic}] is not a legal Kafka topic name`);
  const props = obj(ioConfig.consumerProperties, 'ioConfig.consumerProperties');
  const servers = props['bootstrap.servers'];
  if (typeof servers !== 'string' || servers.trim() === '') throw errors.invalidInput("ioConfig.consumerProperties['bootstrap.servers'] must be a non-empty string like host:9092");
  const bootstrapServers = servers.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const s of bootstrapServers) if (!/^[^:\s]+:\d{1,5}$/.test(s)) throw errors.invalidInput(`bootstrap server [${s}] must be host:port`);
  if (ioConfig.inputFormat === undefined && spec.dataSchema !== undefined && (spec.dataSchema as Json).parser !== undefined) {
    throw errors.invalidInput('dataSchema.parser is not supported; use ioConfig.inputFormat');
  }
  const inputFormat = ioConfig.inputFormat === undefined ? { type: 'json' } : obj(ioConfig.inputFormat, 'ioConfig.inputFormat');
  if (inputFormat.type === 'parquet') throw errors.invalidInput('inputFormat parquet cannot read Kafka messages; use json, csv or tsv');
  if ((inputFormat.type === 'csv' || inputFormat.type === 'tsv') && !Array.isArray(inputFormat.columns)) {
    throw errors.invalidInput(`${String(inputFormat.type)} inputFormat for Kafka needs "columns" (messages carry no header row)`);
  }
  const rowSpec = parseBatchIngestionSpec({
    type: 'index_parallel',
    spec: {
      dataSchema: spec.dataSchema,
      ioConfig: { inputSource: { type: 'inline', data: '' }, inputFormat },
      tuningConfig: { maxParseExceptions: tuning.maxParseExceptions, maxSavedParseExceptions: tuning.maxSavedParseExceptions ?? 10 },
    },
  });
  const maxRowsInMemory = positiveInt(tuning.maxRowsInMemory, 'tuningConfig.maxRowsInMemory', 150_000);
  return {
    id: rowSpec.dataSchema.dataSource,
    dataSchema: rowSpec.dataSchema,
    rowSpec,
    topic,
    bootstrapServers,
    taskCount: positiveInt(ioConfig.taskCount, 'ioConfig.taskCount', 1),
    replicas: positiveInt(ioConfig.replicas, 'ioConfig.replicas', 1),
    taskDurationMs: periodMs(ioConfig.taskDuration, 'ioConfig.taskDuration', 3_600_000)!,
    useEarliestOffset: bool(ioConfig.useEarliestOffset, 'ioConfig.useEarliestOffset', false),
    lateMessageRejectionPeriodMs: periodMs(ioConfig.lateMessageRejectionPeriod, 'ioConfig.lateMessageRejectionPeriod', null),
    earlyMessageRejectionPeriodMs: periodMs(ioConfig.earlyMessageRejectionPeriod, 'ioConfig.earlyMessageRejectionPeriod', null),
    inputFormat: rowSpec.inputFormat,
    maxRowsInMemory,
    maxBytesInMemory: tuning.maxBytesInMemory === undefined || tuning.maxBytesInMemory === 0 ? undefined : positiveInt(tuning.maxBytesInMemory, 'tuningConfig.maxBytesInMemory', 1),
    maxRowsPerSegment: positiveInt(tuning.maxRowsPerSegment, 'tuningConfig.maxRowsPerSegment', 5_000_000),
    intermediatePersistPeriodMs: periodMs(tuning.intermediatePersistPeriod, 'tuningConfig.intermediatePersistPeriod', 600_000)!,
    maxParseExceptions: tuning.maxParseExceptions === undefined ? Number.MAX_SAFE_INTEGER : positiveInt(tuning.maxParseExceptions, 'tuningConfig.maxParseExceptions', 1),
    pollTimeoutMs: positiveInt(ioConfig.pollTimeout, 'ioConfig.pollTimeout', 100),
    raw: top,
  };
}
