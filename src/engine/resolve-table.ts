import type { TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { suggestionSuffix } from './names.js';
import type { Catalog, Table } from './table.js';

/** The catalog's table for a FROM / INTO reference, or a SqlError with a suggestion. */
export function resolveTable(ref: TableRefNode, sql: string, catalog: Catalog): Table {
  const table = catalog.getTable(ref.name);
  if (table) return table;
  throw new SqlError(`Unknown table ${ref.name}${suggestionSuffix(ref.name, catalog.tableNames())}`, sql, ref.pos);
}
