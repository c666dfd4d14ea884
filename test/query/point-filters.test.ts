/**
 * selector / equals / in / inType filters on string columns look their values
 * up in the dictionary instead of testing every entry: results must match
 * the three-valued model (null rows UNKNOWN unless null is listed; NOT keeps
 * UNKNOWN out), on single- and multi-valued columns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createQueryExecutor } from '../../query/index.ts';
import { arraySegment, listSource } from './fixtures/array-segment.ts';

const T0 = Date.UTC(2020, 0, 1);
const F = 0, U = 1, T = 2;
const VALUES = ['a', 'b', 'c', '', 'é', '😀', 'zz'];

/** Tri value of one (single) value under a point set; null handled by `nullValue`. */
function pointTri(v: string | null, set: readonly (string | null)[], nullValue: number): number {
  if (v === null) return nullValue;
  return set.includes(v) ? T : F;
}

test('point-set filters equal the three-valued model (single- and multi-valued columns, NOT)', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(fc.option(fc.constantFrom(...VALUES), { nil: null }), fc.array(fc.constantFrom(...VALUES), { maxLength: 3 })), { minLength: 1, maxLength: 40 }),
    fc.array(fc.option(fc.constantFrom(...VALUES, 'missing'), { nil: null }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('selector', 'equals', 'in', 'inType'),
    fc.boolean(), fc.boolean(),
    async (rows, picked, type, negate, multi) => {
      const values = type === 'selector' || type === 'equals' ? [picked.find((v) => v !== null) ?? 'a'] : picked;
      const seg = arraySegment('t', { start: T0, end: T0 + 86_400_000 }, [{ name: 's', type: 'STRING' }, { name: 'm', type: 'STRING' }],
        rows.map(([s, m], i) => ({ __time: T0 + i, s, m })));
      const dim = multi ? 'm' : 's';
      let filter: Record<string, unknown> =
        type === 'selector' ? { type, dimension: dim, value: values[0] }
          : type === 'equals' ? { type, column: dim, matchValueType: 'STRING', matchValue: values[0] }
            : type === 'in' ? { type, dimension: dim, values }
              : { type, column: dim, matchValueType: 'STRING', sortedValues: [...values].sort((x, y) => (x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1)) };
      if (negate) filter = { type: 'not', field: filter };
      const ex = createQueryExecutor({ segments: listSource([seg]), workers: 0 });
      const res = await ex.run({ queryType: 'timeseries', dataSource: 't', intervals: ['2019/2021'], granularity: 'all', filter, aggregations: [{ type: 'count', name: 'c' }] }) as any[];
      const nullValue = values.includes(null) ? T : U;
      let expected = 0;
      for (const [s, m] of rows) {
        let v: number;
        if (!multi) v = pointTri(s, values, nullValue);
        else if (m.length === 0) v = pointTri(null, values, nullValue);
        else v = Math.max(...m.map((x) => pointTri(x, values, nullValue)));
        if (negate) v = v === U ? U : v === T ? F : T;
        if (v === T) expected++;
      }
      assert.equal(res[0].result.c, expected, JSON.stringify(filter));
    },
  ), { numRuns: 300 });
});

test('LIKE with a literal prefix (one run of the sorted dictionary) equals the pattern model', async () => {
  const WORDS = ['a', 'ab', 'abc', 'b', 'ba', '', 'é', 'éa', '😀', '😀x', '\uFFFF', 'zz', 'A'];
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(fc.option(fc.constantFrom(...WORDS), { nil: null }), fc.array(fc.constantFrom(...WORDS), { maxLength: 3 })), { minLength: 1, maxLength: 40 }),
    fc.constantFrom('a%', 'ab%', '%', 'é%', '😀%', 'z%', 'q%', 'A%', '\uFFFF%', 'a_%', '%b', 'ab'),
    fc.boolean(), fc.boolean(),
    async (rows, pattern, negate, multi) => {
      const seg = arraySegment('t', { start: T0, end: T0 + 86_400_000 }, [{ name: 's', type: 'STRING' }, { name: 'm', type: 'STRING' }],
        rows.map(([s, m], i) => ({ __time: T0 + i, s, m })));
      const dim = multi ? 'm' : 's';
      let filter: Record<string, unknown> = { type: 'like', dimension: dim, pattern };
      if (negate) filter = { type: 'not', field: filter };
      const ex = createQueryExecutor({ segments: listSource([seg]), workers: 0 });
      const res = await ex.run({ queryType: 'timeseries', dataSource: 't', intervals: ['2019/2021'], granularity: 'all', filter, aggregations: [{ type: 'count', name: 'c' }] }) as any[];
      const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '[\\s\\S]*').replace(/_/g, '[\\s\\S]')}$`, 's');
      const tri = (v: string | null) => (v === null ? U : re.test(v) ? T : F);
      let expected = 0;
      for (const [s, m] of rows) {
        let v = !multi ? tri(s) : m.length === 0 ? tri(null) : Math.max(...m.map(tri));
        if (negate) v = v === U ? U : v === T ? F : T;
        if (v === T) expected++;
      }
      assert.equal(res[0].result.c, expected, JSON.stringify(filter));
    },
  ), { numRuns: 300 });
});
