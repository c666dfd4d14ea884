/** The SqlEngine front door: results, column types, parameters, describe, session statements, errors and limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calciteFixture } from './support/calcite-fixture.ts';
import { createSqlEngine } from '../../planner/engine/create-sql-engine.ts';
import type { SqlInsertRequest } from '../../planner/engine/sql-ingestion.ts';
import type { SqlResult } from '../../planner/sql-engine.ts';
import { NemetonError } from '../../common/errors.ts';

async function all(r: SqlResult): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of r.rows) rows.push([...row]);
  return rows;
}

async function rejectsWith(p: Promise<unknown>, sqlState: string, message?: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof NemetonError, String(e));
    assert.equal(e.sqlState, sqlState, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('SELECT returns typed columns and rows; TIMESTAMP as epoch ms; multi-value strings as JSON text', async () => {
  const fx = await calciteFixture();
  const r = await fx.engine.execute("SELECT __time, dim1, dim3, cnt, m1, m2, dim1 = '' AS e FROM foo WHERE m1 < 3 ORDER BY __time", [], fx.session());
  assert.deepEqual(r.columns.map((c) => [c.name, c.sqlType, c.nativeType]), [
    ['__time', 'TIMESTAMP', 'LONG'], ['dim1', 'VARCHAR', 'STRING'], ['dim3', 'VARCHAR', 'STRING'], ['cnt', 'BIGINT', 'LONG'],
    ['m1', 'FLOAT', 'FLOAT'], ['m2', 'DOUBLE', 'DOUBLE'], ['e', 'BOOLEAN', 'LONG'],
  ]);
  assert.equal(r.command, 'SELECT');
  assert.deepEqual(await all(r), [
    [946684800000, '', '["a","b"]', 1, 1, 1, true],
    [946771200000, '10.1', '["b","c"]', 1, 2, 2, false],
  ]);
  const arrays = await fx.engine.execute('SELECT dim3 FROM foo WHERE m1 = 1', [], fx.session({ sqlStringifyArrays: false }));
  assert.deepEqual(await all(arrays), [[['a', 'b']]]);
});

test('parameters bind positionally ($n and ?)', async () => {
  const fx = await calciteFixture();
  const r = await fx.engine.execute('SELECT dim1 FROM foo WHERE m1 > $1 AND dim1 <> $2 ORDER BY dim1', [3, 'abc'], fx.session());
  assert.deepEqual(await all(r), [['1'], ['def']]);
  const q = await fx.engine.execute('SELECT ? + 1, ?', [41, 'x'], fx.session());
  assert.deepEqual(await all(q), [[42, 'x']]);
});

test('describe reports columns and parameter count without running the query', async () => {
  const fx = await calciteFixture();
  const d = await fx.engine.describe('SELECT dim1, COUNT(*) AS c FROM foo WHERE dim2 = $1 GROUP BY dim1', fx.session());
  assert.deepEqual(d.columns.map((c) => [c.name, c.sqlType]), [['dim1', 'VARCHAR'], ['c', 'BIGINT']]);
  assert.deepEqual(d.parameterTypes, ['VARCHAR']);
  assert.equal(d.returnsRows, true);
  const typed = await fx.engine.describe('SELECT dim1 FROM numfoo WHERE l1 > $1 AND __time >= $2 AND dbl1 BETWEEN $3 AND 2 AND dim2 IN ($4) AND $5 + 1 > 0', fx.session());
  assert.deepEqual(typed.parameterTypes, ['BIGINT', 'TIMESTAMP', 'DOUBLE', 'VARCHAR', 'BIGINT']);
  const set = await fx.engine.describe("SET x = 'y'", fx.session());
  assert.equal(set.returnsRows, false);
});

test('session statements: SET, SHOW, RESET, BEGIN/COMMIT/ROLLBACK', async () => {
  const fx = await calciteFixture();
  const s = fx.session();
  assert.equal((await fx.engine.execute("SET search_path = 'druid'", [], s)).command, 'SET');
  assert.equal(s.settings.get('search_path'), 'druid');
  assert.deepEqual(await all(await fx.engine.execute('SHOW search_path', [], s)), [['druid']]);
  assert.deepEqual(await all(await fx.engine.execute('SHOW transaction isolation level', [], s)), [['read committed']]);
  await fx.engine.execute('RESET search_path', [], s);
  assert.equal(s.settings.has('search_path'), false);
  for (const [sql, tag] of [['BEGIN', 'BEGIN'], ['COMMIT', 'COMMIT'], ['ROLLBACK', 'ROLLBACK'], ['START TRANSACTION', 'BEGIN']]) {
    assert.equal((await fx.engine.execute(sql, [], s)).command, tag);
  }
  await fx.engine.execute("SET TIME ZONE 'America/New_York'", [], s);
  const r = await fx.engine.execute("SELECT TIME_FLOOR(TIMESTAMP '2000-01-01 12:00:00', 'P1D')", [], s);
  assert.deepEqual(await all(r), [[Date.UTC(2000, 0, 1, 5)]]);
});

test('errors carry SQLSTATE and Druid codes', async () => {
  const fx = await calciteFixture();
  const s = fx.session();
  await rejectsWith(fx.engine.execute('SELECT * FROM nope', [], s), '42P01', /Object 'nope' not found/);
  await rejectsWith(fx.engine.execute('SELECT nope FROM foo', [], s), '42703', /Column 'nope' not found/);
  await rejectsWith(fx.engine.execute('SELECT dim1 FROM', [], s), '42601', /line 1, column 17/);
  await rejectsWith(fx.engine.execute('SELECT dim1 FROM foo f WHERE EXISTS (SELECT 1 FROM foo g WHERE g.dim1 = f.dim2)', [], s), '0A000');
  await rejectsWith(fx.engine.execute('SELECT dim1, COUNT(*) FROM foo', [], s), '22023', /not being grouped/);
  await rejectsWith(fx.engine.execute("INSERT INTO x SELECT * FROM foo PARTITIONED BY DAY", [], s), '0A000');
});

test('the materialised-row limit raises a resource-limit error', async () => {
  const fx = await calciteFixture();
  await rejectsWith(fx.engine.execute('SELECT a.dim1, b.dim1 FROM foo a CROSS JOIN foo b', [], fx.session({ maxSubqueryRows: 10 })), '53000');
  await rejectsWith(fx.engine.execute('SELECT dim1, ROW_NUMBER() OVER (ORDER BY m1) FROM foo', [], fx.session({ maxSubqueryRows: 3 })), '53000');
  const ok = await fx.engine.execute('SELECT COUNT(*) FROM foo a CROSS JOIN foo b', [], fx.session({ maxSubqueryRows: 100 }));
  assert.deepEqual(await all(ok), [[36]]);
});

test('a cancelled session stops the statement', async () => {
  const fx = await calciteFixture();
  const ac = new AbortController();
  ac.abort();
  await rejectsWith(fx.engine.execute('SELECT dim1 FROM foo', [], { ...fx.session(), signal: ac.signal }), '57014');
});

test('splitStatements splits on semicolons outside quotes and comments', async () => {
  const fx = await calciteFixture();
  assert.deepEqual(fx.engine.splitStatements("SELECT 'a;b'; SELECT \"x;\" -- c;\n; /* ; */ SELECT 3;;"), ["SELECT 'a;b'", 'SELECT "x;" -- c;', '/* ; */ SELECT 3']);
});

