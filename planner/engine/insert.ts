/** INSERT / REPLACE: evaluates the SELECT (EXTERN input or tables) and writes the rows through SqlIngestion. */
import type { SqlSessionContext } from '../sql-engine.ts';
import type { Statement, Query, FromItem, Expr, ValuesQuery } from '../ast.ts';
import type { Catalog, CatalogTable } from '../catalog.ts';
import type { NativeQueryRunner } from '../../query/native-runner.ts';
import type { SqlIngestion, SqlRowProducer } from './sql-ingestion.ts';
import type { Rel, BExpr } from '../rel.ts';
import { compileExpr, compilePredicate, type CompileContext } from '../eval.ts';
import { errors } from '../../common/errors.ts';
import { bindQuery } from '../binder.ts';
import { pushDown } from '../native/push-down.ts';
import { executeRel } from '../exec/executor.ts';
import { plannerSettings } from './session-settings.ts';
import { sqlColumn } from './sql-column.ts';
import { sqlTypeOf } from '../types.ts';
import { parseTimestamp } from '../time-functions.ts';
import { ETERNITY_INTERVAL, rangesToIntervals, timeRanges, ALL } from '../native/time-intervals.ts';

type InsertStatement = Extract<Statement, { kind: 'insert' }>;

/** Runs an INSERT/REPLACE statement; returns the number of rows written and the task id when it ran as a task. */
export async function runInsert(
  stmt: InsertStatement, parameters: readonly unknown[], session: SqlSessionContext,
  deps: { runner: NativeQueryRunner; catalog: Catalog; ingestion?: SqlIngestion; queryId: string },
): Promise<{ rowCount: number; taskId?: string }> {
  const ingestion = deps.ingestion;
  if (!ingestion?.writeRows) throw errors.unsupported('INSERT/REPLACE on this node');
  // INSERT ... VALUES without PARTITIONED BY streams rows into fresh (in-memory) data; a SELECT must say how to partition.
  const streaming = stmt.mode === 'INSERT' && stmt.partitionedBy === undefined && stmt.source.kind === 'values';
  if (stmt.mode === 'INSERT' && stmt.partitionedBy === undefined && !streaming) {
    throw errors.invalidInput('INSERT ... SELECT requires a PARTITIONED BY clause (INSERT ... VALUES without one streams into fresh data)');
  }
  const settings = plannerSettings(session);
  // Resolve TABLE(EXTERN(...)) sources into inline tables.
  const externs = new Map<FromItem, CatalogTable>();
  /** Per EXTERN table: how to read its raw records in batches, when the ingestion side can stream them. */
  const externBatches = new Map<CatalogTable, () => AsyncIterable<readonly Record<string, unknown>[]>>();
  const canStream = stmt.source.kind !== 'values' && !streaming && ingestion.writeRowStream !== undefined && ingestion.readExternalBatches !== undefined;
  for (const f of tableFunctions(stmt.source)) {
    if (f.kind !== 'tableFunction' || f.name !== 'EXTERN') throw errors.unsupported(`Table function ${f.kind === 'tableFunction' ? f.name : ''}`);
    if (!ingestion.readExternal && !ingestion.readExternalBatches) throw errors.unsupported('EXTERN input on this node');
    const arg = (i: number, name: string) => {
      const a = f.args.find((x) => x.name?.toLowerCase() === name.toLowerCase()) ?? f.args[i];
      if (!a || a.value.kind !== 'literal' || a.value.type !== 'string') throw errors.invalidInput(`EXTERN argument ${name} must be a string literal`);
      return a.value.value;
    };
    const inputSource = JSON.parse(arg(0, 'inputSource'));
    const inputFormat = JSON.parse(arg(1, 'inputFormat'));
    const signature: { name: string; type: string }[] = f.extend
      ? f.extend.map((c) => ({ name: c.name, type: sqlTypeOf(c.type) === 'VARCHAR' ? 'string' : sqlTypeOf(c.type) === 'BIGINT' ? 'long' : 'double' }))
      : JSON.parse(arg(2, 'signature'));
    const columns = signature.map((c) => ({ name: c.name, sqlType: c.type === 'long' ? 'BIGINT' as const : c.type === 'double' || c.type === 'float' ? 'DOUBLE' as const : 'VARCHAR' as const }));
    // The input is read when the plan runs: streamed once into the write, or materialised for the general executor.
    const table: CatalogTable = {
      schema: 'extern', name: 'EXTERN', kind: 'inline', columns,
      rows: async () => {
        if (ingestion.readExternal) return (await ingestion.readExternal(inputSource, inputFormat, signature)).map((r) => columns.map((c) => r[c.name] ?? null));
        const out: unknown[][] = [];
        for await (const batch of ingestion.readExternalBatches!(inputSource, inputFormat)) for (const r of batch) out.push(columns.map((c) => r[c.name] ?? null));
        return out;
      },
    };
    externs.set(f, table);
    if (canStream) externBatches.set(table, () => ingestion.readExternalBatches!(inputSource, inputFormat));
  }
  const source = replaceTableFunctions(stmt.source, externs);
  const catalog: Catalog = {
    getTable: (schema, name) => (schema === '$extern' ? [...externs.values()][Number(name)] : deps.catalog.getTable(schema, name)),
    listTables: () => deps.catalog.listTables(),
  };
  // Literal-only VALUES: bind and evaluate one row per row shape, convert the rest directly (checked against the executor).
  const literal = stmt.source.kind === 'values' && externs.size === 0 ? literalValues(stmt.source, settings.timeZone) : null;
  let literalRows: unknown[][] | null = null;
  let boundSource: ReturnType<typeof bindQuery> | null = null;
  if (literal !== null) {
    const reps = bindQuery(literal.representatives, { catalog, parameters, timeZone: settings.timeZone, queryContext: settings.queryContext, now: settings.now });
    if (reps.rel.kind === 'values') {
      const executed = await executeRel(reps.rel, { runner: deps.runner, maxRows: settings.maxRows, queryContext: settings.queryContext, queryId: deps.queryId, compile: { timeZone: settings.timeZone, now: settings.now } });
      literalRows = literal.rows(executed);
      if (literalRows !== null) boundSource = reps;
    }
  }
  boundSource ??= bindQuery(source, { catalog, parameters, timeZone: settings.timeZone, queryContext: settings.queryContext, now: settings.now });
  // INSERT INTO t (a, b, ...) names the source's columns by position.
  if (stmt.columns && stmt.columns.length !== boundSource.columns.length) {
    throw errors.invalidInput(`INSERT names ${stmt.columns.length} columns but the source produces ${boundSource.columns.length}`);
  }
  const bound = stmt.columns
    ? { ...boundSource, columns: boundSource.columns.map((c, i) => ({ ...c, name: stmt.columns![i] })) }
    : boundSource;
  if (!bound.columns.some((c) => c.name === '__time')) throw errors.invalidInput('INSERT/REPLACE queries must produce a __time column');
  const rel = pushDown(bound.rel, {
    timeZone: settings.timeZone, now: settings.now, useApproximateCountDistinct: settings.useApproximateCountDistinct,
    useApproximateTopN: false, context: {},
  });
  const compile: CompileContext = { timeZone: settings.timeZone, now: settings.now };
  const stream = canStream ? streamPlan(rel, externBatches, compile, session.signal, deps.queryId) : null;
  const rows = stream !== null ? [] : literalRows !== null ? literalRows : await executeRel(rel, {
    runner: deps.runner, maxRows: settings.maxRows, queryContext: settings.queryContext, queryId: deps.queryId,
    compile, ...(session.signal ? { signal: session.signal } : {}),
  });
  let replaceIntervals: string[] | undefined;
  if (stmt.mode === 'REPLACE') {
    if (stmt.overwrite === 'ALL' || stmt.overwrite === undefined) replaceIntervals = [ETERNITY_INTERVAL];
    else {
      const where = bindQuery({ kind: 'select', pos: 1, distinct: false, items: [{ pos: 1, expr: { kind: 'column', pos: 1, path: ['__time'] } }], from: { kind: 'table', pos: 1, path: stmt.table }, where: stmt.overwrite }, { catalog, parameters, timeZone: settings.timeZone, queryContext: settings.queryContext, now: settings.now });
      const cond = findFilter(where.rel);
      const ranges = cond ? timeRanges(cond, 0) : null;
      if (!ranges) throw errors.invalidInput('OVERWRITE WHERE must only constrain __time with literals');
      replaceIntervals = rangesToIntervals(ranges.length ? ranges : []);
      void ALL;
    }
  }
  const partitionedBy = streaming ? '' : stmt.partitionedBy === 'ALL' || stmt.partitionedBy === undefined ? 'ALL'
    : stmt.partitionedBy.kind === 'symbol' ? stmt.partitionedBy.name
      : stmt.partitionedBy.kind === 'literal' && stmt.partitionedBy.type === 'string' ? stmt.partitionedBy.value
        : partitionExpr(stmt.partitionedBy);
  const clusteredBy = (stmt.clusteredBy ?? []).map((e) => {
    if (e.kind === 'column') return e.path[e.path.length - 1];
    if (e.kind === 'literal' && e.type === 'number') return bound.columns[Number(e.value) - 1]?.name ?? '';
    throw errors.unsupported('CLUSTERED BY expressions other than columns');
  });
  const request = {
    mode: stmt.mode, dataSource: stmt.table[stmt.table.length - 1], columns: bound.columns.map(sqlColumn),
    partitionedBy, clusteredBy, ...(replaceIntervals ? { replaceIntervals } : {}),
  };
  const result = stream !== null ? await ingestion.writeRowStream!({ ...request, produce: stream }) : await ingestion.writeRows({ ...request, rows });
  return result.taskId === undefined ? { rowCount: result.rowCount } : { rowCount: result.rowCount, taskId: result.taskId };
}

