/**
 * Runs every sql-tests/*.slt file against a real in-process engine (storage
 * segments + query executor + SQL planner), twice: with native pushdown and
 * with everything on the broker. Both must give the same answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { calciteFixture } from './support/calcite-fixture.ts';
import { parseSlt, runSlt } from './support/slt-runner.ts';

const DIR = new URL('../../sql-tests/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.slt')).sort();

for (const file of files) {
  for (const mode of ['native', 'broker'] as const) {
    test(`sql-tests/${file} (${mode})`, async () => {
      const fx = await calciteFixture();
      const records = parseSlt(readFileSync(new URL(file, DIR), 'utf8'));
      const { failures, count } = await runSlt(records, mode === 'native' ? fx.engine : fx.brokerEngine);
      assert.ok(count > 0, 'file has records');
      assert.deepEqual(failures.map((f) => `line ${f.line}: ${f.sql}\n${f.message}`), []);
    });
  }
}