test('contradictory time filters return an empty aggregate row', async () => {
  const fx = await calciteFixture();
  assert.deepEqual(await fx.query("SELECT COUNT(*), SUM(m1) FROM foo WHERE __time > '2001-01-01' AND __time < '2000-01-01'"), [[0, null]]);
});

test('INSERT and REPLACE evaluate the SELECT and hand rows to the ingestion side', async () => {
  const fx = await calciteFixture();
  const writes: SqlInsertRequest[] = [];
  const engine = createSqlEngine({
    runner: fx.runner, catalog: fx.catalog,
    ingestion: {
      writeRows: async (req) => { writes.push(req); return { rowCount: req.rows.length }; },
      readExternal: async (_src, _fmt, sig) => [{ [sig[0].name]: '2020-01-01T00:00:00Z', [sig[1].name]: 'x' }, { [sig[0].name]: '2020-01-02T00:00:00Z', [sig[1].name]: 'y' }],
    },
  });
  const r = await engine.execute("INSERT INTO copy SELECT __time, dim1 FROM foo WHERE m1 > 4 PARTITIONED BY DAY CLUSTERED BY dim1", [], fx.session());
  assert.equal(r.command, 'INSERT');
  assert.equal(r.rowCount, 2);
  assert.equal(writes[0].dataSource, 'copy');
  assert.equal(writes[0].partitionedBy, 'DAY');
  assert.deepEqual(writes[0].clusteredBy, ['dim1']);
  assert.deepEqual(writes[0].rows.map((x) => x[1]).sort(), ['abc', 'def']);
  const ext = await engine.execute(`REPLACE INTO ext OVERWRITE ALL
    SELECT TIME_PARSE(ts) AS __time, UPPER(v) AS v FROM TABLE(EXTERN('{"type":"inline","data":""}', '{"type":"json"}', '[{"name":"ts","type":"string"},{"name":"v","type":"string"}]'))
    PARTITIONED BY ALL`, [], fx.session());
  assert.equal(ext.command, 'REPLACE');
  assert.deepEqual(writes[1].rows, [[Date.UTC(2020, 0, 1), 'X'], [Date.UTC(2020, 0, 2), 'Y']]);
  assert.deepEqual(writes[1].replaceIntervals, ['-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z']);
  await rejectsWith(engine.execute('INSERT INTO copy SELECT dim1 FROM foo PARTITIONED BY DAY', [], fx.session()), '22023', /__time/);
});