/**
 * The plan as a per-row pipeline over one streamed EXTERN scan — filters and
 * projections only, no subqueries — or null when it needs the general
 * executor (joins, aggregation, sorting, set operations, ...). Each record is
 * read into one reused scan row, each step writes into its own reused row:
 * nothing per row is allocated here, nothing is held.
 */
function streamPlan(
  rel: Rel, externBatches: ReadonlyMap<CatalogTable, () => AsyncIterable<readonly Record<string, unknown>[]>>,
  compile: CompileContext, signal: AbortSignal | undefined, queryId: string,
): SqlRowProducer | null {
  const steps: (Extract<Rel, { kind: 'filter' }> | Extract<Rel, { kind: 'project' }>)[] = [];
  let cur = rel;
  while (cur.kind === 'filter' || cur.kind === 'project') {
    if ((cur.kind === 'filter' ? [cur.cond] : cur.exprs).some(hasSubquery)) return null;
    steps.unshift(cur);
    cur = cur.input;
  }
  if (cur.kind !== 'scan') return null;
  const batches = externBatches.get(cur.table);
  if (!batches) return null;
  const names = cur.columns.map((c) => c.name);
  const fetch = cur.fetch ?? names.map((_n, i) => i);
  const scanRow: unknown[] = new Array<unknown>(names.length).fill(null);
  const read = compileScanReader(fetch.map((k) => [k, names[k]] as const));
  const compiled = steps.map((s) => (s.kind === 'filter'
    ? { pred: compilePredicate(s.cond, compile), evals: null, refs: null, out: null }
    : {
      pred: null,
      evals: s.exprs.map((x) => compileExpr(x, compile)),
      // Plain column references are copied by index rather than through an evaluator call each.
      refs: Int32Array.from(s.exprs, (x) => (x.kind === 'ref' ? x.index : -1)),
      out: new Array<unknown>(s.exprs.length).fill(null),
    }));
  return async (emit) => {
    for await (const batch of batches()) {
      if (signal?.aborted) throw errors.cancelled(queryId);
      for (let b = 0; b < batch.length; b++) {
        read(batch[b], scanRow);
        let row: unknown[] = scanRow;
        let keep = true;
        for (let s = 0; s < compiled.length && keep; s++) {
          const step = compiled[s];
          if (step.pred !== null) keep = step.pred(row);
          else {
            const out = step.out!;
            const evals = step.evals!;
            const refs = step.refs!;
            for (let k = 0; k < evals.length; k++) {
              const v = refs[k] >= 0 ? row[refs[k]] : evals[k](row);
              out[k] = v === undefined ? null : v;
            }
            row = out;
          }
        }
        if (keep) emit(row);
      }
    }
  };
}

