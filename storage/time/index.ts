/**
 * Public surface of the time package: zones, periods, granularities,
 * intervals, parsing, formatting, extraction and bucketing kernels.
 */
export * from './civil.ts';
export * from './zone.ts';
export * from './period.ts';
export * from './granularity.ts';
export * from './period-granularity.ts';
export * from './duration-granularity.ts';
export * from './parse-granularity.ts';
export * from './iso-parse.ts';
export * from './interval-parse.ts';
export * from './format.ts';
export * from './locale-names.ts';
export * from './joda-pattern.ts';
export * from './timestamp-parse.ts';
export * from './extract.ts';
export * from './bucket-kernel.ts';
