import type { TableRefNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { suggestionSuffix } from './names.js';
import type { Catalog, Table } from './table.js';

/**
 * The catalog's table for a FROM / INTO reference, or a SqlError with a suggestion. Names match
 * case-insensitively; failing that, as PostgreSQL users spell them (snake_case, plural:
 * `checkout_sessions` is CheckoutSession) when exactly one table reads so.
 */
export function resolveTable(ref: TableRefNode, sql: string, catalog: Catalog): Table {
  if (ref.schema !== undefined) {
    // `schema.table`: the catalog knows its schemas, if it has any; no loose matching across them.
    const name = `${ref.schema}.${ref.name}`;
    const table = catalog.getTable(name);
    if (table) return table;
    throw new SqlError(`Unknown table ${name}`, sql, ref.pos);
  }
  const table = catalog.getTable(ref.name) ?? catalog.getTable(looseMatch(ref.name, catalog.tableNames()) ?? '');
  if (table) return table;
  throw new SqlError(`Unknown table ${ref.name}${suggestionSuffix(ref.name, catalog.tableNames())}`, sql, ref.pos);
}

/** `checkout_sessions` → `checkoutsession`: case, underscores and a plural s set aside. */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/_/g, '').replace(/s$/, '');
}

/** The one candidate whose loose name equals `name`'s; undefined when none or several do. */
export function looseMatch(name: string, candidates: readonly string[]): string | undefined {
  const wanted = looseName(name);
  const matches = candidates.filter((c) => looseName(c) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