/**
 * Copies the scanned fields of a record into the scan row (null where absent).
 * Generated code reads each field at its own site, so every read stays
 * monomorphic for records of one shape (a loop over names would make one
 * megamorphic keyed read); falls back to a loop where code generation is off.
 */
function compileScanReader(fields: readonly (readonly [number, string])[]): (record: Record<string, unknown>, row: unknown[]) => void {
  try {
    const body = fields.map(([k, name]) => `row[${k}] = record[${JSON.stringify(name)}] ?? null;`).join('\n');
    return new Function('record', 'row', body) as (record: Record<string, unknown>, row: unknown[]) => void;
  } catch {
    return (record, row) => {
      for (const [k, name] of fields) row[k] = record[name] ?? null;
    };
  }
}

function hasSubquery(e: BExpr): boolean {
  return e.kind === 'subquery' || (e.kind === 'call' && e.args.some(hasSubquery));
}

function partitionExpr(e: Expr): string {
  if (e.kind === 'call' && e.name === 'TIME_FLOOR' && e.args[1]?.kind === 'literal' && e.args[1].type === 'string') return e.args[1].value;
  if (e.kind === 'call' && e.name === 'FLOOR' && e.args[1]?.kind === 'symbol') return e.args[1].name;
  throw errors.invalidInput('PARTITIONED BY must be a time unit, ALL, or TIME_FLOOR(__time, period)');
}

