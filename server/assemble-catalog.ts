/**
 * The schema resolution every SQL catalog shares: `druid` (and its PostgreSQL
 * alias `public`) for data sources, `sys` for system tables, `pg_catalog` for
 * PostgreSQL clients; unqualified names try data sources, then pg_catalog, like
 * PostgreSQL's implicit search path.
 */
import type { Catalog, CatalogTable } from '../planner/catalog.ts';
import { pgCatalogTables } from './pg-catalog/pg-catalog-tables.ts';

export interface CatalogParts {
  /** Names of the data sources visible now. */
  dataSources(): readonly string[];
  /** The table of a data source, or undefined when it has no visible data. */
  dataSourceTable(name: string): CatalogTable | undefined;
  readonly system: readonly CatalogTable[];
}

export function assembleCatalog(parts: CatalogParts): Catalog {
  const catalog: Catalog = {
    getTable(schema, name) {
      const s = schema?.toLowerCase();
      if (s === undefined) return parts.dataSourceTable(name) ?? pgCatalog.find((t) => t.name === name);
      if (s === 'druid' || s === 'public') return parts.dataSourceTable(name);
      if (s === 'sys') return parts.system.find((t) => t.name === name);
      if (s === 'pg_catalog') return pgCatalog.find((t) => t.name === name);
      return undefined;
    },
    listTables() {
      const tables: CatalogTable[] = [];
      for (const ds of parts.dataSources()) {
        const t = parts.dataSourceTable(ds);
        if (t) tables.push(t);
      }
      return [...tables, ...parts.system, ...pgCatalog];
    },
  };
  const pgCatalog = pgCatalogTables(catalog, {
    database: 'nemeton',
    user: 'admin',
    settings: () => new Map([['server_version', '15.0'], ['client_encoding', 'UTF8'], ['DateStyle', 'ISO, MDY'], ['TimeZone', 'UTC']]),
  });
  return catalog;
}
