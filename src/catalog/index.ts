// The Stripe catalog: every table the connector knows, found by name case-insensitively.
// Generated definitions (from the OpenAPI spec) with hand-written overrides in their place.

import type { Catalog, Table } from '../engine/table.js';
import { ConnectedAccounts } from './connected-accounts.js';
import { generatedTableDefs } from './generated/index.js';
import { tableOverrides } from './overrides/index.js';
import { StripeProcedures } from './procedures.js';
import { StripeTable } from './stripe-table.js';
import type { StripeTransport, TableDef } from './types.js';

export { StripeTable, type StripeTableOptions } from './stripe-table.js';
export { MissingFilterError } from './errors.js';
export { StripeProcedures, buildProcedureRequest } from './procedures.js';
export type { ProcedureParamDef, StripeProcedureDef } from './procedure-types.js';
export { StripeWriteError, columnForParam } from './write-error.js';
export { idempotencyKeyFor } from './idempotency.js';
export { writeRules, type WriteRules } from './write-rules.js';
export { checkoutSessionTable } from './overrides/checkout-session.js';
export type {
  ColumnDef, ColumnEncoding, DefaultParam, FilterCapability, InsertDef, InsertProblem, ListPagesOptions, ParentDef,
  SingletonDef, StripeTransport, TableDef,
} from './types.js';

/** Every table definition in name order; an override replaces the generated table of its name. */
export const tableDefs: readonly TableDef[] = mergeOverrides(generatedTableDefs, tableOverrides);

function mergeOverrides(generated: readonly TableDef[], overrides: readonly TableDef[]): TableDef[] {
  const byName = new Map(generated.map((def) => [def.name.toLowerCase(), def]));
  for (const def of overrides) byName.set(def.name.toLowerCase(), def);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface StripeCatalogOptions {
  /** The connected account the connection acts for; AccountId shows it on rows. */
  accountId?: string;
  /** Whether tables with Stripe's search may read through it (StripeTableOptions.useSearch). */
  useSearch?: 'auto' | 'never';
  /** Every table but the accounts' own reads each connected account of the platform (AccountId shows which). */
  allConnectedAccounts?: boolean;
}

export function createStripeCatalog(transport: StripeTransport, options: StripeCatalogOptions = {}): Catalog {
  const tableOptions = {
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    ...(options.useSearch !== undefined ? { useSearch: options.useSearch } : {}),
    ...(options.allConnectedAccounts ? { connectedAccounts: new ConnectedAccounts(transport) } : {}),
  };
  const tables = new Map<string, Table>();
  for (const def of tableDefs) tables.set(def.name.toLowerCase(), new StripeTable(def, transport, tableOptions));
  const procedures = new StripeProcedures(tableDefs, transport, tableOptions);
  return {
    getTable: (name) => tables.get(name.toLowerCase()),
    tableNames: () => tableDefs.map((def) => def.name),
    procedures: () => procedures.list(),
    callProcedure: (name, args, ctx) => procedures.call(name, args, ctx),
  };
}
