/** Coordinator planning as a pure function: replicas, rules, overshadowing, drops, balancing, and the broker cache. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAssignments } from '../../cluster/coordinator/assignment-planner.ts';
import { actionFor, parseRules, DEFAULT_RULES } from '../../cluster/coordinator/rules.ts';
import { proximityCost } from '../../cluster/coordinator/placement-cost.ts';
import { PartialResultCache, partialCacheKey } from '../../cluster/broker/partial-result-cache.ts';
import type { ServerRecord } from '../../cluster/roles/cluster-store.ts';
import { segmentRecord } from './metadata-store-cases.ts';

const DAY = 86_400_000;
const server = (name: string, tier = '_default_tier', maxSize = 1e9): ServerRecord =>
  ({ name, host: '127.0.0.1', httpPort: 1, roles: ['historical'], tier, maxSize, heartbeatAt: 0, expiresAt: 1e15 });
const plan = (over: Partial<Parameters<typeof planAssignments>[0]>) =>
  planAssignments({ segments: [], servers: [], served: new Map(), pending: new Map(), rules: new Map(), now: Date.UTC(2024, 5, 1), ...over });

test('default rule places two replicas on distinct servers, spread by cost', () => {
  const segs = [0, 1, 2].map((i) => segmentRecord(`s${i}`, i * DAY));
  const p = plan({ segments: segs, servers: [server('a'), server('b'), server('c')] });
  const placed = new Map<string, string[]>();
  for (const [srv, rs] of p.loads) for (const r of rs) placed.set(r.id, [...(placed.get(r.id) ?? []), srv]);
  for (const s of segs) assert.equal(new Set(placed.get(s.id)).size, 2);
  assert.deepEqual([...p.loads.values()].map((l) => l.length).sort(), [2, 2, 2]);
});

test('tiers, drop rules, broadcast and capacity', () => {
  const segs = [segmentRecord('old', Date.UTC(2020, 0, 1)), segmentRecord('new', Date.UTC(2024, 4, 30))];
  const rules = new Map([['wiki', parseRules([
    { type: 'loadByPeriod', period: 'P1M', tieredReplicants: { hot: 1 } },
    { type: 'dropForever' },
  ])]]);
  const p = plan({ segments: segs, servers: [server('h', 'hot'), server('c')], served: new Map([['c', new Set(['old'])]]), rules });
  assert.deepEqual(p.loads.get('h')?.map((r) => r.id), ['new']);
  assert.deepEqual(p.drops.get('c'), ['old']);
  const b = plan({ segments: [segs[0]], servers: [server('x'), server('y'), server('z')], rules: new Map([['wiki', [{ type: 'broadcastForever' }]]]) });
  assert.equal(b.loads.size, 3);
  const full = plan({ segments: [segs[0]], servers: [server('tiny', '_default_tier', 10)] });
  assert.deepEqual(full.unassignable, ['old']);
});

test('overshadowed segments are not loaded, and dropped once the newer version is served', () => {
  const v1 = segmentRecord('v1', 0);
  const v2 = segmentRecord('v2', 0, { version: 'v2' });
  const first = plan({ segments: [v1, v2], servers: [server('a'), server('b')], served: new Map([['a', new Set(['v1'])]]) });
  assert.ok(![...first.loads.values()].flat().some((r) => r.id === 'v1'));
  assert.equal(first.drops.get('a'), undefined); // v2 not served yet: keep v1
  const later = plan({ segments: [v1, v2], servers: [server('a'), server('b')], served: new Map([['a', new Set(['v1', 'v2'])], ['b', new Set(['v2'])]]) });
  assert.deepEqual(later.drops.get('a'), ['v1']);
});

test('unused segments are dropped; a lost replica is re-placed; surplus replicas dropped from the fullest', () => {
  const s = segmentRecord('s', 0);
  const p = plan({ segments: [s], servers: [server('a'), server('b')], served: new Map([['a', new Set(['s', 'gone'])]]) });
  assert.deepEqual(p.drops.get('a'), ['gone']);
  assert.deepEqual(p.loads.get('b')?.map((r) => r.id), ['s']);
  const surplus = plan({ segments: [s], servers: [server('a'), server('b'), server('c')], served: new Map([['a', new Set(['s'])], ['b', new Set(['s'])], ['c', new Set(['s'])]]) });
  assert.equal([...surplus.drops.values()].flat().length, 1);
});

test('balancing copies from the fullest to the emptiest server', () => {
  const segs = [0, 1, 2, 3].map((i) => segmentRecord(`s${i}`, i * DAY));
  const rules = new Map([['_default', parseRules([{ type: 'loadForever', tieredReplicants: { _default_tier: 1 } }])]]);
  const p = plan({ segments: segs, servers: [server('a'), server('b')], served: new Map([['a', new Set(segs.map((s) => s.id))]]), rules });
  assert.equal(p.loads.get('b')?.length, 2);
});

test('rules validate input and match by period and interval', () => {
  assert.throws(() => parseRules({}), /JSON array/);
  assert.throws(() => parseRules([{ type: 'loadByPeriod' }]), /needs a "period"/);
  assert.throws(() => parseRules([{ type: 'loadForever', tieredReplicants: { t: -1 } }]), /non-negative integer/);
  const now = Date.UTC(2024, 5, 1);
  const rules = parseRules([{ type: 'loadByInterval', interval: '2024-01-01/2024-02-01', tieredReplicants: { t: 3 } }, { type: 'dropBeforeByPeriod', period: 'P1Y' }]);
  assert.deepEqual(actionFor(rules, DEFAULT_RULES, { start: Date.UTC(2024, 0, 5), end: Date.UTC(2024, 0, 6) }, now), { kind: 'load', tiers: { t: 3 } });
  assert.deepEqual(actionFor(rules, DEFAULT_RULES, { start: Date.UTC(2020, 0, 5), end: Date.UTC(2020, 0, 6) }, now), { kind: 'drop' });
  assert.equal(actionFor(rules, DEFAULT_RULES, { start: Date.UTC(2024, 3, 5), end: Date.UTC(2024, 3, 6) }, now).kind, 'load');
});

test('proximity cost: overlapping and same-data-source segments cost more', () => {
  const starts = new Float64Array([0]);
  const ends = new Float64Array([DAY]);
  const ds = new Int32Array([0]);
  assert.equal(proximityCost(starts, ends, ds, 1, 0, DAY, 0), 2);
  assert.equal(proximityCost(starts, ends, ds, 1, 0, DAY, 1), 1);
  assert.ok(Math.abs(proximityCost(starts, ends, ds, 1, 2 * DAY, 3 * DAY, 1) - 0.5) < 1e-12);
});

test('partial result cache: LRU bounded in bytes, keys ignore the context', () => {
  const cache = new PartialResultCache(300);
  const q = { queryType: 'timeseries', intervals: ['x'] };
  assert.equal(partialCacheKey({ ...q, context: { a: 1 } }, 's'), partialCacheKey(q, 's'));
  assert.notEqual(partialCacheKey(q, 's'), partialCacheKey(q, 't'));
  cache.put('a', { v: 'x'.repeat(100) });
  cache.put('b', { v: 'y'.repeat(100) });
  assert.ok(cache.get('a') !== undefined); // a is now most recent
  cache.put('c', { v: 'z'.repeat(100) });
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(cache.get('a'), { v: 'x'.repeat(100) });
  assert.ok(cache.size().bytes <= 300);
  cache.put('huge', { v: 'h'.repeat(1000) });
  assert.equal(cache.get('huge'), undefined);
});
