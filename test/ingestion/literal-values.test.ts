/**
 * INSERT ... VALUES with literal cells converts rows directly after binding one
 * representative row per row shape. The direct rows and column types must
 * equal what binding and executing the whole VALUES gives, for random mixes
 * of literal classes (integers, decimals, exponents, strings, booleans, NULL,
 * TIMESTAMP/DATE literals, MILLIS_TO_TIMESTAMP), and an INSERT through a node
 * must store exactly those values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseStatement } from '../../planner/parser.ts';
import { bindQuery } from '../../planner/binder.ts';
import { executeRel } from '../../planner/exec/executor.ts';
import { literalValues } from '../../planner/engine/insert.ts';
import type { ValuesQuery } from '../../planner/ast.ts';
import type { Catalog } from '../../planner/catalog.ts';
import type { NativeQueryRunner } from '../../query/native-runner.ts';
import { resolveConfig } from '../../server/config.ts';
import { startNode } from '../../server/node.ts';

const catalog: Catalog = { getTable: () => undefined, listTables: () => [] } as unknown as Catalog;
const runner = {} as NativeQueryRunner;
const bindOpts = { catalog, parameters: [], timeZone: 'UTC', queryContext: {}, now: 0 };

const cellArb = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.constantFrom('0', '-0', '9007199254740991', '12.50', '-0.001', '1e3', '2.5E-2', "'a'", "''", "'it''s'", "'日本'", 'NULL', 'TRUE', 'FALSE',
    "TIMESTAMP '2024-01-01 10:00:00'", "DATE '2024-02-29'", 'MILLIS_TO_TIMESTAMP(1704067200000)', 'MILLIS_TO_TIMESTAMP(-5)'),
);

async function executedWhole(source: ValuesQuery): Promise<{ rows: unknown[][]; types: string[] }> {
  const bound = bindQuery(source, bindOpts);
  const rows = await executeRel(bound.rel, { runner, maxRows: 1_000_000, queryContext: {}, queryId: 'q', compile: { timeZone: 'UTC', now: 0 } });
  return { rows: rows as unknown[][], types: bound.columns.map((c) => c.type) };
}

test('literal VALUES: direct rows and types equal binding and executing every row', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(fc.array(cellArb, { minLength: w, maxLength: w }), { minLength: 2, maxLength: 30 })), async (cells) => {
    const stmt = parseStatement(`INSERT INTO t VALUES ${cells.map((r) => `(${r.join(', ')})`).join(', ')}`) as { source: ValuesQuery };
    const whole = await executedWhole(stmt.source);
    const plan = literalValues(stmt.source, 'UTC');
    if (plan === null) return; // every row its own shape: the general path runs
    const reps = bindQuery(plan.representatives, bindOpts);
    const executed = await executeRel(reps.rel, { runner, maxRows: 1000, queryContext: {}, queryId: 'q', compile: { timeZone: 'UTC', now: 0 } });
    const rows = plan.rows(executed as unknown[][]);
    assert.notEqual(rows, null);
    assert.deepEqual(reps.columns.map((c) => c.type), whole.types);
    assert.equal(rows!.length, whole.rows.length);
    for (let r = 0; r < rows!.length; r++) for (let c = 0; c < rows![r].length; c++) assert.ok(Object.is(rows![r][c], whole.rows[r][c]), `row ${r} col ${c}: ${String(rows![r][c])} vs ${String(whole.rows[r][c])}`);
  }), { numRuns: 150 });
});

test('literal VALUES: non-literal cells, parameters and single rows take the general path', () => {
  const src = (sql: string) => (parseStatement(sql) as { source: ValuesQuery }).source;
  assert.equal(literalValues(src("INSERT INTO t VALUES (1, 'a'), (2, UPPER('b'))"), 'UTC'), null);
  assert.equal(literalValues(src('INSERT INTO t VALUES (1), (?)'), 'UTC'), null);
  assert.equal(literalValues(src('INSERT INTO t VALUES (1)'), 'UTC'), null);
  assert.equal(literalValues(src('INSERT INTO t VALUES (99999999999999999999), (1)'), 'UTC'), null);
  assert.notEqual(literalValues(src("INSERT INTO t VALUES (1, 'a'), (2, 'b')"), 'UTC'), null);
});

test('INSERT ... VALUES with literal rows stores the values a query reads back; a bad TIMESTAMP literal in a later row fails the statement', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nemeton-litvalues-'));
  const node = await startNode(resolveConfig({}, { dataDir: join(dir, 'var'), pgPort: 0, httpPort: 0, logLevel: 'warn', workers: 0 }));
  const session = { queryContext: {}, user: 'admin', database: 'nemeton', settings: new Map<string, string>() };
  const run = async (sql: string) => {
    const r = await node.sql.execute(sql, [], session) as { rows?: AsyncIterable<readonly unknown[]> | readonly (readonly unknown[])[] };
    const out: unknown[][] = [];
    if (r.rows) for await (const row of r.rows as AsyncIterable<readonly unknown[]>) out.push([...row]);
    return out;
  };
  try {
    const tuples: string[] = [];
    for (let i = 0; i < 40; i++) tuples.push(`(MILLIS_TO_TIMESTAMP(${1704067200000 + i * 1000}), ${i % 3 === 0 ? 'NULL' : `'k${i % 4}'`}, ${i}, ${i % 2 === 0 ? `${i}.5` : String(i)})`);
    await run(`INSERT INTO lit (__time, k, n, x) VALUES ${tuples.join(', ')}`);
    const got = await run('SELECT COUNT(*), COUNT(k), SUM(n), SUM(x), MIN(__time) FROM lit');
    const sumX = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? i + 0.5 : i)).reduce((a, b) => a + b, 0);
    assert.equal(Number(got[0][0]), 40);
    assert.equal(Number(got[0][1]), 40 - 14);
    assert.equal(Number(got[0][2]), (39 * 40) / 2);
    assert.equal(Number(got[0][3]), sumX);
    await assert.rejects(run("INSERT INTO lit (__time, k) VALUES (TIMESTAMP '2024-01-01 00:00:00', 'a'), (TIMESTAMP '2024-01-01 00:00:01', 'b'), (TIMESTAMP 'nope', 'c')"), /Illegal TIMESTAMP literal 'nope'/);
    const after = await run('SELECT COUNT(*) FROM lit');
    assert.equal(Number(after[0][0]), 40);
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