function findFilter(rel: import('../rel.ts').Rel): import('../rel.ts').BExpr | null {
  if (rel.kind === 'filter') return rel.cond;
  if ('input' in rel) return findFilter(rel.input);
  return null;
}

function tableFunctions(q: Query): FromItem[] {
  const out: FromItem[] = [];
  const fromItem = (f: FromItem | undefined) => {
    if (!f) return;
    if (f.kind === 'tableFunction') out.push(f);
    else if (f.kind === 'join') { fromItem(f.left); fromItem(f.right); }
    else if (f.kind === 'subquery') out.push(...tableFunctions(f.query));
  };
  switch (q.kind) {
    case 'select': fromItem(q.from); break;
    case 'setOp': out.push(...tableFunctions(q.left), ...tableFunctions(q.right)); break;
    case 'with': for (const c of q.ctes) out.push(...tableFunctions(c.query)); out.push(...tableFunctions(q.body)); break;
  }
  return out;
}

function replaceTableFunctions(q: Query, externs: Map<FromItem, CatalogTable>): Query {
  const keys = [...externs.keys()];
  const fromItem = (f: FromItem): FromItem => {
    if (f.kind === 'tableFunction') {
      const idx = keys.indexOf(f);
      return { kind: 'table', pos: f.pos, path: ['$extern', String(idx)], alias: f.alias ?? 'EXTERN', ...(f.columnAliases ? { columnAliases: f.columnAliases } : {}) };
    }
    if (f.kind === 'join') return { ...f, left: fromItem(f.left), right: fromItem(f.right) };
    if (f.kind === 'subquery') return { ...f, query: replaceTableFunctions(f.query, externs) };
    return f;
  };
  switch (q.kind) {
    case 'select': return q.from ? { ...q, from: fromItem(q.from) } : q;
    case 'setOp': return { ...q, left: replaceTableFunctions(q.left, externs), right: replaceTableFunctions(q.right, externs) };
    case 'with': return { ...q, ctes: q.ctes.map((c) => ({ ...c, query: replaceTableFunctions(c.query, externs) })), body: replaceTableFunctions(q.body, externs) };
    default: return q;
  }
}

/*
 * INSERT ... VALUES whose cells are all literals (strings, numbers, booleans,
 * NULL, TIMESTAMP/DATE literals, MILLIS_TO_TIMESTAMP(integer)) skips binding
 * and evaluating every row: only one representative row per distinct row
 * shape (the classes of its cells) goes through the binder and executor,
 * which fixes the column types — a literal's type depends only on its class
 * and the VALUES column type is a fold over first occurrences — and checks
 * that this module's direct conversion gives exactly the executor's values
 * for each class. Every other row is converted directly.
 */
/** Distinct row shapes beyond which the general path is used. */
const MAX_SHAPES = 32;

