/** A half-open time interval [start, end) in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The widest interval Druid accepts ("ETERNITY"). */
export const ETERNITY: Interval = Object.freeze({ start: -146136543 * 86400000, end: 146140482 * 86400000 });

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function intervalToString(i: Interval): string {
  return `${new Date(i.start).toISOString()}/${new Date(i.end).toISOString()}`;
}
