// Write rules the spec cannot express, from the reference product (data-model.md): columns a
// create needs in combination, and verbs the reference refuses although an endpoint exists.

import type { SqlValue } from '../engine/table.js';
import type { InsertProblem, TableDef } from './types.js';

export interface WriteRules {
  /** Columns every INSERT row must give, each entry alternatives of which one suffices. */
  requiredCreate?: string[][];
  /** Why UPDATE is refused although Stripe has an update endpoint. */
  noUpdate?: string;
  noDelete?: string;
}

export const writeRules: Readonly<Record<string, WriteRules>> = {
  Charges: { requiredCreate: [['Amount'], ['Currency'], ['CustomerId', 'Source']] },
  PaymentIntent: { requiredCreate: [['Amount'], ['Currency']] },
  Subscriptions: { requiredCreate: [['CustomerId'], ['ItemsAggregate']] },
  Prices: { requiredCreate: [['Currency'], ['ProductId', 'ProductData']] },
  Refunds: {
    requiredCreate: [['ChargeId', 'PaymentIntentId']],
    noUpdate: 'Refunds cannot be updated (as in the reference connector; only their metadata could change)',
  },
};

/** The first rule of `def` that `values` breaks (alternatives only count if the table has the column). */
export function checkRequiredCreate(def: TableDef, values: Readonly<Record<string, SqlValue>>): InsertProblem | undefined {
  for (const alternatives of writeRules[def.name]?.requiredCreate ?? []) {
    const existing = alternatives.filter((name) => def.columns.some((c) => c.name === name));
    if (existing.length === 0) continue;
    if (existing.some((name) => values[name] !== undefined && values[name] !== null)) continue;
    const message = existing.length === 1
      ? `${existing[0]} is required to create a ${def.name}`
      : `one of ${existing.join(' or ')} is required to create a ${def.name}`;
    return { column: existing[0]!, message };
  }
  return undefined;
}
