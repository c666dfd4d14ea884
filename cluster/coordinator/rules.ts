/**
 * Druid's retention/load rules: per data source, an ordered list; the first
 * rule that matches a segment decides whether it is loaded (with how many
 * replicas on which tiers), broadcast to every historical, or dropped.
 * Data sources without rules use the `_default` list (initially loadForever
 * with 2 replicas on `_default_tier`, as in Druid).
 */
import { errors } from '../../common/errors.ts';
import type { Interval } from '../../common/interval.ts';
import { overlaps } from '../../common/interval.ts';
import { parsePeriod, subtractPeriod } from '../../storage/time/period.ts';
import { parseInterval } from '../../storage/time/interval-parse.ts';

export const DEFAULT_RULES_KEY = '_default';
export const DEFAULT_TIER = '_default_tier';

export type TieredReplicants = Readonly<Record<string, number>>;

export type LoadRule =
  | { readonly type: 'loadForever'; readonly tieredReplicants?: TieredReplicants }
  | { readonly type: 'loadByPeriod'; readonly period: string; readonly includeFuture?: boolean; readonly tieredReplicants?: TieredReplicants }
  | { readonly type: 'loadByInterval'; readonly interval: string; readonly tieredReplicants?: TieredReplicants }
  | { readonly type: 'dropForever' }
  | { readonly type: 'dropByPeriod'; readonly period: string; readonly includeFuture?: boolean }
  | { readonly type: 'dropByInterval'; readonly interval: string }
  | { readonly type: 'dropBeforeByPeriod'; readonly period: string }
  | { readonly type: 'broadcastForever' }
  | { readonly type: 'broadcastByPeriod'; readonly period: string; readonly includeFuture?: boolean }
  | { readonly type: 'broadcastByInterval'; readonly interval: string };

export const DEFAULT_RULES: readonly LoadRule[] = [{ type: 'loadForever', tieredReplicants: { [DEFAULT_TIER]: 2 } }];

/** What a matching rule asks for a segment. */
export type RuleAction =
  | { readonly kind: 'load'; readonly tiers: TieredReplicants }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'drop' };

const RULE_TYPES = new Set([
  'loadForever', 'loadByPeriod', 'loadByInterval', 'dropForever', 'dropByPeriod', 'dropByInterval', 'dropBeforeByPeriod',
  'broadcastForever', 'broadcastByPeriod', 'broadcastByInterval',
]);

/** Validates a rules list from a request body; throws Invalid input naming the bad rule. */
export function parseRules(raw: unknown): LoadRule[] {
  if (!Array.isArray(raw)) throw errors.invalidInput('Rules must be a JSON array of rule objects');
  return raw.map((r, i) => {
    if (typeof r !== 'object' || r === null || typeof (r as { type?: unknown }).type !== 'string') {
      throw errors.invalidInput(`Rule #${i + 1} must be an object with a "type"`);
    }
    const rule = r as Record<string, unknown>;
    if (!RULE_TYPES.has(String(rule.type))) throw errors.invalidInput(`Rule #${i + 1} has unknown type [${String(rule.type)}]`);
    if (String(rule.type).endsWith('ByPeriod')) {
      if (typeof rule.period !== 'string') throw errors.invalidInput(`Rule #${i + 1} (${String(rule.type)}) needs a "period"`);
      parsePeriod(rule.period);
    }
    if (String(rule.type).endsWith('ByInterval')) {
      if (typeof rule.interval !== 'string') throw errors.invalidInput(`Rule #${i + 1} (${String(rule.type)}) needs an "interval"`);
      parseInterval(rule.interval);
    }
    if (rule.tieredReplicants !== undefined) {
      const t = rule.tieredReplicants;
      if (typeof t !== 'object' || t === null || Array.isArray(t)) throw errors.invalidInput(`Rule #${i + 1}: tieredReplicants must be an object`);
      for (const [tier, n] of Object.entries(t)) {
        if (!Number.isInteger(n) || (n as number) < 0) throw errors.invalidInput(`Rule #${i + 1}: replicas for tier [${tier}] must be a non-negative integer`);
      }
    }
    return rule as unknown as LoadRule;
  });
}

/** Does `rule` apply to a segment over `interval` at time `now`? */
export function ruleMatches(rule: LoadRule, interval: Interval, now: number): boolean {
  switch (rule.type) {
    case 'loadForever':
    case 'dropForever':
    case 'broadcastForever':
      return true;
    case 'loadByInterval':
    case 'dropByInterval':
    case 'broadcastByInterval':
      return overlaps(parseInterval(rule.interval), interval);
    case 'loadByPeriod':
    case 'dropByPeriod':
    case 'broadcastByPeriod': {
      const start = subtractPeriod(now, parsePeriod(rule.period));
      const includeFuture = rule.includeFuture ?? true;
      const window: Interval = { start, end: includeFuture ? Number.MAX_SAFE_INTEGER : now };
      return overlaps(window, interval);
    }
    case 'dropBeforeByPeriod':
      return interval.end <= subtractPeriod(now, parsePeriod(rule.period));
  }
}

/** The action of the first matching rule among the data source's rules then the defaults; unmatched segments are dropped. */
export function actionFor(rules: readonly LoadRule[], defaults: readonly LoadRule[], interval: Interval, now: number): RuleAction {
  for (const rule of [...rules, ...defaults]) {
    if (!ruleMatches(rule, interval, now)) continue;
    if (rule.type.startsWith('drop')) return { kind: 'drop' };
    if (rule.type.startsWith('broadcast')) return { kind: 'broadcast' };
    return { kind: 'load', tiers: (rule as { tieredReplicants?: TieredReplicants }).tieredReplicants ?? { [DEFAULT_TIER]: 2 } };
  }
  return { kind: 'drop' };
}
