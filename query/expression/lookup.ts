/**
 * The hook through which the `lookup()` function reaches query-time lookups.
 * The cluster layer (or a test) registers a provider; without one, every
 * lookup name is unknown and `lookup()` fails at bind time.
 */
import { NemetonError } from '../../common/errors.ts';

/** A resolved lookup: maps a key to its value, or null when the key is absent. */
export type LookupFn = (key: string) => string | null;

/** Resolves a lookup name to a LookupFn, or undefined when no such lookup exists. */
export type LookupProvider = (name: string) => LookupFn | undefined;

let provider: LookupProvider | null = null;

/** Installs (or with null, removes) the process-wide lookup provider. */
export function setLookupProvider(p: LookupProvider | null): void {
  provider = p;
}

/** Builds a provider over in-memory maps, for tests and inline lookups. */
export function mapLookupProvider(maps: Readonly<Record<string, Readonly<Record<string, string>>>>): LookupProvider {
  return (name) => {
    const m = maps[name];
    if (m === undefined) return undefined;
    return (key) => (Object.prototype.hasOwnProperty.call(m, key) ? m[key] : null);
  };
}

/** The lookup named `name`; throws 'Invalid input' when it is not registered. */
export function resolveLookup(name: string): LookupFn {
  const fn = provider?.(name);
  if (fn === undefined) throw new NemetonError(`Lookup [${name}] not found`, { code: 'Invalid input' });
  return fn;
}
