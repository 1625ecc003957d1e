import type { SearchField } from '../search.js';

// Query fields Stripe's search supports per resource (stripe.com/docs/search#query-fields),
// for the resources served generically; customers, products and prices are hand-written.

export const SEARCH_FIELDS: Record<string, { name: string; fields: Record<string, SearchField> }> = {
  charge: {
    name: 'charges',
    fields: {
      amount: { kind: 'number' },
      'billing_details.address.postal_code': { kind: 'string' },
      created: { kind: 'number' },
      currency: { kind: 'string' },
      customer: { kind: 'string' },
      disputed: { kind: 'boolean' },
      metadata: { kind: 'metadata' },
      'payment_method_details.card.last4': { kind: 'string' },
      payment_intent: { kind: 'string' },
      refunded: { kind: 'boolean' },
      status: { kind: 'string' },
    },
  },
  invoice: {
    name: 'invoices',
    fields: {
      created: { kind: 'number' },
      currency: { kind: 'string' },
      customer: { kind: 'string' },
      last_finalization_error_code: { kind: 'string', path: 'last_finalization_error.code' },
      metadata: { kind: 'metadata' },
      number: { kind: 'string' },
      receipt_number: { kind: 'string' },
      status: { kind: 'string' },
      subscription: { kind: 'string' },
      total: { kind: 'number' },
    },
  },
  payment_intent: {
    name: 'payment_intents',
    fields: {
      amount: { kind: 'number' },
      created: { kind: 'number' },
      currency: { kind: 'string' },
      customer: { kind: 'string' },
      metadata: { kind: 'metadata' },
      status: { kind: 'string' },
    },
  },
  subscription: {
    name: 'subscriptions',
    fields: {
      created: { kind: 'number' },
      metadata: { kind: 'metadata' },
      status: { kind: 'string' },
    },
  },
};