/** A literal-only VALUES source split into representatives and a direct converter. */
export interface LiteralValues {
  /** The VALUES source with one row per distinct row shape (first occurrences, in order). */
  readonly representatives: ValuesQuery;
  /** Index (into the full rows) of each representative. */
  readonly representativeRows: readonly number[];
  /**
   * Every row converted directly, when the executor's values for the
   * representatives (`executed`, in order) equal the direct conversion; null
   * when they differ (the caller then takes the general path).
   */
  rows(executed: readonly (readonly unknown[])[]): unknown[][] | null;
}

/** One character per cell class: n null, b boolean, s string, i safe integer, d decimal, e exponent, m MILLIS_TO_TIMESTAMP(int), t timestamp, D date. */
function cellClass(e: Expr): string | null {
  if (e.kind === 'literal') {
    switch (e.type) {
      case 'null': return 'n';
      case 'boolean': return 'b';
      case 'string': return 's';
      case 'number': return numberClass(e.value);
      case 'timestamp': return 't';
      case 'date': return 'D';
      default: return null;
    }
  }
  if (e.kind === 'call' && e.name === 'MILLIS_TO_TIMESTAMP' && e.args.length === 1 && !e.distinct && !e.star
    && e.filter === undefined && e.over === undefined && e.orderBy === undefined) {
    const a = e.args[0];
    if (a.kind === 'literal' && a.type === 'number' && numberClass(a.value) === 'i') return 'm';
  }
  return null;
}

function numberClass(text: string): string | null {
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(Number(text)) ? 'i' : null;
  return /[eE]/.test(text) ? 'e' : 'd';
}

/** The value the executor gives a cell of a known class. */
function cellValue(e: Expr, cls: string, timeZone: string): unknown {
  switch (cls) {
    case 'n': return null;
    case 'b': case 's': return (e as { value: unknown }).value;
    case 'i': case 'd': case 'e': return Number((e as { value: string }).value);
    case 'm': return Number(((e as { args: readonly Expr[] }).args[0] as { value: string }).value);
    default: {
      const t = parseTimestamp((e as { value: string }).value, timeZone);
      if (t === null) throw errors.invalidInput(`Illegal ${cls === 'D' ? 'DATE' : 'TIMESTAMP'} literal '${(e as { value: string }).value}'`);
      return t;
    }
  }
}

/** The literal plan of a VALUES source, or null when a cell is not a plain literal, the rows are few, or shapes are many. */
export function literalValues(source: ValuesQuery, timeZone: string): LiteralValues | null {
  if (source.orderBy !== undefined || source.limit !== undefined || source.offset !== undefined) return null;
  const rows = source.rows;
  if (rows.length < 2) return null;
  const width = rows[0].length;
  // Cell classes row after row; a row's shape is looked up by text only when it differs from the row before.
  const classes: string[] = new Array<string>(rows.length);
  const shapes = new Map<string, number>();
  const cur: string[] = new Array<string>(width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== width) return null;
    let same = r > 0;
    for (let c = 0; c < width; c++) {
      const k = cellClass(row[c]);
      if (k === null) return null;
      if (same && cur[c] !== k) same = false;
      cur[c] = k;
    }
    if (same) {
      classes[r] = classes[r - 1];
      continue;
    }
    const shape = cur.join('');
    classes[r] = shape;
    if (!shapes.has(shape)) {
      if (shapes.size >= MAX_SHAPES) return null;
      shapes.set(shape, r);
    }
  }
  if (shapes.size === rows.length) return null;
  const representativeRows = [...shapes.values()];
  return {
    representatives: { ...source, rows: representativeRows.map((r) => rows[r]) },
    representativeRows,
    rows(executed) {
      if (executed.length !== representativeRows.length) return null;
      for (let k = 0; k < representativeRows.length; k++) {
        const r = representativeRows[k];
        const got = executed[k];
        if (got.length !== width) return null;
        for (let c = 0; c < width; c++) if (!Object.is(got[c], cellValue(rows[r][c], classes[r][c], timeZone))) return null;
      }
      const out: unknown[][] = new Array(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        const shape = classes[r];
        const vals = new Array<unknown>(width);
        for (let c = 0; c < width; c++) vals[c] = cellValue(row[c], shape[c], timeZone);
        out[r] = vals;
      }
      return out;
    },
  };
}
