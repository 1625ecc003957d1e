// The Stripe catalog: every table the connector knows, found by name case-insensitively.

import type { Catalog, Table } from '../engine/table.js';
import { checkoutSessionTable } from './overrides/checkout-session.js';
import { StripeTable } from './stripe-table.js';
import type { StripeTransport, TableDef } from './types.js';

export { StripeTable, type StripeTableOptions } from './stripe-table.js';
export { checkoutSessionTable } from './overrides/checkout-session.js';
export type {
  ColumnDef, ColumnEncoding, FilterCapability, InsertDef, InsertProblem, ListPagesOptions, StripeTransport, TableDef,
} from './types.js';

/** Every table definition, hand-written overrides first. */
export const tableDefs: readonly TableDef[] = [checkoutSessionTable];

export interface StripeCatalogOptions {
  /** The connected account the connection acts for; AccountId shows it on rows. */
  accountId?: string;
}

export function createStripeCatalog(transport: StripeTransport, options: StripeCatalogOptions = {}): Catalog {
  const tables = new Map<string, Table>();
  for (const def of tableDefs) {
    tables.set(def.name.toLowerCase(), new StripeTable(def, transport, options.accountId !== undefined ? { accountId: options.accountId } : {}));
  }
  return {
    getTable: (name) => tables.get(name.toLowerCase()),
    tableNames: () => tableDefs.map((def) => def.name),
  };
}
