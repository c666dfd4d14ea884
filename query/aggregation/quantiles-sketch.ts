/** The quantiles sketch lives in storage (ingested sketch columns use it too); re-exported for query code. */
export * from '../../storage/sketches/quantiles-sketch.ts';
