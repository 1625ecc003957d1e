// Hand-written table definitions that replace the generated table of the same name, and the
// fields an override may name although the spec lacks them (each with the reason).

import type { TableDef } from '../types.js';
import { checkoutSessionTable } from './checkout-session.js';

export const tableOverrides: readonly TableDef[] = [checkoutSessionTable];

/** `Table.field` paths an override keeps although spec 2024-04-10 does not define them. */
export const fieldsNotInSpec: Readonly<Record<string, string>> = {
  // The reference product exposes it; Stripe added the field after 2024-04-10, so it reads NULL.
  'CheckoutSession.redaction': 'added to checkout.session after API 2024-04-10',
};
