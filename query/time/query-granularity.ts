/** A native query's granularity spec as a Granularity (storage/time/ does the work). */
import { errors } from '../../common/errors.ts';
import { parseGranularity, type Granularity } from '../../storage/time/index.ts';
import type { GranularitySpec } from '../model/granularity-spec.ts';

/** Parses a granularity spec; missing means 'all'. Throws 'Invalid input' naming the bad value. */
export function parseQueryGranularity(spec: GranularitySpec | undefined | null): Granularity {
  if (spec === undefined || spec === null) return parseGranularity('all');
  if (typeof spec !== 'string' && typeof spec !== 'object') throw errors.invalidInput('granularity must be a string or an object');
  return parseGranularity(spec as never);
}
