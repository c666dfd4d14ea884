/**
 * Conformance against Apache Druid's own outputs (shared/data/druid-cases):
 * every expression Druid's SQL planner emitted parses and compiles here, and
 * a planned virtual column evaluated over the sample rows gives Druid's values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileRowEvaluator, evaluateOverSegment, parseExpression, stringifyExpression, vectorToArray } from '../../query/expression/index.ts';
import { fixtureSegment } from './fixture-segment.ts';

const CASES = join(import.meta.dirname, '../../../shared/data/druid-cases');
const DATA = join(import.meta.dirname, '../../../shared/data');

function expressionsIn(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const x of node) expressionsIn(x, out); return; }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'expression' || k === 'fold' || k === 'combine' || k === 'finalize') && typeof v === 'string') out.add(v);
    else expressionsIn(v, out);
  }
}

test('every expression in Druid-produced native plans parses, round-trips and compiles', () => {
  const exprs = new Set<string>();
  for (const f of readdirSync(CASES).filter((n) => n.endsWith('.json') && n !== 'datasets.json')) {
    expressionsIn(JSON.parse(readFileSync(join(CASES, f), 'utf8')), exprs);
  }
  assert.ok(exprs.size >= 40, `found ${exprs.size} expressions`);
  for (const text of exprs) {
    const ast = parseExpression(text);
    const canonical = stringifyExpression(ast);
    assert.equal(stringifyExpression(parseExpression(canonical)), canonical, text);
    assert.doesNotThrow(() => compileRowEvaluator(ast), text);
  }
});

test("SqlQuidem/union_datasource#7: concat(\"dim1\",'!') over foo and foo2 matches Druid", () => {
  const cases = JSON.parse(readFileSync(join(CASES, 'sql_calcite_quidem.json'), 'utf8')).cases as { name: string; druidNativePlan: { virtualColumns: { name: string; expression: string }[] }; expected: string[][] }[];
  const c = cases.find((x) => x.name === 'SqlQuidem/union_datasource#7')!;
  const expr = c.druidNativePlan.virtualColumns.find((v) => v.name === 'v0')!.expression;
  const rows = (file: string) => readFileSync(join(DATA, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dim1?: string });
  const tags: unknown[] = [];
  for (const file of ['calcite_foo.jsonl', 'calcite_foo2.jsonl']) {
    const data = rows(file);
    const seg = fixtureSegment([{ name: 'dim1', type: 'STRING', values: data.map((r) => r.dim1 ?? null) }]);
    tags.push(...vectorToArray(evaluateOverSegment(expr, seg, 0, seg.numRows)));
  }
  assert.deepEqual(tags.slice().sort(), c.expected.map((r) => r[0]).sort());
});

test('CalciteArrays/testUnnestWithMultipleOrFiltersOnVariationsOfUnnestedColumns: per-value filter over numfoo.dim3', () => {
  const data = readFileSync(join(DATA, 'calcite_numfoo.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dim3?: string | string[] });
  const unnested = data.flatMap((r) => (r.dim3 === undefined ? [] : Array.isArray(r.dim3) ? r.dim3 : [r.dim3]));
  const keep = compileRowEvaluator("(strlen(\"d3\") < 2) || (\"d3\" == 'd')", (n) => (n === 'd3' ? 'STRING' : undefined));
  const kept = unnested.filter((d3) => keep((n) => (n === 'd3' ? d3 : null)) === 1);
  assert.deepEqual(kept.sort(), ['', 'a', 'b', 'b', 'c', 'd']);
});
