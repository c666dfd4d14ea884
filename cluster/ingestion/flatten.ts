/**
 * Druid's flattenSpec for JSON input: `root` fields and `path` fields with a
 * JSONPath subset ($.a.b, $['a'], $.a[0], and the functions length(), min(),
 * max(), sum(), avg() at the end of a path).
 */
import { errors } from '../../common/errors.ts';
import type { FlattenField } from './ingestion-spec.ts';

type Step = { key: string } | { index: number };

interface CompiledPath {
  readonly steps: readonly Step[];
  readonly fn: 'length' | 'min' | 'max' | 'sum' | 'avg' | null;
}

const cache = new Map<string, CompiledPath>();

export function compileJsonPath(expr: string): CompiledPath {
  const hit = cache.get(expr);
  if (hit) return hit;
  if (!expr.startsWith('$')) throw errors.invalidInput(`JSONPath [${expr}] must start with $`);
  let rest = expr.slice(1);
  let fn: CompiledPath['fn'] = null;
  const fnMatch = /\.(length|min|max|sum|avg)\(\)$/.exec(rest);
  if (fnMatch) {
    fn = fnMatch[1] as CompiledPath['fn'];
    rest = rest.slice(0, fnMatch.index);
  }
  const steps: Step[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m) throw errors.invalidInput(`Unsupported JSONPath [${expr}] near [${rest.slice(pos)}]`);
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ key: m[2] });
    else if (m[3] !== undefined) steps.push({ key: m[3] });
    else steps.push({ index: Number(m[4]) });
    pos = re.lastIndex;
  }
  const compiled = { steps, fn };
  cache.set(expr, compiled);
  return compiled;
}

export function evaluateJsonPath(path: CompiledPath, value: unknown): unknown {
  let cur: unknown = value;
  for (const s of path.steps) {
    if (cur === null || cur === undefined) return null;
    if ('key' in s) cur = typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[s.key] : undefined;
    else cur = Array.isArray(cur) ? cur[s.index] : undefined;
  }
  if (cur === undefined) return null;
  if (path.fn === null) return cur;
  if (!Array.isArray(cur)) return null;
  if (path.fn === 'length') return cur.length;
  const nums = cur.map(Number).filter((n) => !Number.isNaN(n));
  if (nums.length === 0) return null;
  switch (path.fn) {
    case 'min': return Math.min(...nums);
    case 'max': return Math.max(...nums);
    case 'sum': return nums.reduce((a, b) => a + b, 0);
    case 'avg': return nums.reduce((a, b) => a + b, 0) / nums.length;
  }
  return null;
}

/** Applies a flattenSpec: discovered root fields (default on) plus the listed fields. */
export function flattenRecord(
  record: Record<string, unknown>,
  spec: { readonly useFieldDiscovery?: boolean; readonly fields?: readonly FlattenField[] },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.useFieldDiscovery !== false) {
    for (const [k, v] of Object.entries(record)) {
      if (v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'))) out[k] = v;
    }
  }
  for (const f of spec.fields ?? []) {
    if (f.type === 'root') out[f.name] = record[f.expr ?? f.name] ?? null;
    else if (f.type === 'path') out[f.name] = evaluateJsonPath(compileJsonPath(f.expr ?? `$.${f.name}`), record);
    else throw errors.invalidInput(`flattenSpec field type [${String((f as { type: unknown }).type)}] is not supported; use root or path`);
  }
  return out;
}
