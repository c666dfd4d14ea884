/**
 * Druid conformance: ingests the datasets of shared/data/druid-cases with the
 * storage layer and runs every native case, comparing with Druid's results.
 * Cases that need ingest-time aggregators the storage layer lacks are listed
 * in KNOWN_GAPS with the reason; every other case must pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createQueryExecutor } from '../../query/index.ts';
import { LocalSegmentSource } from '../../storage/local-segment-source.ts';
import { diffResults } from './conformance/compare-results.ts';
import { loadDataset, readDatasetSpecs, SHARED } from './conformance/load-datasets.ts';

const KNOWN_GAPS: Record<string, string> = {
};

interface Case { name: string; dataset: string; query: unknown; expected: unknown[]; fieldsToTest?: string[] }

test('native Druid conformance cases', async (t) => {
  const specs = readDatasetSpecs();
  const source = new LocalSegmentSource();
  const executor = createQueryExecutor({ segments: source });
  const cases: Case[] = ['native_tiny_wiki.json', 'native_wikiticker.json']
    .flatMap((f) => (JSON.parse(readFileSync(resolve(SHARED, 'data/druid-cases', f), 'utf8')) as { cases: Case[] }).cases);
  const order = ['tiny_wiki', ...new Set(cases.map((c) => c.dataset).filter((d) => d !== 'tiny_wiki'))];
  for (const name of order) await loadDataset(name, specs[name] as never, source, executor);
  let passed = 0;
  for (const c of cases) {
    await t.test(c.name, async (st) => {
      let actual = (await executor.run(c.query)) as unknown[];
      let expected = c.expected;
      if (c.fieldsToTest !== undefined) {
        actual = actual.flatMap((b) => (b as { events: unknown[] }).events);
        expected = expected.flatMap((b) => (b as { events: unknown[] }).events);
      }
      const diff = diffResults(actual, expected);
      if (KNOWN_GAPS[c.name] !== undefined) {
        st.diagnostic(`known gap: ${KNOWN_GAPS[c.name]}`);
        return;
      }
      assert.equal(diff, null, `${c.name}: ${diff}`);
      passed++;
    });
  }
  t.diagnostic(`passed ${passed} of ${cases.length} (known gaps: ${Object.keys(KNOWN_GAPS).length})`);
  assert.equal(passed, cases.length - Object.keys(KNOWN_GAPS).length);
});
