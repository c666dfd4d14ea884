/**
 * One coordinator pass as a pure function: given the used segments, the live
 * historicals, what each serves (announced) or is being sent (pending), and
 * the rules, decide which segments each historical must load and drop.
 *
 * - Segments overshadowed by newer complete versions are never loaded, and
 *   are dropped once the newer versions are served somewhere.
 * - Unused or unknown segments that a server holds are dropped.
 * - A load rule's replicas per tier are reached by placing on the cheapest
 *   servers of the tier (placement-cost.ts); surplus replicas are dropped only
 *   when they are really served (not just pending).
 * - Broadcast puts the segment on every live historical; drop rules remove it everywhere.
 */
import type { SegmentRecord } from '../metadata/metadata-store.ts';
import type { ServerRecord } from '../roles/cluster-store.ts';
import { overshadowedIds } from './overshadowed.ts';
import { placementCost, ServerLoad } from './placement-cost.ts';
import { actionFor, DEFAULT_RULES, DEFAULT_RULES_KEY, type LoadRule } from './rules.ts';

export interface PlanInput {
  readonly segments: readonly SegmentRecord[];
  /** Live historicals. */
  readonly servers: readonly ServerRecord[];
  /** Segment ids each live server announces as served. */
  readonly served: ReadonlyMap<string, ReadonlySet<string>>;
  /** Segment ids sent to each server whose load has not finished yet. */
  readonly pending: ReadonlyMap<string, ReadonlySet<string>>;
  readonly rules: ReadonlyMap<string, readonly LoadRule[]>;
  readonly now: number;
  /** Balancing: at most this many segments copied from the fullest to the emptiest server of a tier per pass (default 5). */
  readonly maxMovesPerPass?: number;
}

export interface AssignmentPlan {
  readonly loads: Map<string, SegmentRecord[]>;
  readonly drops: Map<string, string[]>;
  /** Segments wanted somewhere that no server could take (no capacity or no server in the tier). */
  readonly unassignable: string[];
}

export function planAssignments(input: PlanInput): AssignmentPlan {
  const loads = new Map<string, SegmentRecord[]>();
  const drops = new Map<string, string[]>();
  const unassignable: string[] = [];
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [v]);
    else list.push(v);
  };
  const byId = new Map(input.segments.map((s) => [s.id, s]));
  const dsCodes = new Map<string, number>();
  const dsCode = (ds: string) => {
    let c = dsCodes.get(ds);
    if (c === undefined) dsCodes.set(ds, (c = dsCodes.size));
    return c;
  };

  // Holders (announced or pending) per segment, and the columnar load of each server.
  const holders = new Map<string, Set<string>>();
  const announced = new Map<string, Set<string>>();
  const loadsOf = new Map<string, ServerLoad>();
  for (const s of input.servers) {
    const load = new ServerLoad(s.maxSize);
    loadsOf.set(s.name, load);
    const all = new Set([...(input.served.get(s.name) ?? []), ...(input.pending.get(s.name) ?? [])]);
    for (const id of all) {
      const r = byId.get(id);
      if (r !== undefined) load.add(r.interval.start, r.interval.end, dsCode(r.dataSource), r.sizeBytes);
      let h = holders.get(id);
      if (h === undefined) holders.set(id, (h = new Set()));
      h.add(s.name);
    }
    for (const id of input.served.get(s.name) ?? []) {
      let a = announced.get(id);
      if (a === undefined) announced.set(id, (a = new Set()));
      a.add(s.name);
    }
  }

  const overshadowedAll = overshadowedIds(input.segments);
  const servedRecords = input.segments.filter((r) => announced.has(r.id));
  const overshadowedByServed = overshadowedIds(servedRecords);
  const defaults = input.rules.get(DEFAULT_RULES_KEY) ?? DEFAULT_RULES;
  const serverByName = new Map(input.servers.map((s) => [s.name, s]));

  const place = (r: SegmentRecord, candidates: readonly ServerRecord[]): boolean => {
    let best: ServerRecord | undefined;
    let bestCost = Infinity;
    const code = dsCode(r.dataSource);
    for (const s of candidates) {
      const cost = placementCost(loadsOf.get(s.name)!, r.interval.start, r.interval.end, code, r.sizeBytes);
      if (cost < bestCost || (cost === bestCost && best !== undefined && s.name < best.name)) {
        best = s;
        bestCost = cost;
      }
    }
    if (best === undefined || bestCost === Infinity) return false;
    loadsOf.get(best.name)!.add(r.interval.start, r.interval.end, code, r.sizeBytes);
    push(loads, best.name, r);
    let h = holders.get(r.id);
    if (h === undefined) holders.set(r.id, (h = new Set()));
    h.add(best.name);
    return true;
  };

  // Newest intervals first, as Druid does: recent data matters most when capacity is short.
  const ordered = [...input.segments].sort((a, b) => b.interval.start - a.interval.start || (a.id < b.id ? -1 : 1));
  const wanted = new Set<string>();
  for (const r of ordered) {
    if (overshadowedAll.has(r.id)) {
      if (!overshadowedByServed.has(r.id)) wanted.add(r.id); // keep until its replacement is served
      continue;
    }
    const action = actionFor(input.rules.get(r.dataSource) ?? [], defaults, r.interval, input.now);
    const current = holders.get(r.id) ?? new Set<string>();
    if (action.kind === 'drop') continue;
    wanted.add(r.id);
    if (action.kind === 'broadcast') {
      for (const s of input.servers) if (!current.has(s.name) && !place(r, [s])) unassignable.push(r.id);
      continue;
    }
    for (const [tier, replicas] of Object.entries(action.tiers)) {
      const inTier = input.servers.filter((s) => s.tier === tier);
      const have = [...current].filter((n) => serverByName.get(n)?.tier === tier);
      for (let i = have.length; i < replicas; i++) {
        const candidates = inTier.filter((s) => !holders.get(r.id)?.has(s.name));
        if (!place(r, candidates)) {
          unassignable.push(r.id);
          break;
        }
      }
      // Surplus served replicas go from the fullest servers first (this also completes balancing moves).
      const servedHere = [...(announced.get(r.id) ?? [])].filter((n) => serverByName.get(n)?.tier === tier)
        .sort((a, b) => loadsOf.get(b)!.count - loadsOf.get(a)!.count || (a < b ? -1 : 1));
      for (let i = 0; i < servedHere.length - replicas; i++) push(drops, servedHere[i], r.id);
    }
    // Replicas on tiers the rule does not name are surplus.
    for (const n of announced.get(r.id) ?? []) {
      const tier = serverByName.get(n)?.tier;
      if (tier !== undefined && !(tier in action.tiers)) push(drops, n, r.id);
    }
  }
  for (const s of input.servers) {
    for (const id of input.served.get(s.name) ?? []) if (!wanted.has(id)) push(drops, s.name, id);
  }
  balance(input, byId, holders, loadsOf, wanted, drops, (r, target) => place(r, [target]), input.maxMovesPerPass ?? 5);
  return { loads, drops, unassignable };
}

