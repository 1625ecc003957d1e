import type { Store, StripeObject } from './store.js';

/** What a route handler may use: the account's objects, the clock and the id maker. */
export interface HandlerContext {
  store: Store;
  /** Account the request acts for (Stripe-Account, or the platform). */
  account: string;
  /** Follows the API key's mode (sk_live_/rk_live_ → true). */
  livemode: boolean;
  /** Unix seconds now. */
  now(): number;
  /** A fresh Stripe-shaped id such as `cus_…` (see ids.ts). */
  newId(prefix: string): string;
  /** Random alphanumerics from the same seeded source (secrets, invoice prefixes). */
  token(length: number): string;
  /** Sends an event no stored change makes (customer.subscription.trial_will_end); absent where no events are made. */
  announce?(type: string, object: StripeObject): void;
}

export interface HandlerResult {
  status?: number;
  body: unknown;
}
