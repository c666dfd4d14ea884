/** Capacity-doubling helpers for the typed arrays behind the incremental index. */

type Growable = Float64Array | Float32Array | Int32Array | Uint8Array | BigInt64Array;

/** Returns `a` if it holds at least `need` elements, else a copy with doubled (or needed) capacity. */
export function ensureCapacity<T extends Growable>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 16));
  (next as unknown as { set(src: T): void }).set(a);
  return next;
}
