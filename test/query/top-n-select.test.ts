/** topN's one-pass selection of the best groups equals sorting every group and cutting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileAggregators } from '../../query/aggregation/compile-aggregator.ts';
import { topByMetric } from '../../query/engines/top-n.ts';
import { compareLexicographic } from '../../query/filter/string-orderings.ts';

test('topByMetric equals a full sort by value descending, nulls last, ties by dimension', () => {
  const [sum] = compileAggregators([{ type: 'doubleSum', name: 's', fieldName: 'x' }]);
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }), fc.option(fc.constantFrom('a', 'b', 'c', 'ab', ''), { nil: null })), { maxLength: 60 }),
    fc.integer({ min: 0, max: 8 }),
    (groups, k) => {
      const partials = groups.map((g) => g[0]);
      const dims = groups.map((g) => g[1]);
      const got = topByMetric(partials, sum, dims, groups.length, k);
      const txt = (v: string | null) => v;
      const expected = groups.map((_, i) => i).sort((a, b) => {
        const x = partials[a], y = partials[b];
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return y - x;
        }
        const p = txt(dims[a]), q = txt(dims[b]);
        return p === q ? 0 : p === null ? -1 : q === null ? 1 : compareLexicographic(p, q);
      }).slice(0, k);
      // Equal (value, dimension) pairs may come in either order: compare what they show.
      assert.deepEqual(got.map((g) => [partials[g], dims[g]]), expected.map((g) => [partials[g], dims[g]]));
    },
  ), { numRuns: 500 });
});
