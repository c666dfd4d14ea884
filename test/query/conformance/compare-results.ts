/** Druid's native-result normalisation (druid-cases README): JSON equality, key order ignored, numbers within 1e-6 relative. */

/** Returns null when equal, else a path and description of the first difference. */
export function diffResults(actual: unknown, expected: unknown, path = '$'): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tol = 1e-6 * Math.max(1, Math.abs(expected));
    return Math.abs(actual - expected) <= tol ? null : `${path}: ${actual} != ${expected}`;
  }
  if (expected === null || typeof expected !== 'object') {
    return actual === expected ? null : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: not an array: ${JSON.stringify(actual)?.slice(0, 200)}`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} != ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = diffResults(actual[i], expected[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: not an object: ${JSON.stringify(actual)?.slice(0, 200)}`;
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(e)])) {
    if (!(k in a)) return `${path}.${k}: missing (expected ${JSON.stringify(e[k])})`;
    if (!(k in e)) return `${path}.${k}: unexpected ${JSON.stringify(a[k])}`;
    const d = diffResults(a[k], e[k], `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}
