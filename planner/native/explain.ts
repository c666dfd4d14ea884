/** EXPLAIN PLAN FOR output in Druid's shape: PLAN, RESOURCES, ATTRIBUTES. */
import type { Rel, RelColumn } from '../rel.ts';
import type { NativeQuery } from '../../query/model/query.ts';
import { druidOutputType } from './druid-expression.ts';

/** Native queries of a plan, leaves first. */
export function nativeLeaves(rel: Rel, out: Extract<Rel, { kind: 'native' }>[] = []): Extract<Rel, { kind: 'native' }>[] {
  switch (rel.kind) {
    case 'native': out.push(rel); break;
    case 'filter': case 'project': case 'aggregate': case 'window': case 'sort': case 'distinct': case 'unnest':
      nativeLeaves(rel.input, out); break;
    case 'join': nativeLeaves(rel.left, out); nativeLeaves(rel.right, out); break;
    case 'setOp': for (const i of rel.inputs) nativeLeaves(i, out); break;
  }
  return out;
}

/** Names of the broker operators above the native leaves (for the plan text). */
function brokerOperators(rel: Rel, out: string[] = []): string[] {
  switch (rel.kind) {
    case 'native': case 'scan': case 'values': break;
    case 'join': out.push(`join(${rel.joinType})`); brokerOperators(rel.left, out); brokerOperators(rel.right, out); break;
    case 'setOp': out.push(`${rel.op.toLowerCase()}${rel.all ? 'All' : ''}`); for (const i of rel.inputs) brokerOperators(i, out); break;
    default: out.push(rel.kind); brokerOperators(rel.input, out);
  }
  return out;
}

function signature(cols: readonly RelColumn[]) {
  return cols.map((c) => ({ name: c.name, type: druidOutputType(c.type) === 'STRING' && c.type !== 'VARCHAR' ? 'COMPLEX<json>' : druidOutputType(c.type) }));
}

/** The three EXPLAIN columns for a planned statement. */
export function explainRow(rel: Rel, outColumns: readonly RelColumn[], statementType: string): [string, string, string] {
  const leaves = nativeLeaves(rel);
  const topProject = rel.kind === 'project' && rel.input.kind === 'native' ? rel : null;
  const plan = leaves.map((leaf) => {
    const query: NativeQuery = leaf.query;
    const columnMappings = leaf === rel
      ? leaf.columns.map((c, i) => ({ queryColumn: (leaf.resultShape as { fields: readonly (string | null)[] }).fields[i] ?? '__time', outputColumn: outColumns[i]?.name ?? c.name }))
      : topProject && topProject.input === leaf
        ? topProject.exprs.map((e, i) => ({ queryColumn: e.kind === 'ref' ? ((leaf.resultShape as { fields: readonly (string | null)[] }).fields[e.index] ?? '__time') : `<expr>`, outputColumn: outColumns[i]?.name ?? `EXPR$${i}` }))
        : leaf.columns.map((c, i) => ({ queryColumn: (leaf.resultShape as { fields: readonly (string | null)[] }).fields[i] ?? '__time', outputColumn: c.name }));
    return { query, signature: signature(leaf.columns), columnMappings };
  });
  const broker = brokerOperators(rel).filter((o) => !(o === 'project' && topProject));
  const resources = new Map<string, { name: string; type: string }>();
  for (const leaf of leaves) {
    const ds = leaf.query.dataSource;
    const name = typeof ds === 'string' ? ds : ds.type === 'table' ? ds.name : null;
    if (name) resources.set(name, { name, type: 'DATASOURCE' });
  }
  const attributes: Record<string, unknown> = { statementType };
  if (broker.length > 0) attributes.brokerOperators = broker;
  return [JSON.stringify(plan), JSON.stringify([...resources.values()]), JSON.stringify(attributes)];
}
