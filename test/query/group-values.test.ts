/** Pooled per-group accumulators: growth keeps values, new groups start at init, released memory is reused cleanly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GroupValues, pooledGroupValueBytes } from '../../query/aggregation/group-values.ts';

test('GroupValues equals a plain array model across ensure, writes and release (pool shared by instances)', () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(
      fc.record({ op: fc.constant('ensure' as const), who: fc.nat(1), n: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ op: fc.constant('write' as const), who: fc.nat(1), at: fc.nat(), v: fc.integer({ min: -9, max: 9 }) }),
      fc.record({ op: fc.constant('release' as const), who: fc.nat(1) }),
    ), { maxLength: 60 }),
    fc.constantFrom(0, Number.POSITIVE_INFINITY, -1),
    (ops, init) => {
      const gv = [new GroupValues(init), new GroupValues(init)];
      const model: number[][] = [[], []];
      for (const o of ops) {
        const g = gv[o.who];
        const m = model[o.who];
        if (o.op === 'ensure') {
          g.ensure(o.n);
          while (m.length < o.n) m.push(init);
        } else if (o.op === 'write') {
          if (m.length === 0) continue;
          const at = o.at % m.length;
          g.data[at] = o.v;
          m[at] = o.v;
        } else {
          g.release();
          model[o.who] = [];
        }
        for (let w = 0; w < 2; w++) {
          assert.equal(gv[w].size, model[w].length);
          assert.deepEqual(Array.from(gv[w].data.subarray(0, gv[w].size)), model[w]);
        }
      }
      assert.ok(pooledGroupValueBytes() <= 32 * 1024 * 1024);
    },
  ), { numRuns: 300 });
});