/**
 * Evens out segment counts within each tier: copies segments from the server
 * holding the most to the one holding the fewest (when they differ by more
 * than one). The surplus replica is dropped from the fuller server by a later
 * pass, once the copy is served.
 */
function balance(
  input: PlanInput, byId: ReadonlyMap<string, SegmentRecord>, holders: ReadonlyMap<string, Set<string>>,
  loadsOf: ReadonlyMap<string, ServerLoad>, wanted: ReadonlySet<string>, drops: ReadonlyMap<string, string[]>,
  copy: (r: SegmentRecord, target: ServerRecord) => boolean, maxMoves: number,
): void {
  const dropping = new Set<string>();
  for (const [server, ids] of drops) for (const id of ids) dropping.add(`${server}|${id}`);
  const tiers = new Map<string, ServerRecord[]>();
  for (const s of input.servers) {
    const list = tiers.get(s.tier);
    if (list === undefined) tiers.set(s.tier, [s]);
    else list.push(s);
  }
  const counts = new Map([...loadsOf].map(([name, load]) => [name, load.count]));
  let moves = 0;
  for (const servers of tiers.values()) {
    while (moves < maxMoves && servers.length > 1) {
      const sorted = [...servers].sort((a, b) => counts.get(a.name)! - counts.get(b.name)! || (a.name < b.name ? -1 : 1));
      const emptiest = sorted[0];
      const fullest = sorted[sorted.length - 1];
      if (counts.get(fullest.name)! - counts.get(emptiest.name)! <= 1) break;
      const candidate = [...(input.served.get(fullest.name) ?? [])].sort().find((id) =>
        wanted.has(id) && byId.has(id) && !dropping.has(`${fullest.name}|${id}`) && !holders.get(id)?.has(emptiest.name));
      if (candidate === undefined || !copy(byId.get(candidate)!, emptiest)) break;
      // Count the move against the source now so the next choice sees the intended balance.
      counts.set(fullest.name, counts.get(fullest.name)! - 1);
      counts.set(emptiest.name, counts.get(emptiest.name)! + 1);
      dropping.add(`${fullest.name}|${candidate}`);
      moves++;
    }
  }
}
